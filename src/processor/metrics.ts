// A job's metrics in one plain object, for the dashboard and `--json` output: per partition
// (position, lag, watermark, idle), per operator (records in/out, state, late), dead letters,
// the last checkpoint, and freshness (wall clock minus watermark).
import type { OperatorMetrics } from './operators/operator.ts';
import type { CheckpointInfo } from './runner.ts';
import type { Runtime, SourceMetrics } from './runtime.ts';
import { MAX_WATERMARK, MIN_WATERMARK } from './types.ts';

export interface PartitionProgress {
  partition: string;
  next: bigint;
  end: bigint | undefined;
}

export interface PartitionMetrics {
  partition: string;
  /** Next offset to read. */
  offset: number;
  /** Records written but not read yet (from the last end-offset refresh). */
  lag: number | undefined;
  watermark: number | null;
  idle: boolean;
}

export interface JobMetrics {
  job: string;
  at: number;
  uptimeMs: number;
  watermark: number | null;
  /** now - watermark: how far behind real time the results are. */
  freshnessMs: number | null;
  partitions: PartitionMetrics[];
  operators: OperatorMetrics[];
  /** The bound on each operator's state entries (see OperatorMetrics.stateEntries). */
  stateLimit: number;
  deadLetters: number;
  lateRecords: number;
  checkpoints: number;
  lastCheckpoint: { id: number; at: number; bytes: number; durationMs: number } | undefined;
}

/** Watermarks at either end of time are shown as null (none yet, or end of input). */
function shown(wm: number): number | null {
  return wm <= MIN_WATERMARK || wm >= MAX_WATERMARK ? null : wm;
}

/** What the metrics are made of: one runtime's, or the sum of a partitioned run's runtimes. */
export interface MetricsView {
  job: string;
  sources: SourceMetrics[];
  operators: OperatorMetrics[];
  stateLimit: number;
}

export function runtimeView(runtime: Runtime): MetricsView {
  return {
    job: runtime.job.name,
    sources: runtime.sourceMetrics(),
    operators: runtime.operatorMetrics(),
    stateLimit: runtime.maxStateEntries,
  };
}

/** Adds operator metrics up by operator name (several pipelines run the same operators). */
export function sumOperatorMetrics(lists: Iterable<readonly OperatorMetrics[]>): OperatorMetrics[] {
  const byName = new Map<string, OperatorMetrics>();
  for (const list of lists) {
    for (const m of list) {
      const sum = byName.get(m.name);
      if (sum === undefined) byName.set(m.name, { ...m });
      else {
        sum.recordsIn += m.recordsIn;
        sum.recordsOut += m.recordsOut;
        sum.stateEntries += m.stateEntries;
        sum.lateRecords += m.lateRecords;
      }
    }
  }
  return [...byName.values()];
}

export function jobMetrics(
  view: MetricsView,
  now: number,
  startedAt: number,
  progress: PartitionProgress[],
  checkpoints: number,
  last: CheckpointInfo | undefined,
): JobMetrics {
  const sources = view.sources;
  const byPartition = new Map(sources.flatMap((s) => s.partitions.map((p) => [p.partition, p] as const)));
  const operators = view.operators;
  const watermark = sources.length === 0 ? MIN_WATERMARK : Math.min(...sources.map((s) => s.watermark));
  const wm = shown(watermark);
  return {
    job: view.job,
    at: now,
    uptimeMs: now - startedAt,
    watermark: wm,
    freshnessMs: wm === null ? null : now - wm,
    partitions: progress.map((p) => {
      const w = byPartition.get(p.partition);
      return {
        partition: p.partition,
        offset: Number(p.next),
        lag: p.end === undefined ? undefined : Math.max(0, Number(p.end - p.next)),
        watermark: w ? shown(w.watermark) : null,
        idle: w?.idle ?? false,
      };
    }),
    operators,
    stateLimit: view.stateLimit,
    deadLetters: sources.reduce((a, s) => a + s.deadLetters, 0),
    lateRecords: operators.reduce((a, o) => a + o.lateRecords, 0),
    checkpoints,
    lastCheckpoint: last ? { id: last.id, at: last.at, bytes: last.bytes, durationMs: last.durationMs } : undefined,
  };
}
