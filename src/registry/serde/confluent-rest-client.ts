// A SchemaSource over the Confluent Schema Registry REST API (the three calls a serde needs), with
// basic auth, per-attempt timeouts, retries with backoff on 5xx and connection errors, and
// Confluent's {error_code, message} answers mapped to SerdeErrors.
import { setTimeout as delay } from 'node:timers/promises';
import { createTlsFetch, type HttpClientTls, type TlsFetch } from '../../security/http-client.ts';
import { errorMessage, SerdeError, SerdeErrorCode, type SerdeErrorDetails } from './errors.ts';
import type { GlueSchemaName, SchemaSource } from './schema-source.ts';

export const SCHEMA_REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
// What Confluent's own clients accept, newest media type first.
const ACCEPT = 'application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5';

/** Confluent Schema Registry error codes this client acts on. */
export const ConfluentErrorCode = {
  SUBJECT_NOT_FOUND: 40401,
  VERSION_NOT_FOUND: 40402,
  SCHEMA_NOT_FOUND: 40403,
  INCOMPATIBLE_SCHEMA: 409,
  INVALID_SCHEMA: 42201,
  STORE_ERROR: 50001,
  OPERATION_TIMEOUT: 50002,
  FORWARDING_ERROR: 50003,
} as const;

export interface ConfluentRestClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:8081` (a path prefix is kept; `user:pass@` becomes basic auth). */
  url: string;
  /** HTTP basic auth (Confluent's basic.auth.user.info). */
  auth?: { username: string; password: string };
  /** Per attempt, until the whole answer is read. Default 10 000 ms. */
  timeoutMs?: number;
  /** Further attempts after a connection error, timeout, 408, 429 or 5xx. Default 3. */
  retries?: number;
  /** Wait before the first retry; doubles each time, with jitter. Default 100 ms. */
  backoffMs?: number;
  /** Longest wait between attempts. Default 5 000 ms. */
  maxBackoffMs?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Replaces global fetch (tests, proxies). */
  fetch?: typeof fetch;
  /** For an HTTPS registry: a private CA to trust (`ca`), a client certificate (`cert`, `key`). */
  tls?: HttpClientTls;
}

type Call = 'get' | 'lookup' | 'register';

interface Answer {
  status: number;
  body: unknown;
  text: string;
}

export class ConfluentRestClient implements SchemaSource {
  readonly url: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #backoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #fetch: typeof fetch;
  readonly #tlsFetch: TlsFetch | undefined;
  readonly #closed = new AbortController();

  constructor(opts: ConfluentRestClientOptions) {
    const url = new URL(opts.url);
    let auth = opts.auth;
    if (url.username !== '' && auth === undefined) {
      auth = { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
    }
    url.username = '';
    url.password = '';
    this.url = url.href.replace(/\/+$/, '');
    this.#headers = { accept: ACCEPT, ...opts.headers };
    if (auth) this.#headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    this.#timeoutMs = opts.timeoutMs ?? 10_000;
    this.#retries = opts.retries ?? 3;
    this.#backoffMs = opts.backoffMs ?? 100;
    this.#maxBackoffMs = opts.maxBackoffMs ?? 5_000;
    this.#tlsFetch = opts.fetch === undefined && opts.tls !== undefined ? createTlsFetch(opts.tls) : undefined;
    this.#fetch = opts.fetch ?? this.#tlsFetch ?? globalThis.fetch;
  }

  async getSchemaById(id: number): Promise<string> {
    const details = { schemaId: id };
    const answer = await this.#request('GET', `/schemas/ids/${id}`, undefined, `schema id ${id}`, details);
    if (answer.status !== 200) this.#fail('get', answer, `schema id ${id}`, details);
    const body = answer.body as { schema?: unknown; schemaType?: unknown } | null;
    if (typeof body?.schema !== 'string') this.#unexpected(answer, `schema id ${id}`, details);
    if (body.schemaType !== undefined && body.schemaType !== 'AVRO') {
      throw new SerdeError(
        SerdeErrorCode.INVALID_SCHEMA,
        `schema id ${id} is a ${String(body.schemaType)} schema; this serde reads Avro only`,
        details,
      );
    }
    return body.schema;
  }

  async getOrRegisterId(subject: string, schema: string, autoRegister: boolean): Promise<number> {
    const what = `subject '${subject}'`;
    const path = `/subjects/${encodeURIComponent(subject)}${autoRegister ? '/versions' : ''}`;
    // Registering is idempotent: an identical schema already under the subject keeps its id.
    const answer = await this.#request('POST', path, { schema }, what, {});
    if (answer.status !== 200) this.#fail(autoRegister ? 'register' : 'lookup', answer, what, {});
    const id = (answer.body as { id?: unknown } | null)?.id;
    if (typeof id !== 'number' || !Number.isInteger(id)) this.#unexpected(answer, what, {});
    return id;
  }

  async getSchemaByVersionId(schemaVersionId: string): Promise<string> {
    throw new SerdeError(
      SerdeErrorCode.UNSUPPORTED,
      `a Confluent registry cannot serve Glue schema version ${schemaVersionId}: decode Glue-framed records with a Glue schema source`,
      { schemaVersionId },
    );
  }

  async getOrRegisterVersionId(name: GlueSchemaName): Promise<string> {
    throw new SerdeError(
      SerdeErrorCode.UNSUPPORTED,
      `a Confluent registry cannot register Glue schema ${name.registryName}/${name.schemaName}: use a Glue schema source for Glue framing`,
    );
  }

  /** Aborts requests in flight (they fail with SERDE_REGISTRY_UNAVAILABLE). */
  close(): void {
    this.#closed.abort();
    this.#tlsFetch?.close();
  }

  async #request(method: string, path: string, body: unknown, what: string, details: SerdeErrorDetails): Promise<Answer> {
    const headers = body === undefined ? this.#headers : { ...this.#headers, 'content-type': SCHEMA_REGISTRY_CONTENT_TYPE };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let problem = '';
    let status: number | undefined;
    for (let attempt = 0; ; attempt++) {
      if (this.#closed.signal.aborted) break;
      const signal = AbortSignal.any([this.#closed.signal, AbortSignal.timeout(this.#timeoutMs)]);
      try {
        const res = await this.#fetch(this.url + path, { method, headers, body: payload, signal });
        const text = await res.text();
        if (!isRetryable(res.status)) return { status: res.status, body: parseJson(text), text };
        status = res.status;
        problem = `HTTP ${res.status}${describeBody(parseJson(text), text)}`;
      } catch (err) {
        if (this.#closed.signal.aborted) break;
        status = undefined;
        problem = signal.aborted ? `no answer within ${this.#timeoutMs} ms` : connectionProblem(err);
      }
      if (attempt >= this.#retries) break;
      const wait = Math.min(this.#maxBackoffMs, this.#backoffMs * 2 ** attempt);
      try {
        // Equal jitter: half fixed, half random, so clients restarted together spread out.
        await delay(wait / 2 + Math.random() * (wait / 2), undefined, { signal: this.#closed.signal });
      } catch {
        break;
      }
    }
    const attempts = this.#closed.signal.aborted ? 'the client was closed' : `${this.#retries + 1} attempts`;
    throw new SerdeError(
      SerdeErrorCode.REGISTRY_UNAVAILABLE,
      `schema registry ${this.url} unavailable for ${what} (${method} ${path}) after ${attempts}${problem ? `: ${problem}` : ''}`,
      { ...details, status },
    );
  }

  #fail(call: Call, answer: Answer, what: string, details: SerdeErrorDetails): never {
    const body = answer.body as { error_code?: unknown; message?: unknown } | null;
    const registryCode = typeof body?.error_code === 'number' ? body.error_code : undefined;
    const said = describeBody(body, answer.text);
    const d = { ...details, status: answer.status, registryCode };
    if (answer.status === 401 || answer.status === 403) {
      throw new SerdeError(
        SerdeErrorCode.REGISTRY_AUTH,
        `schema registry ${this.url} refused the credentials for ${what} (HTTP ${answer.status}${said})`,
        d,
      );
    }
    if (call === 'get' && registryCode === ConfluentErrorCode.SCHEMA_NOT_FOUND) {
      throw new SerdeError(SerdeErrorCode.UNKNOWN_SCHEMA, `${what} not found in schema registry ${this.url}${said}`, d);
    }
    if (
      call === 'lookup' &&
      (registryCode === ConfluentErrorCode.SUBJECT_NOT_FOUND || registryCode === ConfluentErrorCode.SCHEMA_NOT_FOUND)
    ) {
      throw new SerdeError(
        SerdeErrorCode.SCHEMA_NOT_REGISTERED,
        `the schema is not registered under ${what} in ${this.url} and auto-registration is off: register it, or turn auto-registration on${said}`,
        d,
      );
    }
    if (answer.status === 409) {
      throw new SerdeError(
        SerdeErrorCode.SCHEMA_INCOMPATIBLE,
        `schema registry ${this.url} rejected the schema for ${what} as incompatible${said}`,
        d,
      );
    }
    if (answer.status === 422) {
      throw new SerdeError(
        SerdeErrorCode.INVALID_SCHEMA,
        `schema registry ${this.url} rejected the schema for ${what} as invalid${said}`,
        d,
      );
    }
    // Confluent answers an unknown path with error_code 404 (or no body at all from a proxy).
    const hint = answer.status === 404 && (registryCode === undefined || registryCode === 404) ? ' (is the registry URL right?)' : '';
    throw new SerdeError(
      SerdeErrorCode.REGISTRY_ERROR,
      `schema registry ${this.url} answered HTTP ${answer.status} for ${what}${said}${hint}`,
      d,
    );
  }

  #unexpected(answer: Answer, what: string, details: SerdeErrorDetails): never {
    throw new SerdeError(
      SerdeErrorCode.REGISTRY_ERROR,
      `schema registry ${this.url} answered ${what} with an unexpected body: ${answer.text.slice(0, 200)}`,
      { ...details, status: answer.status },
    );
  }
}

function isRetryable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function describeBody(body: unknown, text: string): string {
  const b = body as { error_code?: unknown; message?: unknown } | null;
  if (b && typeof b === 'object' && (b.error_code !== undefined || b.message !== undefined)) {
    return `: ${String(b.message ?? '')} (error_code ${String(b.error_code ?? '?')})`;
  }
  return text ? `: ${text.slice(0, 200)}` : '';
}

function connectionProblem(err: unknown): string {
  // undici reports "fetch failed" and keeps the system error (ECONNREFUSED, ...) as the cause.
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause === 'object') return String(cause.code ?? cause.message ?? errorMessage(err));
  return errorMessage(err);
}
