// Maps what services throw to the Kafka error code a handler answers with.
import { LogError } from '../../log/log-error.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { InvalidBatchError } from '../../protocol/record-batch.ts';

export function errorCodeOf(err: unknown): number {
  if (err instanceof LogError) return ErrorCode[err.kafkaError];
  if (err instanceof InvalidBatchError) return ErrorCode[err.kafkaError];
  return ErrorCode.UNKNOWN_SERVER_ERROR;
}

export function errorMessageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Like errorCodeOf, but unexpected errors (bugs) are rethrown so the connection reports them. */
export function expectedErrorCode(err: unknown): number {
  if (err instanceof LogError || err instanceof InvalidBatchError) return errorCodeOf(err);
  throw err;
}
