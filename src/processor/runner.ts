// Runs a Job against real readers: restores the last checkpoint, seeks, polls and ingests, ticks
// idleness, checkpoints every interval (cut, flush sinks, save, commit offsets), stops on the
// signal or, in bounded mode, at the end offsets each partition had at start.
import { channel } from 'node:diagnostics_channel';
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint } from './checkpoint-codec.ts';
import type { Job } from './dataflow.ts';
import { ProcessorError } from './errors.ts';
import { type JobMetrics, jobMetrics, type PartitionProgress, runtimeView } from './metrics.ts';
import { Runtime } from './runtime.ts';
import { type CheckpointStore, type Clock, partitionKey, type SourceReader, systemClock } from './types.ts';

export interface RunnerOptions {
  /** A reader per source name of the job. The runner closes them when it stops. */
  readers: Record<string, SourceReader>;
  checkpointStore?: CheckpointStore;
  /** Default 10 000 ms. */
  checkpointIntervalMs?: number;
  /** Read each partition to the end offset it had at start, close every window, exit. */
  bounded?: boolean;
  signal?: AbortSignal;
  clock?: Clock;
  maxStateEntries?: number;
  /** How often end offsets are refreshed for lag metrics in unbounded runs. Default 2 000 ms. */
  lagRefreshMs?: number;
  onCheckpoint?(info: CheckpointInfo): void;
  onRestore?(info: { id: number; createdAt: number; from: string }): void;
  /** Called once the sinks are open, the checkpoint restored and every source positioned. */
  onStarted?(): void;
}

export interface CheckpointInfo {
  id: number;
  /** When the checkpoint was written (the runner's clock, epoch ms). */
  at: number;
  bytes: number;
  durationMs: number;
  /** Next offset per `topic:partition`, as committed to the consumer group. */
  offsets: Map<string, bigint>;
}

export interface RunSummary {
  records: number;
  deadLetters: number;
  lateRecords: number;
  checkpoints: number;
  restoredFrom: number | undefined;
  stoppedBy: 'end-of-input' | 'signal';
  durationMs: number;
}

const checkpointChannel = channel('brook:processor:checkpoint');

export class JobRunner {
  readonly runtime: Runtime;
  readonly #job: Job;
  readonly #opts: RunnerOptions;
  readonly #clock: Clock;
  #checkpointId = 0;
  #checkpoints = 0;
  #lastCheckpoint: CheckpointInfo | undefined;
  readonly #ends = new Map<string, bigint>();
  /** Bounded runs: partitions still to be read up to their end offset. */
  readonly #pending = new Set<string>();
  #startedAt = 0;
  #closed = false;

