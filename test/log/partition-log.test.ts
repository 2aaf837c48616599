// Append/read round trips, sparse index lookups, segment rolls (size, time), reads across
// segments and the whole-batch rule.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { LogError } from '../../src/log/log-error.ts';
import { type BrookLogManager, openLogManager } from '../../src/log/log-manager.ts';
import { Compression, isLogAppendTime, validateBatch } from '../../src/protocol/record-batch.ts';
import { append, batch, batchesOf, ManualClock, readAll, recordsOf, sized, tempDir } from './helpers.ts';

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

const segmentFiles = (topic: string, p = 0) =>
  fs
    .readdirSync(path.join(tmp.dir, `${topic}-${p}`))
    .filter((f) => f.endsWith('.log'))
    .sort();

describe('append and read', () => {
  test('round trip assigns offsets in order and returns the stored records', () => {
    logs.createTopic('t', 1, {});
    const log = logs.partition('t', 0)!;
    const r1 = append(
      log,
      batch({
        records: [
          ['a', '1'],
          ['b', '2'],
        ],
        timestamp: 1000n,
      }),
    );
    const r2 = append(
      log,
      batch({ records: [['c', '3']], timestamp: 1001n }),
      batch({
        records: [
          ['d', '4'],
          ['e', '5'],
          ['f', '6'],
        ],
        timestamp: 1002n,
      }),
    );
    assert.deepEqual([r1.baseOffset, r1.lastOffset, r1.duplicate, r1.logAppendTime], [0n, 1n, false, -1n]);
    assert.deepEqual([r2.baseOffset, r2.lastOffset], [2n, 5n]);
    assert.equal(log.logEndOffset, 6n);
    assert.equal(log.logStartOffset, 0n);
    const read = log.read(0n, 1 << 20, false);
    assert.equal(read.highWatermark, 6n);
    const recs = recordsOf(read.chunks);
    assert.deepEqual(
      recs.map((r) => [r.offset, r.key, r.value]),
      [
        [0n, 'a', '1'],
        [1n, 'b', '2'],
        [2n, 'c', '3'],
        [3n, 'd', '4'],
        [4n, 'e', '5'],
        [5n, 'f', '6'],
      ],
    );
    for (const { buf, h } of batchesOf(read.chunks)) assert.doesNotThrow(() => validateBatch(buf, h.position));
    assert.equal(
      read.bytes,
      read.chunks.reduce((n, c) => n + c.length, 0),
    );
  });

  test('reading at the log end is empty; outside [start, end] is OFFSET_OUT_OF_RANGE', () => {
    logs.createTopic('t', 1, {});
    const log = logs.partition('t', 0)!;
    assert.deepEqual(log.read(0n, 1000, true).chunks, []);
    append(log, sized(3, 10, 1n));
    assert.equal(log.read(3n, 1000, true).bytes, 0);
    assert.throws(
      () => log.read(4n, 1000, true),
      (e: unknown) => e instanceof LogError && e.kafkaError === 'OFFSET_OUT_OF_RANGE',
    );
    assert.throws(
      () => log.read(-1n, 1000, true),
      (e: unknown) => e instanceof LogError && e.kafkaError === 'OFFSET_OUT_OF_RANGE',
    );
  });

  test('a read starting mid-batch returns the whole batch holding the offset', () => {
    logs.createTopic('t', 1, {});
    const log = logs.partition('t', 0)!;
    append(log, sized(5, 10, 1n));
    append(log, sized(5, 10, 1n));
    const b = batchesOf(log.read(7n, 10_000, true).chunks);
    assert.equal(b[0]!.h.baseOffset, 5n);
    assert.equal(b.length, 1);
  });

  test('maxBytes: whole batches only, at least one when minOneBatch', () => {
    logs.createTopic('t', 1, {});
    const log = logs.partition('t', 0)!;
    const one = sized(10, 100, 5n);
    for (let i = 0; i < 20; i++) append(log, sized(10, 100, 5n));
    const size = one.length;
    assert.equal(log.read(0n, size - 1, false).bytes, 0, 'no batch fits and minOneBatch is false');
    const forced = log.read(0n, 1, true);
    assert.equal(forced.bytes, size);
    for (const max of [size, size + 1, 2 * size - 1, 2 * size, 7 * size + 13, 1 << 20]) {
      const r = log.read(0n, max, false);
      const n = batchesOf(r.chunks).length;
      assert.equal(n, Math.min(20, Math.floor(max / size)), `maxBytes ${max}`);
      assert.ok(r.bytes <= max);
    }
  });

  test('LogAppendTime topics stamp the broker clock and keep the CRC valid', () => {
    logs.createTopic('lat', 1, { 'message.timestamp.type': 'LogAppendTime' });
    const log = logs.partition('lat', 0)!;
    const r = append(log, batch({ records: [['a', '1']], timestamp: 5n }));
    assert.equal(r.logAppendTime, BigInt(clock.now));
    const [{ buf, h }] = batchesOf(log.read(0n, 1000, true).chunks) as [{ buf: Buffer; h: ReturnType<typeof validateBatch> }];
    assert.ok(isLogAppendTime(h));
    assert.equal(h.maxTimestamp, BigInt(clock.now));
    assert.doesNotThrow(() => validateBatch(buf, h.position));
  });

  test('batches above max.message.bytes are MESSAGE_TOO_LARGE; sets above segment.bytes RECORD_LIST_TOO_LARGE', () => {
    logs.createTopic('small', 1, { 'max.message.bytes': '500', 'segment.bytes': '2000' });
    const log = logs.partition('small', 0)!;
    assert.throws(
      () => append(log, sized(1, 600, 1n)),
      (e: unknown) => e instanceof LogError && e.kafkaError === 'MESSAGE_TOO_LARGE',
    );
    const b = sized(1, 300, 1n);
    assert.throws(
      () => append(log, ...Array(6).fill(b)),
      (e: unknown) => e instanceof LogError && e.kafkaError === 'RECORD_LIST_TOO_LARGE',
    );
    assert.equal(log.logEndOffset, 0n, 'nothing was written');
    append(log, b);
    assert.equal(log.logEndOffset, 1n);
  });

  test('gzip and zstd batches are stored as received', () => {
    logs.createTopic('z', 1, {});
    const log = logs.partition('z', 0)!;
    append(
      log,
      batch({
        records: [
          ['a', 'x'.repeat(500)],
          ['b', 'y'],
        ],
        timestamp: 1n,
        compression: Compression.gzip,
      }),
    );
    append(log, batch({ records: [['c', 'z'.repeat(500)]], timestamp: 2n, compression: Compression.zstd }));
    assert.deepEqual(
      readAll(log).map((r) => [r.offset, r.key]),
      [
        [0n, 'a'],
        [1n, 'b'],
        [2n, 'c'],
      ],
    );
  });

  test('onAppend listeners run after append (in a microtask) and can unsubscribe', async () => {
    logs.createTopic('t', 1, {});
    const log = logs.partition('t', 0)!;
    let calls = 0;
    const off = log.onAppend(() => calls++);
    append(log, sized(1, 1, 1n));
    append(log, sized(1, 1, 1n));
    assert.equal(calls, 0, 'not synchronous');
    await Promise.resolve();
    assert.equal(calls, 1, 'two appends in one tick notify once');
    off();
    append(log, sized(1, 1, 1n));
    await Promise.resolve();
    assert.equal(calls, 1);
  });
});

