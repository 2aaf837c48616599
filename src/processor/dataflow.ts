// The typed API a job is written in: sources, map/filter/flatMap, keyBy, windows with incremental
// aggregation, late-record and dead-letter side outputs, sinks. It only describes the graph; the
// Runtime builds operators from it, so one Job can run many times (and in tests by hand), whole or
// split into per-partition pipelines and the combiner of their global windows (see partitioned/).
import type { AggregateFunction, Key, LateRecord, WindowResult } from './aggregate.ts';
import { reducer } from './aggregate.ts';
import { ProcessorError } from './errors.ts';
import { CombineWindowOperator } from './operators/combine-window.ts';
import { FixedWindowOperator } from './operators/fixed-window.ts';
import type { Operator } from './operators/operator.ts';
import { SessionWindowOperator } from './operators/session-window.ts';
import { SinkOperator } from './operators/sink.ts';
import { type DeadLetter, SourceOperator, type SourceSpec } from './operators/source.ts';
import { FilterOperator, FlatMapOperator, MapOperator } from './operators/stateless.ts';
import type { Clock, Sink } from './types.ts';
import type { WindowAssigner } from './windows.ts';

/**
 * What a Runtime builds: the whole job ('all'), one input partition's pipeline, where global
 * windows emit partial accumulators instead of results ('partition'), or the combiner that merges
 * those partials and runs what follows the global windows ('combine').
 */
export type RuntimeMode = 'all' | 'partition' | 'combine';

export interface BuildContext {
  clock: Clock;
  /** Bound on keyed window entries per operator. */
  maxStateEntries: number;
  mode: RuntimeMode;
}

/** Where a window aggregate's keys live: in one input partition (default) or across all of them. */
export type AggregateScope = 'partition' | 'global';

export interface AggregateOptions {
  /**
   * 'global': the key does not follow the input partitioning (a window over everything, or a key
   * other than the one the input is partitioned by). Run partitioned, each partition's pipeline
   * sends its partial accumulator of a closed window to the combiner, which merges them.
   */
  scope?: AggregateScope;
}

export type Port = 'main' | 'late' | 'dead';
export type BuiltNode = Operator<any, any> | SourceOperator<any>;

export interface NodeDef {
  id: number;
  name: string;
  parent: number | undefined;
  port: Port;
  /** Set on window aggregates whose keys span input partitions. */
  scope?: AggregateScope;
  /** Set on sink nodes: the sink every runtime of the job shares. */
  sink?: Sink<any>;
  build(ctx: BuildContext): BuiltNode;
}

export class Job {
  readonly name: string;
  readonly nodes: NodeDef[] = [];
  readonly #names = new Set<string>();

  constructor(name: string) {
    if (!/^[A-Za-z0-9._-]+$/.test(name))
      throw new ProcessorError('JOB_DEFINITION', `job name '${name}' may use only letters, digits, '.', '_' and '-'`);
    this.name = name;
  }

  /** A source named `name`; the runner connects it to a reader (a Kafka topic) of the same name. */
  source<T>(name: string, spec: SourceSpec<T>): SourceStream<T> {
    const id = this.add(name, undefined, 'main', (ctx) => new SourceOperator(name, spec, ctx.clock));
    return new SourceStream<T>(this, id);
  }

  /** Names of the job's sources, in definition order. */
  sourceNames(): string[] {
    return this.nodes.filter((n) => n.parent === undefined).map((n) => n.name);
  }

  /** Every sink of the job once, in definition order (one sink may take several branches). */
  sinks(): Sink<unknown>[] {
    const out: Sink<unknown>[] = [];
    for (const n of this.nodes) if (n.sink !== undefined && !out.includes(n.sink)) out.push(n.sink);
    return out;
  }

  /** Names of the window aggregates declared with `scope: 'global'`. */
  globalOperators(): string[] {
    return this.nodes.filter((n) => n.scope === 'global').map((n) => n.name);
  }

  /** @internal Adds a node; names are unique because checkpoints key state by them. */
  add(
    name: string,
    parent: number | undefined,
    port: Port,
    build: (ctx: BuildContext) => BuiltNode,
    extra: Pick<NodeDef, 'scope' | 'sink'> = {},
  ): number {
    if (this.#names.has(name)) throw new ProcessorError('JOB_DEFINITION', `job '${this.name}' has two operators named '${name}'`);
    this.#names.add(name);
    const id = this.nodes.length;
    this.nodes.push({ id, name, parent, port, build, ...extra });
    return id;
  }

  /** @internal An automatic name for an unnamed operator: kind plus its position. */
  autoName(kind: string): string {
    return `${kind}-${this.nodes.length}`;
  }
}

export class Stream<T> {
  readonly job: Job;
  readonly nodeId: number;
  readonly port: Port;

  constructor(job: Job, nodeId: number, port: Port = 'main') {
    this.job = job;
    this.nodeId = nodeId;
    this.port = port;
  }

