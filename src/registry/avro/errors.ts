// Errors raised while reading Avro schema text. The REST layer answers them with Confluent's
// 42201 ("Invalid schema"), so each carries that code and the parser's own words.
import { BrookError } from '../../common/errors.ts';

export const AvroErrorCode = {
  /** Not JSON, not a valid Avro schema (unknown type, bad name, bad default, ...), or too deep. */
  INVALID_SCHEMA: 'AVRO_INVALID_SCHEMA',
} as const;

export type AvroErrorCode = (typeof AvroErrorCode)[keyof typeof AvroErrorCode];

/** Confluent Schema Registry's error_code for a schema that does not parse. */
export const CONFLUENT_INVALID_SCHEMA = 42201;

export class AvroSchemaError extends BrookError {
  declare readonly code: AvroErrorCode;
  /** Confluent error_code the REST layer answers with. */
  readonly confluentCode = CONFLUENT_INVALID_SCHEMA;
  /** What the parser said, without Brook's prefix: goes into the 42201 message as is. */
  readonly detail: string;

  constructor(detail: string, options?: { cause?: unknown }) {
    super(AvroErrorCode.INVALID_SCHEMA, `Invalid Avro schema: ${detail}`, options);
    this.name = 'AvroSchemaError';
    this.detail = detail;
  }
}