describe('sparse index', () => {
  test('lookups at every offset land on the batch holding it', () => {
    logs.createTopic('idx', 1, { 'index.interval.bytes': '200', 'segment.bytes': '20000' });
    const log = logs.partition('idx', 0)!;
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const batches: [bigint, bigint][] = [];
    for (let i = 0; i < 300; i++) {
      const r = append(log, sized(1 + rand(6), 5 + rand(60), BigInt(i)));
      batches.push([r.baseOffset, r.lastOffset]);
    }
    const p = logs.partition('idx', 0)!;
    assert.ok(p.segments.length > 2, 'rolled several segments');
    assert.ok(
      p.segments.every((s) => s.size === 0 || s.index.entries > 0 || s.size < 400),
      'indexes have entries',
    );
    for (const [base, last] of batches) {
      for (let o = base; o <= last; o++) {
        const got = batchesOf(log.read(o, 1, true).chunks);
        assert.equal(got.length, 1);
        assert.equal(got[0]!.h.baseOffset, base, `offset ${o}`);
      }
    }
  });
});

describe('segments', () => {
  test('roll by size: files named by 20-digit base offsets, reads span segments', () => {
    const b = sized(4, 50, 1n);
    logs.createTopic('roll', 1, { 'segment.bytes': String(b.length * 3) });
    const log = logs.partition('roll', 0)!;
    for (let i = 0; i < 10; i++) append(log, sized(4, 50, 1n, String(i)));
    assert.deepEqual(segmentFiles('roll'), [
      '00000000000000000000.log',
      '00000000000000000012.log',
      '00000000000000000024.log',
      '00000000000000000036.log',
    ]);
    const all = log.read(0n, 1 << 20, true);
    assert.equal(batchesOf(all.chunks).length, 10, 'one read crosses segment boundaries');
    assert.equal(all.chunks.length, 4);
    assert.deepEqual(
      readAll(log, 0n, b.length * 2).map((r) => r.offset),
      Array.from({ length: 40 }, (_, i) => BigInt(i)),
    );
    assert.equal(readAll(log, 13n)[0]!.offset, 13n);
  });

  test('roll by time (segment.ms), counted on the broker clock', () => {
    logs.createTopic('aged', 1, { 'segment.ms': '1000' });
    const log = logs.partition('aged', 0)!;
    append(log, sized(1, 1, 1n));
    clock.advance(999);
    append(log, sized(1, 1, 1n));
    assert.equal(segmentFiles('aged').length, 1);
    clock.advance(1);
    append(log, sized(1, 1, 1n));
    assert.deepEqual(segmentFiles('aged'), ['00000000000000000000.log', '00000000000000000002.log']);
  });

  test('roll when the offset index is full (segment.index.bytes)', () => {
    logs.createTopic('full', 1, { 'segment.index.bytes': '24', 'index.interval.bytes': '0' });
    const log = logs.partition('full', 0)!;
    for (let i = 0; i < 6; i++) append(log, sized(1, 1, 1n));
    // Entries go in from the second batch on; three 8-byte entries fill the index, then it rolls.
    assert.deepEqual(segmentFiles('full'), ['00000000000000000000.log', '00000000000000000004.log']);
  });
});
