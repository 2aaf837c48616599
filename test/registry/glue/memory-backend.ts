// An in-memory GlueBackend for the Glue API tests: the semantics the real store promises, with a
// deliberately simple compatibility rule (record fields only) since the real checker lives elsewhere.
import { randomUUID } from 'node:crypto';
import avsc from 'avsc';
import {
  DEFAULT_REGISTRY,
  type DefinitionCheck,
  type GlueBackend,
  type GlueCompatibility,
  type GlueDataFormat,
  type MetadataRecord,
  type RegistryRecord,
  type SchemaRecord,
  type SchemaVersionRecord,
} from '../../../src/registry/glue/backend.ts';
import { alreadyExists, invalidInput, limitExceeded, notFound } from '../../../src/registry/glue/errors.ts';

interface SchemaEntry {
  record: SchemaRecord;
  versions: SchemaVersionRecord[];
}

type Field = { name: string; type: unknown; default?: unknown };

const MAX_METADATA = 10;

function parseAvro(definition: string): DefinitionCheck {
  try {
    avsc.Type.forSchema(JSON.parse(definition));
    return { valid: true };
  } catch (err) {
    return { valid: false, error: (err as Error).message };
  }
}

// Identity for deduplication: the parsed JSON re-serialized, so whitespace does not matter.
const normalize = (definition: string): string => JSON.stringify(JSON.parse(definition));

const fieldsOf = (definition: string): Field[] | undefined => {
  const s = JSON.parse(definition) as { type?: unknown; fields?: Field[] };
  return s.type === 'record' && Array.isArray(s.fields) ? s.fields : undefined;
};

/** Why a reader of `reader` cannot read data written with `writer`, or undefined if it can. */
function cannotRead(reader: string, writer: string): string | undefined {
  const r = fieldsOf(reader);
  const w = fieldsOf(writer);
  if (!r || !w) return normalize(reader) === normalize(writer) ? undefined : 'non-record schemas must be identical';
  for (const f of r) {
    const old = w.find((x) => x.name === f.name);
    if (!old && !Object.hasOwn(f, 'default')) return `reader field '${f.name}' has no default and the writer lacks it`;
    if (old && JSON.stringify(old.type) !== JSON.stringify(f.type)) return `field '${f.name}' changed type`;
  }
  return undefined;
}

function verdict(mode: GlueCompatibility, next: string, previous: SchemaVersionRecord[]): string | undefined {
  if (mode === 'NONE' || previous.length === 0) return undefined;
  if (mode === 'DISABLED') return 'compatibility is DISABLED: the schema takes no new versions';
  const against = mode.endsWith('_ALL') ? previous : previous.slice(-1);
  const backward = mode.startsWith('BACKWARD') || mode.startsWith('FULL');
  const forward = mode.startsWith('FORWARD') || mode.startsWith('FULL');
  for (const old of against) {
    const why = (backward && cannotRead(next, old.definition)) || (forward && cannotRead(old.definition, next));
    if (why) return `incompatible with version ${old.versionNumber} under ${mode}: ${why}`;
  }
  return undefined;
}

export interface MemoryBackendOptions {
  /** ResourceNumberLimitExceededException beyond this many registries (default-registry included). */
  maxRegistries?: number;
}

export class MemoryGlueBackend implements GlueBackend {
  readonly registries = new Map<string, RegistryRecord>();
  readonly schemas = new Map<string, SchemaEntry>();
  readonly metadata = new Map<string, MetadataRecord[]>();
  readonly #maxRegistries: number;
  #clock = Date.UTC(2024, 0, 1);
  /** Errors to throw from the next call of a method, for the error-path tests. */
  readonly faults = new Map<keyof GlueBackend, unknown>();

  constructor(options: MemoryBackendOptions = {}) {
    this.#maxRegistries = options.maxRegistries ?? 100;
    const t = this.#now();
    this.registries.set(DEFAULT_REGISTRY, { name: DEFAULT_REGISTRY, tags: {}, status: 'AVAILABLE', createdTime: t, updatedTime: t });
  }

