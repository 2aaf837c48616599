// A SourceReader over records held in memory, partition by partition: for tests and for replaying
// a fixed dataset through a job without a broker.
import { partitionKey, type SourceReader, type SourceRecord, type TopicPartition } from './types.ts';

export class MemoryReader implements SourceReader {
  readonly #byPartition = new Map<string, SourceRecord[]>();
  readonly #positions = new Map<string, number>();
  readonly #batch: number;
  committed = new Map<string, bigint>();
  closed = false;

  /** Records are served in the given order per partition, `batch` at a time per partition. */
  constructor(records: SourceRecord[], opts: { partitions?: TopicPartition[]; batch?: number } = {}) {
    this.#batch = opts.batch ?? 100;
    for (const tp of opts.partitions ?? []) this.#byPartition.set(partitionKey(tp.topic, tp.partition), []);
    for (const r of records) {
      const key = partitionKey(r.topic, r.partition);
      let list = this.#byPartition.get(key);
      if (!list) {
        list = [];
        this.#byPartition.set(key, list);
      }
      list.push(r);
    }
  }

  async assignment(): Promise<TopicPartition[]> {
    return [...this.#byPartition.keys()].map(splitKey);
  }

  async seek(from: Map<string, bigint>): Promise<Map<string, bigint>> {
    const starts = new Map<string, bigint>();
    for (const [key, list] of this.#byPartition) {
      const next = from.get(key);
      const index = next === undefined ? 0 : list.findIndex((r) => r.offset >= next);
      this.#positions.set(key, index < 0 ? list.length : index);
      starts.set(key, next ?? list[0]?.offset ?? 0n);
    }
    return starts;
  }

  async poll(): Promise<SourceRecord[]> {
    const out: SourceRecord[] = [];
    for (const [key, list] of this.#byPartition) {
      const at = this.#positions.get(key) ?? 0;
      const slice = list.slice(at, at + this.#batch);
      this.#positions.set(key, at + slice.length);
      out.push(...slice);
    }
    return out;
  }

  async endOffsets(): Promise<Map<string, bigint>> {
    const ends = new Map<string, bigint>();
    for (const [key, list] of this.#byPartition)
      ends.set(key, list.length === 0 ? 0n : (list[list.length - 1] as SourceRecord).offset + 1n);
    return ends;
  }

  async commit(offsets: Map<string, bigint>): Promise<void> {
    for (const [k, v] of offsets) this.committed.set(k, v);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function splitKey(key: string): TopicPartition {
  const i = key.lastIndexOf(':');
  return { topic: key.slice(0, i), partition: Number(key.slice(i + 1)) };
}
