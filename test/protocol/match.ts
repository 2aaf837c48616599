// Comparisons between Brook's decoded messages and what a peer library produced or parsed.
import assert from 'node:assert/strict';
import { uuidString } from './peers.ts';

// Path with array indices replaced by '*', for ignore lists, e.g. '/topics/*/partitions/*/records'.
const pattern = (path: string): string => path.replace(/\/\d+(?=\/|$)/g, '/*');

/**
 * Checks every value the peer parsed against Brook's message. Every key the peer reports must exist
 * in Brook's message (or be ignored by pattern), so nothing the peer read goes unchecked. Returns
 * how many leaves were compared.
 */
export function matchPeer(peer: unknown, brook: unknown, ignore: readonly string[] = [], path = ''): number {
  if (ignore.includes(pattern(path))) return 0;
  if (Array.isArray(peer)) {
    assert.ok(Array.isArray(brook), `${path}: peer has an array, Brook has ${show(brook)}`);
    assert.equal(peer.length, brook.length, `${path}: array lengths differ`);
    let n = 0;
    for (let i = 0; i < peer.length; i++) n += matchPeer(peer[i], brook[i], ignore, `${path}/${i}`);
    return n;
  }
  if (typeof peer === 'string' && Buffer.isBuffer(brook) && brook.length === 16 && /^[0-9a-f]{8}-/.test(peer)) {
    assert.equal(peer, uuidString(brook), `${path}: uuid`);
    return 1;
  }
  if (Buffer.isBuffer(peer) || peer instanceof Uint8Array) {
    assert.ok(Buffer.isBuffer(brook), `${path}: peer has bytes, Brook has ${show(brook)}`);
    assert.ok(Buffer.from(peer).equals(brook), `${path}: bytes differ`);
    return 1;
  }
  if (peer !== null && typeof peer === 'object') {
    assert.ok(brook !== null && typeof brook === 'object', `${path}: peer has an object, Brook has ${show(brook)}`);
    let n = 0;
    for (const [k, v] of Object.entries(peer)) {
      const sub = `${path}/${k}`;
      if (ignore.includes(pattern(sub))) continue;
      assert.ok(k in (brook as object), `${sub}: the peer reports a field Brook's message lacks`);
      n += matchPeer(v, (brook as Record<string, unknown>)[k], ignore, sub);
    }
    return n;
  }
  assert.deepEqual(peer, brook, `${path}: peer ${show(peer)} vs Brook ${show(brook)}`);
  return 1;
}

/** Every key of `expected` (recursively) must equal the same key of `actual`; arrays match by length too. */
export function assertSubset(actual: unknown, expected: unknown, path = ''): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array, got ${show(actual)}`);
    assert.equal(actual.length, expected.length, `${path}: array lengths differ`);
    expected.forEach((e, i) => {
      assertSubset(actual[i], e, `${path}/${i}`);
    });
    return;
  }
  if (Buffer.isBuffer(expected)) {
    assert.ok(
      Buffer.isBuffer(actual) && actual.equals(expected),
      `${path}: expected bytes ${expected.toString('hex')}, got ${show(actual)}`,
    );
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${path}: expected an object, got ${show(actual)}`);
    for (const [k, v] of Object.entries(expected)) assertSubset((actual as Record<string, unknown>)[k], v, `${path}/${k}`);
    return;
  }
  assert.deepEqual(actual, expected, `${path}: expected ${show(expected)}, got ${show(actual)}`);
}

function show(v: unknown): string {
  if (Buffer.isBuffer(v)) return `<bytes ${v.toString('hex')}>`;
  if (typeof v === 'bigint') return `${v}n`;
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v);
  } catch {
    return String(v);
  }
}