  // A clock that advances a second per call keeps times distinct and the tests deterministic.
  #now(): number {
    this.#clock += 1000;
    return this.#clock;
  }

  #fault(method: keyof GlueBackend): void {
    if (!this.faults.has(method)) return;
    const err = this.faults.get(method);
    this.faults.delete(method);
    throw err;
  }

  #registry(name: string): RegistryRecord {
    const r = this.registries.get(name);
    if (!r) throw notFound(`Registry not found: '${name}'`);
    return r;
  }

  #schema(registryName: string, schemaName: string): SchemaEntry {
    this.#registry(registryName);
    const s = this.schemas.get(`${registryName}/${schemaName}`);
    if (!s) throw notFound(`Schema not found: '${schemaName}' in registry '${registryName}'`);
    return s;
  }

  #version(versionId: string): SchemaVersionRecord {
    for (const s of this.schemas.values()) {
      const v = s.versions.find((x) => x.versionId === versionId);
      if (v) return v;
    }
    throw notFound(`Schema version not found: ${versionId}`);
  }

  #refresh(s: SchemaEntry): SchemaRecord {
    const latest = s.versions.at(-1)?.versionNumber ?? 0;
    s.record = { ...s.record, latestVersion: latest };
    return { ...s.record };
  }

  async createRegistry(input: { name: string; description?: string; tags: Record<string, string> }): Promise<RegistryRecord> {
    this.#fault('createRegistry');
    if (this.registries.has(input.name)) throw alreadyExists(`Registry already exists: '${input.name}'`);
    if (this.registries.size >= this.#maxRegistries) throw limitExceeded(`At most ${this.#maxRegistries} registries`);
    const t = this.#now();
    const r: RegistryRecord = {
      name: input.name,
      description: input.description,
      tags: { ...input.tags },
      status: 'AVAILABLE',
      createdTime: t,
      updatedTime: t,
    };
    this.registries.set(r.name, r);
    return { ...r };
  }

  async getRegistry(name: string): Promise<RegistryRecord> {
    this.#fault('getRegistry');
    return { ...this.#registry(name) };
  }

  async listRegistries(): Promise<RegistryRecord[]> {
    this.#fault('listRegistries');
    return [...this.registries.values()].map((r) => ({ ...r }));
  }

  async updateRegistry(name: string, description: string): Promise<RegistryRecord> {
    this.#fault('updateRegistry');
    const r = this.#registry(name);
    const next = { ...r, description, updatedTime: this.#now() };
    this.registries.set(name, next);
    return { ...next };
  }

  async deleteRegistry(name: string): Promise<RegistryRecord> {
    this.#fault('deleteRegistry');
    if (name === DEFAULT_REGISTRY) throw invalidInput(`'${DEFAULT_REGISTRY}' holds every Confluent subject and cannot be deleted`);
    const r = this.#registry(name);
    for (const [k, s] of this.schemas) if (s.record.registryName === name) this.#dropSchema(k, s);
    this.registries.delete(name);
    return { ...r };
  }

  #dropSchema(key: string, s: SchemaEntry): void {
    for (const v of s.versions) this.metadata.delete(v.versionId);
    this.schemas.delete(key);
  }

  async createSchema(input: {
    registryName: string;
    schemaName: string;
    dataFormat: GlueDataFormat;
    compatibility: GlueCompatibility;
    description?: string;
    tags: Record<string, string>;
    definition?: string;
  }): Promise<{ schema: SchemaRecord; version?: SchemaVersionRecord }> {
    this.#fault('createSchema');
    this.#registry(input.registryName);
    const key = `${input.registryName}/${input.schemaName}`;
    if (this.schemas.has(key)) throw alreadyExists(`Schema already exists: '${input.schemaName}' in registry '${input.registryName}'`);
    if (input.dataFormat !== 'AVRO') throw invalidInput(`DataFormat ${input.dataFormat} is not supported yet; Brook's registry takes AVRO`);
    if (input.definition !== undefined) {
      const check = parseAvro(input.definition);
      if (!check.valid) throw invalidInput(`Invalid AVRO schema: ${check.error}`);
    }
    const t = this.#now();
    const entry: SchemaEntry = {
      record: {
        registryName: input.registryName,
        schemaName: input.schemaName,
        description: input.description,
        tags: { ...input.tags },
        dataFormat: input.dataFormat,
        compatibility: input.compatibility,
        status: 'AVAILABLE',
        checkpoint: 1,
        latestVersion: 0,
        nextVersion: 1,
        createdTime: t,
        updatedTime: t,
      },
      versions: [],
    };
    this.schemas.set(key, entry);
    const version = input.definition === undefined ? undefined : this.#append(entry, input.definition);
    return { schema: this.#refresh(entry), version };
  }

  #append(s: SchemaEntry, definition: string): SchemaVersionRecord {
    const v: SchemaVersionRecord = {
      registryName: s.record.registryName,
      schemaName: s.record.schemaName,
      versionId: randomUUID(),
      versionNumber: s.record.nextVersion,
      definition,
      dataFormat: s.record.dataFormat,
      status: 'AVAILABLE',
      createdTime: this.#now(),
    };
    s.versions.push(v);
    s.record = { ...s.record, nextVersion: v.versionNumber + 1 };
    this.#refresh(s);
    return { ...v };
  }

  async getSchema(registryName: string, schemaName: string): Promise<SchemaRecord> {
    this.#fault('getSchema');
    return this.#refresh(this.#schema(registryName, schemaName));
  }

  async listSchemas(registryName?: string): Promise<SchemaRecord[]> {
    this.#fault('listSchemas');
    if (registryName !== undefined) this.#registry(registryName);
    return [...this.schemas.values()]
      .filter((s) => registryName === undefined || s.record.registryName === registryName)
      .map((s) => this.#refresh(s));
  }

  async updateSchema(
    registryName: string,
    schemaName: string,
    changes: { compatibility?: GlueCompatibility; description?: string },
  ): Promise<SchemaRecord> {
    this.#fault('updateSchema');
    const s = this.#schema(registryName, schemaName);
    s.record = {
      ...s.record,
      compatibility: changes.compatibility ?? s.record.compatibility,
      description: changes.description ?? s.record.description,
      updatedTime: this.#now(),
    };
    return this.#refresh(s);
  }

  async deleteSchema(registryName: string, schemaName: string): Promise<SchemaRecord> {
    this.#fault('deleteSchema');
    const s = this.#schema(registryName, schemaName);
    const before = this.#refresh(s);
    this.#dropSchema(`${registryName}/${schemaName}`, s);
    return before;
  }

  async registerSchemaVersion(registryName: string, schemaName: string, definition: string): Promise<SchemaVersionRecord> {
    this.#fault('registerSchemaVersion');
    const s = this.#schema(registryName, schemaName);
    const check = parseAvro(definition);
    if (!check.valid) throw invalidInput(`Invalid AVRO schema: ${check.error}`);
    const same = s.versions.find((v) => normalize(v.definition) === normalize(definition));
    if (same) return { ...same };
    const why = verdict(s.record.compatibility, definition, s.versions);
    if (why) throw invalidInput(`Schema definition is not compatible with schema '${schemaName}': ${why}`);
    return this.#append(s, definition);
  }

  async getSchemaVersionById(versionId: string): Promise<SchemaVersionRecord> {
    this.#fault('getSchemaVersionById');
    return { ...this.#version(versionId) };
  }

  async getSchemaVersion(registryName: string, schemaName: string, version: number | 'latest'): Promise<SchemaVersionRecord> {
    this.#fault('getSchemaVersion');
    const s = this.#schema(registryName, schemaName);
    const v = version === 'latest' ? s.versions.at(-1) : s.versions.find((x) => x.versionNumber === version);
    if (!v) throw notFound(`Schema version not found: ${version} of '${schemaName}' in registry '${registryName}'`);
    return { ...v };
  }

  async getSchemaVersionByDefinition(registryName: string, schemaName: string, definition: string): Promise<SchemaVersionRecord> {
    this.#fault('getSchemaVersionByDefinition');
    const s = this.#schema(registryName, schemaName);
    let wanted: string;
    try {
      wanted = normalize(definition);
    } catch {
      throw invalidInput('SchemaDefinition is not valid JSON');
    }
    const v = s.versions.find((x) => normalize(x.definition) === wanted);
    if (!v) throw notFound(`No version of '${schemaName}' in registry '${registryName}' has this definition`);
    return { ...v };
  }

  async listSchemaVersions(registryName: string, schemaName: string): Promise<SchemaVersionRecord[]> {
    this.#fault('listSchemaVersions');
    return this.#schema(registryName, schemaName).versions.map((v) => ({ ...v }));
  }

  async checkDefinition(dataFormat: GlueDataFormat, definition: string): Promise<DefinitionCheck> {
    this.#fault('checkDefinition');
    if (dataFormat !== 'AVRO') throw invalidInput(`DataFormat ${dataFormat} is not supported yet; Brook's registry takes AVRO`);
    return parseAvro(definition);
  }

  async putVersionMetadata(versionId: string, key: string, value: string): Promise<MetadataRecord> {
    this.#fault('putVersionMetadata');
    this.#version(versionId);
    const list = this.metadata.get(versionId) ?? [];
    if (list.some((m) => m.key === key && m.value === value))
      throw alreadyExists(`Metadata ${key}=${value} already exists on version ${versionId}`);
    if (list.length >= MAX_METADATA) throw limitExceeded(`A schema version holds at most ${MAX_METADATA} metadata key-value pairs`);
    const m = { key, value, createdTime: this.#now() };
    list.push(m);
    this.metadata.set(versionId, list);
    return { ...m };
  }

  async listVersionMetadata(versionId: string): Promise<MetadataRecord[]> {
    this.#fault('listVersionMetadata');
    this.#version(versionId);
    return (this.metadata.get(versionId) ?? []).map((m) => ({ ...m }));
  }

  async removeVersionMetadata(versionId: string, key: string, value: string): Promise<MetadataRecord> {
    this.#fault('removeVersionMetadata');
    this.#version(versionId);
    const list = this.metadata.get(versionId) ?? [];
    const i = list.findIndex((m) => m.key === key && m.value === value);
    if (i < 0) throw notFound(`Metadata ${key}=${value} not found on version ${versionId}`);
    const [m] = list.splice(i, 1);
    return { ...m! };
  }
}
