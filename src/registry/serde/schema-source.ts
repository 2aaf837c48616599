// Where encoders and decoders get schemas: a Confluent REST registry, AWS Glue (or Brook's own
// registry speaking either API), or memory in tests. Failures are SerdeErrors with stable codes.

/** Where a Glue schema lives: a schema name inside a registry. */
export interface GlueSchemaName {
  registryName: string;
  schemaName: string;
}

export interface SchemaSource {
  /**
   * The writer schema text for a Confluent schema id (`GET /schemas/ids/{id}`).
   * Throws SERDE_UNKNOWN_SCHEMA when the registry does not know the id.
   */
  getSchemaById(id: number): Promise<string>;

  /**
   * The writer schema text for a Glue schema version UUID (`GetSchemaVersion`).
   * Throws SERDE_UNKNOWN_SCHEMA when the registry does not know the version.
   */
  getSchemaByVersionId(schemaVersionId: string): Promise<string>;

  /**
   * The id of `schema` under `subject`: registered when `autoRegister` (idempotent: an existing
   * identical schema keeps its id), else looked up (SERDE_SCHEMA_NOT_REGISTERED when absent).
   */
  getOrRegisterId(subject: string, schema: string, autoRegister: boolean): Promise<number>;

  /**
   * The schema version UUID of `schema` under (registry, schema name): looked up by definition,
   * and when absent created (new schema) or registered (new version) if `autoRegister`.
   */
  getOrRegisterVersionId(name: GlueSchemaName, schema: string, autoRegister: boolean): Promise<string>;

  /** Stops in-flight requests and frees connections. */
  close(): void;
}
