// Reads a whole topic back with @platformatic/kafka's own consumer (not Brook's reader), up to the
// end offsets it has now: for end-to-end tests that check what a job wrote.
import { randomUUID } from 'node:crypto';
import { Consumer, MessagesStreamModes } from '@platformatic/kafka';

export interface ReadRecord {
  partition: number;
  offset: bigint;
  key: string;
  value: Buffer;
  timestamp: number;
  headers: Map<string, string>;
}

export async function readTopic(bootstrap: string, topic: string): Promise<ReadRecord[]> {
  const consumer = new Consumer({
    groupId: `read-${randomUUID()}`,
    clientId: 'test-reader',
    bootstrapBrokers: [bootstrap],
    maxWaitTime: 100,
  });
  try {
    const ends = await consumer.listOffsets({ topics: [topic] });
    const total = (ends.get(topic) ?? []).reduce((a, b) => a + Number(b), 0);
    const out: ReadRecord[] = [];
    if (total === 0) return out;
    const stream = await consumer.consume({
      topics: [topic],
      mode: MessagesStreamModes.EARLIEST,
      sessionTimeout: 10_000,
      heartbeatInterval: 500,
    });
    for await (const m of stream) {
      const headers = new Map<string, string>();
      for (const [k, v] of m.headers ?? []) headers.set(String(k), String(v));
      out.push({
        partition: m.partition,
        offset: m.offset,
        key: m.key === undefined || m.key === null ? '' : String(m.key),
        value: m.value as Buffer,
        timestamp: Number(m.timestamp),
        headers,
      });
      if (out.length >= total) break;
    }
    await stream.close();
    return out;
  } finally {
    await consumer.close();
  }
}
