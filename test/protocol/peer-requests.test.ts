// Requests encoded by kafkajs and @platformatic/kafka: Brook decodes them to the values the peer was
// given and re-encodes them byte for byte; the peers' header versions agree with Brook's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteReader } from '../../src/common/bytes.ts';
import { API_BY_KEY } from '../../src/protocol/apis/index.ts';
import { readRequestHeader, responseHeaderVersion } from '../../src/protocol/headers.ts';
import { requestCases } from './cases/index.ts';
import { label } from './cases/kit.ts';
import { CLIENT_ID } from './peers.ts';

for (const c of requestCases) {
  test(`request ${label(c)}`, async () => {
    const sent = await c.build(1234);
    const r = new ByteReader(sent.body);
    const decoded = c.api.request.read(r, c.version);
    assert.equal(r.remaining, 0, 'Brook left bytes of the peer request unread');

    // The values: what the peer was asked to send, as Brook projects it onto this version.
    const brookBytes = c.api.request.encode(c.version, c.canonical);
    const expected = c.api.request.read(new ByteReader(brookBytes), c.version);
    assert.deepEqual(decoded, expected);
    c.check?.(decoded);

    // Byte for byte, both from the decoded message and from the message the peer was given.
    assert.equal(c.api.request.encode(c.version, decoded).toString('hex'), sent.body.toString('hex'));
    assert.equal(brookBytes.toString('hex'), sent.body.toString('hex'));

    // Header versions: the peer's view of flexibility (KIP-482) matches Brook's.
    assert.equal(sent.headerTaggedFields, c.api.isFlexible(c.version), 'request header version');
    assert.equal(sent.responseHeaderTaggedFields, responseHeaderVersion(c.api, c.version) === 1, 'response header version');

    // The whole frame as it goes on the socket.
    assert.equal(sent.frame.readInt32BE(0), sent.frame.length - 4);
    const frame = sent.frame.subarray(4);
    const { header, body } = readRequestHeader(frame, API_BY_KEY.get(c.api.key));
    assert.deepEqual(header, { apiKey: c.api.key, apiVersion: c.version, correlationId: 1234, clientId: CLIENT_ID });
    assert.equal(frame.subarray(body.offset).toString('hex'), sent.body.toString('hex'));
  });
}