  map<OUT>(fn: (value: T, timestamp: number) => OUT, name = this.job.autoName('map')): Stream<OUT> {
    return this.#then(name, () => new MapOperator(name, fn));
  }

  filter(predicate: (value: T, timestamp: number) => boolean, name = this.job.autoName('filter')): Stream<T> {
    return this.#then(name, () => new FilterOperator(name, predicate));
  }

  flatMap<OUT>(fn: (value: T, timestamp: number) => Iterable<OUT>, name = this.job.autoName('flatMap')): Stream<OUT> {
    return this.#then(name, () => new FlatMapOperator(name, fn));
  }

  keyBy<K extends Key>(key: (value: T) => K): KeyedStream<T, K> {
    return new KeyedStream(this, key);
  }

  /** Sends every record to the sink; the runtime opens, flushes (at checkpoints) and closes it. */
  sinkTo(sink: Sink<T>, name = `sink-${sink.name}`): void {
    this.job.add(name, this.nodeId, this.port, () => new SinkOperator(name, sink), { sink });
  }

  #then<OUT>(name: string, build: (ctx: BuildContext) => BuiltNode): Stream<OUT> {
    return new Stream<OUT>(this.job, this.job.add(name, this.nodeId, this.port, build));
  }
}

export class SourceStream<T> extends Stream<T> {
  /** Records that could not be decoded, with the reason. */
  deadLetters(): Stream<DeadLetter> {
    return new Stream<DeadLetter>(this.job, this.nodeId, 'dead');
  }
}

export class KeyedStream<T, K extends Key> {
  readonly stream: Stream<T>;
  readonly key: (value: T) => K;

  constructor(stream: Stream<T>, key: (value: T) => K) {
    this.stream = stream;
    this.key = key;
  }

  window(assigner: WindowAssigner): WindowedStream<T, K> {
    return new WindowedStream(this, assigner);
  }
}

export class WindowedStream<T, K extends Key> {
  readonly keyed: KeyedStream<T, K>;
  readonly assigner: WindowAssigner;

  constructor(keyed: KeyedStream<T, K>, assigner: WindowAssigner) {
    this.keyed = keyed;
    this.assigner = assigner;
  }

  /**
   * One accumulator per key and window; `result` makes the output when the window closes. With
   * `scope: 'global'` the accumulator must survive v8 serialization (it crosses processes) and
   * `merge` must be associative: partials of the input partitions are merged in partition order.
   */
  aggregate<ACC, OUT>(
    agg: AggregateFunction<T, ACC>,
    result: WindowResult<K, ACC, OUT>,
    name?: string,
    options: AggregateOptions = {},
  ): WindowResultStream<OUT, T, K> {
    const { stream, key } = this.keyed;
    const job = stream.job;
    const opName = name ?? job.autoName(this.assigner.kind === 'session' ? 'session-window' : 'window');
    const assigner = this.assigner;
    const global = options.scope === 'global';
    if (global && assigner.kind === 'session') {
      throw new ProcessorError(
        'JOB_DEFINITION',
        `operator '${opName}': session windows cannot be global (sessions of one key would merge across partitions); key the input by the session key instead`,
      );
    }
    const id = job.add(
      opName,
      stream.nodeId,
      stream.port,
      (ctx) => {
        if (assigner.kind === 'session') return new SessionWindowOperator(opName, key, assigner, agg, result, ctx.maxStateEntries);
        if (global && ctx.mode === 'combine') return new CombineWindowOperator(opName, agg, result, ctx.maxStateEntries);
        // A partition's pipeline closes the window as usual but hands on the accumulator itself.
        const emit: WindowResult<K, ACC, unknown> =
          global && ctx.mode === 'partition' ? (k, w, acc) => ({ operator: opName, key: k, start: w.start, end: w.end, acc }) : result;
        return new FixedWindowOperator(opName, key, assigner, agg, emit, ctx.maxStateEntries);
      },
      global ? { scope: 'global' } : {},
    );
    return new WindowResultStream<OUT, T, K>(job, id);
  }

  /** Combines a window's records pairwise; `result` defaults to the reduced value. */
  reduce<OUT = T>(
    fn: (a: T, b: T) => T,
    result?: WindowResult<K, T, OUT>,
    name?: string,
    options: AggregateOptions = {},
  ): WindowResultStream<OUT, T, K> {
    const finish = result ?? ((_k: K, _w: unknown, acc: T) => acc as unknown as OUT);
    return this.aggregate(reducer(fn), (k, w, acc) => finish(k, w, acc as T), name, options);
  }
}

export class WindowResultStream<OUT, IN, K extends Key> extends Stream<OUT> {
  /** Records that arrived after their window had closed (never silently dropped). */
  lateRecords(): Stream<LateRecord<IN, K>> {
    return new Stream<LateRecord<IN, K>>(this.job, this.nodeId, 'late');
  }
}
