// Retention: whole segments deleted by age (largest timestamp) and by partition size, the log
// start offset advanced, the active segment rolled when everything expired; the timer.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { LogError } from '../../src/log/log-error.ts';
import { type BrookLogManager, openLogManager } from '../../src/log/log-manager.ts';
import { append, ManualClock, readAll, sized, tempDir } from './helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let clock: ManualClock;
let logs: BrookLogManager;

const open = (extra = {}) => openLogManager({ dataDir: tmp.dir, clock: clock.fn, retentionCheckIntervalMs: 0, ...extra });
const logFiles = (topic: string) =>
  fs
    .readdirSync(path.join(tmp.dir, `${topic}-0`))
    .filter((f) => f.endsWith('.log'))
    .sort();

beforeEach(async () => {
  tmp = tempDir();
  clock = new ManualClock(1_000_000);
  logs = await open();
});
afterEach(async () => {
  await logs.close();
  tmp.cleanup();
});

const one = sized(2, 100, 0n);

/** Four segments of three batches; segment i's records are stamped 1_000_000 + 1000 * i. */
function fourSegments(topic: string, overrides: Record<string, string>) {
  logs.createTopic(topic, 1, { 'segment.bytes': String(one.length * 3), ...overrides });
  const log = logs.partition(topic, 0)!;
  for (let s = 0; s < 4; s++) for (let b = 0; b < 3; b++) append(log, sized(2, 100, BigInt(1_000_000 + 1000 * s)));
  assert.deepEqual(logFiles(topic), [
    '00000000000000000000.log',
    '00000000000000000006.log',
    '00000000000000000012.log',
    '00000000000000000018.log',
  ]);
  return log;
}

test('retention.ms deletes whole segments older than the horizon and advances the log start', async () => {
  const log = fourSegments('t', { 'retention.ms': '5000' });
  clock.now = 1_000_000 + 1000 + 5001; // segments 0 and 1 are past the horizon
  await logs.runMaintenance();
  await logs.partition('t', 0)!.idle();
  assert.equal(log.logStartOffset, 12n);
  assert.deepEqual(logFiles('t'), ['00000000000000000012.log', '00000000000000000018.log']);
  assert.equal(fs.readdirSync(path.join(tmp.dir, 't-0')).filter((f) => f.includes('.deleted')).length, 0);
  assert.throws(
    () => log.read(11n, 1000, true),
    (e: unknown) => e instanceof LogError && e.kafkaError === 'OFFSET_OUT_OF_RANGE',
  );
  assert.equal(readAll(log)[0]!.offset, 12n);
  await logs.close();
  logs = await open();
  assert.equal(logs.partition('t', 0)!.logStartOffset, 12n, 'the log start survives reopen');
});

test('when every segment expired the active one is rolled and deleted too', async () => {
  const log = fourSegments('t', { 'retention.ms': '1000' });
  clock.now = 10_000_000;
  await logs.runMaintenance();
  assert.equal(log.logStartOffset, 24n);
  assert.equal(log.logEndOffset, 24n);
  assert.deepEqual(log.read(24n, 1000, true).chunks, []);
  assert.equal(append(log, sized(1, 1, 1n)).baseOffset, 24n);
  assert.deepEqual(logFiles('t'), ['00000000000000000024.log']);
});

test('retention.bytes deletes the oldest segments while the rest still exceeds the limit', async () => {
  const log = fourSegments('t', { 'retention.bytes': String(one.length * 5), 'retention.ms': '-1' });
  // 12 batches; deleting segment 0 leaves 9 >= 5, segment 1 leaves 6 >= 5, segment 2 would leave 3 < 5.
  await logs.runMaintenance();
  assert.equal(log.logStartOffset, 12n);
  assert.deepEqual(logFiles('t'), ['00000000000000000012.log', '00000000000000000018.log']);
});

test('retention.ms=-1 and cleanup.policy=compact keep old segments', async () => {
  const a = fourSegments('forever', { 'retention.ms': '-1' });
  const b = fourSegments('compacted', { 'cleanup.policy': 'compact', 'retention.ms': '1' });
  clock.now = 100_000_000;
  await logs.runMaintenance();
  assert.equal(a.logStartOffset, 0n);
  assert.equal(b.logStartOffset, 0n);
});

test('the retention timer runs maintenance every log.retention.check.interval.ms', async (t) => {
  await logs.close();
  t.mock.timers.enable({ apis: ['setInterval'] });
  logs = await open({ retentionCheckIntervalMs: 60_000 });
  const log = fourSegments('t', { 'retention.ms': '1000' });
  clock.now = 10_000_000;
  t.mock.timers.tick(59_999);
  assert.equal(logs.maintenancePasses, 0);
  t.mock.timers.tick(1);
  assert.equal(logs.maintenancePasses, 1);
  await logs.runMaintenance(); // joins the pass the timer started
  assert.equal(logs.maintenancePasses, 1);
  assert.equal(log.logStartOffset, 24n);
  await logs.close();
  t.mock.timers.reset();
});
