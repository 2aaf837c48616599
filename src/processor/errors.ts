// The processor's errors, with stable codes: a job definition mistake, a state bound exceeded, a
// checkpoint that cannot be read or written.
import { BrookError } from '../common/errors.ts';

export type ProcessorErrorCode = 'JOB_DEFINITION' | 'STATE_LIMIT' | 'CHECKPOINT_CORRUPT' | 'CHECKPOINT_MISMATCH' | 'SOURCE' | 'SINK';

export class ProcessorError extends BrookError {
  constructor(code: ProcessorErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
