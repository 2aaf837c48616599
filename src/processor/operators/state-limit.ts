// The bound on keyed window state held in memory: exceeding it stops the job with a clear
// message instead of letting the process run out of memory.
import { ProcessorError } from '../errors.ts';

export function checkStateLimit(operator: string, entries: number, limit: number): void {
  if (entries > limit) {
    throw new ProcessorError(
      'STATE_LIMIT',
      `operator '${operator}' holds ${entries} window entries, above the limit of ${limit}: raise --max-state-entries, ` +
        'shorten the windows or check that the watermark advances (an input partition may be stuck)',
    );
  }
}
