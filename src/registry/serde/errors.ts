// Errors raised by the serde library. Each has a stable code so a processor can route a record to its
// dead-letter topic by code, and a message that names the schema id or version UUID involved.
import { BrookError } from '../../common/errors.ts';

export const SerdeErrorCode = {
  /** First byte is neither 0 (Confluent) nor 3 (Glue): not a schema-registry framed record. */
  UNKNOWN_MAGIC_BYTE: 'SERDE_UNKNOWN_MAGIC_BYTE',
  /** Shorter than its framing header, or a Glue compression byte other than 0 or 5. */
  MALFORMED_HEADER: 'SERDE_MALFORMED_HEADER',
  /** The registry does not know the schema id / version UUID in the header (Confluent 40403). */
  UNKNOWN_SCHEMA: 'SERDE_UNKNOWN_SCHEMA',
  /** The Avro body is truncated, has trailing bytes, or does not parse (also: bad zlib data). */
  MALFORMED_DATUM: 'SERDE_MALFORMED_DATUM',
  /** The writer schema cannot be read as the reader schema (Avro schema resolution fails). */
  UNRESOLVABLE_SCHEMA: 'SERDE_UNRESOLVABLE_SCHEMA',
  /** A schema text is not valid Avro, or the registry holds a non-Avro schema (Confluent 42201). */
  INVALID_SCHEMA: 'SERDE_INVALID_SCHEMA',
  /** decodeSync met a schema id / UUID whose writer schema is not cached yet: call decode(). */
  SCHEMA_NOT_CACHED: 'SERDE_SCHEMA_NOT_CACHED',
  /** encode before the encoder resolved its schema id: await ready() (or create()). */
  ENCODER_NOT_READY: 'SERDE_ENCODER_NOT_READY',
  /** The value does not match the writer schema. */
  INVALID_VALUE: 'SERDE_INVALID_VALUE',
  /** Lookup found no such schema under the subject / schema name and auto-registration is off. */
  SCHEMA_NOT_REGISTERED: 'SERDE_SCHEMA_NOT_REGISTERED',
  /** The registry refused to register the schema as incompatible (Confluent 409, Glue FAILURE). */
  SCHEMA_INCOMPATIBLE: 'SERDE_SCHEMA_INCOMPATIBLE',
  /** The registry refused the credentials (HTTP 401/403, Glue AccessDeniedException). */
  REGISTRY_AUTH: 'SERDE_REGISTRY_AUTH',
  /** Connection refused or reset, timeout, or 5xx after every retry. Retry the record later. */
  REGISTRY_UNAVAILABLE: 'SERDE_REGISTRY_UNAVAILABLE',
  /** Any other registry answer the library does not expect. */
  REGISTRY_ERROR: 'SERDE_REGISTRY_ERROR',
  /** The schema source cannot serve this kind of reference (a Confluent client asked for a Glue UUID). */
  UNSUPPORTED: 'SERDE_UNSUPPORTED',
} as const;

export type SerdeErrorCode = (typeof SerdeErrorCode)[keyof typeof SerdeErrorCode];

export interface SerdeErrorDetails {
  /** Confluent schema id from the record header or the registry. */
  schemaId?: number;
  /** Glue schema version UUID from the record header or the registry. */
  schemaVersionId?: string;
  /** HTTP status of the registry answer, when there was one. */
  status?: number;
  /** Confluent `error_code` or Glue exception name of the registry answer. */
  registryCode?: number | string;
  cause?: unknown;
}

export class SerdeError extends BrookError {
  declare readonly code: SerdeErrorCode;
  readonly schemaId: number | undefined;
  readonly schemaVersionId: string | undefined;
  readonly status: number | undefined;
  readonly registryCode: number | string | undefined;

  constructor(code: SerdeErrorCode, message: string, details: SerdeErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SerdeError';
    this.schemaId = details.schemaId;
    this.schemaVersionId = details.schemaVersionId;
    this.status = details.status;
    this.registryCode = details.registryCode;
  }
}

/** "schema id 7" or "schema version 0b3c...": how messages name the schema a record refers to. */
export function describeRef(ref: SchemaRef): string {
  return ref.kind === 'confluent' ? `schema id ${ref.id}` : `schema version ${ref.versionId}`;
}

export type SchemaRef = { kind: 'confluent'; id: number } | { kind: 'glue'; versionId: string };

export function refDetails(ref: SchemaRef): SerdeErrorDetails {
  return ref.kind === 'confluent' ? { schemaId: ref.id } : { schemaVersionId: ref.versionId };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
