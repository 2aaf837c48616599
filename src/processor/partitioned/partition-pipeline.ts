// One input partition's pipeline: the job's operators in their own Runtime, with the partition's own
// watermark, so what it computes depends on that partition's records only. Global windows hand
// their closed accumulators out as partials; progress() packs them with the watermark for the
// combiner, at most every `intervalMs` unless forced (before a checkpoint, at the end of input).
import type { Job } from '../dataflow.ts';
import type { SourceOperator } from '../operators/source.ts';
import { Runtime, type RuntimeSnapshot } from '../runtime.ts';
import { type Clock, MAX_WATERMARK, MIN_WATERMARK, partitionKey, type SourceRecord, type TopicPartition } from '../types.ts';
import type { ProgressMessage } from './exchange.ts';

export class PartitionPipeline {
  readonly topic: string;
  readonly partition: number;
  /** `topic:partition`. */
  readonly key: string;
  readonly runtime: Runtime;
  /** Bounded runs: the end offset taken when the partition was assigned. */
  end: bigint | undefined;
  /** Bounded runs: read to `end`. */
  finished = false;
  /** Records ingested by this instance. */
  records = 0;
  readonly #source: SourceOperator<unknown>;
  #sentWatermark = MIN_WATERMARK;
  #sentAt = Number.NEGATIVE_INFINITY;

  constructor(job: Job, tp: TopicPartition, opts: { clock: Clock; maxStateEntries?: number }) {
    this.topic = tp.topic;
    this.partition = tp.partition;
    this.key = partitionKey(tp.topic, tp.partition);
    this.runtime = new Runtime(job, {
      mode: 'partition',
      clock: opts.clock,
      ...(opts.maxStateEntries ? { maxStateEntries: opts.maxStateEntries } : {}),
    });
    this.#source = this.runtime.source(job.sourceNames()[0] as string);
    this.#source.assign(tp.topic, tp.partition);
  }

  get watermark(): number {
    return this.#source.watermarks.current;
  }

  /** Next offset to read, once known (restored, started, or read). */
  get position(): bigint | undefined {
    return this.#source.positions().get(this.key);
  }

  restore(snapshot: RuntimeSnapshot): void {
    this.runtime.restore(snapshot);
  }

  startAt(next: bigint): void {
    this.#source.startAt(this.topic, this.partition, next);
  }

  ingest(record: SourceRecord): void | Promise<void> {
    this.records++;
    return this.#source.ingest(record);
  }

  /** Re-evaluates idleness: a silent partition's watermark follows the clock (the engine's rule). */
  tick(): void {
    this.#source.tick();
  }

  /** A bounded run read the partition to its end: its watermark goes to +infinity. */
  finish(): void {
    this.finished = true;
    this.#source.finish(this.topic, this.partition);
  }

  /**
   * The message for the combiner if the watermark moved since the last one and the interval has
   * passed (or `force`). Partials only appear when the watermark moves, so none is ever held back.
   */
  progress(job: string, now: number, intervalMs: number, force: boolean): ProgressMessage | undefined {
    const watermark = this.watermark;
    if (watermark <= this.#sentWatermark) return undefined;
    if (!force && watermark < MAX_WATERMARK && now - this.#sentAt < intervalMs) return undefined;
    this.#sentWatermark = watermark;
    this.#sentAt = now;
    return { job, partition: this.key, watermark, partials: this.runtime.takePartials() };
  }

  snapshot(): RuntimeSnapshot {
    return this.runtime.snapshot();
  }
}
