// KafkaReader against a real broker: every partition read fully and in order, seeking, the three
// start positions, commits that a fresh reader (and a lag tool) sees, end offsets, and the errors
// a user meets: an unknown topic, an out-of-range offset, a broker that restarts or is gone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin, Consumer, MessagesStreamModes } from '@platformatic/kafka';
import { KafkaReader, type KafkaReaderOptions } from '../../../src/processor/kafka/kafka-reader.ts';
import type { RetryInfo } from '../../../src/processor/kafka/retry.ts';
import { startTempBroker, type TempBroker } from '../../helpers/temp-broker.ts';
import { BASE_TIME, createTopic, produceKnown, readUntil, text } from './helpers.ts';

const N = 1000;

describe('KafkaReader', () => {
  let tb: TempBroker;
  const readers: KafkaReader[] = [];
  const reader = (opts: Partial<KafkaReaderOptions> = {}) => {
    const r = new KafkaReader({ bootstrap: [tb.bootstrap], topics: ['events'], groupId: 'job', maxWaitMs: 50, ...opts });
    readers.push(r);
    return r;
  };
  before(async () => {
    tb = await startTempBroker();
    await createTopic(tb.bootstrap, 'events', 3);
    await produceKnown(tb.bootstrap, 'events', 3, N);
  });
  after(async () => {
    for (const r of readers) await r.close();
    await tb.dispose();
  });

  test('reads all 3 partitions to their end, in offset order, with keys, headers and timestamps', async () => {
    const r = reader({ from: 'earliest' });
    assert.deepEqual(
      await r.assignment(),
      [0, 1, 2].map((partition) => ({ topic: 'events', partition })),
    );
    const ends = await r.endOffsets();
    assert.deepEqual(ends, new Map([0, 1, 2].map((p) => [`events:${p}`, BigInt(N)])));
    const got = await readUntil(r, ends);
    for (let p = 0; p < 3; p++) {
      const records = got.get(`events:${p}`)!;
      assert.equal(records.length, N);
      records.forEach((rec, i) => {
        assert.equal(rec.offset, BigInt(i));
        assert.equal(rec.topic, 'events');
        assert.equal(rec.partition, p);
        assert.equal(text(rec.value), `p${p}-${i}`);
        assert.equal(text(rec.key), i % 10 === 0 ? null : `k${i}`);
        assert.equal(rec.timestamp, BASE_TIME + i);
        if (i % 3 === 0) assert.equal(text(rec.headers?.get('seq')), String(i));
        else assert.equal(rec.headers, undefined);
      });
    }
    assert.deepEqual(r.positions(), ends);
  });

  test('seek() starts given partitions at given offsets, the rest at the configured position', async () => {
    const r = reader({ from: 'earliest' });
    const starts = await r.seek(
      new Map([
        ['events:0', 500n],
        ['events:1', 999n],
      ]),
    );
    assert.deepEqual(
      starts,
      new Map([
        ['events:0', 500n],
        ['events:1', 999n],
        ['events:2', 0n],
      ]),
    );
    const got = await readUntil(r, await r.endOffsets(), starts);
    assert.deepEqual(
      got.get('events:0')!.map((rec) => rec.offset),
      Array.from({ length: 500 }, (_, i) => BigInt(500 + i)),
      'mid-batch start: nothing before 500',
    );
    assert.deepEqual(
      got.get('events:1')!.map((rec) => text(rec.value)),
      ['p1-999'],
    );
    assert.equal(got.get('events:2')!.length, N);

    // A second seek drops what was fetched from the old positions.
    const again = await readUntil(
      r,
      await r.endOffsets(),
      await r.seek(
        new Map([
          ['events:0', 998n],
          ['events:1', 1000n],
          ['events:2', 1000n],
        ]),
      ),
    );
    assert.deepEqual(
      again.get('events:0')!.map((rec) => rec.offset),
      [998n, 999n],
    );
    assert.equal(again.get('events:1'), undefined);
  });

  test('assign() reads only the named partitions; kept ones keep their position, new ones start at `from` or the configured position', async () => {
    const r = reader({ from: 'earliest' });
    const starts = await r.assign([{ topic: 'events', partition: 1 }], new Map([['events:1', 990n]]));
    assert.deepEqual(starts, new Map([['events:1', 990n]]));
    const first = await readUntil(r, new Map([['events:1', BigInt(N)]]), starts);
    assert.deepEqual([...first.keys()], ['events:1']);
    assert.equal(first.get('events:1')?.[0]?.offset, 990n);
    // Partition 1 is kept where it is; 0 starts from `from`, 2 from the earliest offset.
    const next = await r.assign(
      [0, 1, 2].map((partition) => ({ topic: 'events', partition })),
      new Map([
        ['events:0', 995n],
        ['events:1', 0n],
      ]),
    );
    assert.deepEqual(
      next,
      new Map([
        ['events:0', 995n],
        ['events:1', BigInt(N)],
        ['events:2', 0n],
      ]),
    );
    const rest = await readUntil(r, await r.endOffsets(), next);
    assert.equal(rest.get('events:0')?.length, 5);
    assert.equal(rest.get('events:1'), undefined, 'nothing read twice');
    assert.equal(rest.get('events:2')?.length, N);
    await r.assign([], new Map());
    assert.deepEqual(await r.poll(), [], 'nothing assigned: nothing to wait for');
  });

  test('fromByTopic overrides the start position for one topic', async () => {
    const r = reader({ from: 'latest', fromByTopic: { events: 'earliest' } });
    assert.deepEqual(await r.assign([{ topic: 'events', partition: 2 }], new Map()), new Map([['events:2', 0n]]));
  });

  test("from 'latest' reads only what is written after the seek", async () => {
    await createTopic(tb.bootstrap, 'late', 3);
    await produceKnown(tb.bootstrap, 'late', 3, 10);
    const r = reader({ topics: ['late'], from: 'latest' });
    assert.deepEqual([...(await r.seek(new Map())).values()], [10n, 10n, 10n]);
    assert.deepEqual(await r.poll(), [], 'nothing new: an empty poll after the wait');
    await produceKnown(tb.bootstrap, 'late', 3, 5, 10);
    const got = await readUntil(r, await r.endOffsets());
    for (let p = 0; p < 3; p++)
      assert.deepEqual(
        got.get(`late:${p}`)!.map((rec) => text(rec.value)),
        [10, 11, 12, 13, 14].map((i) => `p${p}-${i}`),
      );
  });

  test('poll(signal) returns [] as soon as the signal aborts; the fetch in flight is kept for the next poll', async () => {
    await createTopic(tb.bootstrap, 'quiet', 1);
    const r = reader({ topics: ['quiet'], from: 'latest', maxWaitMs: 30_000 });
    await r.seek(new Map());
    const ac = new AbortController();
    const polled = r.poll(ac.signal);
    ac.abort();
    const started = performance.now();
    assert.deepEqual(await polled, []);
    assert.ok(performance.now() - started < 5000, 'did not wait for the broker to answer');
    await produceKnown(tb.bootstrap, 'quiet', 1, 3);
    const got = await readUntil(r, await r.endOffsets(), new Map([['quiet:0', 0n]]));
    assert.deepEqual(
      got.get('quiet:0')!.map((rec) => text(rec.value)),
      ['p0-0', 'p0-1', 'p0-2'],
    );
  });

  test("commit() is seen by lag tools and by a fresh reader with from 'committed' (earliest where none)", async () => {
    const first = reader({ groupId: 'resumer', from: 'committed' });
    assert.deepEqual([...(await first.seek(new Map())).values()], [0n, 0n, 0n], 'no commits yet: earliest');
    await first.commit(
      new Map([
        ['events:0', 10n],
        ['events:1', 20n],
      ]),
    );
    const admin = new Admin({ clientId: 'lag-tool', bootstrapBrokers: [tb.bootstrap] });
    const [group] = await admin.listConsumerGroupOffsets({ groups: ['resumer'] });
    await admin.close();
    const committed = new Map(group!.topics[0]!.partitions.map((p) => [p.partitionIndex, p.committedOffset]));
    assert.deepEqual(
      committed,
      new Map([
        [0, 10n],
        [1, 20n],
      ]),
    );

    const fresh = reader({ groupId: 'resumer', from: 'committed' });
    const starts = await fresh.seek(new Map());
    assert.deepEqual(
      starts,
      new Map([
        ['events:0', 10n],
        ['events:1', 20n],
        ['events:2', 0n],
      ]),
    );
    const got = await readUntil(fresh, await fresh.endOffsets());
    assert.equal(got.get('events:0')![0]!.offset, 10n);
    assert.equal(got.get('events:1')![0]!.offset, 20n);
    assert.equal(got.get('events:2')!.length, N);
  });

  test('commit() to a group with active members is refused with a message that says why', async () => {
    const member = new Consumer({ clientId: 'member', groupId: 'busy', bootstrapBrokers: [tb.bootstrap] });
    const stream = await member.consume({ topics: ['events'], mode: MessagesStreamModes.LATEST, autocommit: false });
    try {
      await assert.rejects(reader({ groupId: 'busy' }).commit(new Map([['events:0', 1n]])), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'SOURCE');
        assert.match(err.message, /group 'busy' was refused: the group has active members.*Use a group id that no consumer joins/);
        return true;
      });
    } finally {
      await stream.close();
      await member.close();
    }
  });

  test('an unknown topic is a clear error, and is not created', async () => {
    const r = reader({ topics: ['no-such-topic'] });
    await assert.rejects(r.assignment(), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'SOURCE');
      assert.match(err.message, /no-such-topic/);
      assert.match(err.message, /Create the topic first/);
      return true;
    });
    assert.equal(tb.broker.logs.topic('no-such-topic'), undefined);
  });

  test('an offset past the end restarts the partition at its earliest offset, with a warning', async () => {
    const warnings: string[] = [];
    const r = reader({ from: 'earliest', onWarning: (m) => warnings.push(m) });
    await r.seek(
      new Map([
        ['events:0', 5000n],
        ['events:1', 1000n],
        ['events:2', 1000n],
      ]),
    );
    const got = await readUntil(
      r,
      await r.endOffsets(),
      new Map([
        ['events:1', 1000n],
        ['events:2', 1000n],
      ]),
    );
    assert.equal(got.get('events:0')!.length, N);
    assert.equal(got.get('events:0')![0]!.offset, 0n);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /events:0: offset 5000 is out of range .* reading from the earliest offset, 0/);
  });
});

