// Reads partitions of one topic from explicit offsets with plain Fetch requests (one per leader),
// without joining a group: what a kcat-like tool needs to start anywhere and stop at the end.
import type { Consumer } from '@platformatic/kafka';
import type { ConsumedRecord } from './records.ts';

const READ_UNCOMMITTED = 0;
// Record batch attributes (KIP-98): bit 3 timestamp type, bit 5 control batch.
const LOG_APPEND_TIME = 0x08;
const CONTROL = 0x20;

export interface Cursor {
  partition: number;
  /** Next offset to read. */
  position: bigint;
  /** Stop here (the end when the read started); undefined: follow forever. */
  end: bigint | undefined;
  /** The end of the partition when the read started, followed or not. */
  endAtStart: bigint;
}

export interface Fetched {
  partition: number;
  /** Records at or after the cursor's position, in offset order. */
  records: ConsumedRecord[];
  /** Where the next fetch starts once all of `records` are handled. */
  next: bigint;
  highWatermark: bigint;
}

export class PartitionReader {
  readonly #consumer: Consumer<Buffer, Buffer, Buffer, Buffer>;
  readonly #topic: string;
  readonly #maxWaitMs: number;

  constructor(consumer: Consumer<Buffer, Buffer, Buffer, Buffer>, topic: string, maxWaitMs: number) {
    this.#consumer = consumer;
    this.#topic = topic;
    this.#maxWaitMs = maxWaitMs;
    consumer.topics.track(topic);
  }

  /** One round: a Fetch per leader for these cursors, in parallel. */
  async fetch(cursors: Cursor[]): Promise<Fetched[]> {
    const md = await this.#consumer.metadata({ topics: [this.#topic] });
    const topic = md.topics.get(this.#topic)!;
    const byLeader = new Map<number, Cursor[]>();
    for (const c of cursors) {
      const leader = topic.partitions[c.partition]?.leader ?? -1;
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), c]);
    }
    const answers = await Promise.all(
      [...byLeader].map(([node, cs]) =>
        this.#consumer.fetch({
          node,
          maxWaitTime: this.#maxWaitMs,
          minBytes: 1,
          isolationLevel: READ_UNCOMMITTED,
          topics: [
            {
              topicId: topic.id,
              partitions: cs.map((c) => ({
                partition: c.partition,
                currentLeaderEpoch: -1,
                fetchOffset: c.position,
                lastFetchedEpoch: -1,
                partitionMaxBytes: 1 << 20,
              })),
            },
          ],
        }),
      ),
    );
    const position = new Map(cursors.map((c) => [c.partition, c.position]));
    const out: Fetched[] = [];
    for (const answer of answers) {
      for (const t of answer.responses) {
        for (const p of t.partitions) {
          const from = position.get(p.partitionIndex);
          if (from === undefined) continue; // a partition lingering in a fetch session
          out.push(this.#records(p.partitionIndex, from, p.records ?? [], p.highWatermark));
        }
      }
    }
    return out;
  }

  #records(
    partition: number,
    from: bigint,
    batches: NonNullable<Awaited<ReturnType<Consumer['fetch']>>['responses'][number]['partitions'][number]['records']>,
    highWatermark: bigint,
  ): Fetched {
    const records: ConsumedRecord[] = [];
    let next = from;
    for (const batch of batches) {
      const last = batch.firstOffset + BigInt(batch.lastOffsetDelta);
      if (last + 1n > next) next = last + 1n;
      if (batch.attributes & CONTROL) continue;
      const logAppendTime = (batch.attributes & LOG_APPEND_TIME) !== 0;
      for (const r of batch.records) {
        const offset = batch.firstOffset + BigInt(r.offsetDelta);
        // Batches are served whole: records before the asked offset are skipped.
        if (offset < from) continue;
        records.push({
          topic: this.#topic,
          partition,
          offset,
          timestamp: logAppendTime ? batch.maxTimestamp : batch.firstTimestamp + r.timestampDelta,
          logAppendTime,
          key: r.key,
          value: r.value,
          headers: r.headers,
        });
      }
    }
    return { partition, records, next, highWatermark };
  }
}
