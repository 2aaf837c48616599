// Crash recovery: torn, truncated and corrupted tails, damaged or missing indexes, and what a
// clean shutdown lets the next open trust.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { type BrookLogManager, openLogManager } from '../../src/log/log-manager.ts';
import { append, batchesOf, ManualClock, readAll, sized, tempDir } from './helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let clock: ManualClock;
let logs: BrookLogManager;

const open = () => openLogManager({ dataDir: tmp.dir, clock: clock.fn, retentionCheckIntervalMs: 0 });
const file = (name: string) => path.join(tmp.dir, 't-0', name);
const SEG0 = '00000000000000000000';

beforeEach(async () => {
  tmp = tempDir();
  clock = new ManualClock();
  logs = await open();
});
afterEach(async () => {
  await logs.close();
  tmp.cleanup();
});

/** 10 batches of 3 records: offsets 0..29. Returns the batch size. */
async function fill(overrides: Record<string, string> = {}, flushed = 10, unflushed = 0): Promise<number> {
  logs.createTopic('t', 1, overrides);
  const log = logs.partition('t', 0)!;
  for (let i = 0; i < flushed; i++) append(log, sized(3, 40, BigInt(1000 + i), `f${i % 10}-`));
  await log.flush();
  for (let i = 0; i < unflushed; i++) append(log, sized(3, 40, BigInt(2000 + i), `u${i % 10}-`));
  return sized(3, 40, 0n, 'f0-').length;
}

async function crashAndReopen(damage: () => void = () => {}): Promise<void> {
  logs.abandon();
  damage();
  logs = await open();
  assert.equal(logs.openedClean, false);
}

const offsets = (n: number) => Array.from({ length: n }, (_, i) => BigInt(i));

describe('recovery after a crash', () => {
  test('garbage after the last batch is cut; appends continue at the right offset', async () => {
    const size = await fill({}, 10, 2);
    await crashAndReopen(() => fs.appendFileSync(file(`${SEG0}.log`), Buffer.from('this is not a batch at all, just junk bytes')));
    const log = logs.partition('t', 0)!;
    assert.equal(log.logEndOffset, 36n);
    assert.equal(fs.statSync(file(`${SEG0}.log`)).size, 12 * size);
    assert.equal(log.recoveredTruncatedBytes, 43);
    assert.deepEqual(
      readAll(log).map((r) => r.offset),
      offsets(36),
    );
    assert.equal(append(log, sized(1, 1, 1n)).baseOffset, 36n);
  });

  test('a torn (half-written) last batch is cut; flushed records all remain', async () => {
    const size = await fill({}, 10, 0);
    const whole = sized(3, 40, 5n);
    await crashAndReopen(() => fs.appendFileSync(file(`${SEG0}.log`), whole.subarray(0, 70)));
    const log = logs.partition('t', 0)!;
    assert.equal(log.logEndOffset, 30n);
    assert.equal(fs.statSync(file(`${SEG0}.log`)).size, 10 * size);
    assert.deepEqual(
      readAll(log).map((r) => r.offset),
      offsets(30),
    );
    assert.equal(append(log, sized(2, 1, 1n)).baseOffset, 30n);
  });

  test('unflushed bytes lost mid-batch (power cut): cut at the last whole batch', async () => {
    const size = await fill({}, 10, 3);
    await crashAndReopen(() => fs.truncateSync(file(`${SEG0}.log`), 11 * size + 17));
    const log = logs.partition('t', 0)!;
    assert.equal(log.logEndOffset, 33n);
    assert.deepEqual(
      readAll(log).map((r) => r.offset),
      offsets(33),
    );
  });

  test('a flipped byte in the last batch fails its CRC: that batch and what follows go', async () => {
    const size = await fill({}, 10, 2);
    await crashAndReopen(() => {
      const fd = fs.openSync(file(`${SEG0}.log`), 'r+');
      const pos = 11 * size + 100; // inside the 12th batch
      const b = Buffer.alloc(1);
      fs.readSync(fd, b, 0, 1, pos);
      b[0] = b[0]! ^ 0xff;
      fs.writeSync(fd, b, 0, 1, pos);
      fs.closeSync(fd);
    });
    const log = logs.partition('t', 0)!;
    assert.equal(log.logEndOffset, 33n);
    assert.deepEqual(
      readAll(log).map((r) => r.offset),
      offsets(33),
    );
    assert.equal(append(log, sized(1, 1, 1n)).baseOffset, 33n);
  });

  test('corruption in an older segment cuts there and drops the later segments', async () => {
    const size = sized(3, 40, 0n, 'f0-').length;
    await fill({ 'segment.bytes': String(size * 4) }, 10, 0);
    assert.equal(logs.partition('t', 0)!.segments.length, 3);
    await crashAndReopen(() => {
      fs.rmSync(file('recovery-point'), { force: true }); // as if the crash came before any segment was sealed
      const fd = fs.openSync(file(`${SEG0}.log`), 'r+');
      fs.writeSync(fd, Buffer.from([0xde, 0xad]), 0, 2, 2 * size + 80);
      fs.closeSync(fd);
    });
    const log = logs.partition('t', 0)!;
    assert.equal(log.logEndOffset, 6n);
    assert.equal(log.segments.length, 1);
    assert.deepEqual(
      fs.readdirSync(path.join(tmp.dir, 't-0')).filter((f) => f.endsWith('.log')),
      [`${SEG0}.log`],
    );
    assert.equal(append(log, sized(1, 1, 1n)).baseOffset, 6n);
  });

  test('a deleted index file of the active segment is rebuilt from the log', async () => {
    await fill({ 'index.interval.bytes': '100' }, 10, 0);
    await crashAndReopen(() => {
      fs.rmSync(file(`${SEG0}.index`), { force: true });
      fs.rmSync(file(`${SEG0}.timeindex`), { force: true });
    });
    const log = logs.partition('t', 0)!;
    assert.ok(log.segments[0]!.index.entries > 0);
    for (let o = 0n; o < 30n; o++) assert.equal(batchesOf(log.read(o, 1, true).chunks)[0]!.h.baseOffset, (o / 3n) * 3n);
  });
});

