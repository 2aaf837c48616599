// KafkaWriter against a real broker: a round trip with keys, headers, timestamps and explicit
// partitions; flush() as the point where everything written before it is stored; Java-compatible
// key partitioning; a flush that rejects once the broker is gone; dead letters with their headers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { murmur2 } from '@platformatic/kafka';
import { deadLetterWriter } from '../../../src/processor/kafka/dead-letter.ts';
import { KafkaReader } from '../../../src/processor/kafka/kafka-reader.ts';
import { KafkaWriter } from '../../../src/processor/kafka/kafka-writer.ts';
import type { RetryInfo } from '../../../src/processor/kafka/retry.ts';
import type { SourceRecord } from '../../../src/processor/types.ts';
import { startTempBroker, type TempBroker } from '../../helpers/temp-broker.ts';
import { BASE_TIME, readUntil, text } from './helpers.ts';

interface Row {
  user: string;
  n: number;
}

describe('KafkaWriter', () => {
  let tb: TempBroker;
  before(async () => {
    tb = await startTempBroker();
  });
  after(() => tb.dispose());

  const readAll = async (topic: string) => {
    const reader = new KafkaReader({ bootstrap: [tb.bootstrap], topics: [topic], groupId: 'check', from: 'earliest', maxWaitMs: 50 });
    try {
      const got = await readUntil(reader, await reader.endOffsets());
      return [...got.values()].flat();
    } finally {
      await reader.close();
    }
  };

  test('round trip: the topic is created with the given partitions; keys, values, headers, timestamps and partitions arrive', async () => {
    const writer = new KafkaWriter<Row>({
      topic: 'rows',
      bootstrap: [tb.bootstrap],
      partitions: 3,
      batchSize: 300,
      toMessage: (r) => ({
        key: r.value.user,
        value: JSON.stringify(r.value),
        headers: { origin: 'test', n: Buffer.from(String(r.value.n)) },
        timestamp: r.timestamp,
        ...(r.value.n % 100 === 0 ? { partition: 2 } : {}),
      }),
    });
    await writer.open();
    assert.equal(tb.broker.logs.topic('rows')?.partitions, 3);
    for (let n = 0; n < 1000; n++) writer.write({ value: { user: `u${n % 37}`, n }, timestamp: BASE_TIME + n });
    const keyless = new KafkaWriter<number>({
      topic: 'rows',
      bootstrap: [tb.bootstrap],
      toMessage: (r) => ({ key: null, value: `keyless ${r.value}`, timestamp: r.timestamp }),
    });
    for (let n = 0; n < 30; n++) keyless.write({ value: n, timestamp: BASE_TIME });
    await keyless.close();
    await writer.flush();
    assert.equal(writer.pending, 0);
    await writer.close();

    const all = await readAll('rows');
    const spread = new Set(all.filter((r) => r.key === null).map((r) => r.partition));
    assert.deepEqual([...spread].sort(), [0, 1, 2], 'records without a key are spread over the partitions');
    const records = all.filter((r) => r.key !== null);
    assert.equal(records.length, 1000);
    for (const r of records) {
      const row = JSON.parse(text(r.value)!) as Row;
      assert.equal(text(r.key), row.user);
      assert.equal(r.timestamp, BASE_TIME + row.n);
      assert.equal(text(r.headers?.get('origin')), 'test');
      assert.equal(text(r.headers?.get('n')), String(row.n));
      // Keyed records go where Kafka's Java client would put them: murmur2, sign bit masked.
      const expected = row.n % 100 === 0 ? 2 : (murmur2(Buffer.from(row.user)) & 0x7fffffff) % 3;
      assert.equal(r.partition, expected, `partition of ${row.user} (n=${row.n})`);
    }
  });

  test('flush() resolves once every record written before it is stored; writes after it wait for the next flush', async () => {
    const writer = new KafkaWriter<number>({
      topic: 'flushes',
      bootstrap: [tb.bootstrap],
      partitions: 1,
      lingerMs: 60_000, // only batchSize or flush() sends: no timer races in this test
      batchSize: 100_000,
      toMessage: (r) => ({ key: null, value: String(r.value), timestamp: r.timestamp }),
    });
    const end = () => tb.broker.logs.partition('flushes', 0)?.logEndOffset ?? 0n;
    await writer.flush(); // nothing written: resolves at once
    for (let i = 0; i < 250; i++) writer.write({ value: i, timestamp: BASE_TIME });
    assert.equal(writer.pending, 250);
    const flushed = writer.flush();
    for (let i = 250; i < 300; i++) writer.write({ value: i, timestamp: BASE_TIME });
    await flushed;
    assert.equal(end(), 250n, 'exactly the records written before flush()');
    assert.equal(writer.pending, 50);
    await writer.close();
    assert.equal(end(), 300n, 'close() flushes the rest');
    assert.deepEqual(
      (await readAll('flushes')).map((r) => text(r.value)),
      Array.from({ length: 300 }, (_, i) => String(i)),
    );
  });

  test('dead letters carry the raw record, its headers, the reason and the source position', async () => {
    const writer = deadLetterWriter({ topic: 'clickstream.dlq', bootstrap: [tb.bootstrap], partitions: 1 });
    const bad: SourceRecord = {
      topic: 'clickstream',
      partition: 2,
      offset: 12345n,
      timestamp: BASE_TIME + 7,
      key: Buffer.from('user-9'),
      value: Buffer.from([0x00, 0x00, 0x00, 0x00, 0x63, 0xff]),
      headers: new Map([['trace', Buffer.from('abc')]]),
    };
    writer.write({ value: { record: bad, error: 'unknown schema id 99' }, timestamp: bad.timestamp });
    writer.write({
      value: { record: { ...bad, offset: 12346n, key: null, headers: undefined }, error: 'truncated Avro' },
      timestamp: bad.timestamp,
    });
    await writer.close();
    const [first, second] = await readAll('clickstream.dlq');
    assert.deepEqual(first!.value, bad.value);
    assert.equal(text(first!.key), 'user-9');
    assert.equal(first!.timestamp, bad.timestamp);
    assert.deepEqual(
      new Map([...first!.headers!].map(([k, v]) => [k, text(v)])),
      new Map([
        ['trace', 'abc'],
        ['brook.error', 'unknown schema id 99'],
        ['brook.source', 'clickstream:2:12345'],
      ]),
    );
    assert.equal(second!.key, null);
    assert.equal(text(second!.headers?.get('brook.source')), 'clickstream:2:12346');
    assert.equal(text(second!.headers?.get('brook.error')), 'truncated Avro');
  });
});

