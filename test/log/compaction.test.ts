// Compaction: the latest record per key survives with its offset, tombstones go after
// delete.retention.ms, undecodable batches stay as they are, and an interrupted swap is
// completed or discarded on open.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { crc32c } from '../../src/common/crc32c.ts';
import { LogError } from '../../src/log/log-error.ts';
import { type BrookLogManager, openLogManager } from '../../src/log/log-manager.ts';
import { ATTRIBUTES, Compression, CRC } from '../../src/protocol/record-batch.ts';
import { append, batch, ManualClock, readAll, tempDir } from './helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let clock: ManualClock;
let logs: BrookLogManager;

const open = () => openLogManager({ dataDir: tmp.dir, clock: clock.fn, retentionCheckIntervalMs: 0 });
const dirOf = (topic: string) => path.join(tmp.dir, `${topic}-0`);
const SEG0 = '00000000000000000000';

beforeEach(async () => {
  tmp = tempDir();
  clock = new ManualClock(10_000_000);
  logs = await open();
});
afterEach(async () => {
  await logs.close();
  tmp.cleanup();
});

const kv = (k: string, v: string | null, ts = BigInt(clock.now)) => batch({ records: [[k, v]], timestamp: ts });
const view = (topic: string) => readAll(logs.partition(topic, 0)!).map((r) => `${r.offset}:${r.key}=${r.value}`);

/** keys a, b, c written four times each (offsets 0..11), segments of three records, plus one more. */
function history(topic: string, overrides: Record<string, string> = {}) {
  const size = kv('a', 'a0').length;
  logs.createTopic(topic, 1, { 'cleanup.policy': 'compact', 'segment.bytes': String(size * 3), ...overrides });
  const log = logs.partition(topic, 0)!;
  for (let v = 0; v < 4; v++) for (const k of ['a', 'b', 'c']) append(log, kv(k, `${k}${v}`));
  append(log, kv('d', 'd0')); // rolls: offsets 0..11 sit in four inactive segments
  return log;
}

test('keeps the latest value per key, with unchanged offsets', async () => {
  const log = history('c');
  assert.equal(log.segments.length, 5);
  await logs.runMaintenance();
  assert.deepEqual(view('c'), ['9:a=a3', '10:b=b3', '11:c=c3', '12:d=d0']);
  assert.equal(log.logStartOffset, 0n, 'compaction never moves the log start');
  assert.deepEqual(log.read(0n, 1000, true).chunks.length > 0, true, 'offset 0 still readable (next record served)');
  assert.equal(readAll(log, 3n)[0]!.offset, 9n);
  append(log, kv('a', 'a4'));
  assert.equal(log.logEndOffset, 14n);
  await logs.close();
  logs = await open();
  assert.deepEqual(view('c'), ['9:a=a3', '10:b=b3', '11:c=c3', '12:d=d0', '13:a=a4']);
});

test('keys in the active segment count as newer', async () => {
  const log = history('c');
  append(log, kv('b', 'b-new'));
  await logs.runMaintenance();
  assert.deepEqual(view('c'), ['9:a=a3', '11:c=c3', '12:d=d0', '13:b=b-new']);
});

test('multi-record batches are rebuilt keeping base offset, last offset delta and producer fields', async () => {
  logs.createTopic('m', 1, { 'cleanup.policy': 'compact', 'segment.bytes': '400' });
  const log = logs.partition('m', 0)!;
  const b = batch({
    records: [
      ['x', '1'],
      ['y', '1'],
      ['z', '1'],
    ],
    timestamp: 5n,
    producerId: 7n,
    producerEpoch: 1,
    baseSequence: 0,
  });
  append(log, b);
  append(log, kv('x', '2'), kv('z', '2'));
  append(log, kv('pad', 'p'.repeat(200)));
  await logs.runMaintenance();
  const chunks = log.read(0n, 10_000, true).chunks;
  const first = chunks[0]!;
  assert.equal(first.readBigInt64BE(0), 0n, 'base offset');
  assert.equal(first.readInt32BE(23), 2, 'last offset delta kept');
  assert.equal(first.readBigInt64BE(43), 7n, 'producer id kept');
  assert.equal(first.readInt32BE(57), 1, 'one record left');
  assert.deepEqual(view('m').slice(0, 3), ['1:y=1', '3:x=2', '4:z=2']);
});

