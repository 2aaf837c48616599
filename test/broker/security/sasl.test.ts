// SASL on a real broker, driven byte by byte with Brook's own codec: SCRAM-SHA-256/512 and PLAIN
// logins, wrong passwords answered with SASL_AUTHENTICATION_FAILED and a close, nothing but
// ApiVersions and the SASL exchange before authentication, Metadata per listener, the v0 flow.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiVersions } from '../../../src/protocol/apis/api-versions.ts';
import { Metadata } from '../../../src/protocol/apis/metadata.ts';
import { SaslAuthenticate } from '../../../src/protocol/apis/sasl-authenticate.ts';
import { SaslHandshake } from '../../../src/protocol/apis/sasl-handshake.ts';
import { ErrorCode } from '../../../src/protocol/error-codes.ts';
import { encodeRequest } from '../../../src/protocol/headers.ts';
import type { ScramMechanism } from '../../../src/security/scram.ts';
import { type BrokerEvents, collectBrokerEvents } from '../../helpers/broker-events.ts';
import { ScramClient } from '../../helpers/scram-client.ts';
import { addUser, type SecureTempBroker, startSecureBroker } from '../../helpers/secure-broker.ts';
import { WireClient } from '../../helpers/wire-client.ts';
import { rawFrameSocket } from './sasl-login.ts';

async function scramLogin(port: number, mechanism: ScramMechanism, user: string, password: string) {
  const wire = await WireClient.connect(port);
  const hs = await wire.send(SaslHandshake, 1, { mechanism });
  assert.equal(hs.errorCode, ErrorCode.NONE);
  const client = new ScramClient(mechanism, user, password);
  const first = await wire.send(SaslAuthenticate, 2, { authBytes: client.first() });
  assert.equal(first.errorCode, ErrorCode.NONE);
  const final = await wire.send(SaslAuthenticate, 2, { authBytes: await client.final(first.authBytes) });
  return { wire, client, final };
}

