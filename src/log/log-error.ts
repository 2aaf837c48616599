// Errors raised by the storage engine, each naming the Kafka error code the broker answers with.
import { BrookError } from '../common/errors.ts';
import type { ErrorName } from '../protocol/error-codes.ts';

export class LogError extends BrookError {
  readonly kafkaError: ErrorName;
  constructor(kafkaError: ErrorName, message: string) {
    super(`LOG_${kafkaError}`, message);
    this.name = 'LogError';
    this.kafkaError = kafkaError;
  }
}
