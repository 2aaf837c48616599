// What the Glue-compatible API needs from the registry store: plain records and async methods that
// throw GlueError (errors.ts) for every refusal. The store maps (registry, schema) onto a Confluent
// subject: `schemaName` in `default-registry`, `<registry>:<schemaName>` elsewhere.

export const GLUE_COMPATIBILITIES = ['NONE', 'DISABLED', 'BACKWARD', 'BACKWARD_ALL', 'FORWARD', 'FORWARD_ALL', 'FULL', 'FULL_ALL'] as const;
export type GlueCompatibility = (typeof GLUE_COMPATIBILITIES)[number];

export const GLUE_DATA_FORMATS = ['AVRO', 'JSON', 'PROTOBUF'] as const;
export type GlueDataFormat = (typeof GLUE_DATA_FORMATS)[number];

export type RegistryStatus = 'AVAILABLE' | 'DELETING';
export type SchemaStatus = 'AVAILABLE' | 'PENDING' | 'DELETING';
export type SchemaVersionStatus = 'AVAILABLE' | 'PENDING' | 'FAILURE' | 'DELETING';

/** The registry every Confluent subject without a `:` belongs to; it always exists. */
export const DEFAULT_REGISTRY = 'default-registry';

/** Times are milliseconds since the epoch; the API layer formats them. */
export interface RegistryRecord {
  name: string;
  description?: string;
  tags: Record<string, string>;
  status: RegistryStatus;
  createdTime: number;
  updatedTime: number;
}

export interface SchemaRecord {
  registryName: string;
  schemaName: string;
  description?: string;
  tags: Record<string, string>;
  dataFormat: GlueDataFormat;
  compatibility: GlueCompatibility;
  status: SchemaStatus;
  /** Version number that compatibility checks start from (Glue's SchemaCheckpoint); 1 without checkpoints. */
  checkpoint: number;
  /** Highest live version number; 0 while the schema has no version. */
  latestVersion: number;
  /** The number the next registered version will get. */
  nextVersion: number;
  createdTime: number;
  updatedTime: number;
}

export interface SchemaVersionRecord {
  registryName: string;
  schemaName: string;
  /** Lowercase UUID, stable for the life of the version (Glue framing carries it). */
  versionId: string;
  versionNumber: number;
  definition: string;
  dataFormat: GlueDataFormat;
  status: SchemaVersionStatus;
  createdTime: number;
}

export interface MetadataRecord {
  key: string;
  value: string;
  createdTime: number;
}

export type DefinitionCheck = { valid: true } | { valid: false; error: string };

export interface GlueBackend {
  /** AlreadyExistsException if the name is taken; ResourceNumberLimitExceededException past a store limit. */
  createRegistry(input: { name: string; description?: string; tags: Record<string, string> }): Promise<RegistryRecord>;
  /** EntityNotFoundException if absent. `default-registry` is always present. */
  getRegistry(name: string): Promise<RegistryRecord>;
  /** Every registry, including `default-registry`, in any order (the API layer sorts and pages). */
  listRegistries(): Promise<RegistryRecord[]>;
  /** Replaces the description. EntityNotFoundException if absent. */
  updateRegistry(name: string, description: string): Promise<RegistryRecord>;
  /**
   * Deletes the registry with all its schemas and versions; returns the record as it was. Later
   * reads answer EntityNotFoundException. InvalidInputException for `default-registry`.
   */
  deleteRegistry(name: string): Promise<RegistryRecord>;

  /**
   * Creates a schema, and version 1 from `definition` when given. EntityNotFoundException if the
   * registry is absent, AlreadyExistsException if the schema exists, InvalidInputException for a data
   * format the store does not support (only AVRO for now) or an unparsable definition. A store that
   * cannot hold a schema without versions may refuse a missing definition with InvalidInputException.
   */
  createSchema(input: {
    registryName: string;
    schemaName: string;
    dataFormat: GlueDataFormat;
    compatibility: GlueCompatibility;
    description?: string;
    tags: Record<string, string>;
    definition?: string;
  }): Promise<{ schema: SchemaRecord; version?: SchemaVersionRecord }>;
  /** EntityNotFoundException if the registry or schema is absent. */
  getSchema(registryName: string, schemaName: string): Promise<SchemaRecord>;
  /** The schemas of one registry (EntityNotFoundException if absent), or of all registries; any order. */
  listSchemas(registryName?: string): Promise<SchemaRecord[]>;
  /** Changes only the fields given. Existing versions are not re-checked under a new compatibility. */
  updateSchema(
    registryName: string,
    schemaName: string,
    changes: { compatibility?: GlueCompatibility; description?: string },
  ): Promise<SchemaRecord>;
  /** Deletes the schema and all its versions; returns the record as it was. */
  deleteSchema(registryName: string, schemaName: string): Promise<SchemaRecord>;

  /**
   * Registers a definition as the schema's next version. A definition identical (by canonical form)
   * to a live version returns that version unchanged. InvalidInputException for an unparsable
   * definition, a definition the schema's compatibility refuses (the message says why), or any new
   * version under DISABLED. EntityNotFoundException if the schema is absent.
   */
  registerSchemaVersion(registryName: string, schemaName: string, definition: string): Promise<SchemaVersionRecord>;
  /** EntityNotFoundException if no live version has this UUID. */
  getSchemaVersionById(versionId: string): Promise<SchemaVersionRecord>;
  /** By number, or the highest live version. EntityNotFoundException if the schema or version is absent. */
  getSchemaVersion(registryName: string, schemaName: string, version: number | 'latest'): Promise<SchemaVersionRecord>;
  /** The live version whose canonical form equals the definition's; EntityNotFoundException if none. */
  getSchemaVersionByDefinition(registryName: string, schemaName: string, definition: string): Promise<SchemaVersionRecord>;
  /** Live versions of the schema, any order. EntityNotFoundException if the schema is absent. */
  listSchemaVersions(registryName: string, schemaName: string): Promise<SchemaVersionRecord[]>;
  /** Parses only; no compatibility. InvalidInputException for a data format the store does not support. */
  checkDefinition(dataFormat: GlueDataFormat, definition: string): Promise<DefinitionCheck>;

  /**
   * Adds a key-value pair to a version (a key may hold several values). AlreadyExistsException if
   * the pair is there, ResourceNumberLimitExceededException past 10 pairs per version,
   * EntityNotFoundException if the version is absent.
   */
  putVersionMetadata(versionId: string, key: string, value: string): Promise<MetadataRecord>;
  /** Every pair of the version, any order. EntityNotFoundException if the version is absent. */
  listVersionMetadata(versionId: string): Promise<MetadataRecord[]>;
  /** Removes one pair; EntityNotFoundException if the version or the pair is absent. */
  removeVersionMetadata(versionId: string, key: string, value: string): Promise<MetadataRecord>;
}
