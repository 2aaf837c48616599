// Runs a Job's operators in this thread: records pushed in by hand (tests) or by the runner
// (Kafka), watermarks in band, clock-driven idleness, consistent snapshots of every operator's
// state together with the source positions, and metrics. No sockets, no timers of its own. A
// partitioned run builds one Runtime per input partition (mode 'partition': global windows hand
// out partials) and one for the combiner (mode 'combine': what follows the global windows).
import type { WindowPartial } from './aggregate.ts';
import type { BuildContext, BuiltNode, Job, NodeDef, Port, RuntimeMode } from './dataflow.ts';
import { ProcessorError } from './errors.ts';
import { CombineWindowOperator } from './operators/combine-window.ts';
import type { Emitter, Operator, OperatorMetrics, Receiver } from './operators/operator.ts';
import { SinkOperator } from './operators/sink.ts';
import { SourceOperator, type SourceSnapshot } from './operators/source.ts';
import { type Clock, MIN_WATERMARK, type Sink, type SourceRecord, systemClock } from './types.ts';
import type { PartitionWatermark } from './watermarks.ts';

export interface RuntimeOptions {
  clock?: Clock;
  /** Keyed window entries an operator may hold. Default 5 000 000. */
  maxStateEntries?: number;
  /** Default 'all': the whole job in one runtime. */
  mode?: RuntimeMode;
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
  readonly mode: RuntimeMode;
  /** Window entries an operator may hold: reported with the metrics. */
  readonly maxStateEntries: number;
  readonly #sources = new Map<string, SourceOperator<unknown>>();
  readonly #operators: Operator<unknown, unknown>[] = [];
  readonly #sinks: Sink<unknown>[] = [];
  /** Mode 'partition': partials of closed global windows, until the runner takes them. */
  #partials: WindowPartial[] = [];
  /** Mode 'combine': the operators that merge partials, by name. */
  readonly #combiners = new Map<string, CombineWindowOperator<any, unknown, unknown>>();

  constructor(job: Job, opts: RuntimeOptions = {}) {
    this.job = job;
    this.clock = opts.clock ?? systemClock;
    this.mode = opts.mode ?? 'all';
    this.maxStateEntries = opts.maxStateEntries ?? 5_000_000;
    const afterGlobal = nodesAfterGlobalWindows(job.nodes);
    const built = new Map<number, BuiltNode>();
    const collector: Receiver<WindowPartial> = {
      processRecord: (r) => void this.#partials.push(r.value),
      processWatermark: () => {},
    };
    for (const def of job.nodes) {
      const after = afterGlobal.has(def.id);
      const rootGlobal = def.scope === 'global' && !after;
      // A partition's pipeline stops at the global windows; the combiner starts at them.
      if (this.mode === 'partition' && after) continue;
      if (this.mode === 'combine' && !after && !rootGlobal) continue;
      const mode: RuntimeMode = this.mode === 'combine' && !rootGlobal ? 'all' : this.mode;
      const ctx: BuildContext = { clock: this.clock, maxStateEntries: this.maxStateEntries, mode };
      const node = def.build(ctx);
      built.set(def.id, node);
      if (node instanceof SourceOperator) this.#sources.set(def.name, node);
      else this.#operators.push(node);
      if (node instanceof CombineWindowOperator) this.#combiners.set(def.name, node);
      // One sink may take several branches: it is opened, flushed and closed once.
      if (node instanceof SinkOperator && !this.#sinks.includes(node.sink)) this.#sinks.push(node.sink);
      if (this.mode === 'partition' && rootGlobal) (node as Operator<unknown, WindowPartial>).out.targets.push(collector);
      const parent = def.parent === undefined ? undefined : built.get(def.parent);
      if (parent !== undefined) emitterOf(parent, def.port).targets.push(node as Operator<unknown, unknown>);
    }
  }

  /** Mode 'partition': the partials of global windows closed since the last call, in firing order. */
  takePartials(): WindowPartial[] {
    const out = this.#partials;
    this.#partials = [];
    return out;
  }

  /** Mode 'combine': the operator merging the partials of the global window `name`. */
  combiner(name: string): CombineWindowOperator<any, unknown, unknown> {
    const c = this.#combiners.get(name);
    if (c === undefined) throw new ProcessorError('JOB_DEFINITION', `job '${this.job.name}' has no global window named '${name}'`);
    return c;
  }

  /** Mode 'combine': the combined watermark reached `watermark`; global windows it closes fire. */
  advance(watermark: number): void {
    for (const c of this.#combiners.values()) c.processWatermark(watermark);
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

  /** `watermark`: where operators stood at the cut when the runtime has no source (the combiner). */
  restore(snap: RuntimeSnapshot, watermark = MIN_WATERMARK): void {
    if (snap.job !== this.job.name) {
      throw new ProcessorError('CHECKPOINT_MISMATCH', `the checkpoint belongs to job '${snap.job}', not '${this.job.name}'`);
    }
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

/** Ids of the nodes fed, directly or not, by a global window's results (not its late output). */
function nodesAfterGlobalWindows(nodes: readonly NodeDef[]): Set<number> {
  const after = new Set<number>();
  for (const def of nodes) {
    if (def.parent === undefined) continue;
    const parent = nodes[def.parent] as NodeDef;
    if (after.has(parent.id) || (parent.scope === 'global' && def.port === 'main')) after.add(def.id);
  }
  return after;
}

function emitterOf(node: BuiltNode, port: Port): Emitter<unknown> {
  if (port === 'main') return node.out;
  if (port === 'dead' && node instanceof SourceOperator) return node.deadLetters;
  if (port === 'late' && 'late' in node) return (node as { late: Emitter<unknown> }).late;
  throw new ProcessorError('JOB_DEFINITION', `operator '${node.name}' has no '${port}' output`);
}
