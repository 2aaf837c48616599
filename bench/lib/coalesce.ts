// Experiment, bench-only: makes a partition's flush() wait for a short window before its
// group-commit round starts, so one fdatasync covers every request of the window. It shows what a
// commit delay in src/log/group-commit.ts would trade (fsync rate and CPU against latency).
import type { PartitionLog } from '../../src/log/types.ts';

/** `windowMs` 0 waits for setImmediate (the end of the current I/O phase), else a timer. */
export function coalesceFlushes(log: PartitionLog, windowMs: number): () => void {
  const flush = log.flush;
  let window: Promise<void> | null = null;
  log.flush = function () {
    window ??= new Promise<void>((resolve) => (windowMs > 0 ? setTimeout(resolve, windowMs) : setImmediate(resolve))).then(() => {
      window = null;
      return flush.call(this);
    });
    return window;
  };
  return () => {
    delete (log as Partial<PartitionLog>).flush;
  };
}
