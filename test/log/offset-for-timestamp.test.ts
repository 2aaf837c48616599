// offsetForTimestamp: the time index narrows the search, batch max timestamps find the batch,
// decodable batches give the exact record; and the KIP-734 max timestamp.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { type BrookLogManager, openLogManager } from '../../src/log/log-manager.ts';
import { Compression } from '../../src/protocol/record-batch.ts';
import { append, batch, ManualClock, tempDir } from './helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let clock: ManualClock;
let logs: BrookLogManager;

beforeEach(async () => {
  tmp = tempDir();
  clock = new ManualClock();
  logs = await openLogManager({ dataDir: tmp.dir, clock: clock.fn, retentionCheckIntervalMs: 0 });
});
afterEach(async () => {
  await logs.close();
  tmp.cleanup();
});

test('finds the first record at or after a timestamp, across segments and after reopen', async () => {
  logs.createTopic('ts', 1, { 'segment.bytes': '1500', 'index.interval.bytes': '150' });
  let log = logs.partition('ts', 0)!;
  // Batch i holds 4 records stamped 1000 + 10*i + {0, 2, 4, 6}: offsets 4i..4i+3.
  for (let i = 0; i < 60; i++) {
    append(
      log,
      batch({
        records: [
          ['a', 'v'],
          ['b', 'v'],
          ['c', 'v'],
          ['d', 'v'],
        ],
        timestamp: BigInt(1000 + 10 * i),
        deltas: [0, 2, 4, 6],
      }),
    );
  }
  assert.ok(logs.partition('ts', 0)!.segments.length > 3);
  const expect = (ts: number) => {
    for (let i = 0; i < 60; i++) {
      for (let k = 0; k < 4; k++) {
        const t = 1000 + 10 * i + 2 * k;
        if (t >= ts) return { offset: BigInt(4 * i + k), timestamp: BigInt(t) };
      }
    }
    return null;
  };
  const check = () => {
    for (let ts = 990; ts <= 1600; ts += 1) assert.deepEqual(log.offsetForTimestamp(BigInt(ts)), expect(ts), `ts ${ts}`);
  };
  check();
  assert.equal(log.offsetForTimestamp(1597n), null);
  assert.deepEqual(log.maxTimestampOffset(), { offset: 239n, timestamp: 1596n });
  await logs.close();
  logs = await openLogManager({ dataDir: tmp.dir, clock: clock.fn, retentionCheckIntervalMs: 0 });
  log = logs.partition('ts', 0)!;
  check();
});

test('timestamps that go backwards: the first record at or after ts in offset order', () => {
  logs.createTopic('ts', 1, { 'index.interval.bytes': '0' });
  const log = logs.partition('ts', 0)!;
  append(log, batch({ records: [['a', '1']], timestamp: 500n }));
  append(log, batch({ records: [['a', '1']], timestamp: 100n }));
  append(log, batch({ records: [['a', '1']], timestamp: 700n }));
  assert.deepEqual(log.offsetForTimestamp(200n), { offset: 0n, timestamp: 500n });
  assert.deepEqual(log.offsetForTimestamp(600n), { offset: 2n, timestamp: 700n });
});

test('compressed batches Node can decode give the exact record', () => {
  logs.createTopic('gz', 1, {});
  const log = logs.partition('gz', 0)!;
  append(
    log,
    batch({
      records: [
        ['a', '1'],
        ['b', '2'],
        ['c', '3'],
      ],
      timestamp: 100n,
      deltas: [0, 5, 10],
      compression: Compression.gzip,
    }),
  );
  assert.deepEqual(log.offsetForTimestamp(103n), { offset: 1n, timestamp: 105n });
});

test('LogAppendTime topics answer with the batch (all its records share the broker time)', () => {
  logs.createTopic('lat', 1, { 'message.timestamp.type': 'LogAppendTime' });
  const log = logs.partition('lat', 0)!;
  append(
    log,
    batch({
      records: [
        ['a', '1'],
        ['b', '2'],
      ],
      timestamp: 1n,
    }),
  );
  clock.advance(1000);
  append(log, batch({ records: [['c', '3']], timestamp: 1n }));
  assert.deepEqual(log.offsetForTimestamp(BigInt(clock.now - 10)), { offset: 2n, timestamp: BigInt(clock.now) });
  assert.deepEqual(log.offsetForTimestamp(0n), { offset: 0n, timestamp: BigInt(clock.now - 1000) });
});
