// Shared by the Kafka reader and writer tests: creating a topic, producing known records to chosen
// partitions, and polling a reader until it has everything up to given end offsets.
import { Admin, Producer } from '@platformatic/kafka';
import { partitionKey, type SourceReader, type SourceRecord } from '../../../src/processor/types.ts';

export const BASE_TIME = 1_700_000_000_000;

export async function createTopic(
  bootstrap: string,
  topic: string,
  partitions: number,
  configs: Record<string, string> = {},
): Promise<void> {
  const admin = new Admin({ clientId: 'test-admin', bootstrapBrokers: [bootstrap] });
  try {
    await admin.createTopics({
      topics: [topic],
      partitions,
      replicas: 1,
      configs: Object.entries(configs).map(([name, value]) => ({ name, value })),
    });
  } finally {
    await admin.close();
  }
}

/**
 * Writes `perPartition` records to each partition: key `k<i>` (none for every 10th), value
 * `p<partition>-<i>`, timestamp BASE_TIME + i, and a header `seq` on every 3rd record.
 */
export async function produceKnown(bootstrap: string, topic: string, partitions: number, perPartition: number, first = 0): Promise<void> {
  const producer = new Producer({ clientId: 'test-producer', bootstrapBrokers: [bootstrap], acks: -1 });
  try {
    for (let p = 0; p < partitions; p++) {
      const messages = [];
      for (let i = first; i < first + perPartition; i++) {
        messages.push({
          topic,
          partition: p,
          key: i % 10 === 0 ? undefined : Buffer.from(`k${i}`),
          value: Buffer.from(`p${p}-${i}`),
          timestamp: BigInt(BASE_TIME + i),
          headers: i % 3 === 0 ? new Map([[Buffer.from('seq'), Buffer.from(String(i))]]) : undefined,
        });
      }
      // Several requests per partition, so the reader meets several batches.
      for (let i = 0; i < messages.length; i += 250) await producer.send({ messages: messages.slice(i, i + 250) });
    }
  } finally {
    await producer.close();
  }
}

/**
 * Polls until every partition in `ends` has been read up to its end (partitions start at `starts`,
 * as seek() returned them, or 0); fails after `maxPolls` polls.
 */
export async function readUntil(
  reader: SourceReader,
  ends: Map<string, bigint>,
  starts = new Map<string, bigint>(),
  maxPolls = 200,
): Promise<Map<string, SourceRecord[]>> {
  const got = new Map<string, SourceRecord[]>();
  const next = new Map(starts);
  const done = () => [...ends].every(([k, end]) => (next.get(k) ?? 0n) >= end);
  for (let polls = 0; !done(); polls++) {
    if (polls >= maxPolls)
      throw new Error(`not at the end after ${maxPolls} polls: ${JSON.stringify([...next].map(([k, v]) => [k, String(v)]))}`);
    for (const r of await reader.poll()) {
      const key = partitionKey(r.topic, r.partition);
      let list = got.get(key);
      if (!list) got.set(key, (list = []));
      list.push(r);
      next.set(key, r.offset + 1n);
    }
  }
  return got;
}

export const text = (b: Buffer | null | undefined): string | null => (b === null || b === undefined ? null : b.toString());
