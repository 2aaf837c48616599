// FrameDecoder fed with the golden fixtures cut every possible way (architecture habit 2), and the
// size limit enforced from the 4-byte prefix alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProtocolError } from '../../src/common/errors.ts';
import { FrameDecoder, FrameTooLargeError, frame } from '../../src/protocol/framing.ts';
import { readFixtures } from './fixture-files.ts';

const LIMIT = 100 * 1024 * 1024;
const fixtures = readFixtures();
const all = Buffer.concat(fixtures.map((f) => f.bytes));
const expected = fixtures.map((f) => f.bytes.subarray(4).toString('hex'));

function feed(pieces: Buffer[], limit = LIMIT): string[] {
  const d = new FrameDecoder(limit);
  const out: string[] = [];
  for (const p of pieces) for (const fr of d.push(p)) out.push(fr.toString('hex'));
  assert.equal(d.bufferedBytes, 0, 'bytes left over');
  return out;
}

test('each fixture split in two at every byte boundary gives back its frame', () => {
  for (const f of fixtures) {
    const want = [f.bytes.subarray(4).toString('hex')];
    for (let i = 0; i <= f.bytes.length; i++) {
      assert.deepEqual(feed([f.bytes.subarray(0, i), f.bytes.subarray(i)]), want, `${f.file} split at ${i}`);
    }
  }
});

test('all fixtures back to back, split in two at every byte boundary, give back every frame', () => {
  const frames = fixtures.map((f) => f.bytes.subarray(4));
  const starts: number[] = [];
  for (let k = 0, at = 0; k < fixtures.length; at += (fixtures[k] as { bytes: Buffer }).bytes.length, k++) starts.push(at);
  const d = new FrameDecoder(LIMIT);
  let k = 0;
  for (let i = 0; i <= all.length; i++) {
    while (k + 1 < starts.length && (starts[k + 1] as number) <= i) k++;
    const got = [...d.push(all.subarray(0, i)), ...d.push(all.subarray(i))];
    assert.equal(got.length, frames.length, `split at ${i}`);
    // Lengths everywhere, contents around the cut (where the decoder joins pieces): keeps this quadratic test fast.
    for (let j = 0; j < got.length; j++) {
      if (got[j]?.length !== frames[j]?.length) assert.fail(`frame ${j}, split at ${i}: length ${got[j]?.length}`);
    }
    for (let j = Math.max(0, k - 1); j <= Math.min(frames.length - 1, k + 1); j++) {
      if (!(got[j] as Buffer).equals(frames[j] as Buffer)) assert.fail(`frame ${j}, split at ${i}: content differs`);
    }
  }
  assert.equal(d.bufferedBytes, 0);
});

test('all fixtures fed one byte at a time give back every frame', () => {
  const pieces: Buffer[] = [];
  for (let i = 0; i < all.length; i++) pieces.push(all.subarray(i, i + 1));
  assert.deepEqual(feed(pieces), expected);
});

test('a 1 MiB frame fed one byte at a time stays linear', { timeout: 20_000 }, () => {
  const body = Buffer.alloc(1024 * 1024, 0xab);
  const [whole] = [Buffer.concat(frame([body]))];
  const d = new FrameDecoder(LIMIT);
  const got: Buffer[] = [];
  for (let i = 0; i < whole.length; i++) got.push(...d.push(whole.subarray(i, i + 1)));
  assert.equal(got.length, 1);
  assert.ok((got[0] as Buffer).equals(body));
});

test('all fixtures fed in irregular chunks give back every frame', () => {
  const pieces: Buffer[] = [];
  for (let i = 0, n = 1; i < all.length; i += n, n = (n * 7 + 3) % 257 || 1) pieces.push(all.subarray(i, i + n));
  assert.deepEqual(feed(pieces), expected);
});

test('a frame over the limit is refused from its size prefix, before its body arrives', () => {
  const d = new FrameDecoder(1024);
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(1025);
  assert.throws(
    () => d.push(prefix),
    (err: unknown) => err instanceof FrameTooLargeError && err.size === 1025,
  );

  // The same when the prefix arrives in pieces and the body is not there at all.
  const d2 = new FrameDecoder(1024);
  assert.deepEqual(d2.push(prefix.subarray(0, 2)), []);
  assert.throws(() => d2.push(prefix.subarray(2)), FrameTooLargeError);

  // A 2 GiB claim is refused without allocating anything like it.
  const d3 = new FrameDecoder(LIMIT);
  const huge = Buffer.from([0x7f, 0xff, 0xff, 0xff, 1, 2, 3]);
  assert.throws(() => d3.push(huge), FrameTooLargeError);
});

test('a frame exactly at the limit is accepted', () => {
  const body = Buffer.alloc(1024, 7);
  assert.deepEqual(feed(frame([body]), 1024), [body.toString('hex')]);
});

test('a negative frame size is refused', () => {
  const d = new FrameDecoder(LIMIT);
  assert.throws(
    () => d.push(Buffer.from([0xff, 0xff, 0xff, 0xfe])),
    (err: unknown) => err instanceof ProtocolError && !(err instanceof FrameTooLargeError),
  );
});

test('a zero-size frame comes out as an empty frame', () => {
  // Kafka's NetworkReceive accepts size 0; the request decoder then refuses the empty header.
  assert.deepEqual(feed([Buffer.from([0, 0, 0, 0])]), ['']);
  assert.deepEqual(feed([Buffer.from([0, 0, 0, 0, 0, 0, 0, 1, 9])]), ['', '09']);
  assert.deepEqual(feed([Buffer.from([0, 0]), Buffer.from([0, 0]), Buffer.from([0, 0, 0, 0])]), ['', '']);
});

test('empty chunks change nothing', () => {
  const f = fixtures[0] as { bytes: Buffer };
  assert.deepEqual(feed([Buffer.alloc(0), f.bytes.subarray(0, 3), Buffer.alloc(0), f.bytes.subarray(3), Buffer.alloc(0)]), [
    f.bytes.subarray(4).toString('hex'),
  ]);
});
