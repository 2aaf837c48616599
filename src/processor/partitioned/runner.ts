// Runs a Job partitioned: one pipeline per input partition this instance owns (its own state and
// watermark), plus the combiner of the global windows when it owns the exchange partition. What it
// owns comes from a Membership (a consumer group): an assigned partition's pipeline is restored from
// its own checkpoint and read from its offset; before anything is revoked, everything is
// checkpointed, then the revoked pipelines are dropped. A checkpoint: progress sent to the exchange,
// a consistent cut of every pipeline and the combiner, sinks and exchange flushed, each cut saved
// under its key, offsets committed to the group.
import { channel } from 'node:diagnostics_channel';
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint } from '../checkpoint-codec.ts';
import type { Job } from '../dataflow.ts';
import { ProcessorError } from '../errors.ts';
import { type JobMetrics, jobMetrics, type PartitionProgress, sumOperatorMetrics } from '../metrics.ts';
import type { OperatorMetrics } from '../operators/operator.ts';
import type { CheckpointInfo, RunSummary } from '../runner.ts';
import type { SourceMetrics } from '../runtime.ts';
import {
  type AssignableReader,
  type Clock,
  type KeyedCheckpointStore,
  MIN_WATERMARK,
  partitionKey,
  type Sink,
  type SourceRecord,
  systemClock,
  type TopicPartition,
} from '../types.ts';
import { Combiner } from './combiner.ts';
import type { ProgressMessage } from './exchange.ts';
import type { Membership } from './membership.ts';
import { PartitionPipeline } from './partition-pipeline.ts';

export interface PartitionedRunnerOptions {
  /** Reads the input topic and the exchange topic; the runner assigns it what this instance owns. */
  reader: AssignableReader;
  /** Where pipelines send progress to the combiner (one partition), and the topic it is read from. */
  exchange: { topic: string; sink: Sink<ProgressMessage> };
  membership: Membership;
  checkpointStore?: KeyedCheckpointStore;
  /** Default 10 000 ms. */
  checkpointIntervalMs?: number;
  /** A pipeline tells the combiner its watermark at most this often, unless a checkpoint or its end comes first. Default 200 ms. */
  progressIntervalMs?: number;
  /** Read each owned partition to the end offset it had when assigned; stop when everything owned is done. */
  bounded?: boolean;
  signal?: AbortSignal;
  clock?: Clock;
  maxStateEntries?: number;
  /** How often end offsets are refreshed for lag metrics in unbounded runs. Default 2 000 ms. */
  lagRefreshMs?: number;
  onCheckpoint?(info: CheckpointInfo): void;
  /** At start, the newest checkpoint the store holds (each partition resumes from its own when assigned). */
  onRestore?(info: { id: number; createdAt: number; from: string }): void;
  onAssignment?(info: AssignmentInfo): void;
  /** Called once the sinks are open, the checkpoints checked and the group joined (assignments follow). */
  onStarted?(): void;
}

export interface AssignmentInfo {
  /** Input partitions owned now, `topic:partition`. */
  partitions: string[];
  added: Array<{ partition: string; restoredFrom: number | undefined }>;
  revoked: string[];
  combiner: { restoredFrom: number | undefined } | 'kept' | 'revoked' | undefined;
}

export interface PartitionedRunSummary extends RunSummary {
  /** Input partitions this instance read at least one record of. */
  partitionsRead: string[];
  /** Partials the combiner received for windows it had already fired (replays, ignored). */
  replayedPartials: number;
}

