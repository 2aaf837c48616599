// Golden frames: every committed fixture decodes (header and body) and re-encodes to the same bytes,
// and every API version Brook implements has a request and a response fixture.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteReader } from '../../src/common/bytes.ts';
import { ALL_APIS, API_BY_KEY } from '../../src/protocol/apis/index.ts';
import { frame } from '../../src/protocol/framing.ts';
import { encodeRequest, encodeResponse, readRequestHeader, responseHeaderVersion } from '../../src/protocol/headers.ts';
import { fixtureName, kebabName, readFixtures } from './fixture-files.ts';

const fixtures = readFixtures();
const byName = new Map(ALL_APIS.map((api) => [kebabName(api), api]));

test('every implemented API version has a request and a response fixture', () => {
  const files = new Set(fixtures.map((f) => f.file));
  const missing: string[] = [];
  for (const api of ALL_APIS) {
    for (let v = api.minVersion; v <= api.maxVersion; v++) {
      for (const kind of ['request', 'response'] as const)
        if (!files.has(fixtureName(api, v, kind))) missing.push(fixtureName(api, v, kind));
    }
  }
  assert.deepEqual(missing, []);
  assert.equal(fixtures.length, files.size);
});

for (const f of fixtures) {
  test(`fixture ${f.file}`, () => {
    const api = byName.get(f.api);
    assert.ok(api, `no API named ${f.api}`);
    assert.equal(f.bytes.readInt32BE(0), f.bytes.length - 4, 'size prefix');
    const body = f.bytes.subarray(4);
    // Correlation ids were chosen per fixture (key * 100 + version) so that mix-ups show.
    const correlationId = api.key * 100 + f.version;

    if (f.kind === 'request') {
      const { header, body: r } = readRequestHeader(body, API_BY_KEY.get(body.readInt16BE(0)));
      assert.equal(header.apiKey, api.key);
      assert.equal(header.apiVersion, f.version);
      assert.equal(header.correlationId, correlationId);
      const msg = api.request.read(r, f.version);
      assert.equal(r.remaining, 0, 'bytes left after the body');
      const again = Buffer.concat(frame([encodeRequest(api, header, msg)]));
      assert.equal(again.toString('hex'), f.bytes.toString('hex'));
    } else {
      const r = new ByteReader(body);
      assert.equal(r.int32(), correlationId);
      if (responseHeaderVersion(api, f.version) === 1) assert.equal(r.uvarint(), 0, 'response header tagged fields');
      const msg = api.response.read(r, f.version);
      assert.equal(r.remaining, 0, 'bytes left after the body');
      const again = Buffer.concat(frame(encodeResponse(api, f.version, correlationId, msg)));
      assert.equal(again.toString('hex'), f.bytes.toString('hex'));
    }
  });
}
