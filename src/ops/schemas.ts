// Schema-registry Avro for produce and consume: decoding values of either framing (Confluent id or
// Glue version UUID, told apart per record) through a registry, and encoding JSON lines for produce.
import { readFileSync } from 'node:fs';
import type { OptionSpec } from '../cli/command.ts';
import { UsageError } from '../cli/command.ts';
import { registryTlsFromFlags, registryUrlWithUser } from '../cli/registry-client-flags.ts';
import { BrookError } from '../common/errors.ts';
import {
  AvroDecoder,
  AvroEncoder,
  ConfluentRestClient,
  GlueRegistryClient,
  hexToUuid,
  RoutingSchemaSource,
  readFrameHeader,
  type SchemaSource,
  SerdeError,
  SerdeErrorCode,
} from '../registry/serde/index.ts';
import { str, type Values } from './args.ts';
import type { ValueView } from './records.ts';

export const DEFAULT_REGISTRY = 'http://127.0.0.1:8081';

export const REGISTRY_OPTION: OptionSpec = {
  type: 'string',
  valueName: 'URL',
  description: "Schema registry (Confluent REST; Brook's registry also answers the Glue API there)",
};

export const GLUE_REGION_OPTION: OptionSpec = {
  type: 'string',
  valueName: 'REGION',
  description: 'consume: read Glue-framed records through AWS Glue in this region (AWS default credentials)',
};

/** A Confluent REST client with the --registry-ca/-cert/-key/-user flags (HTTPS with a private CA, logins). */
function registryClient(url: string, values: Values): ConfluentRestClient {
  const tls = registryTlsFromFlags(values);
  // An operator at a terminal wants a dead registry reported in seconds, not after long retries.
  return new ConfluentRestClient({ url: registryUrlWithUser(url, values), retries: 1, timeoutMs: 5000, ...(tls ? { tls } : {}) });
}

