// RecordBatch v2: header fields, validation (CRC, magic, lengths, counts), in-place offset and
// LogAppendTime edits, and records round-tripping through the builder (incl. gzip and zstd).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BASE_OFFSET,
  Compression,
  compressionOf,
  InvalidBatchError,
  isLogAppendTime,
  lastOffsetOf,
  readBatchHeader,
  setBaseOffset,
  setLogAppendTime,
  validateBatch,
  validateProducedRecords,
} from '../../src/protocol/record-batch.ts';
import { buildBatch, decodeRecords, simpleBatch } from '../../src/protocol/records.ts';

const entries = [
  { key: 'k1', value: 'v1', headers: [{ key: 'h', value: Buffer.from('x') }] },
  { key: null, value: 'v2' },
  { key: 'k3', value: null },
];

test('a built batch has a valid header and decodes to the same records', () => {
  for (const compression of [Compression.none, Compression.gzip, Compression.zstd]) {
    const batch = simpleBatch(entries, 1_700_000_000_000n, { producerId: 7n, producerEpoch: 2, baseSequence: 10, compression });
    const h = validateBatch(batch, 0);
    assert.equal(h.size, batch.length);
    assert.equal(h.magic, 2);
    assert.equal(h.recordCount, 3);
    assert.equal(h.lastOffsetDelta, 2);
    assert.equal(h.producerId, 7n);
    assert.equal(h.producerEpoch, 2);
    assert.equal(h.baseSequence, 10);
    assert.equal(compressionOf(h), compression);
    const recs = decodeRecords(batch, h);
    assert.deepEqual(
      recs.map((r) => [r.key?.toString() ?? null, r.value?.toString() ?? null]),
      [
        ['k1', 'v1'],
        [null, 'v2'],
        ['k3', null],
      ],
    );
    assert.equal(recs[0]?.headers[0]?.key, 'h');
    assert.deepEqual(recs[0]?.headers[0]?.value, Buffer.from('x'));
  }
});

test('any flipped byte inside the CRC range is caught', () => {
  const batch = simpleBatch(entries, 1n);
  for (let i = 21; i < batch.length; i++) {
    const copy = Buffer.from(batch);
    copy[i] = (copy[i] as number) ^ 0x40;
    assert.throws(
      () => validateBatch(copy, 0),
      (e) => e instanceof InvalidBatchError && e.kafkaError === 'CORRUPT_MESSAGE',
      `byte ${i}`,
    );
  }
});

test('wrong magic, lying lengths and bad counts are refused with the right Kafka error', () => {
  const batch = simpleBatch(entries, 1n);
  const oldMagic = Buffer.from(batch);
  oldMagic.writeInt8(1, 16);
  assert.throws(
    () => validateBatch(oldMagic, 0),
    (e) => e instanceof InvalidBatchError && e.kafkaError === 'UNSUPPORTED_FOR_MESSAGE_FORMAT',
  );
  const longer = Buffer.from(batch);
  longer.writeInt32BE(batch.length + 100, 8);
  assert.throws(
    () => validateBatch(longer, 0),
    (e) => e instanceof InvalidBatchError && e.kafkaError === 'CORRUPT_MESSAGE',
  );
  assert.throws(() => validateBatch(batch.subarray(0, 30), 0), InvalidBatchError);
  const gap = buildBatch([{ offsetDelta: 0, timestampDelta: 0n, key: null, value: Buffer.from('a'), headers: [] }], {
    baseTimestamp: 1n,
    lastOffsetDelta: 4,
  });
  assert.equal(validateBatch(gap, 0).lastOffsetDelta, 4, 'a compacted batch may have gaps');
  assert.throws(
    () => validateProducedRecords(gap),
    (e) => e instanceof InvalidBatchError && e.kafkaError === 'INVALID_RECORD',
  );
});

test('several batches in one record set validate in order', () => {
  const a = simpleBatch(entries, 1n);
  const b = simpleBatch([{ key: 'z', value: 'z' }], 2n);
  const hs = validateProducedRecords(Buffer.concat([a, b]));
  assert.deepEqual(
    hs.map((h) => h.position),
    [0, a.length],
  );
  assert.throws(() => validateProducedRecords(Buffer.concat([a, b.subarray(0, 20)])), InvalidBatchError);
});

test('setBaseOffset leaves the CRC valid; setLogAppendTime updates max timestamp and CRC', () => {
  const batch = simpleBatch(entries, 1000n);
  setBaseOffset(batch, 0, 4242n);
  const h = validateBatch(batch, 0);
  assert.equal(h.baseOffset, 4242n);
  assert.equal(batch.readBigInt64BE(BASE_OFFSET), 4242n);
  assert.equal(lastOffsetOf(h), 4244n);
  setLogAppendTime(batch, h, 99_999n);
  const h2 = validateBatch(batch, 0);
  assert.ok(isLogAppendTime(h2));
  assert.equal(h2.maxTimestamp, 99_999n);
  assert.equal(readBatchHeader(batch, 0).baseTimestamp, 1000n);
});
