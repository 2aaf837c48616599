// The Glue commands: registries, schemas bound to subjects (compatibility, description, tags) and
// version metadata. Each checks everything before it changes anything, like the Confluent ones.

import { glueToConfluent, isGlueCompatibility } from '../compatibility/levels.ts';
import type { MetadataRecord, RegistryRecord, SchemaRecord, SchemaVersionRecord } from '../glue/backend.ts';
import { commitRegister, planRegister } from './apply-register.ts';
import type {
  GlueCreateRegistryCommand,
  GlueCreateSchemaCommand,
  GlueDeleteRegistryCommand,
  GlueDeleteSchemaCommand,
  GluePutVersionMetadataCommand,
  GlueRemoveVersionMetadataCommand,
  GlueUpdateRegistryCommand,
  GlueUpdateSchemaCommand,
} from './commands.ts';
import { RegistryError } from './errors.ts';
import { DEFAULT_GLUE_REGISTRY, glueSubject, subjectToGlue } from './glue-mapping.ts';
import { glueSchemaEntry, liveVersionById, metadataView, registryExists, registryView, schemaView, versionView } from './glue-views.ts';
import { dropVersion, ensureSubject, type RegistryState, type SubjectEntry, versionsOf } from './state.ts';

/** Glue's limit on key-value pairs per schema version. */
export const MAX_METADATA_PAIRS = 10;

function checkName(name: unknown, what: string): asserts name is string {
  if (typeof name !== 'string' || name === '' || name.includes(':')) {
    throw new RegistryError('GLUE_INVALID_INPUT', `${what} '${String(name)}' is not valid: use letters, digits and - _ $ # . (no ':')`);
  }
}

function tagsOf(tags: unknown): Record<string, string> {
  if (tags === undefined || tags === null) return {};
  if (typeof tags !== 'object' || Array.isArray(tags)) throw new RegistryError('GLUE_INVALID_INPUT', 'Tags must be an object of strings');
  return { ...(tags as Record<string, string>) };
}

function registryNotFound(name: string): RegistryError {
  return new RegistryError('GLUE_REGISTRY_NOT_FOUND', `Registry '${name}' not found; create it with CreateRegistry`);
}

function schemaNotFound(registryName: string, schemaName: string): RegistryError {
  return new RegistryError(
    'GLUE_SCHEMA_NOT_FOUND',
    `Schema '${schemaName}' not found in registry '${registryName}'; create it with CreateSchema`,
  );
}

export function applyGlueCreateRegistry(state: RegistryState, cmd: GlueCreateRegistryCommand, issuedAt: number): RegistryRecord {
  checkName(cmd.name, 'Registry name');
  if (registryExists(state, cmd.name)) throw new RegistryError('GLUE_ALREADY_EXISTS', `Registry '${cmd.name}' already exists`);
  state.registries.set(cmd.name, {
    name: cmd.name,
    ...(cmd.description !== undefined ? { description: cmd.description } : {}),
    tags: tagsOf(cmd.tags),
    createdTime: issuedAt,
    updatedTime: issuedAt,
  });
  return registryView(state, cmd.name)!;
}

export function applyGlueUpdateRegistry(state: RegistryState, cmd: GlueUpdateRegistryCommand, issuedAt: number): RegistryRecord {
  checkName(cmd.name, 'Registry name');
  const view = registryView(state, cmd.name);
  if (!view) throw registryNotFound(cmd.name);
  state.registries.set(cmd.name, {
    name: cmd.name,
    description: String(cmd.description ?? ''),
    tags: view.tags,
    createdTime: view.createdTime,
    updatedTime: issuedAt,
  });
  return registryView(state, cmd.name)!;
}

export function applyGlueDeleteRegistry(state: RegistryState, cmd: GlueDeleteRegistryCommand): RegistryRecord {
  checkName(cmd.name, 'Registry name');
  if (cmd.name === DEFAULT_GLUE_REGISTRY)
    throw new RegistryError('GLUE_INVALID_INPUT', `The ${DEFAULT_GLUE_REGISTRY} registry cannot be deleted`);
  const view = registryView(state, cmd.name);
  if (!view) throw registryNotFound(cmd.name);
  for (const entry of [...state.subjects.values()]) {
    if (subjectToGlue(entry.name)?.registryName === cmd.name) removeSubject(state, entry);
  }
  state.registries.delete(cmd.name);
  return { ...view, status: 'DELETING' };
}

/** A Glue delete is immediate and total: versions, config, mode and binding go at once. */
function removeSubject(state: RegistryState, entry: SubjectEntry): void {
  for (const v of versionsOf(entry, true)) dropVersion(state, entry, v);
  state.subjects.delete(entry.name);
}

