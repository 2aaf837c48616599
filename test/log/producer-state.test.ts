// Idempotent producers: duplicates answered with the original offsets, sequence gaps and stale
// epochs refused, and the state kept across close, crash and retention.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { LogError } from '../../src/log/log-error.ts';
import { type BrookLogManager, openLogManager } from '../../src/log/log-manager.ts';
import { ProducerState } from '../../src/log/producer-state.ts';
import type { PartitionLog } from '../../src/log/types.ts';
import { append, batch, ManualClock, readAll, tempDir } from './helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let clock: ManualClock;
let logs: BrookLogManager;

const open = () => openLogManager({ dataDir: tmp.dir, clock: clock.fn, retentionCheckIntervalMs: 0 });

beforeEach(async () => {
  tmp = tempDir();
  clock = new ManualClock();
  logs = await open();
});
afterEach(async () => {
  await logs.close();
  tmp.cleanup();
});

const PID = 42n;
/** A batch of `n` records from producer PID at `seq`. */
const idem = (seq: number, n = 2, epoch = 0, pid = PID) =>
  batch({
    records: Array.from({ length: n }, (_, i) => [`k${seq + i}`, `v${seq + i}`] as [string, string]),
    timestamp: 1000n,
    producerId: pid,
    producerEpoch: epoch,
    baseSequence: seq,
  });

const fails = (kafkaError: string) => (e: unknown) => e instanceof LogError && e.kafkaError === kafkaError;
const fileSize = (log: PartitionLog) => fs.statSync(path.join(tmp.dir, `${log.topic}-${log.partition}`, '00000000000000000000.log')).size;

