// Interop with librdkafka through kcat: metadata, 100,000 records per compression codec with keys,
// headers and offsets intact, timestamps as produced, and kcat -G consumer groups sharing a topic.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { kcat, kcatProcess, until } from '../helpers/kcat.ts';
import { startTempBroker, type TempBroker } from '../helpers/temp-broker.ts';

const RECORDS = 100_000;
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

describe('kcat (librdkafka) against Brook', () => {
  let tb: TempBroker;

  before(async () => {
    tb = await startTempBroker();
    const admin = new Kafka({ brokers: [tb.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: 'four', numPartitions: 4 },
        { topic: 'stamped', numPartitions: 1 },
        ...CODECS.map((c) => ({ topic: `codec-${c}`, numPartitions: 1 })),
      ],
    });
    await admin.disconnect();
  });
  after(() => tb.dispose());

  test('kcat -L lists the broker, topics and partitions', async () => {
    const r = await kcat(['-b', tb.bootstrap, '-L', '-J']);
    assert.equal(r.code, 0, r.stderr);
    const md = JSON.parse(r.stdout);
    assert.equal(md.brokers.length, 1);
    assert.equal(md.brokers[0].name, tb.bootstrap);
    const four = md.topics.find((t: { topic: string }) => t.topic === 'four');
    assert.ok(four, 'topic four is listed');
    assert.deepEqual(four.partitions.map((p: { partition: number }) => p.partition).sort(), [0, 1, 2, 3]);
    for (const p of four.partitions) assert.equal(p.leader, md.brokers[0].id);
  });

  for (const codec of CODECS) {
    test(`kcat -P then -C moves ${RECORDS} records with keys and headers (compression ${codec})`, async () => {
      const topic = `codec-${codec}`;
      const lines: string[] = [];
      for (let i = 0; i < RECORDS; i++) lines.push(`key-${i}:value-${i}-${'x'.repeat(i % 50)}`);
      const started = Date.now();
      const produced = await kcat(
        [
          '-b',
          tb.bootstrap,
          '-P',
          '-t',
          topic,
          '-K',
          ':',
          '-H',
          'source=kcat',
          '-H',
          `codec=${codec}`,
          '-X',
          `compression.codec=${codec}`,
          '-X',
          'linger.ms=20',
        ],
        { input: `${lines.join('\n')}\n`, timeoutMs: 120_000 },
      );
      assert.equal(produced.code, 0, produced.stderr);
      const finished = Date.now();
      const consumed = await kcat(['-b', tb.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%o|%k|%s|%T|%h\\n'], {
        timeoutMs: 120_000,
      });
      assert.equal(consumed.code, 0, consumed.stderr);
      const out = consumed.stdout.split('\n').filter((l) => l !== '');
      assert.equal(out.length, RECORDS);
      for (let i = 0; i < RECORDS; i += 997) {
        const [offset, key, value, ts, headers] = (out[i] as string).split('|');
        assert.equal(offset, String(i));
        assert.equal(key, `key-${i}`);
        assert.equal(value, `value-${i}-${'x'.repeat(i % 50)}`);
        const t = Number(ts);
        assert.ok(t >= started - 1000 && t <= finished + 1000, `timestamp ${t} is when it was produced`);
        assert.equal(headers, `source=kcat,codec=${codec}`);
      }
      const last = (out[RECORDS - 1] as string).split('|');
      assert.equal(last[0], String(RECORDS - 1));
      assert.equal(last[1], `key-${RECORDS - 1}`);
    });
  }

  test('timestamps set by the producer come back unchanged', async () => {
    const producer = new Kafka({ brokers: [tb.bootstrap], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const base = 1_600_000_000_000;
    await producer.send({
      topic: 'stamped',
      messages: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, timestamp: String(base + i * 1000) })),
    });
    await producer.disconnect();
    const r = await kcat(['-b', tb.bootstrap, '-C', '-t', 'stamped', '-o', 'beginning', '-e', '-q', '-f', '%k %T\\n']);
    assert.equal(r.code, 0, r.stderr);
    const got = r.stdout.trim().split('\n');
    assert.equal(got.length, 50);
    for (const [i, line] of got.entries()) assert.equal(line, `k${i} ${base + i * 1000}`);
  });

  test('kcat -G: two members split a 4-partition topic; the survivor takes over', async () => {
    const group = ['-b', tb.bootstrap, '-G', 'kcat-group', '-X', 'session.timeout.ms=6000', '-X', 'heartbeat.interval.ms=500', 'four'];
    const assigned = (stderr: string): number[] | null => {
      const lines = stderr.split('\n').filter((l) => l.includes('rebalanced') && l.includes('assigned'));
      const lastLine = lines.at(-1);
      if (!lastLine) return null;
      return [...lastLine.matchAll(/four \[(\d+)\]/g)].map((m) => Number(m[1])).sort();
    };
    const a = kcatProcess(group);
    try {
      await until(() => assigned(a.stderr())?.length === 4, 30_000, 'first member to own all 4 partitions');
      const b = kcatProcess(group);
      try {
        await until(() => assigned(a.stderr())?.length === 2 && assigned(b.stderr())?.length === 2, 30_000, 'a 2/2 split');
        const both = [...(assigned(a.stderr()) ?? []), ...(assigned(b.stderr()) ?? [])].sort();
        assert.deepEqual(both, [0, 1, 2, 3]);
      } finally {
        b.child.kill('SIGTERM');
        await new Promise((r) => b.child.once('close', r));
      }
      await until(() => assigned(a.stderr())?.length === 4, 30_000, 'the survivor to take over all 4 partitions');
    } finally {
      a.child.kill('SIGTERM');
      await new Promise((r) => a.child.once('close', r));
    }
  });
});
