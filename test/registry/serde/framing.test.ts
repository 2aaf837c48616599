// Wire framings: known bytes for Confluent and Glue (plain and zlib), round trips through
// readFrameHeader, first-byte detection, and the typed errors for bad headers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inflateSync } from 'node:zlib';
import avsc from 'avsc';
import { SerdeError, SerdeErrorCode } from '../../../src/registry/serde/errors.ts';
import {
  frameConfluent,
  frameGlue,
  GlueCompression,
  hexToUuid,
  readFrameHeader,
  uuidToBytes,
  uuidToHex,
  writeConfluentHeader,
} from '../../../src/registry/serde/framing.ts';

const UUID = '0b3c1d5e-2f4a-4b6c-8d7e-9f0a1b2c3d4e';
const UUID_BYTES = [0x0b, 0x3c, 0x1d, 0x5e, 0x2f, 0x4a, 0x4b, 0x6c, 0x8d, 0x7e, 0x9f, 0x0a, 0x1b, 0x2c, 0x3d, 0x4e];
const hi = avsc.Type.forSchema('string').toBuffer('hi'); // Avro: zigzag length 2 = 0x04, then the bytes

function serdeError(code: string) {
  return (err: unknown) => err instanceof SerdeError && err.code === code;
}

describe('Confluent framing', () => {
  test('magic byte 0, the id as a big-endian int32, then the Avro body', () => {
    assert.deepEqual([...frameConfluent(1, hi)], [0, 0, 0, 0, 1, 0x04, 0x68, 0x69]);
    assert.deepEqual([...frameConfluent(0x01020304, hi)].slice(0, 5), [0, 1, 2, 3, 4]);
    assert.deepEqual([...frameConfluent(0x7fffffff, hi)].slice(0, 5), [0, 0x7f, 0xff, 0xff, 0xff]);
  });

  test('writeConfluentHeader writes at an offset and returns the body offset', () => {
    const buf = Buffer.alloc(8, 0xee);
    assert.equal(writeConfluentHeader(buf, 2, 258), 7);
    assert.deepEqual([...buf], [0xee, 0xee, 0, 0, 0, 1, 2, 0xee]);
  });

  test('round trip through readFrameHeader', () => {
    for (const id of [0, 1, 255, 256, 65_536, 123_456_789, 0x7fffffff]) {
      assert.deepEqual(readFrameHeader(frameConfluent(id, hi)), { framing: 'confluent', schemaId: id, bodyOffset: 5 });
    }
  });
});

describe('Glue framing', () => {
  test('header version 3, compression 0, the UUID bytes in written order, then the Avro body', () => {
    assert.deepEqual([...frameGlue(UUID, hi)], [3, 0, ...UUID_BYTES, 0x04, 0x68, 0x69]);
  });

  test('compression byte 5 and a zlib stream (RFC 1950, as java.util.zip.Deflater writes) of the body', () => {
    const framed = frameGlue(UUID, hi, GlueCompression.ZLIB);
    assert.deepEqual([...framed.subarray(0, 18)], [3, 5, ...UUID_BYTES]);
    assert.equal(framed[18], 0x78, 'zlib header CMF: deflate, 32 KiB window');
    assert.deepEqual(inflateSync(framed.subarray(18)), hi);
  });

  test('round trip through readFrameHeader', () => {
    assert.deepEqual(readFrameHeader(frameGlue(UUID, hi)), {
      framing: 'glue',
      schemaVersionHex: uuidToHex(UUID),
      compressed: false,
      bodyOffset: 18,
    });
    const zipped = readFrameHeader(frameGlue(UUID, hi, GlueCompression.ZLIB));
    assert.equal(zipped.framing === 'glue' && zipped.compressed, true);
  });

  test('UUID to bytes and back, upper or lower case', () => {
    assert.deepEqual([...uuidToBytes(UUID)], UUID_BYTES);
    assert.deepEqual([...uuidToBytes(UUID.toUpperCase())], UUID_BYTES);
    assert.equal(hexToUuid(Buffer.from(UUID_BYTES).toString('hex')), UUID);
    assert.throws(() => uuidToBytes('not-a-uuid'), serdeError(SerdeErrorCode.INVALID_SCHEMA));
  });
});

describe('first-byte detection', () => {
  test('0 is Confluent, 3 is Glue', () => {
    assert.equal(readFrameHeader(frameConfluent(9, hi)).framing, 'confluent');
    assert.equal(readFrameHeader(frameGlue(UUID, hi)).framing, 'glue');
  });

  test('any other first byte is SERDE_UNKNOWN_MAGIC_BYTE, naming the byte', () => {
    for (const first of [1, 2, 4, 5, 0x7b /* '{' of a JSON value */, 0xff]) {
      const buf = Buffer.from([first, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
      assert.throws(
        () => readFrameHeader(buf),
        (err: unknown) =>
          err instanceof SerdeError && err.code === SerdeErrorCode.UNKNOWN_MAGIC_BYTE && err.message.includes(`byte ${first}`),
      );
    }
  });

  test('empty, or shorter than the header, is SERDE_MALFORMED_HEADER', () => {
    assert.throws(() => readFrameHeader(Buffer.alloc(0)), serdeError(SerdeErrorCode.MALFORMED_HEADER));
    for (let n = 1; n < 5; n++)
      assert.throws(() => readFrameHeader(frameConfluent(1, hi).subarray(0, n)), serdeError(SerdeErrorCode.MALFORMED_HEADER));
    for (let n = 1; n < 18; n++)
      assert.throws(() => readFrameHeader(frameGlue(UUID, hi).subarray(0, n)), serdeError(SerdeErrorCode.MALFORMED_HEADER));
  });

  test('a Glue compression byte other than 0 or 5 is SERDE_MALFORMED_HEADER naming the UUID', () => {
    const buf = frameGlue(UUID, hi);
    buf[1] = 1;
    assert.throws(
      () => readFrameHeader(buf),
      (err: unknown) => err instanceof SerdeError && err.code === SerdeErrorCode.MALFORMED_HEADER && err.schemaVersionId === UUID,
    );
  });

  test('works on a plain Uint8Array view into a larger buffer', () => {
    const big = Buffer.concat([Buffer.from([9, 9]), frameGlue(UUID, hi)]);
    const view = new Uint8Array(big.buffer, big.byteOffset + 2, big.length - 2);
    const h = readFrameHeader(view);
    assert.equal(h.framing === 'glue' && h.schemaVersionHex, uuidToHex(UUID));
  });
});