  constructor(job: Job, opts: RunnerOptions) {
    this.#job = job;
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
    this.runtime = new Runtime(job, { clock: this.#clock, ...(opts.maxStateEntries ? { maxStateEntries: opts.maxStateEntries } : {}) });
    for (const name of job.sourceNames()) {
      if (!opts.readers[name]) throw new ProcessorError('JOB_DEFINITION', `no reader given for source '${name}' of job '${job.name}'`);
    }
  }

  async run(): Promise<RunSummary> {
    this.#startedAt = this.#clock.now();
    const { readers, signal } = this.#opts;
    const names = this.#job.sourceNames();
    let stoppedBy: RunSummary['stoppedBy'] = 'signal';
    try {
      for (const sink of this.runtime.sinks) await sink.open?.();
      const restored = await this.#restore();
      for (const name of names) await this.#start(name, readers[name] as SourceReader);
      this.#opts.onStarted?.();
      let lastCheckpointAt = this.#clock.now();
      let lastLagAt = this.#clock.now();
      const interval = this.#opts.checkpointIntervalMs ?? 10_000;
      while (!signal?.aborted) {
        if (this.#opts.bounded && this.#pending.size === 0) {
          stoppedBy = 'end-of-input';
          break;
        }
        for (const name of names) await this.#pollOnce(name, readers[name] as SourceReader);
        this.runtime.tick();
        const now = this.#clock.now();
        if (!this.#opts.bounded && now - lastLagAt >= (this.#opts.lagRefreshMs ?? 2000)) {
          lastLagAt = now;
          for (const name of names) await this.#refreshEnds(readers[name] as SourceReader);
        }
        if (now - lastCheckpointAt >= interval) {
          await this.checkpoint();
          lastCheckpointAt = this.#clock.now();
        }
      }
      if (stoppedBy === 'end-of-input') this.runtime.endOfInput();
      await this.checkpoint();
      const ops = this.runtime.operatorMetrics();
      return {
        records: ops.filter((o) => o.kind === 'source').reduce((a, o) => a + o.recordsIn, 0),
        deadLetters: this.runtime.sourceMetrics().reduce((a, s) => a + s.deadLetters, 0),
        lateRecords: ops.reduce((a, o) => a + o.lateRecords, 0),
        checkpoints: this.#checkpoints,
        restoredFrom: restored,
        stoppedBy,
        durationMs: this.#clock.now() - this.#startedAt,
      };
    } catch (err) {
      // The first failure is the one to report; closing errors after it would hide it.
      await this.#closeAll().catch(() => undefined);
      throw err;
    } finally {
      if (!this.#closed) await this.#closeAll();
    }
  }

  async #restore(): Promise<number | undefined> {
    const store = this.#opts.checkpointStore;
    if (!store) return undefined;
    const bytes = await store.load();
    if (bytes === undefined) return undefined;
    const cp = decodeCheckpoint(bytes, store.description);
    this.runtime.restore(cp.snapshot);
    this.#checkpointId = cp.id;
    this.#opts.onRestore?.({ id: cp.id, createdAt: cp.createdAt, from: store.description });
    return cp.id;
  }

  async #start(name: string, reader: SourceReader): Promise<void> {
    const source = this.runtime.source(name);
    for (const tp of await reader.assignment()) source.assign(tp.topic, tp.partition);
    const starts = await reader.seek(this.runtime.positions(name));
    for (const [key, start] of starts) {
      const i = key.lastIndexOf(':');
      source.startAt(key.slice(0, i), Number(key.slice(i + 1)), start);
    }
    await this.#refreshEnds(reader);
    if (!this.#opts.bounded) return;
    for (const [key, start] of starts) {
      const end = this.#ends.get(key) ?? 0n;
      if (start < end) this.#pending.add(key);
      else finishByKey(source, key);
    }
  }

  async #refreshEnds(reader: SourceReader): Promise<void> {
    for (const [k, v] of await reader.endOffsets()) {
      // Bounded runs keep the ends they had at start.
      if (!this.#opts.bounded || !this.#ends.has(k)) this.#ends.set(k, v);
    }
  }

  async #pollOnce(name: string, reader: SourceReader): Promise<void> {
    const records = await reader.poll(this.#opts.signal);
    const source = this.runtime.source(name);
    const bounded = this.#opts.bounded === true;
    for (const r of records) {
      if (bounded) {
        const key = partitionKey(r.topic, r.partition);
        if (!this.#pending.has(key)) continue;
        const end = this.#ends.get(key) as bigint;
        if (r.offset >= end) continue;
        const wait = source.ingest(r);
        if (wait) await wait;
        if (r.offset + 1n >= end) {
          this.#pending.delete(key);
          source.finish(r.topic, r.partition);
        }
        continue;
      }
      const wait = source.ingest(r);
      if (wait) await wait;
    }
  }

  /** Takes a consistent cut, waits until sinks hold everything before it, saves it, commits offsets. */
  async checkpoint(): Promise<CheckpointInfo> {
    const started = performance.now();
    const snapshot = this.runtime.snapshot();
    const id = ++this.#checkpointId;
    const cp: Checkpoint = { id, job: this.#job.name, createdAt: this.#clock.now(), snapshot };
    for (const sink of this.runtime.sinks) await sink.flush();
    const bytes = encodeCheckpoint(cp);
    if (this.#opts.checkpointStore) await this.#opts.checkpointStore.save(id, bytes);
    const offsets = new Map<string, bigint>();
    for (const name of this.#job.sourceNames()) {
      const positions = this.runtime.positions(name);
      for (const [k, v] of positions) offsets.set(k, v);
      await (this.#opts.readers[name] as SourceReader).commit(positions);
    }
    const info: CheckpointInfo = { id, at: this.#clock.now(), bytes: bytes.byteLength, durationMs: performance.now() - started, offsets };
    this.#checkpoints++;
    this.#lastCheckpoint = info;
    if (checkpointChannel.hasSubscribers) checkpointChannel.publish({ job: this.#job.name, ...info });
    this.#opts.onCheckpoint?.(info);
    return info;
  }

  async #closeAll(): Promise<void> {
    this.#closed = true;
    const errors: unknown[] = [];
    for (const sink of this.runtime.sinks) await sink.close().catch((e: unknown) => errors.push(e));
    for (const reader of Object.values(this.#opts.readers)) await reader.close().catch((e: unknown) => errors.push(e));
    await this.#opts.checkpointStore?.close().catch((e: unknown) => errors.push(e));
    if (errors.length > 0)
      throw new ProcessorError('SINK', `closing the job failed: ${errors.map((e) => (e as Error).message).join('; ')}`);
  }

  metrics(): JobMetrics {
    const progress: PartitionProgress[] = [];
    for (const name of this.#job.sourceNames()) {
      for (const [key, next] of this.runtime.positions(name)) progress.push({ partition: key, next, end: this.#ends.get(key) });
    }
    return jobMetrics(runtimeView(this.runtime), this.#clock.now(), this.#startedAt, progress, this.#checkpoints, this.#lastCheckpoint);
  }
}

function finishByKey(source: ReturnType<Runtime['source']>, key: string): void {
  const i = key.lastIndexOf(':');
  source.finish(key.slice(0, i), Number(key.slice(i + 1)));
}
