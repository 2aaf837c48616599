// A SchemaSource for readers of mixed topics: Confluent schema ids go to a Confluent REST
// registry, Glue schema version UUIDs to a Glue registry, so both framings decode side by side.
import type { GlueSchemaName, SchemaSource } from './schema-source.ts';

export class RoutingSchemaSource implements SchemaSource {
  readonly #confluent: SchemaSource;
  readonly #glue: SchemaSource;

  constructor(opts: { confluent: SchemaSource; glue: SchemaSource }) {
    this.#confluent = opts.confluent;
    this.#glue = opts.glue;
  }

  getSchemaById(id: number): Promise<string> {
    return this.#confluent.getSchemaById(id);
  }

  getSchemaByVersionId(schemaVersionId: string): Promise<string> {
    return this.#glue.getSchemaByVersionId(schemaVersionId);
  }

  getOrRegisterId(subject: string, schema: string, autoRegister: boolean): Promise<number> {
    return this.#confluent.getOrRegisterId(subject, schema, autoRegister);
  }

  getOrRegisterVersionId(name: GlueSchemaName, schema: string, autoRegister: boolean): Promise<string> {
    return this.#glue.getOrRegisterVersionId(name, schema, autoRegister);
  }

  close(): void {
    this.#confluent.close();
    this.#glue.close();
  }
}
