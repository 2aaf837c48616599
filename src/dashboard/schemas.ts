// The Schemas view's data, read from a schema registry over the Confluent REST API (Brook's own,
// Confluent's, or anything that speaks it): subjects, versions, compatibility, a schema's text.
import { createTlsFetch, credentialsOutOfUrl, type HttpClientTls } from '../security/http-client.ts';
import { HttpError } from './http.ts';

export interface SubjectInfo {
  subject: string;
  versions: number[];
  latest: { version: number; id: number; schemaType: string } | null;
  compatibility: string;
  /** True when the subject has no level of its own and follows the global one. */
  compatibilityIsGlobal: boolean;
}

export interface SchemasSnapshot {
  registryUrl: string;
  compatibility: string;
  mode: string | null;
  subjects: SubjectInfo[];
}

export interface SchemaText {
  subject: string;
  version: number;
  id: number;
  schemaType: string;
  /** Pretty-printed for JSON-based types (Avro, JSON Schema); as registered otherwise. */
  schema: string;
  references: unknown[];
}

const TIMEOUT_MS = 5000;

export class RegistryReader {
  /** Without credentials: it is shown on the page. */
  readonly url: string;
  readonly #authorization: string | undefined;
  readonly #fetch: typeof fetch;

  /** `user:password@` in the URL becomes basic auth; `tls` trusts a private CA or presents a client certificate. */
  constructor(url: string, options: { tls?: HttpClientTls } = {}) {
    const split = credentialsOutOfUrl(url);
    this.url = split.url;
    this.#authorization = split.authorization;
    this.#fetch = options.tls ? createTlsFetch(options.tls) : globalThis.fetch;
  }

  async snapshot(): Promise<SchemasSnapshot> {
    const [subjects, global, mode] = await Promise.all([
      this.#get<string[]>('/subjects'),
      this.#get<{ compatibilityLevel: string }>('/config'),
      this.#get<{ mode: string }>('/mode').catch(() => null),
    ]);
    const infos = await Promise.all(
      [...subjects].sort().map(async (subject): Promise<SubjectInfo> => {
        const s = encodeURIComponent(subject);
        const [versions, own, latest] = await Promise.all([
          this.#get<number[]>(`/subjects/${s}/versions`),
          this.#get<{ compatibilityLevel: string }>(`/config/${s}`).catch((err) =>
            err instanceof HttpError && err.status === 404 ? null : Promise.reject(err),
          ),
          this.#get<{ version: number; id: number; schemaType?: string }>(`/subjects/${s}/versions/latest`).catch(() => null),
        ]);
        return {
          subject,
          versions: [...versions].sort((a, b) => a - b),
          latest: latest ? { version: latest.version, id: latest.id, schemaType: latest.schemaType ?? 'AVRO' } : null,
          compatibility: own?.compatibilityLevel ?? global.compatibilityLevel,
          compatibilityIsGlobal: own === null,
        };
      }),
    );
    return { registryUrl: this.url, compatibility: global.compatibilityLevel, mode: mode?.mode ?? null, subjects: infos };
  }

  async schema(subject: string, version: string): Promise<SchemaText> {
    if (version !== 'latest' && !/^\d+$/.test(version)) {
      throw new HttpError(400, 'bad_version', `version must be a positive whole number or 'latest', got '${version}'`);
    }
    const got = await this.#get<{
      subject: string;
      version: number;
      id: number;
      schemaType?: string;
      schema: string;
      references?: unknown[];
    }>(`/subjects/${encodeURIComponent(subject)}/versions/${version}`);
    const schemaType = got.schemaType ?? 'AVRO';
    return {
      subject: got.subject,
      version: got.version,
      id: got.id,
      schemaType,
      schema: pretty(got.schema, schemaType),
      references: got.references ?? [],
    };
  }

  async #get<T>(path: string): Promise<T> {
    let res: Response;
    try {
      res = await this.#fetch(`${this.url}${path}`, {
        headers: {
          accept: 'application/vnd.schemaregistry.v1+json, application/json',
          ...(this.#authorization ? { authorization: this.#authorization } : {}),
        },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      throw new HttpError(
        502,
        'registry_unavailable',
        `cannot reach the schema registry at ${this.url}: ${cause}. Is it running? (brook registry, or --registry URL)`,
      );
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new HttpError(
        502,
        'registry_bad_answer',
        `the schema registry at ${this.url} answered ${path} with something that is not JSON (HTTP ${res.status})`,
      );
    }
    if (res.ok) return body as T;
    const message = (body as { message?: string }).message ?? `HTTP ${res.status}`;
    if (res.status === 404) throw new HttpError(404, 'not_found', `schema registry: ${message}`);
    throw new HttpError(502, 'registry_error', `the schema registry at ${this.url} answered ${path} with HTTP ${res.status}: ${message}`);
  }
}

function pretty(schema: string, schemaType: string): string {
  if (schemaType === 'PROTOBUF') return schema;
  try {
    return JSON.stringify(JSON.parse(schema), null, 2);
  } catch {
    return schema;
  }
}
