// The one error code of the certificate tools: every message names the file or flag at fault and
// what to do about it.
import { BrookError } from '../common/errors.ts';

export function certsError(message: string, cause?: unknown): BrookError {
  return new BrookError('CERTS', message, cause === undefined ? undefined : { cause });
}