/** Checkpoint keys: one per input partition, one for the combiner. */
export const COMBINER_KEY = 'combiner';
export function checkpointKey(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

const checkpointChannel = channel('brook:processor:checkpoint');

export class PartitionedJobRunner {
  readonly #job: Job;
  readonly #opts: PartitionedRunnerOptions;
  readonly #clock: Clock;
  readonly #sinks: Sink<unknown>[];
  readonly #pipelines = new Map<string, PartitionPipeline>();
  /** Pipelines by topic, then partition number: no string building per record. */
  readonly #byTopic = new Map<string, Array<PartitionPipeline | undefined>>();
  #combiner: Combiner | undefined;
  #inputPartitions: string[] = [];
  #exchangeKey = '';
  /** Partitions the reader reads now (finished bounded partitions are dropped from it). */
  #reading = 0;
  #readerStale = false;
  #assigned = false;
  #checkpointId = 0;
  #checkpoints = 0;
  #lastCheckpoint: CheckpointInfo | undefined;
  readonly #ends = new Map<string, bigint>();
  /** What dropped pipelines and combiners counted, so totals survive handovers. */
  readonly #retired: { operators: OperatorMetrics[]; deadLetters: number; replays: number } = { operators: [], deadLetters: 0, replays: 0 };
  readonly #partitionsRead = new Set<string>();
  #startedAt = 0;
  #closed = false;

  constructor(job: Job, opts: PartitionedRunnerOptions) {
    const sources = job.sourceNames();
    if (sources.length !== 1) {
      throw new ProcessorError('JOB_DEFINITION', `job '${job.name}' has ${sources.length} sources; a partitioned run needs exactly one`);
    }
    this.#job = job;
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
    this.#sinks = [...job.sinks(), opts.exchange.sink as Sink<unknown>];
  }

  async run(): Promise<PartitionedRunSummary> {
    this.#startedAt = this.#clock.now();
    const { membership, reader, signal } = this.#opts;
    let stoppedBy: RunSummary['stoppedBy'] = 'signal';
    try {
      for (const sink of this.#sinks) await sink.open?.();
      const restoredFrom = await this.#scan();
      const all = await reader.assignment();
      const exchange = this.#opts.exchange.topic;
      this.#inputPartitions = all.filter((tp) => tp.topic !== exchange).map((tp) => partitionKey(tp.topic, tp.partition));
      if (!all.some((tp) => tp.topic === exchange && tp.partition === 0)) {
        throw new ProcessorError(
          'SOURCE',
          `the exchange topic ${exchange} is not read: give the reader both the input topic and ${exchange}`,
        );
      }
      this.#exchangeKey = partitionKey(exchange, 0);
      await membership.start();
      this.#opts.onStarted?.();
      let lastCheckpointAt = this.#clock.now();
      let lastLagAt = this.#clock.now();
      const interval = this.#opts.checkpointIntervalMs ?? 10_000;
      while (!signal?.aborted) {
        await this.#applyAssignment();
        if (this.#opts.bounded && this.#finished()) {
          stoppedBy = 'end-of-input';
          break;
        }
        if (this.#reading === 0) {
          await membership.wait(500, signal);
        } else {
          await this.#ingest(await reader.poll(signal));
        }
        for (const p of this.#pipelines.values()) p.tick();
        this.#sendProgress(false);
        const now = this.#clock.now();
        if (!this.#opts.bounded && now - lastLagAt >= (this.#opts.lagRefreshMs ?? 2000) && this.#pipelines.size > 0) {
          lastLagAt = now;
          for (const [k, v] of await reader.endOffsets()) this.#ends.set(k, v);
        }
        if (now - lastCheckpointAt >= interval) {
          await this.checkpoint();
          lastCheckpointAt = this.#clock.now();
        }
      }
      await this.checkpoint();
      // Hands what this instance owned to the others (in a bounded run they find it finished).
      await membership.leave();
      const ops = this.#operatorMetrics();
      return {
        records: ops.filter((o) => o.kind === 'source').reduce((a, o) => a + o.recordsIn, 0),
        deadLetters: this.#sourceMetrics().deadLetters,
        lateRecords: ops.reduce((a, o) => a + o.lateRecords, 0),
        checkpoints: this.#checkpoints,
        restoredFrom,
        stoppedBy,
        durationMs: this.#clock.now() - this.#startedAt,
        partitionsRead: [...this.#partitionsRead, ...[...this.#pipelines.values()].filter((p) => p.records > 0).map((p) => p.key)]
          .filter((k, i, a) => a.indexOf(k) === i)
          .sort(),
        replayedPartials: this.#retired.replays + (this.#combiner?.replays ?? 0),
      };
    } catch (err) {
      // The first failure is the one to report; closing errors after it would hide it.
      await this.#closeAll().catch(() => undefined);
      throw err;
    } finally {
      if (!this.#closed) await this.#closeAll();
    }
  }

  /** The newest checkpoint in the store, checked (and refused with what to do) before anything is read. */
  async #scan(): Promise<number | undefined> {
    const store = this.#opts.checkpointStore;
    if (!store) return undefined;
    let newest: Checkpoint | undefined;
    for (const [key, bytes] of await store.scan()) {
      const cp = decodeCheckpoint(bytes, `${store.description} (${key})`);
      if (cp.job !== this.#job.name) {
        throw new ProcessorError(
          'CHECKPOINT_MISMATCH',
          `the checkpoint ${key} in ${store.description} belongs to job '${cp.job}', not '${this.#job.name}'`,
        );
      }
      if (newest === undefined || cp.id > newest.id) newest = cp;
    }
    if (newest === undefined) return undefined;
    this.#checkpointId = newest.id;
    this.#opts.onRestore?.({ id: newest.id, createdAt: newest.createdAt, from: store.description });
    return newest.id;
  }

  async #applyAssignment(): Promise<void> {
    const next = this.#opts.membership.take();
    if (next === undefined) {
      if (this.#readerStale) await this.#assignReader(new Map());
      return;
    }
    this.#assigned = true;
    const exchange = this.#opts.exchange.topic;
    const wantCombiner = next.some((tp) => tp.topic === exchange);
    const want = new Map(next.filter((tp) => tp.topic !== exchange).map((tp) => [partitionKey(tp.topic, tp.partition), tp]));
    const revoked = [...this.#pipelines.keys()].filter((k) => !want.has(k));
    const dropCombiner = this.#combiner !== undefined && !wantCombiner;
    const info: AssignmentInfo = {
      partitions: [...want.keys()].sort(),
      added: [],
      revoked,
      combiner: dropCombiner ? 'revoked' : this.#combiner ? 'kept' : undefined,
    };
    if (revoked.length > 0 || dropCombiner) {
      // A consistent cut of everything, so the next owner resumes where this one stopped.
      await this.checkpoint();
      for (const key of revoked) this.#drop(this.#pipelines.get(key) as PartitionPipeline);
      if (dropCombiner) this.#dropCombiner();
    }
    const from = new Map<string, bigint>();
    const added: PartitionPipeline[] = [];
    for (const [key, tp] of want) {
      if (this.#pipelines.has(key)) continue;
      const p = new PartitionPipeline(this.#job, tp, { clock: this.#clock, maxStateEntries: this.#opts.maxStateEntries });
      const cp = await this.#load(checkpointKey(tp), (c) => c.partition === key);
      if (cp) {
        p.restore(cp.snapshot);
        if (p.position !== undefined) from.set(key, p.position);
      }
      info.added.push({ partition: key, restoredFrom: cp?.id });
      added.push(p);
      this.#add(p);
    }
    if (wantCombiner && this.#combiner === undefined) {
      const c = new Combiner(this.#job, this.#inputPartitions, { clock: this.#clock, maxStateEntries: this.#opts.maxStateEntries });
      const cp = await this.#load(COMBINER_KEY, (c) => c.combiner !== undefined);
      if (cp?.combiner) c.restore(cp.snapshot, cp.combiner);
      if (c.position !== undefined) from.set(this.#exchangeKey, c.position);
      info.combiner = { restoredFrom: cp?.id };
      this.#combiner = c;
    }
    if (this.#opts.bounded && added.length > 0) {
      // The end each partition has now: a bounded run reads to it, whoever owned it before.
      const ends = await this.#opts.reader.endOffsets();
      for (const p of added) p.end = ends.get(p.key) ?? 0n;
    }
    const starts = await this.#assignReader(from);
    for (const p of added) {
      const start = starts.get(p.key);
      if (start !== undefined) p.startAt(start);
      if (this.#opts.bounded && (start ?? 0n) >= (p.end as bigint)) this.#finish(p);
    }
    if (this.#combiner && this.#combiner.position === undefined) this.#combiner.position = starts.get(this.#exchangeKey);
    this.#opts.onAssignment?.(info);
  }

  /** Tells the reader what to read: unfinished owned partitions, and the exchange when combining. */
  async #assignReader(from: Map<string, bigint>): Promise<Map<string, bigint>> {
    this.#readerStale = false;
    const tps: TopicPartition[] = [];
    for (const p of this.#pipelines.values()) if (!p.finished) tps.push({ topic: p.topic, partition: p.partition });
    if (this.#combiner) tps.push({ topic: this.#opts.exchange.topic, partition: 0 });
    this.#reading = tps.length;
    return this.#opts.reader.assign(tps, from);
  }

  async #load(key: string, belongs: (cp: Checkpoint) => boolean): Promise<Checkpoint | undefined> {
    const store = this.#opts.checkpointStore;
    if (!store) return undefined;
    const bytes = await store.load(key);
    if (bytes === undefined) return undefined;
    const where = `${store.description} (${key})`;
    const cp = decodeCheckpoint(bytes, where);
    if (!belongs(cp)) throw new ProcessorError('CHECKPOINT_MISMATCH', `the checkpoint in ${where} is not ${key}'s; move it aside`);
    this.#checkpointId = Math.max(this.#checkpointId, cp.id);
    return cp;
  }

  #add(p: PartitionPipeline): void {
    this.#pipelines.set(p.key, p);
    let list = this.#byTopic.get(p.topic);
    if (list === undefined) this.#byTopic.set(p.topic, (list = []));
    list[p.partition] = p;
  }

  #drop(p: PartitionPipeline): void {
    this.#pipelines.delete(p.key);
    const list = this.#byTopic.get(p.topic);
    if (list) list[p.partition] = undefined;
    if (p.records > 0) this.#partitionsRead.add(p.key);
    this.#retire(p.runtime.operatorMetrics());
    this.#retired.deadLetters += p.runtime.sourceMetrics()[0]?.deadLetters ?? 0;
  }

  #dropCombiner(): void {
    const c = this.#combiner as Combiner;
    this.#retire(c.runtime.operatorMetrics());
    this.#retired.replays += c.replays;
    this.#combiner = undefined;
  }

  #retire(ops: OperatorMetrics[]): void {
    const gone = ops.map((o) => ({ ...o, stateEntries: 0 }));
    this.#retired.operators = sumOperatorMetrics([this.#retired.operators, gone]);
  }

  #finish(p: PartitionPipeline): void {
    p.finish();
    this.#readerStale = true;
  }

  #finished(): boolean {
    if (!this.#assigned) return false;
    for (const p of this.#pipelines.values()) if (!p.finished) return false;
    return this.#combiner === undefined || this.#combiner.done;
  }

  async #ingest(records: SourceRecord[]): Promise<void> {
    const exchange = this.#opts.exchange.topic;
    const bounded = this.#opts.bounded === true;
    let topic: string | undefined;
    let list: Array<PartitionPipeline | undefined> | undefined;
    let isExchange = false;
    for (const r of records) {
      if (r.topic !== topic) {
        topic = r.topic;
        list = this.#byTopic.get(topic);
        isExchange = topic === exchange;
      }
      if (isExchange) {
        this.#combiner?.apply(r);
        continue;
      }
      const p = list?.[r.partition];
      if (p === undefined) continue;
      if (bounded) {
        if (p.finished || r.offset >= (p.end as bigint)) continue;
        const wait = p.ingest(r);
        if (wait) await wait;
        if (r.offset + 1n >= (p.end as bigint)) this.#finish(p);
        continue;
      }
      const wait = p.ingest(r);
      if (wait) await wait;
    }
  }

  /** Progress to the combiner: throttled, except when forced (checkpoint) or a partition finished. */
  #sendProgress(force: boolean): void {
    const now = this.#clock.now();
    const interval = this.#opts.progressIntervalMs ?? 200;
    const sink = this.#opts.exchange.sink;
    for (const p of this.#pipelines.values()) {
      const m = p.progress(this.#job.name, now, interval, force || p.finished);
      if (m) sink.write({ value: m, timestamp: now });
    }
  }

  /** Sends progress, cuts every pipeline and the combiner, flushes, saves each under its key, commits. */
  async checkpoint(): Promise<CheckpointInfo | undefined> {
    if (this.#pipelines.size === 0 && this.#combiner === undefined) return undefined;
    const started = performance.now();
    // Every partial and watermark before the cut reaches the exchange before the cut is saved.
    this.#sendProgress(true);
    const id = ++this.#checkpointId;
    const job = this.#job.name;
    const createdAt = this.#clock.now();
    const cuts: Array<[key: string, bytes: Uint8Array]> = [];
    const offsets = new Map<string, bigint>();
    for (const p of this.#pipelines.values()) {
      cuts.push([checkpointKey(p), encodeCheckpoint({ id, job, createdAt, snapshot: p.snapshot(), partition: p.key })]);
      if (p.position !== undefined) offsets.set(p.key, p.position);
    }
    if (this.#combiner) {
      const { runtime, state } = this.#combiner.snapshot();
      cuts.push([COMBINER_KEY, encodeCheckpoint({ id, job, createdAt, snapshot: runtime, combiner: state })]);
      if (this.#combiner.position !== undefined) offsets.set(this.#exchangeKey, this.#combiner.position);
    }
    for (const sink of this.#sinks) await sink.flush();
    const store = this.#opts.checkpointStore;
    // Any order is safe: a pipeline restored from an older cut replays partials identical to those the combiner kept.
    if (store) await Promise.all(cuts.map(([key, bytes]) => store.save(key, id, bytes)));
    await this.#opts.membership.commit(offsets);
    const bytes = cuts.reduce((n, [, b]) => n + b.byteLength, 0);
    const info: CheckpointInfo = { id, at: this.#clock.now(), bytes, durationMs: performance.now() - started, offsets };
    this.#checkpoints++;
    this.#lastCheckpoint = info;
    if (checkpointChannel.hasSubscribers) checkpointChannel.publish({ job, ...info });
    this.#opts.onCheckpoint?.(info);
    return info;
  }

  async #closeAll(): Promise<void> {
    this.#closed = true;
    const errors: unknown[] = [];
    for (const sink of this.#sinks) await sink.close().catch((e: unknown) => errors.push(e));
    await this.#opts.reader.close().catch((e: unknown) => errors.push(e));
    await this.#opts.membership.close().catch((e: unknown) => errors.push(e));
    await this.#opts.checkpointStore?.close().catch((e: unknown) => errors.push(e));
    if (errors.length > 0)
      throw new ProcessorError('SINK', `closing the job failed: ${errors.map((e) => (e as Error).message).join('; ')}`);
  }

  #operatorMetrics(): OperatorMetrics[] {
    const lists = [this.#retired.operators, ...[...this.#pipelines.values()].map((p) => p.runtime.operatorMetrics())];
    if (this.#combiner) lists.push(this.#combiner.runtime.operatorMetrics());
    return sumOperatorMetrics(lists);
  }

  /** The owned partitions as one source: the slowest partition's watermark, every partition listed. */
  #sourceMetrics(): SourceMetrics {
    const sources = [...this.#pipelines.values()].map((p) => p.runtime.sourceMetrics()[0] as SourceMetrics);
    const watermark = sources.length > 0 ? Math.min(...sources.map((s) => s.watermark)) : (this.#combiner?.watermark ?? MIN_WATERMARK);
    return {
      name: this.#job.sourceNames()[0] as string,
      watermark,
      partitions: sources.flatMap((s) => s.partitions),
      deadLetters: this.#retired.deadLetters + sources.reduce((a, s) => a + s.deadLetters, 0),
    };
  }

  /** Input partitions owned now, and whether this instance runs the combiner. */
  ownership(): { partitions: string[]; combiner: boolean } {
    return { partitions: [...this.#pipelines.keys()].sort(), combiner: this.#combiner !== undefined };
  }

  metrics(): JobMetrics {
    const progress: PartitionProgress[] = [...this.#pipelines.values()].map((p) => ({
      partition: p.key,
      next: p.position ?? 0n,
      end: this.#opts.bounded ? p.end : this.#ends.get(p.key),
    }));
    const view = {
      job: this.#job.name,
      sources: [this.#sourceMetrics()],
      operators: this.#operatorMetrics(),
      stateLimit: this.#opts.maxStateEntries ?? 5_000_000,
    };
    return jobMetrics(view, this.#clock.now(), this.#startedAt, progress, this.#checkpoints, this.#lastCheckpoint);
  }
}
