// Errors of the Glue-compatible API: each names the exception shape (`__type`) that AWS Glue answers
// with, so the AWS SDK raises its own typed exception. Backends throw these; anything else is internal.
import { BrookError } from '../../common/errors.ts';

/** The Glue exceptions a backend may throw, and the HTTP status Glue gives each (all 400 but one). */
export const GLUE_BACKEND_ERRORS = {
  EntityNotFoundException: 400,
  AlreadyExistsException: 400,
  InvalidInputException: 400,
  ResourceNumberLimitExceededException: 400,
  ConcurrentModificationException: 400,
  AccessDeniedException: 400,
  InternalServiceException: 500,
} as const;

/** Protocol-level failures raised by the handler itself, before an operation runs. */
export const GLUE_PROTOCOL_ERRORS = {
  UnknownOperationException: 400,
  SerializationException: 400,
  RequestEntityTooLargeException: 413,
} as const;

export type GlueBackendErrorType = keyof typeof GLUE_BACKEND_ERRORS;
export type GlueErrorType = GlueBackendErrorType | keyof typeof GLUE_PROTOCOL_ERRORS;

export class GlueError extends BrookError {
  readonly glueType: GlueErrorType;
  constructor(glueType: GlueErrorType, message: string, options?: { cause?: unknown }) {
    super(`GLUE_${glueType}`, message, options);
    this.name = 'GlueError';
    this.glueType = glueType;
  }

  get httpStatus(): number {
    return (
      (GLUE_BACKEND_ERRORS as Record<string, number>)[this.glueType] ??
      (GLUE_PROTOCOL_ERRORS as Record<string, number>)[this.glueType] ??
      400
    );
  }
}

export const notFound = (message: string): GlueError => new GlueError('EntityNotFoundException', message);
export const alreadyExists = (message: string): GlueError => new GlueError('AlreadyExistsException', message);
export const invalidInput = (message: string): GlueError => new GlueError('InvalidInputException', message);
export const limitExceeded = (message: string): GlueError => new GlueError('ResourceNumberLimitExceededException', message);