describe('idempotent producer', () => {
  test('a retried batch returns its original offsets and writes nothing', () => {
    logs.createTopic('t', 1, {});
    const log = logs.partition('t', 0)!;
    append(log, batch({ records: [['x', 'y']], timestamp: 1n })); // offset 0, not idempotent
    const first = append(log, idem(0, 3)); // 1..3
    const second = append(log, idem(3, 2)); // 4..5
    const size = fileSize(log);
    const retry = append(log, idem(0, 3));
    assert.deepEqual([retry.baseOffset, retry.lastOffset, retry.duplicate], [first.baseOffset, first.lastOffset, true]);
    assert.deepEqual([first.baseOffset, first.lastOffset, second.baseOffset], [1n, 3n, 4n]);
    assert.equal(log.logEndOffset, 6n);
    assert.equal(fileSize(log), size);
    assert.equal(append(log, idem(5, 1)).baseOffset, 6n);
  });

  test('only the last five batches are remembered', () => {
    logs.createTopic('t', 1, {});
    const log = logs.partition('t', 0)!;
    for (let s = 0; s < 12; s += 2) append(log, idem(s)); // six batches
    assert.equal(append(log, idem(2)).duplicate, true);
    assert.throws(() => append(log, idem(0)), fails('OUT_OF_ORDER_SEQUENCE_NUMBER'));
  });

  test('a gap in sequences is OUT_OF_ORDER_SEQUENCE_NUMBER; so is an unknown producer not starting at 0', () => {
    logs.createTopic('t', 1, {});
    const log = logs.partition('t', 0)!;
    assert.throws(() => append(log, idem(5)), fails('OUT_OF_ORDER_SEQUENCE_NUMBER'));
    append(log, idem(0));
    assert.throws(() => append(log, idem(3)), fails('OUT_OF_ORDER_SEQUENCE_NUMBER'));
    assert.throws(() => append(log, idem(1)), fails('OUT_OF_ORDER_SEQUENCE_NUMBER'), 'overlapping but not a known batch');
    assert.equal(log.logEndOffset, 2n);
    assert.equal(append(log, idem(2)).baseOffset, 2n);
  });

  test('an older epoch is INVALID_PRODUCER_EPOCH; a newer one restarts at sequence 0', () => {
    logs.createTopic('t', 1, {});
    const log = logs.partition('t', 0)!;
    append(log, idem(0, 2, 3));
    assert.throws(() => append(log, idem(2, 2, 2)), fails('INVALID_PRODUCER_EPOCH'));
    assert.throws(() => append(log, idem(2, 2, 4)), fails('OUT_OF_ORDER_SEQUENCE_NUMBER'));
    assert.equal(append(log, idem(0, 2, 4)).baseOffset, 2n);
    assert.throws(() => append(log, idem(2, 2, 3)), fails('INVALID_PRODUCER_EPOCH'));
  });

  test('several batches of one producer in one request are checked in order', () => {
    logs.createTopic('t', 1, {});
    const log = logs.partition('t', 0)!;
    const r = append(log, idem(0, 2), idem(2, 3));
    assert.deepEqual([r.baseOffset, r.lastOffset], [0n, 4n]);
    assert.throws(() => append(log, idem(5, 1), idem(7, 1)), fails('OUT_OF_ORDER_SEQUENCE_NUMBER'));
    assert.equal(log.logEndOffset, 5n, 'a refused request writes none of its batches');
  });

  test('sequences wrap from 2^31-1 to 0', () => {
    const s = new ProducerState();
    s.record(7n, 0, { firstSeq: 0x7ffffffe, lastSeq: 0x7fffffff, firstOffset: 0n, lastOffset: 1n, timestamp: 0n }, 0);
    assert.equal(s.check(7n, 0, 0, 3), null);
    assert.throws(() => s.check(7n, 0, 1, 3), fails('OUT_OF_ORDER_SEQUENCE_NUMBER'));
  });

  test('the state survives close and reopen', async () => {
    logs.createTopic('t', 1, {});
    append(logs.partition('t', 0)!, idem(0), idem(2));
    append(logs.partition('t', 0)!, idem(4));
    await logs.close();
    logs = await open();
    const log = logs.partition('t', 0)!;
    assert.deepEqual([append(log, idem(4)).duplicate, log.logEndOffset], [true, 6n]);
    assert.throws(() => append(log, idem(8)), fails('OUT_OF_ORDER_SEQUENCE_NUMBER'));
    assert.equal(append(log, idem(6)).baseOffset, 6n);
  });

  test('the state survives a crash (snapshot at roll + batch headers after it)', async () => {
    logs.createTopic('t', 1, { 'segment.bytes': '400' });
    let log = logs.partition('t', 0)!;
    for (let s = 0; s < 40; s += 2) append(log, idem(s));
    append(log, idem(0, 2, 0, 99n));
    assert.ok(logs.partition('t', 0)!.segments.length > 3);
    await log.flush();
    await logs.partition('t', 0)!.idle();
    logs.abandon();
    logs = await open();
    log = logs.partition('t', 0)!;
    assert.equal(append(log, idem(38)).duplicate, true);
    assert.equal(append(log, idem(0, 2, 0, 99n)).duplicate, true);
    assert.equal(append(log, idem(40)).baseOffset, 42n);
    assert.equal(append(log, idem(2, 2, 0, 99n)).baseOffset, 44n);
  });

  test('the state outlives the segments retention deletes', async () => {
    logs.createTopic('t', 1, { 'segment.bytes': '400', 'retention.bytes': '0', 'retention.ms': '-1' });
    let log = logs.partition('t', 0)!;
    for (let s = 0; s < 20; s += 2) append(log, idem(s));
    for (let i = 0; i < 12; i++) append(log, batch({ records: [['other', 'x']], timestamp: 1n }));
    await logs.runMaintenance();
    // Only the active segment is left, and it holds none of the producer's batches.
    assert.equal(log.segments.length, 1);
    assert.ok(log.logStartOffset >= 20n, `log start ${log.logStartOffset}`);
    assert.ok(readAll(log).every((r) => r.key === 'other'));
    await logs.close();
    logs = await open();
    log = logs.partition('t', 0)!;
    assert.throws(() => append(log, idem(0)), fails('OUT_OF_ORDER_SEQUENCE_NUMBER'), 'the producer is still known');
    assert.equal(append(log, idem(20)).baseOffset, 32n);
  });
});
