// Request and response header versions (KIP-482), including the ApiVersions quirk: its response
// always uses header v0, because a client reads it before it knows what the broker speaks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteReader } from '../../src/common/bytes.ts';
import { ALL_APIS, ApiVersions, Fetch, Metadata } from '../../src/protocol/apis/index.ts';
import { encodeRequest, encodeResponse, readRequestHeader, responseHeaderVersion } from '../../src/protocol/headers.ts';

test('ApiVersions answers with response header v0 at every version, flexible ones included', () => {
  for (let v = ApiVersions.minVersion; v <= ApiVersions.maxVersion; v++) assert.equal(responseHeaderVersion(ApiVersions, v), 0, `v${v}`);
  assert.ok(ApiVersions.isFlexible(3) && ApiVersions.isFlexible(4) && !ApiVersions.isFlexible(2));
  const value = { errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }], throttleTimeMs: 0 };
  const bytes = Buffer.concat(encodeResponse(ApiVersions, 3, 77, value));
  // Correlation id, then straight into the body: no tag section in the header.
  assert.equal(bytes.subarray(0, 6).toString('hex'), '0000004d' + '0000');
  const r = new ByteReader(bytes, 4);
  assert.deepEqual(ApiVersions.response.read(r, 3), {
    ...value,
    supportedFeatures: [],
    finalizedFeaturesEpoch: -1n,
    finalizedFeatures: [],
    zkMigrationReady: false,
  });
  assert.equal(r.remaining, 0);
});

test('every other API uses response header v1 exactly in its flexible versions', () => {
  for (const api of ALL_APIS) {
    if (api === ApiVersions) continue;
    for (let v = api.minVersion; v <= api.maxVersion; v++)
      assert.equal(responseHeaderVersion(api, v), api.isFlexible(v) ? 1 : 0, `${api.name} v${v}`);
  }
  const bytes = Buffer.concat(encodeResponse(Fetch, 12, 5, { responses: [] }));
  assert.equal(bytes.subarray(0, 5).toString('hex'), '00000005' + '00');
});

test('the ApiVersions request still uses request header v2 from v3 (only the response is special)', () => {
  const frame = encodeRequest(
    ApiVersions,
    { apiKey: 18, apiVersion: 3, correlationId: 1, clientId: 'c' },
    { clientSoftwareName: 'brook', clientSoftwareVersion: '0.1.0' },
  );
  assert.equal(frame.subarray(0, 12).toString('hex'), '0012' + '0003' + '00000001' + '0001' + '63' + '00');
  const { header, body } = readRequestHeader(frame, ApiVersions);
  assert.equal(header.clientId, 'c');
  assert.deepEqual(ApiVersions.request.read(body, 3), { clientSoftwareName: 'brook', clientSoftwareVersion: '0.1.0' });
});

test('a null client id reads back as null, in header v1 and v2', () => {
  for (const v of [8, 9]) {
    const frame = encodeRequest(Metadata, { apiKey: 3, apiVersion: v, correlationId: 9, clientId: null }, { topics: null });
    const { header, body } = readRequestHeader(frame, Metadata);
    assert.deepEqual(header, { apiKey: 3, apiVersion: v, correlationId: 9, clientId: null });
    assert.equal(Metadata.request.read(body, v).topics, null);
  }
});
