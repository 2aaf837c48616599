// What one reader/writer mismatch looks like, and the two ways Confluent has printed it: Avro's
// Incompatibility.toString() (older registries) and Confluent's Difference (the current 409 body).
import { toAvroString } from '../avro/avro-string.ts';
import type { AvroSchema } from '../avro/model.ts';

/** Avro's SchemaCompatibility.SchemaIncompatibilityType, plus one case where Avro throws instead. */
export const IncompatibilityType = {
  NAME_MISMATCH: 'NAME_MISMATCH',
  FIXED_SIZE_MISMATCH: 'FIXED_SIZE_MISMATCH',
  MISSING_ENUM_SYMBOLS: 'MISSING_ENUM_SYMBOLS',
  READER_FIELD_MISSING_DEFAULT_VALUE: 'READER_FIELD_MISSING_DEFAULT_VALUE',
  TYPE_MISMATCH: 'TYPE_MISMATCH',
  MISSING_UNION_BRANCH: 'MISSING_UNION_BRANCH',
  /**
   * Brook only: a reader field whose name and aliases match more than one writer field. Avro's
   * checker throws there and Confluent answers "Unexpected exception during compatibility check".
   */
  AMBIGUOUS_FIELD_ALIAS: 'AMBIGUOUS_FIELD_ALIAS',
} as const;

export type IncompatibilityType = (typeof IncompatibilityType)[keyof typeof IncompatibilityType];

export interface Incompatibility {
  readonly type: IncompatibilityType;
  /** JSON pointer into the reader schema, as Avro reports it ("/fields/3/type/items"). */
  readonly location: string;
  /** Avro's detail: the field name, "[C, D]", "expected: 16, found: 8", "reader type: INT not ...". */
  readonly message: string;
  /** The reader fragment where the mismatch was found. */
  readonly reader: AvroSchema;
  /** The writer fragment where the mismatch was found. */
  readonly writer: AvroSchema;
}

/** Avro's Incompatibility.toString(): `Incompatibility{type:..., location:..., message:..., reader:..., writer:...}`. */
export function formatAvroIncompatibility(inc: Incompatibility): string {
  return `Incompatibility{type:${inc.type}, location:${inc.location}, message:${inc.message}, reader:${toAvroString(inc.reader)}, writer:${toAvroString(inc.writer)}}`;
}

/** Which schema played the reader and which the writer, in Confluent's words. */
export type Role = 'new' | 'old';

/**
 * Confluent's Difference rendering, the string in a 409 body's details and in verbose
 * compatibility messages: `{errorType:'...', description:'...', additionalInfo:'...'}`.
 */
export function formatConfluentIncompatibility(inc: Incompatibility, reader: Role, writer: Role): string {
  const path = inc.location;
  let description: string;
  switch (inc.type) {
    case IncompatibilityType.FIXED_SIZE_MISMATCH:
      description = `The size of FIXED type field at path '${path}' in the ${reader} schema does not match with the ${writer} schema`;
      break;
    case IncompatibilityType.TYPE_MISMATCH:
      description = `The type (path '${path}') of a field in the ${reader} schema does not match with the ${writer} schema`;
      break;
    case IncompatibilityType.NAME_MISMATCH:
      description = `The name of the schema has changed (path '${path}')`;
      break;
    case IncompatibilityType.MISSING_ENUM_SYMBOLS:
      description = `The ${reader} schema is missing enum symbols '${inc.message}' at path '${path}' in the ${writer} schema`;
      break;
    case IncompatibilityType.MISSING_UNION_BRANCH:
      description = `The ${reader} schema is missing a type inside a union field at path '${path}' in the ${writer} schema`;
      break;
    case IncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE:
      description = `The field '${inc.message}' at path '${path}' in the ${reader} schema has no default value and is missing in the ${writer} schema`;
      break;
    case IncompatibilityType.AMBIGUOUS_FIELD_ALIAS:
      // Confluent has no Difference for this: it reports the exception Avro threw.
      return `Unexpected exception during compatibility check: ${inc.message}`;
  }
  return `{errorType:'${inc.type}', description:'${description}', additionalInfo:'${inc.message}'}`;
}