function checkUrl(url: string): string {
  if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--registry must be an http(s) URL like ${DEFAULT_REGISTRY}, got '${url}'`);
  return url;
}

/** The source a consumer decodes with, or undefined when neither --registry nor --glue-region is given. */
export function decodeSource(values: Values): SchemaSource | undefined {
  const registry = str(values, 'registry');
  const region = str(values, 'glue-region');
  if (registry === undefined && region === undefined) return undefined;
  const url = checkUrl(registry ?? DEFAULT_REGISTRY);
  const confluent = registryClient(url, values);
  const hasAwsCredentials = process.env.AWS_ACCESS_KEY_ID !== undefined || process.env.AWS_PROFILE !== undefined;
  const glue = region
    ? new GlueRegistryClient({ region, maxAttempts: 2 })
    : // Brook's registry answers Glue's API at the same URL and does not check signatures.
      new GlueRegistryClient({
        endpoint: url,
        maxAttempts: 2,
        ...(hasAwsCredentials ? {} : { credentials: { accessKeyId: 'brook', secretAccessKey: 'brook' } }),
      });
  return new RoutingSchemaSource({ confluent, glue });
}

/** Magic byte 0 + 4-byte id, or header version 3 + compression + 16-byte UUID: worth asking the registry. */
export function looksFramed(buf: Buffer | null): boolean {
  if (buf === null) return false;
  return (buf[0] === 0 && buf.length > 5) || (buf[0] === 3 && buf.length > 18 && (buf[1] === 0 || buf[1] === 5));
}

/** Decodes framed Avro values when a registry is given; everything else is viewed as bytes. */
export class ValueDecoder {
  readonly #decoder: AvroDecoder | undefined;
  readonly #source: SchemaSource | undefined;
  readonly #warn: (line: string) => void;
  readonly #warned = new Set<string>();
  #hinted = false;

  constructor(source: SchemaSource | undefined, warn: (line: string) => void) {
    this.#source = source;
    this.#decoder = source ? new AvroDecoder({ source }) : undefined;
    this.#warn = warn;
  }

  async view(buf: Buffer | null, raw: (b: Buffer | null) => ValueView): Promise<ValueView> {
    if (!looksFramed(buf)) return raw(buf);
    if (!this.#decoder) {
      if (!this.#hinted) {
        this.#hinted = true;
        this.#warn('values look like schema-registry framed Avro: pass --registry URL to decode them');
      }
      return raw(buf);
    }
    const header = readFrameHeader(buf!);
    const ref = header.framing === 'confluent' ? { schemaId: header.schemaId } : { schemaVersionId: hexToUuid(header.schemaVersionHex) };
    try {
      const value = await this.#decoder.decode(buf!);
      return { format: 'avro', value, ...ref };
    } catch (e) {
      if (!(e instanceof SerdeError)) throw e;
      // Without the registry nothing decodes: stop and say so, rather than print every record as bytes.
      if (e.code === SerdeErrorCode.REGISTRY_UNAVAILABLE) {
        throw new BrookError(
          'REGISTRY_UNREACHABLE',
          `cannot decode Avro values: ${e.message}. Is the registry running? Check --registry URL (start one with 'brook registry')`,
        );
      }
      if (e.code === SerdeErrorCode.REGISTRY_AUTH) throw new BrookError('REGISTRY_AUTH', `cannot decode Avro values: ${e.message}`);
      if (!this.#warned.has(e.message)) {
        this.#warned.add(e.message);
        this.#warn(`cannot decode a value (${e.code}): ${e.message}; shown as base64`);
      }
      return { format: 'base64', text: buf!.toString('base64'), error: e.message };
    }
  }

  close(): void {
    this.#source?.close();
  }
}

/** Encodes one JSON text per record into Confluent-framed Avro. */
export interface LineEncoder {
  encode(json: string): Buffer;
  describe: string;
  close(): void;
}

async function registryGet(url: string, path: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${url.replace(/\/+$/, '')}${path}`, {
      headers: { accept: 'application/vnd.schemaregistry.v1+json, application/json' },
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new BrookError(
      'REGISTRY_UNREACHABLE',
      `cannot reach the schema registry at ${url} (${cause?.code ?? cause?.message ?? (e as Error).message}): start one with 'brook registry' or pass --registry URL`,
    );
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  if (!res.ok) {
    const b = body as { message?: string; error_code?: number };
    throw new BrookError(
      'REGISTRY_HTTP',
      `the registry at ${url} answered ${path}: ${typeof b === 'object' && b?.message ? b.message : String(text).slice(0, 200)} (HTTP ${res.status}${b?.error_code ? `, error ${b.error_code}` : ''})`,
    );
  }
  return body;
}

/**
 * --avro-schema FILE registers the schema under --subject (default TOPIC-value, as Confluent's
 * serializer does) and uses its id; --subject alone uses the subject's latest (or --schema-version).
 */
export async function lineEncoder(values: Values, topic: string): Promise<LineEncoder | undefined> {
  const file = str(values, 'avro-schema');
  const subject = str(values, 'subject');
  if (file === undefined && subject === undefined) {
    if (values['schema-version'] !== undefined) throw new UsageError('--schema-version needs --subject');
    return undefined;
  }
  const url = checkUrl(str(values, 'registry') ?? DEFAULT_REGISTRY);
  let encoder: AvroEncoder;
  let source: ConfluentRestClient | undefined;
  if (file !== undefined) {
    if (values['schema-version'] !== undefined) throw new UsageError('--schema-version applies to --subject without --avro-schema');
    let schema: string;
    try {
      schema = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read --avro-schema file '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    try {
      schema = JSON.stringify(JSON.parse(schema));
    } catch (e) {
      throw new UsageError(`--avro-schema '${file}' is not JSON: ${(e as Error).message}`);
    }
    source = registryClient(url, values);
    try {
      encoder = await AvroEncoder.create({ schema, topic, source, autoRegister: true, ...(subject ? { subject } : {}) });
    } catch (e) {
      source.close();
      if (e instanceof SerdeError && e.code === SerdeErrorCode.REGISTRY_UNAVAILABLE) {
        throw new BrookError(
          'REGISTRY_UNREACHABLE',
          `${e.message}. Is the registry running? Check --registry URL (start one with 'brook registry')`,
        );
      }
      throw e;
    }
  } else {
    const version = str(values, 'schema-version') ?? 'latest';
    if (!/^(latest|\d+)$/.test(version)) throw new UsageError(`--schema-version must be a number or latest, got '${version}'`);
    const found = (await registryGet(url, `/subjects/${encodeURIComponent(subject!)}/versions/${version}`)) as {
      id: number;
      schema: string;
      schemaType?: string;
    };
    if (found.schemaType !== undefined && found.schemaType !== 'AVRO') {
      throw new BrookError('OPS_SCHEMA_TYPE', `subject '${subject}' holds a ${found.schemaType} schema; brook produce encodes Avro only`);
    }
    encoder = new AvroEncoder({ schema: found.schema, topic, schemaId: found.id, subject: subject! });
  }
  return {
    describe: `Avro schema id ${encoder.schemaId}, subject ${encoder.subject}`,
    encode(json: string): Buffer {
      let value: unknown;
      try {
        value = JSON.parse(json);
      } catch (e) {
        throw new BrookError('OPS_BAD_RECORD', `not JSON: ${(e as Error).message}`);
      }
      try {
        return encoder.encodeCopy(value);
      } catch (first) {
        // Also accept Avro's JSON encoding (unions as {"type": value}), as Confluent's console producer reads.
        try {
          return encoder.encodeCopy(encoder.type.fromString(json));
        } catch {
          throw new BrookError('OPS_BAD_RECORD', (first as Error).message);
        }
      }
    },
    close: () => source?.close(),
  };
}
