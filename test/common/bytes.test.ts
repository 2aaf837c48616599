// ByteReader/ByteWriter: round trips of every type, varint edge cases, bounds errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteReader, ByteWriter } from '../../src/common/bytes.ts';
import { ProtocolError } from '../../src/common/errors.ts';

test('fixed-width values round-trip big-endian', () => {
  const w = new ByteWriter(4);
  w.int8(-5)
    .uint8(250)
    .int16(-30000)
    .uint16(65000)
    .int32(-2_000_000_000)
    .uint32(4_000_000_000)
    .int64(-(2n ** 62n))
    .float64(1.5)
    .bool(true);
  const buf = w.toBuffer();
  assert.equal(buf.length, 1 + 1 + 2 + 2 + 4 + 4 + 8 + 8 + 1);
  assert.deepEqual(buf.subarray(2, 4), Buffer.from([0x8a, 0xd0]));
  const r = new ByteReader(buf);
  assert.equal(r.int8(), -5);
  assert.equal(r.uint8(), 250);
  assert.equal(r.int16(), -30000);
  assert.equal(r.uint16(), 65000);
  assert.equal(r.int32(), -2_000_000_000);
  assert.equal(r.uint32(), 4_000_000_000);
  assert.equal(r.int64(), -(2n ** 62n));
  assert.equal(r.float64(), 1.5);
  assert.equal(r.bool(), true);
  assert.equal(r.remaining, 0);
});

test('unsigned varints use LEB128 and reject overlong encodings', () => {
  for (const [n, bytes] of [
    [0, [0]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [0xffffffff, [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ] as const) {
    const buf = new ByteWriter().uvarint(n).toBuffer();
    assert.deepEqual([...buf], bytes);
    assert.equal(new ByteReader(buf).uvarint(), n);
  }
  assert.throws(() => new ByteReader(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])).uvarint(), ProtocolError);
  assert.throws(() => new ByteReader(Buffer.from([0x80])).uvarint(), ProtocolError);
});

test('zig-zag varints and varlongs round-trip signed values', () => {
  for (const n of [0, -1, 1, -64, 63, 64, -2147483648, 2147483647]) {
    assert.equal(new ByteReader(new ByteWriter().varint(n).toBuffer()).varint(), n);
  }
  assert.deepEqual([...new ByteWriter().varint(-1).toBuffer()], [1]);
  assert.deepEqual([...new ByteWriter().varint(1).toBuffer()], [2]);
  for (const n of [0n, -1n, 1n, 2n ** 63n - 1n, -(2n ** 63n), 1_700_000_000_000n]) {
    assert.equal(new ByteReader(new ByteWriter().varlong(n).toBuffer()).varlong(), n);
  }
});

test('reads past the end raise ProtocolError, never RangeError', () => {
  const r = new ByteReader(Buffer.from([1, 2, 3]));
  assert.throws(() => r.int32(), ProtocolError);
  assert.throws(() => r.bytes(4), ProtocolError);
  assert.throws(() => r.bytes(-1), ProtocolError);
  assert.equal(r.int16(), 0x0102);
});

test('large buffers are kept by reference, small ones copied, sizes patched later', () => {
  const big = Buffer.alloc(10_000, 7);
  const w = new ByteWriter(8);
  const setSize = w.reserveInt32();
  w.utf8('hi').bytes(big).int16(9);
  setSize(w.length - 4);
  const chunks = w.toChunks();
  assert.ok(chunks.includes(big), 'the big buffer is one of the chunks, not a copy');
  const all = Buffer.concat(chunks);
  assert.equal(all.readInt32BE(0), 2 + 10_000 + 2);
  assert.equal(all.toString('utf8', 4, 6), 'hi');
  assert.equal(all.readInt16BE(all.length - 2), 9);
});
