// Bench-only instrumentation of a running broker's partitions: counts appends (request size the log
// sees), fsync rounds and reads by wrapping the instances' methods, without touching src/.
import type { LogManager, PartitionLog } from '../../src/log/types.ts';

export interface ProbeStats {
  appends: number;
  appendBytes: number;
  /** Slowest append() (the synchronous write; it blocks the event loop) and appends over 5 ms. */
  appendMaxMs: number;
  appendsOver5ms: number;
  /** Group-commit fsync rounds (one fdatasync of each dirty segment). */
  syncRounds: number;
  syncMs: number;
  /** Durations of the fsync rounds, in ms, in order. */
  syncDurations: number[];
  reads: number;
  readBytes: number;
  /** hrtime (ms) of the first and last append, the end of the last fsync round, the first and last read. */
  firstAppendAt: number;
  lastAppendAt: number;
  lastSyncAt: number;
  firstReadAt: number;
  lastReadAt: number;
  /** The last read that returned data (a consumer at the end long-polls with empty reads). */
  lastDataReadAt: number;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

type Wrappable = PartitionLog & { syncRound?: () => Promise<void> };

/** Starts counting on every partition of `topic`; `stop()` restores the original methods. */
export function probe(logs: LogManager, topic: string, partitions: number): { stats: ProbeStats; stop(): void } {
  const stats: ProbeStats = {
    appends: 0,
    appendBytes: 0,
    appendMaxMs: 0,
    appendsOver5ms: 0,
    syncRounds: 0,
    syncMs: 0,
    syncDurations: [],
    reads: 0,
    readBytes: 0,
    firstAppendAt: 0,
    lastAppendAt: 0,
    lastSyncAt: 0,
    firstReadAt: 0,
    lastReadAt: 0,
    lastDataReadAt: 0,
  };
  const restores: (() => void)[] = [];
  for (let p = 0; p < partitions; p++) {
    const log = logs.partition(topic, p) as Wrappable | undefined;
    if (!log) throw new Error(`no partition ${topic}-${p}`);
    const { append, read } = log;
    const syncRound = log.syncRound;
    log.append = function (records, batches) {
      const t = now();
      if (stats.appends++ === 0) stats.firstAppendAt = t;
      const r = append.call(this, records, batches);
      const last = batches.at(-1)!;
      stats.appendBytes += last.position + last.size - batches[0]!.position;
      stats.lastAppendAt = now();
      const took = stats.lastAppendAt - t;
      if (took > stats.appendMaxMs) stats.appendMaxMs = took;
      if (took > 5) stats.appendsOver5ms++;
      return r;
    };
    log.read = function (offset, maxBytes, minOneBatch) {
      if (stats.reads++ === 0) stats.firstReadAt = now();
      const r = read.call(this, offset, maxBytes, minOneBatch);
      stats.readBytes += r.bytes;
      stats.lastReadAt = now();
      if (r.bytes > 0) stats.lastDataReadAt = stats.lastReadAt;
      return r;
    };
    // Partition.syncRound is TypeScript-private, so reachable at run time; the group commit calls
    // it through `this`, so an own property shadows the prototype's.
    if (typeof syncRound === 'function') {
      log.syncRound = async function () {
        const t = now();
        await syncRound.call(this);
        stats.syncRounds++;
        stats.lastSyncAt = now();
        stats.syncMs += stats.lastSyncAt - t;
        stats.syncDurations.push(stats.lastSyncAt - t);
      };
    }
    restores.push(() => {
      delete (log as Partial<Wrappable>).append;
      delete (log as Partial<Wrappable>).read;
      delete (log as Partial<Wrappable>).syncRound;
    });
  }
  return {
    stats,
    stop: () => {
      for (const r of restores) r();
    },
  };
}
