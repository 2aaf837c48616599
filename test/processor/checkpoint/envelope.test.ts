// The checkpoint envelope: a round trip, and every kind of damage recognized (a cut at every
// length, any flipped byte, a foreign file) instead of being handed to the decoder.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HEADER_BYTES, unwrap, wrap } from '../../../src/processor/checkpoint/envelope.ts';

const payload = Buffer.from('the runtime snapshot, opaque to the store');

test('wrap/unwrap round trip keeps the id and the bytes', () => {
  const got = unwrap(wrap(42, payload));
  assert.ok(got.ok);
  assert.equal(got.id, 42);
  assert.deepEqual(Buffer.from(got.payload), payload);
  const empty = unwrap(wrap(0, new Uint8Array()));
  assert.ok(empty.ok && empty.payload.byteLength === 0);
});

test('a copy cut at any length is torn', () => {
  const full = wrap(7, payload);
  for (let n = 0; n < full.length; n++) {
    const got = unwrap(full.subarray(0, n));
    assert.equal(got.ok, false, `cut at ${n}`);
    if (!got.ok) assert.match(got.reason, /torn write|bad magic/);
  }
});

test('any single flipped byte is caught', () => {
  const full = wrap(7, payload);
  for (let i = 0; i < full.length; i++) {
    const bad = Buffer.from(full);
    bad[i] = (bad[i] as number) ^ 0x01;
    assert.equal(unwrap(bad).ok, false, `byte ${i} flipped`);
  }
});

test('foreign bytes and another envelope version are refused with a reason', () => {
  const foreign = unwrap(Buffer.alloc(HEADER_BYTES + 10, 0x41));
  assert.ok(!foreign.ok && /bad magic/.test(foreign.reason));
  const future = wrap(1, payload);
  future[4] = 9;
  const got = unwrap(future);
  assert.ok(!got.ok && /envelope version 9/.test(got.reason));
});
