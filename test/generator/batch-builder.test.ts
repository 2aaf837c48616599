// The generator's record batch builder: its batches pass the broker's own validation and decode to
// exactly the records appended (timestamps, offsets, keys, values), compressed or not, and restamp.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compressionsAlgorithms } from '@platformatic/kafka';
import { BatchBuilder, restamp } from '../../src/generator/batch-builder.ts';
import { BATCH_HEADER_SIZE, validateProducedRecords } from '../../src/protocol/record-batch.ts';
import { decodeRecords } from '../../src/protocol/records.ts';

const T0 = 1_700_000_000_000;
// Timestamps before the first record's (negative deltas) and far after it (a delta above 32 bits),
// values long enough for 2-byte varints, an empty value.
const RECORDS = [
  { key: 'user-1', value: 'a', timestamp: T0 },
  { key: 'user-1', value: 'b'.repeat(300), timestamp: T0 - 5 },
  { key: 'user-2', value: '', timestamp: T0 + 2 ** 33 + 7 },
  ...Array.from({ length: 200 }, (_, i) => ({ key: `k${i}`, value: `v${i}`.repeat(i % 9), timestamp: T0 + i })),
].map((r) => ({ key: Buffer.from(r.key), value: Buffer.from(r.value), timestamp: r.timestamp }));

function build(): BatchBuilder {
  // A small start size, so the buffer grows while records are appended.
  const b = new BatchBuilder(128);
  for (const r of RECORDS) b.append(r.key, r.value, r.timestamp);
  return b;
}

function assertDecodesToRecords(batch: Buffer) {
  const [h] = validateProducedRecords(batch);
  assert.ok(h);
  assert.equal(h.recordCount, RECORDS.length);
  assert.equal(h.baseTimestamp, BigInt(T0));
  assert.equal(h.maxTimestamp, BigInt(T0 + 2 ** 33 + 7));
  const decoded = decodeRecords(batch, h);
  decoded.forEach((d, i) => {
    assert.equal(d.offsetDelta, i);
    assert.equal(h.baseTimestamp + d.timestampDelta, BigInt(RECORDS[i]!.timestamp));
    assert.deepEqual(d.key, RECORDS[i]!.key);
    assert.deepEqual(d.value, RECORDS[i]!.value);
    assert.deepEqual(d.headers, []);
  });
  return h;
}

describe('generator record batches', () => {
  test('a sealed batch passes the broker checks and decodes to the records appended', () => {
    const b = build();
    assert.equal(b.count, RECORDS.length);
    const batch = b.seal({ producerId: 42n, producerEpoch: 3, baseSequence: 1000 });
    assert.equal(batch.length, b.sizeBytes);
    const h = assertDecodesToRecords(batch);
    assert.equal(h.producerId, 42n);
    assert.equal(h.producerEpoch, 3);
    assert.equal(h.baseSequence, 1000);
    assert.equal(h.attributes, 0);
    assert.equal(h.partitionLeaderEpoch, -1);
  });

  test('restamp rewrites producer id, epoch and sequence and keeps the CRC valid', () => {
    const batch = build().seal({ producerId: -1n, producerEpoch: -1, baseSequence: -1 });
    restamp(batch, { producerId: 7n, producerEpoch: 0, baseSequence: 2 ** 31 - 5 });
    const h = assertDecodesToRecords(batch);
    assert.equal(h.producerId, 7n);
    assert.equal(h.baseSequence, 2 ** 31 - 5);
  });

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
    test(`compressed with ${codec}: the same records`, () => {
      const algorithm = compressionsAlgorithms[codec];
      const batch = build().seal(
        { producerId: 1n, producerEpoch: 0, baseSequence: 0 },
        { codec: algorithm.bitmask, compress: (r) => algorithm.compressSync(r) },
      );
      const [h] = validateProducedRecords(batch);
      assert.equal(h!.attributes & 7, algorithm.bitmask);
      // Brook decodes gzip and zstd itself; snappy and lz4 go through the client's codecs.
      const plain = Buffer.concat([batch.subarray(0, BATCH_HEADER_SIZE), algorithm.decompressSync(batch.subarray(BATCH_HEADER_SIZE))]);
      const records = decodeRecords(plain, { ...h!, attributes: 0, size: plain.length });
      assert.deepEqual(
        records.map((r) => r.value),
        RECORDS.map((r) => r.value),
      );
    });
  }

  test('an empty builder cannot be sealed', () => {
    assert.throws(() => new BatchBuilder().seal({ producerId: -1n, producerEpoch: -1, baseSequence: -1 }), /empty/);
  });
});