test('flush() rejects clearly when the broker is gone, after reported retries, and keeps rejecting', async () => {
  const tb = await startTempBroker();
  const retries: RetryInfo[] = [];
  const writer = new KafkaWriter<string>({
    topic: 'doomed',
    bootstrap: [tb.bootstrap],
    partitions: 1,
    retries: 2,
    initialBackoffMs: 10,
    onRetry: (info) => retries.push(info),
    toMessage: (r) => ({ key: null, value: r.value, timestamp: r.timestamp }),
  });
  try {
    writer.write({ value: 'stored', timestamp: BASE_TIME });
    await writer.flush();
    await tb.broker.close();
    writer.write({ value: 'lost', timestamp: BASE_TIME });
    const check = (err: Error & { code?: string }) => {
      assert.equal(err.code, 'SINK');
      assert.match(
        err.message,
        new RegExp(`1 record could not be written to topic doomed on ${tb.bootstrap}: .+restart the job from its checkpoint`),
      );
      return true;
    };
    await assert.rejects(writer.flush(), check);
    assert.ok(retries.length >= 1, 'retries were reported');
    assert.match(retries[0]!.message, /^writing to doomed failed \(.+\); retry 1 in 10 ms$/);
    await assert.rejects(writer.flush(), check, 'the failure sticks: later flushes cannot claim the lost records');
  } finally {
    await writer.close().catch(() => {});
    await tb.dispose();
  }
});
