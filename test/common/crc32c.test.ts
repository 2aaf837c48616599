// CRC-32C: the standard check value, agreement between native and software paths, continuation.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { crc32c, crc32cSoftware } from '../../src/common/crc32c.ts';

test('check value of "123456789" is 0xE3069283 (RFC 3720)', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  assert.equal(crc32cSoftware(Buffer.from('123456789')), 0xe3069283);
});

test('native and software implementations agree on random input, ranges and continuation', () => {
  for (const size of [0, 1, 7, 8, 9, 63, 1000, 65537]) {
    const buf = randomBytes(size);
    assert.equal(crc32c(buf), crc32cSoftware(buf), `size ${size}`);
    if (size > 10) {
      assert.equal(crc32c(buf, 3, size - 2), crc32cSoftware(buf.subarray(3, size - 2)));
      const first = crc32cSoftware(buf, 0, 5);
      assert.equal(crc32cSoftware(buf, 5, size, first), crc32c(buf));
    }
  }
});