test('tombstones hide older values and go once older than delete.retention.ms', async () => {
  const log = history('c', { 'delete.retention.ms': '1000', 'min.cleanable.dirty.ratio': '0' });
  append(log, kv('a', null));
  append(log, kv('e', 'e0'), kv('f', 'f0')); // rolls again: the tombstone (13) is now inactive
  await logs.runMaintenance();
  assert.deepEqual(view('c'), ['10:b=b3', '11:c=c3', '12:d=d0', '13:a=null', '14:e=e0', '15:f=f0']);
  clock.advance(1001);
  append(log, kv('g', 'g0'), kv('h', 'h0'), kv('i', 'i0'));
  append(log, kv('j', 'j0'));
  await logs.runMaintenance();
  assert.ok(!view('c').includes('13:a=null'), `tombstone gone: ${view('c')}`);
  assert.ok(view('c').includes('10:b=b3'));
});

test('min.compaction.lag.ms keeps recent segments uncleaned', async () => {
  history('c', { 'min.compaction.lag.ms': '60000' });
  await logs.runMaintenance();
  assert.equal(view('c').length, 13);
  clock.advance(60_001);
  await logs.runMaintenance();
  assert.equal(view('c').length, 4);
});

test('records without keys are refused on append (uncompressed batches)', () => {
  logs.createTopic('c', 1, { 'cleanup.policy': 'compact' });
  const log = logs.partition('c', 0)!;
  assert.throws(
    () =>
      append(
        log,
        batch({
          records: [
            ['k', 'v'],
            [null, 'v'],
          ],
          timestamp: 1n,
        }),
      ),
    (e: unknown) => e instanceof LogError && e.kafkaError === 'INVALID_RECORD',
  );
  assert.equal(log.logEndOffset, 0n);
});

test('batches Node cannot decode (snappy, lz4) are kept unchanged', async () => {
  const size = kv('a', 'a0').length;
  logs.createTopic('s', 1, { 'cleanup.policy': 'compact', 'segment.bytes': String(size * 3) });
  const log = logs.partition('s', 0)!;
  const fake = kv('a', 'old');
  fake.writeInt16BE(Compression.snappy, ATTRIBUTES); // pretend: this body is not decodable here
  fake.writeUInt32BE(crc32c(fake, ATTRIBUTES, fake.length), CRC);
  append(log, fake);
  append(log, kv('b', 'b0'), kv('a', 'new'));
  append(log, kv('c', 'c0'));
  await logs.runMaintenance();
  const chunks = log.read(0n, 10_000, true).chunks;
  assert.equal(chunks[0]!.readBigInt64BE(0), 0n, 'the snappy batch is still there');
  assert.equal(chunks[0]!.readInt16BE(ATTRIBUTES) & 7, Compression.snappy);
});

test('an interrupted swap: a .swap file is completed, a .cleaned file discarded', async () => {
  history('c');
  await logs.close();
  const dir = dirOf('c');
  const original = fs.readFileSync(path.join(dir, `${SEG0}.log`));
  logs = await open();
  await logs.runMaintenance();
  const expected = view('c');
  await logs.close();
  const cleaned = fs.readFileSync(path.join(dir, `${SEG0}.log`));
  assert.ok(cleaned.length < original.length);

  // Crash after the rename to .swap (the commit point) but before the old file was replaced:
  // the original is back with its old indexes, and the cleaned file waits as .swap.
  fs.writeFileSync(path.join(dir, `${SEG0}.log`), original);
  fs.writeFileSync(path.join(dir, `${SEG0}.log.swap`), cleaned);
  fs.rmSync(path.join(dir, '..', '.clean-shutdown'));
  logs = await open();
  assert.deepEqual(view('c'), expected);
  assert.ok(!fs.existsSync(path.join(dir, `${SEG0}.log.swap`)));
  await logs.close();

  // Crash while the cleaned file was being written: it is discarded, the original stays.
  fs.writeFileSync(path.join(dir, `${SEG0}.log`), original);
  fs.writeFileSync(path.join(dir, `${SEG0}.log.cleaned`), cleaned.subarray(0, 20));
  fs.rmSync(path.join(dir, `${SEG0}.index`));
  logs = await open();
  assert.ok(!fs.existsSync(path.join(dir, `${SEG0}.log.cleaned`)));
  assert.deepEqual(view('c').slice(0, 3), ['0:a=a0', '1:b=b0', '2:c=c0']);
});
