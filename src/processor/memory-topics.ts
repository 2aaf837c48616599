// Topics held in memory, written and read by several parties as a broker's would be: a stand-in
// for Kafka when testing partitioned runs (input partitions, the exchange topic, handovers between
// instances) without a broker. Readers follow the AssignableReader contract.
import type { AssignableReader, Sink, SourceRecord, StreamRecord, TopicPartition } from './types.ts';
import { partitionKey } from './types.ts';

export interface MemoryMessage {
  partition: number;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: number;
}

export class MemoryTopics {
  readonly #topics = new Map<string, SourceRecord[][]>();

  create(topic: string, partitions: number): void {
    if (!this.#topics.has(topic))
      this.#topics.set(
        topic,
        Array.from({ length: partitions }, () => []),
      );
  }

  /** Appends records as given (their topic, partition, timestamp, key, value); offsets are reassigned in order. */
  append(records: Iterable<Omit<SourceRecord, 'offset'> & { offset?: bigint }>): void {
    for (const r of records) this.#append(r.topic, r);
  }

  records(topic: string, partition: number): readonly SourceRecord[] {
    return this.#partition(topic, partition);
  }

  /** A sink appending to `topic`: what a KafkaWriter is for a real broker. */
  sink<T>(topic: string, toMessage: (record: StreamRecord<T>) => MemoryMessage, name = `memory:${topic}`): Sink<T> {
    return {
      name,
      write: (record) => {
        this.#append(topic, toMessage(record));
      },
      flush: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
  }

  reader(topics: string[], opts: { batch?: number } = {}): AssignableReader {
    return new MemoryTopicsReader(this, topics, opts.batch ?? 100);
  }

  /** @internal */
  partitionsOf(topic: string): number {
    return this.#topics.get(topic)?.length ?? 0;
  }

  #partition(topic: string, partition: number): SourceRecord[] {
    const list = this.#topics.get(topic)?.[partition];
    if (list === undefined) throw new Error(`memory topic ${topic} has no partition ${partition}`);
    return list;
  }

  #append(topic: string, r: Omit<SourceRecord, 'offset' | 'topic'>): void {
    const list = this.#partition(topic, r.partition);
    list.push({ topic, partition: r.partition, offset: BigInt(list.length), timestamp: r.timestamp, key: r.key, value: r.value });
  }
}

class MemoryTopicsReader implements AssignableReader {
  readonly #topics: MemoryTopics;
  readonly #names: string[];
  readonly #batch: number;
  readonly #positions = new Map<string, { tp: TopicPartition; next: bigint }>();
  committed = new Map<string, bigint>();

  constructor(topics: MemoryTopics, names: string[], batch: number) {
    this.#topics = topics;
    this.#names = names;
    this.#batch = batch;
  }

  async assignment(): Promise<TopicPartition[]> {
    return this.#names.flatMap((topic) =>
      Array.from({ length: this.#topics.partitionsOf(topic) }, (_, partition) => ({ topic, partition })),
    );
  }

  async assign(partitions: TopicPartition[], from: Map<string, bigint>): Promise<Map<string, bigint>> {
    const keep = new Map<string, { tp: TopicPartition; next: bigint }>();
    for (const tp of partitions) {
      const key = partitionKey(tp.topic, tp.partition);
      keep.set(key, this.#positions.get(key) ?? { tp, next: from.get(key) ?? 0n });
    }
    this.#positions.clear();
    for (const [k, v] of keep) this.#positions.set(k, v);
    return new Map([...keep].map(([k, v]) => [k, v.next]));
  }

  async seek(from: Map<string, bigint>): Promise<Map<string, bigint>> {
    const all = await this.assignment();
    return this.assign(all, from);
  }

  async poll(): Promise<SourceRecord[]> {
    const out: SourceRecord[] = [];
    for (const p of this.#positions.values()) {
      const list = this.#topics.records(p.tp.topic, p.tp.partition);
      const slice = list.slice(Number(p.next), Number(p.next) + this.#batch);
      p.next += BigInt(slice.length);
      out.push(...slice);
    }
    // Nothing new: yield to timers and other tasks, as a fetch that waits would.
    if (out.length === 0) await new Promise((resolve) => setImmediate(resolve));
    return out;
  }

  async endOffsets(): Promise<Map<string, bigint>> {
    const all = await this.assignment();
    return new Map(all.map((tp) => [partitionKey(tp.topic, tp.partition), BigInt(this.#topics.records(tp.topic, tp.partition).length)]));
  }

  async commit(offsets: Map<string, bigint>): Promise<void> {
    for (const [k, v] of offsets) this.committed.set(k, v);
  }

  async close(): Promise<void> {}
}
