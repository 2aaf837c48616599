// The registry's error catalogue: one stable name per refusal, with Confluent's error_code and HTTP
// status (40401, 42201, 409, ...) so Confluent clients react as they do against Confluent itself.
import { BrookError } from '../../common/errors.ts';

/**
 * Confluent's codes (io.confluent.kafka.schemaregistry.rest.exceptions.Errors). Refusals that only
 * the Glue API or the HTTP layer can meet have no Confluent code: theirs is the HTTP status, which
 * is what Confluent answers for generic errors too.
 */
export const REGISTRY_ERRORS = {
  SUBJECT_NOT_FOUND: { errorCode: 40401, httpStatus: 404 },
  VERSION_NOT_FOUND: { errorCode: 40402, httpStatus: 404 },
  SCHEMA_NOT_FOUND: { errorCode: 40403, httpStatus: 404 },
  SUBJECT_SOFT_DELETED: { errorCode: 40404, httpStatus: 404 },
  SUBJECT_NOT_SOFT_DELETED: { errorCode: 40405, httpStatus: 404 },
  VERSION_SOFT_DELETED: { errorCode: 40406, httpStatus: 404 },
  VERSION_NOT_SOFT_DELETED: { errorCode: 40407, httpStatus: 404 },
  SUBJECT_COMPATIBILITY_NOT_CONFIGURED: { errorCode: 40408, httpStatus: 404 },
  SUBJECT_MODE_NOT_CONFIGURED: { errorCode: 40409, httpStatus: 404 },
  INCOMPATIBLE_SCHEMA: { errorCode: 409, httpStatus: 409 },
  INVALID_SCHEMA: { errorCode: 42201, httpStatus: 422 },
  INVALID_VERSION: { errorCode: 42202, httpStatus: 422 },
  INVALID_COMPATIBILITY_LEVEL: { errorCode: 42203, httpStatus: 422 },
  INVALID_MODE: { errorCode: 42204, httpStatus: 422 },
  OPERATION_NOT_PERMITTED: { errorCode: 42205, httpStatus: 422 },
  /** Glue's DISABLED compatibility: Confluent clients see it as an operation not permitted. */
  COMPATIBILITY_DISABLED: { errorCode: 42205, httpStatus: 422 },
  ID_DOES_NOT_MATCH: { errorCode: 42207, httpStatus: 422 },
  INVALID_SUBJECT: { errorCode: 42208, httpStatus: 422 },
  STORE_ERROR: { errorCode: 50001, httpStatus: 500 },
  OPERATION_TIMEOUT: { errorCode: 50002, httpStatus: 500 },
  // Glue-only refusals (the Glue backend adapter turns them into Glue exception shapes).
  GLUE_REGISTRY_NOT_FOUND: { errorCode: 404, httpStatus: 404 },
  GLUE_SCHEMA_NOT_FOUND: { errorCode: 404, httpStatus: 404 },
  GLUE_VERSION_NOT_FOUND: { errorCode: 404, httpStatus: 404 },
  GLUE_METADATA_NOT_FOUND: { errorCode: 404, httpStatus: 404 },
  GLUE_ALREADY_EXISTS: { errorCode: 409, httpStatus: 409 },
  GLUE_LIMIT_EXCEEDED: { errorCode: 422, httpStatus: 422 },
  GLUE_INVALID_INPUT: { errorCode: 422, httpStatus: 422 },
  // HTTP-level refusals of the REST API.
  ROUTE_NOT_FOUND: { errorCode: 404, httpStatus: 404 },
  METHOD_NOT_ALLOWED: { errorCode: 405, httpStatus: 405 },
  BAD_REQUEST: { errorCode: 400, httpStatus: 400 },
  PAYLOAD_TOO_LARGE: { errorCode: 413, httpStatus: 413 },
  UNSUPPORTED_MEDIA_TYPE: { errorCode: 415, httpStatus: 415 },
} as const;

export type RegistryErrorName = keyof typeof REGISTRY_ERRORS;

/** The serialisable form kept in command outcomes and sent to clients. */
export interface RegistryErrorShape {
  code: RegistryErrorName;
  errorCode: number;
  httpStatus: number;
  message: string;
}

export class RegistryError extends BrookError {
  declare readonly code: RegistryErrorName;
  readonly errorCode: number;
  readonly httpStatus: number;

  constructor(code: RegistryErrorName, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'RegistryError';
    this.errorCode = REGISTRY_ERRORS[code].errorCode;
    this.httpStatus = REGISTRY_ERRORS[code].httpStatus;
  }

  toShape(): RegistryErrorShape {
    return { code: this.code, errorCode: this.errorCode, httpStatus: this.httpStatus, message: this.message };
  }

  static fromShape(shape: RegistryErrorShape): RegistryError {
    const code = Object.hasOwn(REGISTRY_ERRORS, shape.code) ? shape.code : 'STORE_ERROR';
    return new RegistryError(code, shape.message);
  }
}

export const registryError = (code: RegistryErrorName, message: string): RegistryErrorShape => ({
  code,
  ...REGISTRY_ERRORS[code],
  message,
});

/** Throws a refusal built by `errors` below. */
export function raise(shape: RegistryErrorShape): never {
  throw RegistryError.fromShape(shape);
}

// Messages follow Confluent's wording where clients or people may match on it, then say what to do.
export const errors = {
  subjectNotFound: (subject: string) =>
    registryError('SUBJECT_NOT_FOUND', `Subject '${subject}' not found. List subjects with GET /subjects; register a schema to create it.`),
  versionNotFound: (subject: string, version: number | string) =>
    registryError(
      'VERSION_NOT_FOUND',
      `Version ${version} not found under subject '${subject}'. List them with GET /subjects/${subject}/versions.`,
    ),
  schemaNotFound: (what?: string) => registryError('SCHEMA_NOT_FOUND', what ? `Schema ${what} not found` : 'Schema not found'),
  invalidSchema: (detail: string) => registryError('INVALID_SCHEMA', detail),
  readOnly: (subject: string | null) =>
    registryError(
      'OPERATION_NOT_PERMITTED',
      `${subject === null ? 'The registry' : `Subject '${subject}'`} is in read-only mode; set the mode to READWRITE (PUT /mode${subject === null ? '' : `/${subject}`}) to change it.`,
    ),
};
