// The store's only door to the Avro and compatibility modules: parsing (42201 on failure), the
// identity used for deduplication, and the compatibility verdict. Kept small so an API change there
// touches one file here.
import { normalizedForm } from '../avro/canonical.ts';
import { AvroSchemaError } from '../avro/errors.ts';
import { type ParsedAvroSchema, parseAvroSchema } from '../avro/parse.ts';
import { checkCompatibility, checkGlueCompatibility } from '../compatibility/check.ts';
import type { CompatibilityLevel } from '../compatibility/levels.ts';
import { RegistryError } from './errors.ts';

export const SUPPORTED_SCHEMA_TYPES = ['AVRO'] as const;
export const KNOWN_SCHEMA_TYPES = ['AVRO', 'JSON', 'PROTOBUF'] as const;

export interface ParsedSchema {
  readonly text: string;
  readonly avro: ParsedAvroSchema;
  /**
   * What makes two texts "the same schema". Brook uses the normalized form (Parsing Canonical Form's
   * skeleton plus defaults, aliases, order, doc, logical types and other attributes, in one order)
   * rather than the bare Parsing Canonical Form: PCF drops field defaults, so a version that only
   * adds a default (the usual step towards FORWARD or FULL) would be taken for the old one and
   * silently not stored. Whitespace and JSON key order still make no difference.
   */
  readonly identity: string;
}

const CACHE_LIMIT = 512;
const cache = new Map<string, ParsedSchema>();

/** Parses and validates schema text; throws RegistryError INVALID_SCHEMA (42201) with the parser's words. */
export function parseSchema(text: unknown, schemaType: unknown = 'AVRO'): ParsedSchema {
  const type = schemaType ?? 'AVRO';
  if (typeof type !== 'string' || !(KNOWN_SCHEMA_TYPES as readonly string[]).includes(type)) {
    throw new RegistryError('INVALID_SCHEMA', `Unknown schema type '${String(type)}'; use AVRO (JSON and PROTOBUF are not supported yet)`);
  }
  if (type !== 'AVRO') {
    throw new RegistryError('INVALID_SCHEMA', `Schema type ${type} is not supported yet: Brook's registry stores AVRO schemas only`);
  }
  if (typeof text !== 'string' || text.trim() === '') {
    throw new RegistryError('INVALID_SCHEMA', 'Empty schema: send the Avro schema as a JSON string in the "schema" field');
  }
  const hit = cache.get(text);
  if (hit) {
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  let avro: ParsedAvroSchema;
  try {
    avro = parseAvroSchema(text);
  } catch (err) {
    if (err instanceof AvroSchemaError) throw new RegistryError('INVALID_SCHEMA', err.message, { cause: err });
    throw new RegistryError('INVALID_SCHEMA', `Invalid Avro schema: ${(err as Error).message}`, { cause: err });
  }
  const parsed: ParsedSchema = { text, avro, identity: normalizedForm(avro.root) };
  cache.set(text, parsed);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return parsed;
}

/** The normalized text Confluent's normalize=true stores. */
export function normalizedText(schema: ParsedSchema): string {
  return schema.identity;
}

export interface PreviousVersion {
  schema: ParsedSchema;
  version: number;
}

export interface Verdict {
  compatible: boolean;
  /** Glue's DISABLED refused the version whatever its content. */
  disabled: boolean;
  /** Confluent's message list ({errorType:...}, {oldSchemaVersion: N}, ..., {compatibility: 'LEVEL'}). */
  messages: readonly string[];
}

/** May `schema` follow `previous` (oldest first) at this level? DISABLED refuses any second version. */
export function judge(schema: ParsedSchema, previous: readonly PreviousVersion[], level: CompatibilityLevel | 'DISABLED'): Verdict {
  const prev = previous.map((p) => ({ schema: p.schema.avro, version: p.version }));
  // Named types match by unqualified name, as Avro's own checker (1.8+) and so Confluent do: the
  // reference system wrote `samples.clickstream.avro` and read `tutorial.buildon.aws.streaming.avro`.
  const options = { ignoreNamespaces: true };
  const result =
    level === 'DISABLED'
      ? checkGlueCompatibility(schema.avro, prev, 'DISABLED', options)
      : checkCompatibility(schema.avro, prev, level, options);
  return { compatible: result.compatible, disabled: result.outcome === 'disabled', messages: result.messages };
}
