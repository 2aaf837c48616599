// A SchemaSource held in memory, for tests and single-process setups: ids and version UUIDs are
// assigned like the registries do (one id per distinct schema text), and every call is counted.
import { randomUUID } from 'node:crypto';
import { SerdeError, SerdeErrorCode } from './errors.ts';
import { isUuid } from './framing.ts';
import type { GlueSchemaName, SchemaSource } from './schema-source.ts';

export class InMemorySchemaSource implements SchemaSource {
  /** How often each method was called, so tests can assert caching. */
  readonly calls = { getSchemaById: 0, getSchemaByVersionId: 0, getOrRegisterId: 0, getOrRegisterVersionId: 0 };
  readonly #byId = new Map<number, string>();
  readonly #idByText = new Map<string, number>();
  readonly #subjects = new Map<string, Set<number>>();
  readonly #byVersion = new Map<string, string>();
  readonly #versions = new Map<string, Map<string, string>>();
  #nextId = 1;

  /** Stores a schema under a global id (as a registry would), without a subject. */
  addSchema(schema: string, id?: number): number {
    const key = normalize(schema);
    const existing = this.#idByText.get(key);
    if (existing !== undefined && id === undefined) return existing;
    const assigned = id ?? this.#nextId;
    this.#nextId = Math.max(this.#nextId, assigned + 1);
    this.#byId.set(assigned, schema);
    this.#idByText.set(key, assigned);
    return assigned;
  }

  /** Stores a schema version under a UUID (random unless given), without a schema name. */
  addVersion(schema: string, schemaVersionId: string = randomUUID()): string {
    this.#byVersion.set(schemaVersionId.toLowerCase(), schema);
    return schemaVersionId.toLowerCase();
  }

  async getSchemaById(id: number): Promise<string> {
    this.calls.getSchemaById++;
    const schema = this.#byId.get(id);
    if (schema === undefined) throw new SerdeError(SerdeErrorCode.UNKNOWN_SCHEMA, `schema id ${id} not found`, { schemaId: id });
    return schema;
  }

  async getSchemaByVersionId(schemaVersionId: string): Promise<string> {
    this.calls.getSchemaByVersionId++;
    const schema = isUuid(schemaVersionId) ? this.#byVersion.get(schemaVersionId.toLowerCase()) : undefined;
    if (schema === undefined) {
      throw new SerdeError(SerdeErrorCode.UNKNOWN_SCHEMA, `schema version ${schemaVersionId} not found`, { schemaVersionId });
    }
    return schema;
  }

  async getOrRegisterId(subject: string, schema: string, autoRegister: boolean): Promise<number> {
    this.calls.getOrRegisterId++;
    const ids = this.#subjects.get(subject) ?? new Set<number>();
    const known = this.#idByText.get(normalize(schema));
    if (known !== undefined && ids.has(known)) return known;
    if (!autoRegister) {
      throw new SerdeError(
        SerdeErrorCode.SCHEMA_NOT_REGISTERED,
        `schema not registered under subject '${subject}' and auto-registration is off`,
      );
    }
    const id = this.addSchema(schema);
    ids.add(id);
    this.#subjects.set(subject, ids);
    return id;
  }

  async getOrRegisterVersionId(name: GlueSchemaName, schema: string, autoRegister: boolean): Promise<string> {
    this.calls.getOrRegisterVersionId++;
    const key = `${name.registryName}/${name.schemaName}`;
    const versions = this.#versions.get(key) ?? new Map<string, string>();
    const known = versions.get(normalize(schema));
    if (known !== undefined) return known;
    if (!autoRegister) {
      throw new SerdeError(SerdeErrorCode.SCHEMA_NOT_REGISTERED, `schema not registered under ${key} and auto-registration is off`);
    }
    const id = this.addVersion(schema);
    versions.set(normalize(schema), id);
    this.#versions.set(key, versions);
    return id;
  }

  close(): void {}
}

function normalize(schema: string): string {
  try {
    return JSON.stringify(JSON.parse(schema));
  } catch {
    return schema;
  }
}