describe('KafkaReader when the broker goes away', () => {
  test('a broker restart mid-read: the reader retries, reports it, and reads everything exactly once', async () => {
    let tb = await startTempBroker();
    const retries: RetryInfo[] = [];
    const r = new KafkaReader({
      bootstrap: [tb.bootstrap],
      topics: ['events'],
      groupId: 'g',
      from: 'earliest',
      maxWaitMs: 50,
      maxBytesPerPartition: 4096,
      onRetry: (info) => retries.push(info),
    });
    try {
      await createTopic(tb.bootstrap, 'events', 3);
      await produceKnown(tb.bootstrap, 'events', 3, 300);
      const ends = await r.endOffsets();
      const first = await r.poll();
      assert.ok(first.length > 0 && first.length < 900, `a partial read first (${first.length})`);
      tb = await tb.restart();
      const rest = await readUntil(r, ends);
      const seen = new Map<string, bigint[]>();
      for (const rec of [...first, ...[...rest.values()].flat()]) {
        const k = `${rec.topic}:${rec.partition}`;
        seen.set(k, [...(seen.get(k) ?? []), rec.offset]);
      }
      for (let p = 0; p < 3; p++)
        assert.deepEqual(
          seen.get(`events:${p}`),
          Array.from({ length: 300 }, (_, i) => BigInt(i)),
        );
      for (const info of retries) assert.match(info.message, /failed .*; retry \d+ in \d+ ms/);
    } finally {
      await r.close();
      await tb.dispose();
    }
  });

  test('a broker that stays gone: retries are reported with backoff, then poll() rejects clearly', async () => {
    const tb = await startTempBroker();
    const retries: RetryInfo[] = [];
    const r = new KafkaReader({
      bootstrap: [tb.bootstrap],
      topics: ['events'],
      groupId: 'g',
      from: 'earliest',
      maxWaitMs: 50,
      maxRetries: 2,
      initialBackoffMs: 10,
      onRetry: (info) => retries.push(info),
    });
    try {
      await createTopic(tb.bootstrap, 'events', 1);
      await r.seek(new Map());
      await tb.broker.close();
      await assert.rejects(
        async () => {
          for (;;) await r.poll();
        },
        (err: Error & { code?: string }) => {
          assert.equal(err.code, 'SOURCE');
          assert.match(err.message, new RegExp(`events on ${tb.bootstrap} failed: .*`));
          return true;
        },
      );
      assert.equal(retries.length, 2);
      assert.deepEqual(
        retries.map((i) => i.delayMs),
        [10, 20],
      );
      assert.match(retries[0]!.message, /^(fetch|metadata) failed \(.+\); retry 1 in 10 ms$/);
    } finally {
      await r.close();
      await tb.dispose();
    }
  });
});
