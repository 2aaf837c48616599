// The reader's batch-to-record mapping on hand-built batches, for what Brook's broker does not
// produce itself: transaction markers (control batches) and log-append-time timestamps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KafkaRecord, RecordsBatch } from '@platformatic/kafka';
import { appendRecords, nextOffset } from '../../../src/processor/kafka/records.ts';
import type { SourceRecord } from '../../../src/processor/types.ts';

const record = (offsetDelta: number, timestampDelta: number, value: string): KafkaRecord => ({
  length: 0,
  attributes: 0,
  timestampDelta: BigInt(timestampDelta),
  offsetDelta,
  key: null,
  value: Buffer.from(value),
  headers: [],
});

const batch = (firstOffset: bigint, attributes: number, records: KafkaRecord[], lastOffsetDelta = records.length - 1): RecordsBatch => ({
  firstOffset,
  length: 0,
  partitionLeaderEpoch: 0,
  magic: 2,
  crc: 0,
  attributes,
  lastOffsetDelta,
  firstTimestamp: 1000n,
  maxTimestamp: 5000n,
  producerId: -1n,
  producerEpoch: -1,
  firstSequence: -1,
  records,
});

test('control batches (transaction markers) yield no records, but the position moves past them', () => {
  const batches = [batch(10n, 0x10, [record(0, 0, 'a'), record(1, 5, 'b')]), batch(12n, 0x30, [record(0, 0, 'marker')])];
  const out: SourceRecord[] = [];
  appendRecords(out, 't', 0, batches, 10n);
  assert.deepEqual(
    out.map((r) => [r.offset, r.value?.toString()]),
    [
      [10n, 'a'],
      [11n, 'b'],
    ],
  );
  assert.equal(nextOffset(batches, 10n), 13n, 'past the marker at 12');
});

test('records before the requested offset in the first batch are skipped; compaction gaps keep their offsets', () => {
  const batches = [batch(100n, 0, [record(0, 0, 'x'), record(3, 1, 'y'), record(7, 2, 'z')], 7)];
  const out: SourceRecord[] = [];
  appendRecords(out, 't', 1, batches, 102n);
  assert.deepEqual(
    out.map((r) => [r.offset, r.timestamp]),
    [
      [103n, 1001],
      [107n, 1002],
    ],
  );
  assert.equal(nextOffset(batches, 102n), 108n);
  assert.equal(nextOffset([], 102n), 102n);
});

test('log-append-time batches give every record the batch max timestamp', () => {
  const out: SourceRecord[] = [];
  appendRecords(out, 't', 0, [batch(0n, 0x08, [record(0, 0, 'a'), record(1, 9, 'b')])], 0n);
  assert.deepEqual(
    out.map((r) => r.timestamp),
    [5000, 5000],
  );
});

test('headers become a Map with string keys; records without headers carry none', () => {
  const withHeaders = {
    ...record(0, 0, 'a'),
    headers: [[Buffer.from('h'), Buffer.from('v')] as [Buffer, Buffer], [Buffer.from('n'), null] as [Buffer, null]],
  };
  const out: SourceRecord[] = [];
  appendRecords(out, 't', 0, [batch(0n, 0, [withHeaders, record(1, 0, 'b')])], 0n);
  assert.deepEqual(
    out[0]!.headers,
    new Map([
      ['h', Buffer.from('v')],
      ['n', Buffer.alloc(0)],
    ]),
  );
  assert.equal(out[1]!.headers, undefined);
});