describe('SASL listeners', () => {
  let tb: SecureTempBroker;
  let events: BrokerEvents;
  let sasl: number;

  before(async () => {
    events = collectBrokerEvents();
    tb = await startSecureBroker([
      { name: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: '127.0.0.1', port: 0 },
      {
        name: 'SASL_PLAINTEXT',
        securityProtocol: 'SASL_PLAINTEXT',
        host: '127.0.0.1',
        port: 0,
        saslMechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'],
      },
    ]);
    sasl = tb.portOf('SASL_PLAINTEXT');
    await addUser(tb, 'alice', 'alice-secret');
  });
  after(async () => {
    events.stop();
    await tb.dispose();
  });

  test('ApiVersions is answered before authentication and lists SaslHandshake v0-1 and SaslAuthenticate v0-2', async () => {
    const wire = await WireClient.connect(sasl);
    const r = await wire.send(ApiVersions, 3, { clientSoftwareName: 't', clientSoftwareVersion: '1' });
    const byKey = new Map((r.apiKeys as { apiKey: number; minVersion: number; maxVersion: number }[]).map((k) => [k.apiKey, k]));
    assert.deepEqual(byKey.get(17), { apiKey: 17, minVersion: 0, maxVersion: 1 });
    assert.deepEqual(byKey.get(36), { apiKey: 36, minVersion: 0, maxVersion: 2 });
    wire.close();
  });

  for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
    test(`${mechanism}: the right password logs in as User:alice and the server proves itself`, async () => {
      const { wire, client, final } = await scramLogin(sasl, mechanism, 'alice', 'alice-secret');
      assert.equal(final.errorCode, ErrorCode.NONE);
      assert.equal(final.sessionLifetimeMs, 0n);
      assert.ok(client.verify(final.authBytes), 'server signature verifies');
      const md = await wire.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
      // Metadata names the endpoint of the listener the client came through.
      assert.deepEqual(
        (md.brokers as { host: string; port: number }[]).map((b) => b.port),
        [sasl],
      );
      wire.close();
      assert.ok(events.events.some((e) => e.type === 'authenticated' && e.principal === 'User:alice' && e.mechanism === mechanism));
    });

    test(`${mechanism}: a wrong password gets SASL_AUTHENTICATION_FAILED with a message, then the connection closes`, async () => {
      const { wire, final } = await scramLogin(sasl, mechanism, 'alice', 'wrong');
      assert.equal(final.errorCode, ErrorCode.SASL_AUTHENTICATION_FAILED);
      assert.match(final.errorMessage, /invalid credentials with SASL mechanism/);
      await wire.closed;
    });

    test(`${mechanism}: an unknown user fails the same way, only at the proof`, async () => {
      const { wire, final } = await scramLogin(sasl, mechanism, 'nobody', 'x');
      assert.equal(final.errorCode, ErrorCode.SASL_AUTHENTICATION_FAILED);
      await wire.closed;
    });
  }

  test('PLAIN checks the password against the salted SCRAM credential', async () => {
    const ok = await WireClient.connect(sasl);
    assert.equal((await ok.send(SaslHandshake, 1, { mechanism: 'PLAIN' })).errorCode, 0);
    const r = await ok.send(SaslAuthenticate, 1, { authBytes: Buffer.from('\0alice\0alice-secret') });
    assert.equal(r.errorCode, ErrorCode.NONE);
    assert.equal((await ok.send(Metadata, 1, { topics: null })).brokers.length, 1);
    ok.close();
    const bad = await WireClient.connect(sasl);
    await bad.send(SaslHandshake, 1, { mechanism: 'PLAIN' });
    const refused = await bad.send(SaslAuthenticate, 0, { authBytes: Buffer.from('\0alice\0nope') });
    assert.equal(refused.errorCode, ErrorCode.SASL_AUTHENTICATION_FAILED);
    await bad.closed;
  });

  test('a mechanism that is not enabled gets UNSUPPORTED_SASL_MECHANISM with the list, then a close', async () => {
    const wire = await WireClient.connect(sasl);
    const r = await wire.send(SaslHandshake, 1, { mechanism: 'GSSAPI' });
    assert.equal(r.errorCode, ErrorCode.UNSUPPORTED_SASL_MECHANISM);
    assert.deepEqual(r.mechanisms, ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']);
    await wire.closed;
  });

  test('any other request before authentication closes the connection', async () => {
    const before = events.events.length;
    const wire = await WireClient.connect(sasl);
    await assert.rejects(wire.send(Metadata, 1, { topics: null }), /connection closed/);
    assert.ok(events.events.slice(before).some((e) => e.type === 'connection-refused' && /API key 3 before SASL/.test(String(e.reason))));
    // ... and so does SaslAuthenticate without a handshake.
    const w2 = await WireClient.connect(sasl);
    const r = await w2.send(SaslAuthenticate, 1, { authBytes: Buffer.from('n,,n=alice,r=x') });
    assert.equal(r.errorCode, ErrorCode.ILLEGAL_SASL_STATE);
    await w2.closed;
  });

  test('a frame above 8 KiB before authentication closes the connection', async () => {
    const wire = await WireClient.connect(sasl);
    await wire.send(SaslHandshake, 1, { mechanism: 'PLAIN' });
    await assert.rejects(wire.send(SaslAuthenticate, 1, { authBytes: Buffer.alloc(9000, 65) }), /connection closed/);
  });

  test('the PLAINTEXT listener needs no login, advertises its own port, and refuses SaslHandshake', async () => {
    const wire = await WireClient.connect(tb.portOf('PLAINTEXT'));
    const md = await wire.send(Metadata, 1, { topics: null });
    assert.deepEqual(
      (md.brokers as { port: number }[]).map((b) => b.port),
      [tb.portOf('PLAINTEXT')],
    );
    const hs = await wire.send(SaslHandshake, 1, { mechanism: 'PLAIN' });
    assert.equal(hs.errorCode, ErrorCode.ILLEGAL_SASL_STATE);
    await wire.closed;
  });

  test('SaslHandshake v0: raw size-prefixed tokens follow, then normal requests (KIP-43)', async () => {
    const { socket: s, send, next } = await rawFrameSocket(sasl);
    send(encodeRequest(SaslHandshake, { apiKey: 17, apiVersion: 0, correlationId: 1, clientId: 't' }, { mechanism: 'PLAIN' }));
    const hs = await next();
    assert.equal(hs.readInt32BE(0), 1);
    assert.equal(hs.readInt16BE(4), ErrorCode.NONE);
    send(Buffer.from('\0alice\0alice-secret'));
    assert.equal((await next()).length, 0, 'an empty PLAIN reply token');
    send(encodeRequest(Metadata, { apiKey: 3, apiVersion: 1, correlationId: 2, clientId: 't' }, { topics: null }));
    assert.equal((await next()).readInt32BE(0), 2);
    s.destroy();
  });
});

describe('SASL authentication timeout', () => {
  test('a connection that does not authenticate in time is closed; an authenticated one stays', async () => {
    const events = collectBrokerEvents();
    const tb = await startSecureBroker(
      [{ name: 'SASL_PLAINTEXT', securityProtocol: 'SASL_PLAINTEXT', host: '127.0.0.1', port: 0, saslMechanisms: ['SCRAM-SHA-512'] }],
      { saslAuthenticationTimeoutMs: 300 },
    );
    try {
      const port = tb.portOf('SASL_PLAINTEXT');
      await addUser(tb, 'bob', 'bob-secret');
      const loggedIn = await scramLogin(port, 'SCRAM-SHA-512', 'bob', 'bob-secret');
      assert.equal(loggedIn.final.errorCode, ErrorCode.NONE);
      const idle = await WireClient.connect(port);
      await idle.send(ApiVersions, 3, { clientSoftwareName: 'test', clientSoftwareVersion: '1' });
      await idle.closed;
      assert.ok(events.events.some((e) => e.type === 'connection-closed' && /not authenticated within 300 ms/.test(String(e.reason))));
      // The logged-in connection outlived the timeout and still answers.
      const meta = await loggedIn.wire.send(Metadata, 1, { topics: null });
      assert.ok(Array.isArray(meta.brokers));
    } finally {
      events.stop();
      await tb.dispose();
    }
  });
});
