// The analytics store's errors, with stable codes and messages that say what to do: a store file
// held by another process, a path that cannot be written, a file that is not a store, bad input.
import { BrookError } from '../../common/errors.ts';

export type AnalyticsStoreErrorCode =
  | 'STORE_LOCKED'
  | 'STORE_UNWRITABLE'
  | 'STORE_INVALID_FILE'
  | 'STORE_SCHEMA_MISMATCH'
  | 'STORE_CLOSED'
  | 'STORE_INVALID_ROW'
  | 'STORE_INVALID_OPTION'
  | 'STORE_INVALID_QUERY'
  | 'STORE_WRITE_FAILED';

export class AnalyticsStoreError extends BrookError {
  declare readonly code: AnalyticsStoreErrorCode;
  constructor(code: AnalyticsStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'AnalyticsStoreError';
  }
}
