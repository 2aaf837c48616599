// The reads the Glue API needs: registries, schemas of a registry, versions with UUIDs, status and
// created time, lookup by UUID and by definition, version metadata. Same catch-up rule as Confluent reads.
import type { MetadataRecord, RegistryRecord, SchemaRecord, SchemaVersionRecord } from '../glue/backend.ts';
import { RegistryError } from './errors.ts';
import {
  glueSchemaEntry,
  listRegistryViews,
  listSchemaViews,
  liveVersionById,
  metadataView,
  registryExists,
  registryView,
  schemaView,
  versionView,
} from './glue-views.ts';
import { StoreQueries, type VersionSpec } from './queries.ts';
import { parseSchema } from './schema-rules.ts';
import { type SubjectEntry, versionsOf } from './state.ts';

export class GlueReads extends StoreQueries {
  async glueRegistries(): Promise<RegistryRecord[]> {
    await this.fresh();
    return listRegistryViews(this.state);
  }

  async glueRegistry(name: string): Promise<RegistryRecord> {
    await this.fresh();
    const view = registryView(this.state, name);
    if (!view) throw new RegistryError('GLUE_REGISTRY_NOT_FOUND', `Registry '${name}' not found`);
    return view;
  }

  /** Schemas of one registry (GLUE_REGISTRY_NOT_FOUND if absent), or of every registry. */
  async glueSchemas(registryName?: string): Promise<SchemaRecord[]> {
    await this.fresh();
    if (registryName !== undefined && !registryExists(this.state, registryName)) {
      throw new RegistryError('GLUE_REGISTRY_NOT_FOUND', `Registry '${registryName}' not found`);
    }
    return listSchemaViews(this.state, registryName);
  }

  async glueSchema(registryName: string, schemaName: string): Promise<SchemaRecord> {
    await this.fresh();
    return schemaView(this.state, this.#schemaEntry(registryName, schemaName));
  }

  /** Live versions, oldest first. */
  async glueVersions(registryName: string, schemaName: string): Promise<SchemaVersionRecord[]> {
    await this.fresh();
    return versionsOf(this.#schemaEntry(registryName, schemaName)).map((v) => versionView(this.state, v)!);
  }

  async glueVersion(registryName: string, schemaName: string, version: VersionSpec): Promise<SchemaVersionRecord> {
    await this.fresh();
    const live = versionsOf(this.#schemaEntry(registryName, schemaName));
    const v = version === 'latest' ? live[live.length - 1] : live.find((x) => x.version === version);
    if (!v)
      throw new RegistryError(
        'GLUE_VERSION_NOT_FOUND',
        `Version ${version} of schema '${schemaName}' in registry '${registryName}' not found`,
      );
    return versionView(this.state, v)!;
  }

  /** By Glue UUID; a known live version is answered without a round trip to the log. */
  async glueVersionById(versionId: string): Promise<SchemaVersionRecord> {
    let v = liveVersionById(this.state, versionId);
    if (!v) {
      await this.fresh();
      v = liveVersionById(this.state, versionId);
    }
    if (!v) throw new RegistryError('GLUE_VERSION_NOT_FOUND', `Schema version ${versionId} not found`);
    return versionView(this.state, v)!;
  }

  /** The live version whose normalized form equals the definition's (42201 if it does not parse). */
  async glueVersionByDefinition(registryName: string, schemaName: string, definition: string): Promise<SchemaVersionRecord> {
    const parsed = parseSchema(definition, 'AVRO');
    await this.fresh();
    const live = versionsOf(this.#schemaEntry(registryName, schemaName));
    const v = [...live].reverse().find((x) => this.state.schemas.get(x.id)?.parsed.identity === parsed.identity);
    if (!v)
      throw new RegistryError(
        'GLUE_VERSION_NOT_FOUND',
        `No version of schema '${schemaName}' in registry '${registryName}' has this definition`,
      );
    return versionView(this.state, v)!;
  }

  async glueVersionMetadata(versionId: string): Promise<MetadataRecord[]> {
    await this.fresh();
    const v = liveVersionById(this.state, versionId);
    if (!v) throw new RegistryError('GLUE_VERSION_NOT_FOUND', `Schema version ${versionId} not found`);
    return v.metadata.map(metadataView);
  }

  #schemaEntry(registryName: string, schemaName: string): SubjectEntry {
    if (!registryExists(this.state, registryName))
      throw new RegistryError('GLUE_REGISTRY_NOT_FOUND', `Registry '${registryName}' not found`);
    const entry = glueSchemaEntry(this.state, registryName, schemaName);
    if (!entry) throw new RegistryError('GLUE_SCHEMA_NOT_FOUND', `Schema '${schemaName}' not found in registry '${registryName}'`);
    return entry;
  }
}