test('the recovery point follows sealed segments; older segments are trusted after a crash', async () => {
  const size = sized(3, 40, 0n, 'f0-').length;
  await fill({ 'segment.bytes': String(size * 4) }, 10, 0);
  const log = logs.partition('t', 0)!;
  await log.idle();
  assert.equal(fs.readFileSync(file('recovery-point'), 'utf8').trim(), '24');
  assert.ok(fs.existsSync(file(`${SEG0}.index`)), 'sealed segments have their index files');
  await crashAndReopen();
  const reopened = logs.partition('t', 0)!;
  assert.deepEqual(
    reopened.segments.map((s) => s.indexesOnDisk),
    [true, true, false],
    'only the active segment (at the recovery point) was validated and re-indexed',
  );
  assert.deepEqual(
    readAll(reopened).map((r) => r.offset),
    offsets(30),
  );
});

describe('after a clean shutdown', () => {
  test('indexes are trusted, the end offset and max timestamp are found', async () => {
    const size = sized(3, 40, 0n, 'f0-').length;
    await fill({ 'segment.bytes': String(size * 4), 'index.interval.bytes': '100' }, 10, 0);
    await logs.close();
    logs = await open();
    assert.equal(logs.openedClean, true);
    const log = logs.partition('t', 0)!;
    assert.equal(log.logEndOffset, 30n);
    assert.ok(log.segments.every((s) => s.indexesOnDisk));
    assert.equal(log.segments.at(-1)!.maxTimestamp, 1009n);
    assert.equal(log.segments[0]!.maxTimestamp, 1003n);
    assert.deepEqual(
      readAll(log).map((r) => r.offset),
      offsets(30),
    );
    assert.equal(append(log, sized(1, 1, 1n)).baseOffset, 30n);
  });

  test('damaged index files are rebuilt (odd size, decreasing entries, past the end)', async () => {
    const size = sized(3, 40, 0n, 'f0-').length;
    await fill({ 'segment.bytes': String(size * 4), 'index.interval.bytes': '100' }, 10, 0);
    await logs.close();
    const seg1 = '00000000000000000012';
    fs.appendFileSync(file(`${SEG0}.index`), Buffer.from([1, 2, 3])); // not a multiple of 8
    const idx = fs.readFileSync(file(`${seg1}.index`));
    assert.ok(idx.length >= 16);
    idx.writeInt32BE(1000, 0); // first entry above the next one
    fs.writeFileSync(file(`${seg1}.index`), idx);
    fs.writeFileSync(file('00000000000000000024.timeindex'), Buffer.alloc(7));
    logs = await open();
    const log = logs.partition('t', 0)!;
    for (const s of log.segments) assert.ok(s.index.entries > 0 || s.size < 200);
    for (let o = 0n; o < 30n; o++) assert.equal(batchesOf(log.read(o, 1, true).chunks)[0]!.h.baseOffset, (o / 3n) * 3n, `offset ${o}`);
    await logs.close();
    assert.equal(fs.statSync(file(`${SEG0}.index`)).size % 8, 0, 'rewritten on close');
    logs = await open();
  });

  test('a log cut behind the index (entries past the end) is detected and recovered', async () => {
    const size = await fill({ 'index.interval.bytes': '100' }, 10, 0);
    await logs.close();
    fs.truncateSync(file(`${SEG0}.log`), 4 * size + 10);
    logs = await open();
    const log = logs.partition('t', 0)!;
    assert.equal(log.logEndOffset, 12n);
    assert.deepEqual(
      readAll(log).map((r) => r.offset),
      offsets(12),
    );
  });
});
