// API versions no peer library speaks: Brook's encoding is checked against bytes assembled by hand
// from the protocol guide, and decodes back to the same message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteReader } from '../../src/common/bytes.ts';
import { noPeerCases } from './cases/no-peer.ts';

for (const c of noPeerCases) {
  test(`${c.api.name} v${c.version} against hand-assembled bytes`, () => {
    assert.equal(c.api.request.encode(c.version, c.request).toString('hex'), c.requestBytes.toString('hex'));
    assert.equal(c.api.response.encode(c.version, c.response).toString('hex'), c.responseBytes.toString('hex'));
    const req = new ByteReader(c.requestBytes);
    const got = c.api.request.read(req, c.version);
    assert.equal(req.remaining, 0);
    assert.equal(c.api.request.encode(c.version, got).toString('hex'), c.requestBytes.toString('hex'));
    const res = new ByteReader(c.responseBytes);
    c.api.response.read(res, c.version);
    assert.equal(res.remaining, 0);
  });
}
