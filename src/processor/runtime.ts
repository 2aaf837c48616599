// Runs a Job's operators in this thread: records pushed in by hand (tests) or by the runner
// (Kafka), watermarks in band, clock-driven idleness, consistent snapshots of every operator's
// state together with the source positions, and metrics. No sockets, no timers of its own.
import type { BuildContext, BuiltNode, Job, Port } from './dataflow.ts';
import { ProcessorError } from './errors.ts';
import type { Emitter, Operator, OperatorMetrics } from './operators/operator.ts';
import { SinkOperator } from './operators/sink.ts';
import { SourceOperator, type SourceSnapshot } from './operators/source.ts';
import { type Clock, MIN_WATERMARK, type Sink, type SourceRecord, systemClock } from './types.ts';
import type { PartitionWatermark } from './watermarks.ts';

export interface RuntimeOptions {
  clock?: Clock;
  /** Keyed window entries an operator may hold. Default 5 000 000. */
  maxStateEntries?: number;
}

/** Everything a checkpoint holds besides its envelope: per-source positions, per-operator state. */
export interface RuntimeSnapshot {
  job: string;
  sources: Record<string, SourceSnapshot>;
  operators: Record<string, unknown>;
}

export interface SourceMetrics {
  name: string;
  watermark: number;
  partitions: PartitionWatermark[];
  deadLetters: number;
}

export class Runtime {
  readonly job: Job;
  readonly clock: Clock;
  /** Window entries an operator may hold: reported with the metrics. */
  readonly maxStateEntries: number;
  readonly #sources = new Map<string, SourceOperator<unknown>>();
  readonly #operators: Operator<unknown, unknown>[] = [];
  readonly #sinks: Sink<unknown>[] = [];

  constructor(job: Job, opts: RuntimeOptions = {}) {
    this.job = job;
    this.clock = opts.clock ?? systemClock;
    this.maxStateEntries = opts.maxStateEntries ?? 5_000_000;
    const ctx: BuildContext = { clock: this.clock, maxStateEntries: this.maxStateEntries };
    const built: BuiltNode[] = [];
    for (const def of job.nodes) {
      const node = def.build(ctx);
      built.push(node);
      if (node instanceof SourceOperator) this.#sources.set(def.name, node);
      else this.#operators.push(node);
      // One sink may take several branches: it is opened, flushed and closed once.
      if (node instanceof SinkOperator && !this.#sinks.includes(node.sink)) this.#sinks.push(node.sink);
      if (def.parent !== undefined) emitterOf(built[def.parent] as BuiltNode, def.port).targets.push(node as Operator<unknown, unknown>);
    }
  }

  /** Every sink of the job, in definition order. */
  get sinks(): readonly Sink<unknown>[] {
    return this.#sinks;
  }

  source(name: string): SourceOperator<unknown> {
    const s = this.#sources.get(name);
    if (s === undefined) throw new ProcessorError('JOB_DEFINITION', `job '${this.job.name}' has no source named '${name}'`);
    return s;
  }

  /** Pushes a record read from a partition; a promise means wait for it before the next record. */
  ingest(source: string, record: SourceRecord): void | Promise<void> {
    return this.source(source).ingest(record);
  }

  /** Re-evaluates idleness on every source (call after time passes). */
  tick(): void {
    for (const s of this.#sources.values()) s.tick();
  }

  /** End of a bounded input on every source: all windows fire. */
  endOfInput(): void {
    for (const s of this.#sources.values()) s.end();
  }

  /** A consistent cut: between two records, so every operator's state matches the positions. */
  snapshot(): RuntimeSnapshot {
    const sources: Record<string, SourceSnapshot> = {};
    for (const [name, s] of this.#sources) sources[name] = s.snapshot();
    const operators: Record<string, unknown> = {};
    for (const op of this.#operators) {
      const state = op.snapshot();
      if (state !== undefined) operators[op.name] = state;
    }
    return { job: this.job.name, sources, operators };
  }

  restore(snap: RuntimeSnapshot): void {
    if (snap.job !== this.job.name) {
      throw new ProcessorError('CHECKPOINT_MISMATCH', `the checkpoint belongs to job '${snap.job}', not '${this.job.name}'`);
    }
    let watermark = MIN_WATERMARK;
    for (const [name, s] of this.#sources) {
      const saved = snap.sources[name];
      if (saved !== undefined) watermark = Math.max(watermark, s.restore(saved));
    }
    // One source per job today: every operator stood at that source's watermark at the cut.
    for (const op of this.#operators) op.restore(snap.operators[op.name], watermark);
  }

  /** Next offset per `topic:partition` of a source. */
  positions(source: string): Map<string, bigint> {
    return this.source(source).positions();
  }

  sourceMetrics(): SourceMetrics[] {
    return [...this.#sources.values()].map((s) => ({
      name: s.name,
      watermark: s.watermarks.current,
      partitions: s.watermarks.describe(),
      deadLetters: s.deadLetters.count,
    }));
  }

  operatorMetrics(): OperatorMetrics[] {
    return [...[...this.#sources.values()].map((s) => s.metrics()), ...this.#operators.map((op) => op.metrics())];
  }
}

function emitterOf(node: BuiltNode, port: Port): Emitter<unknown> {
  if (port === 'main') return node.out;
  if (port === 'dead' && node instanceof SourceOperator) return node.deadLetters;
  if (port === 'late' && 'late' in node) return (node as { late: Emitter<unknown> }).late;
  throw new ProcessorError('JOB_DEFINITION', `operator '${node.name}' has no '${port}' output`);
}