export function applyGlueCreateSchema(
  state: RegistryState,
  cmd: GlueCreateSchemaCommand,
  requestId: string,
  issuedAt: number,
): { schema: SchemaRecord; version?: SchemaVersionRecord } {
  checkName(cmd.registryName, 'Registry name');
  checkName(cmd.schemaName, 'Schema name');
  if (!registryExists(state, cmd.registryName)) throw registryNotFound(cmd.registryName);
  if (cmd.dataFormat !== 'AVRO') {
    throw new RegistryError(
      'GLUE_INVALID_INPUT',
      `DataFormat ${String(cmd.dataFormat)} is not supported yet: Brook's registry stores AVRO schemas only`,
    );
  }
  if (!isGlueCompatibility(cmd.compatibility))
    throw new RegistryError('GLUE_INVALID_INPUT', `Unknown compatibility '${String(cmd.compatibility)}'`);
  if (glueSchemaEntry(state, cmd.registryName, cmd.schemaName)) {
    throw new RegistryError('GLUE_ALREADY_EXISTS', `Schema '${cmd.schemaName}' already exists in registry '${cmd.registryName}'`);
  }
  const subject = glueSubject(cmd.registryName, cmd.schemaName);
  const level = glueToConfluent(cmd.compatibility);
  // No live version exists, so the first one passes any compatibility; plan it before binding.
  const plan =
    cmd.definition === undefined
      ? undefined
      : planRegister(
          state,
          { op: 'register', subject, schema: cmd.definition, schemaType: 'AVRO', references: [], normalize: false },
          level,
        );
  const entry = ensureSubject(state, subject);
  entry.glue = {
    dataFormat: 'AVRO',
    ...(cmd.description !== undefined ? { description: cmd.description } : {}),
    tags: tagsOf(cmd.tags),
    disabled: level === 'DISABLED',
    createdTime: issuedAt,
    updatedTime: issuedAt,
  };
  if (level !== 'DISABLED') entry.compatibility = level;
  const registered = plan ? commitRegister(state, plan, requestId, issuedAt) : undefined;
  const version = registered ? versionView(state, state.subjects.get(subject)!.versions.get(registered.version)!) : undefined;
  return { schema: schemaView(state, entry), ...(version ? { version } : {}) };
}

function boundEntry(state: RegistryState, registryName: string, schemaName: string, issuedAt: number): SubjectEntry {
  checkName(registryName, 'Registry name');
  checkName(schemaName, 'Schema name');
  if (!registryExists(state, registryName)) throw registryNotFound(registryName);
  const entry = glueSchemaEntry(state, registryName, schemaName);
  if (!entry) throw schemaNotFound(registryName, schemaName);
  // A subject born through the Confluent API gets its binding on first Glue change.
  entry.glue ??= {
    dataFormat: 'AVRO',
    tags: {},
    disabled: false,
    createdTime: versionsOf(entry)[0]?.createdTime ?? issuedAt,
    updatedTime: issuedAt,
  };
  return entry;
}

export function applyGlueUpdateSchema(state: RegistryState, cmd: GlueUpdateSchemaCommand, issuedAt: number): SchemaRecord {
  if (cmd.compatibility !== undefined && !isGlueCompatibility(cmd.compatibility)) {
    throw new RegistryError('GLUE_INVALID_INPUT', `Unknown compatibility '${String(cmd.compatibility)}'`);
  }
  const entry = boundEntry(state, cmd.registryName, cmd.schemaName, issuedAt);
  const binding = entry.glue!;
  if (cmd.compatibility !== undefined) {
    const level = glueToConfluent(cmd.compatibility);
    binding.disabled = level === 'DISABLED';
    if (level !== 'DISABLED') entry.compatibility = level;
  }
  if (cmd.description !== undefined) binding.description = cmd.description;
  binding.updatedTime = issuedAt;
  return schemaView(state, entry);
}

export function applyGlueDeleteSchema(state: RegistryState, cmd: GlueDeleteSchemaCommand): SchemaRecord {
  checkName(cmd.registryName, 'Registry name');
  checkName(cmd.schemaName, 'Schema name');
  if (!registryExists(state, cmd.registryName)) throw registryNotFound(cmd.registryName);
  const entry = glueSchemaEntry(state, cmd.registryName, cmd.schemaName);
  if (!entry) throw schemaNotFound(cmd.registryName, cmd.schemaName);
  const before = { ...schemaView(state, entry), status: 'DELETING' as const };
  removeSubject(state, entry);
  return before;
}

function versionOrThrow(state: RegistryState, versionId: unknown) {
  const v = typeof versionId === 'string' ? liveVersionById(state, versionId) : undefined;
  if (!v) throw new RegistryError('GLUE_VERSION_NOT_FOUND', `Schema version ${String(versionId)} not found`);
  return v;
}

export function applyGluePutVersionMetadata(state: RegistryState, cmd: GluePutVersionMetadataCommand, issuedAt: number): MetadataRecord {
  const v = versionOrThrow(state, cmd.versionId);
  if (typeof cmd.key !== 'string' || typeof cmd.value !== 'string' || cmd.key === '') {
    throw new RegistryError('GLUE_INVALID_INPUT', 'Metadata needs a non-empty key and a value');
  }
  if (v.metadata.some((m) => m.key === cmd.key && m.value === cmd.value)) {
    throw new RegistryError('GLUE_ALREADY_EXISTS', `Metadata ${cmd.key}=${cmd.value} is already on schema version ${v.versionId}`);
  }
  if (v.metadata.length >= MAX_METADATA_PAIRS) {
    throw new RegistryError(
      'GLUE_LIMIT_EXCEEDED',
      `Schema version ${v.versionId} already holds ${MAX_METADATA_PAIRS} metadata pairs; remove one first`,
    );
  }
  const m = { key: cmd.key, value: cmd.value, createdTime: issuedAt };
  v.metadata.push(m);
  return metadataView(m);
}

export function applyGlueRemoveVersionMetadata(state: RegistryState, cmd: GlueRemoveVersionMetadataCommand): MetadataRecord {
  const v = versionOrThrow(state, cmd.versionId);
  const i = v.metadata.findIndex((m) => m.key === cmd.key && m.value === cmd.value);
  if (i < 0)
    throw new RegistryError(
      'GLUE_METADATA_NOT_FOUND',
      `Metadata ${String(cmd.key)}=${String(cmd.value)} not found on schema version ${v.versionId}`,
    );
  const [removed] = v.metadata.splice(i, 1);
  return metadataView(removed!);
}
