// The head of a dataflow: deserializes records read from partitions, stamps event time, tracks
// per-partition positions and watermarks, and sends what cannot be decoded to the dead-letter
// output instead of stopping. Watermarks advance with every record (spec section 3).
import { type Clock, partitionKey, type SourceRecord, type StreamRecord } from '../types.ts';
import { PartitionWatermarks, type WatermarkPolicy, type WatermarkSnapshot } from '../watermarks.ts';
import { Emitter, type OperatorMetrics } from './operator.ts';

export interface SourceSpec<T> {
  /** Decodes a record; throw to dead-letter it. May return a promise on a slow path (a schema fetch). */
  deserialize(record: SourceRecord): T | Promise<T>;
  /** Event time of a record. Default: the Kafka record timestamp. */
  timestamp?(value: T, record: SourceRecord): number;
  /** Default 0: records must arrive in event-time order per partition to be on time. */
  outOfOrdernessMs?: number;
  /** Default 60 000; 0 disables idleness. */
  idleTimeoutMs?: number;
}

/** A record that could not be decoded, with the reason. */
export interface DeadLetter {
  record: SourceRecord;
  error: string;
}

export interface SourceSnapshot {
  /** Next offset per partition, as strings (bigints of any size survive any codec). */
  positions: Array<[partition: string, next: string]>;
  watermarks: WatermarkSnapshot;
}

interface PartitionCursor {
  key: string;
  next: bigint;
}

export class SourceOperator<T> {
  readonly name: string;
  readonly out = new Emitter<T>();
  readonly deadLetters = new Emitter<DeadLetter>();
  readonly watermarks: PartitionWatermarks;
  recordsIn = 0;
  readonly #spec: SourceSpec<T>;
  /** Cursors by topic, then partition number: no string building per record. */
  readonly #cursors = new Map<string, PartitionCursor[]>();

  constructor(name: string, spec: SourceSpec<T>, clock: Clock) {
    this.name = name;
    this.#spec = spec;
    const policy: WatermarkPolicy = { outOfOrdernessMs: spec.outOfOrdernessMs ?? 0, idleTimeoutMs: spec.idleTimeoutMs ?? 60_000 };
    this.watermarks = new PartitionWatermarks(policy, clock);
  }

  /** Registers a partition this source reads; it holds the watermark back until it has data or idles. */
  assign(topic: string, partition: number): void {
    this.#cursor(topic, partition);
  }

  /** Sets where a partition's reading starts, when no record has moved it yet. */
  startAt(topic: string, partition: number, next: bigint): void {
    const c = this.#cursor(topic, partition);
    if (c.next < 0n) c.next = next;
  }

  /** Pushes one record through the dataflow; returns a promise only when decoding must wait. */
  ingest(record: SourceRecord): void | Promise<void> {
    this.recordsIn++;
    const cursor = this.#cursor(record.topic, record.partition);
    cursor.next = record.offset + 1n;
    let value: T | Promise<T>;
    try {
      value = this.#spec.deserialize(record);
    } catch (err) {
      this.#deadLetter(record, err);
      return;
    }
    if (value instanceof Promise) {
      return value.then(
        (v) => this.#accept(cursor.key, record, v),
        (err: unknown) => this.#deadLetter(record, err),
      );
    }
    this.#accept(cursor.key, record, value);
  }

  #accept(partition: string, record: SourceRecord, value: T): void {
    const timestamp = this.#spec.timestamp ? this.#spec.timestamp(value, record) : record.timestamp;
    const rec: StreamRecord<T> = { value, timestamp };
    this.out.emit(rec);
    const wm = this.watermarks.observe(partition, timestamp);
    if (wm !== undefined) this.out.watermark(wm);
  }

  #deadLetter(record: SourceRecord, err: unknown): void {
    const error = err instanceof Error ? err.message : String(err);
    this.deadLetters.emit({ value: { record, error }, timestamp: record.timestamp });
  }

  /** Re-checks idleness against the clock; idle partitions stop holding the watermark back. */
  tick(): void {
    this.#forward(this.watermarks.tick());
  }

  /** A bounded run read this partition to its end offset. */
  finish(topic: string, partition: number): void {
    this.#forward(this.watermarks.finish(partitionKey(topic, partition)));
  }

  /** End of a bounded input: the watermark goes to +infinity and every window fires. */
  end(): void {
    this.#forward(this.watermarks.end());
  }

  #forward(wm: number | undefined): void {
    if (wm === undefined) return;
    this.out.watermark(wm);
    this.deadLetters.watermark(wm);
  }

  /** Next offset per `topic:partition` of every record ingested so far. */
  positions(): Map<string, bigint> {
    const result = new Map<string, bigint>();
    for (const list of this.#cursors.values()) for (const c of list) if (c !== undefined && c.next >= 0n) result.set(c.key, c.next);
    return result;
  }

  snapshot(): SourceSnapshot {
    return { positions: [...this.positions()].map(([k, v]) => [k, v.toString()]), watermarks: this.watermarks.snapshot() };
  }

  /** Restores positions and watermarks; returns the watermark to resume operators with. */
  restore(s: SourceSnapshot): number {
    for (const [key, next] of s.positions) {
      const i = key.lastIndexOf(':');
      this.#cursor(key.slice(0, i), Number(key.slice(i + 1))).next = BigInt(next);
    }
    return this.watermarks.restore(s.watermarks);
  }

  #cursor(topic: string, partition: number): PartitionCursor {
    let list = this.#cursors.get(topic);
    if (list === undefined) {
      list = [];
      this.#cursors.set(topic, list);
    }
    let c = list[partition];
    if (c === undefined) {
      c = { key: partitionKey(topic, partition), next: -1n };
      list[partition] = c;
      this.watermarks.add(c.key);
    }
    return c;
  }

  metrics(): OperatorMetrics {
    return {
      name: this.name,
      kind: 'source',
      recordsIn: this.recordsIn,
      recordsOut: this.out.count,
      stateEntries: 0,
      lateRecords: 0,
    };
  }
}
