// KIP-368 re-authentication on a real broker with connections.max.reauth.ms set: the session
// lifetime in SaslAuthenticate, the close of a connection that lets it pass, a renewal on the same
// connection (v1 and the v0 raw-token flow), Kafka's refusals (another principal, another
// mechanism, twice within a second), and real clients that renew: @platformatic/kafka and kafkajs.
import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Producer, stringSerializers } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { Metadata } from '../../../src/protocol/apis/metadata.ts';
import { SaslAuthenticate } from '../../../src/protocol/apis/sasl-authenticate.ts';
import { SaslHandshake } from '../../../src/protocol/apis/sasl-handshake.ts';
import { ErrorCode } from '../../../src/protocol/error-codes.ts';
import { encodeRequest } from '../../../src/protocol/headers.ts';
import { type BrokerEvents, collectBrokerEvents } from '../../helpers/broker-events.ts';
import { ScramClient } from '../../helpers/scram-client.ts';
import { addUser, type SecureTempBroker, startSecureBroker } from '../../helpers/secure-broker.ts';
import type { WireClient } from '../../helpers/wire-client.ts';
import { rawFrameSocket, scramExchange, scramLogin } from './sasl-login.ts';

/**
 * Waits until the process's monotonic clock, which the broker's session expiry also reads, has
 * passed `deadline`: expiry is a point in time, there is no event to await.
 */
async function until(deadline: number): Promise<void> {
  while (performance.now() <= deadline) await sleep(Math.ceil(deadline - performance.now()) + 1);
}

const SASL_LISTENER = {
  name: 'SASL_PLAINTEXT',
  securityProtocol: 'SASL_PLAINTEXT' as const,
  host: '127.0.0.1',
  port: 0,
  saslMechanisms: ['SCRAM-SHA-512' as const, 'SCRAM-SHA-256' as const, 'PLAIN' as const],
};

const metadata = (wire: WireClient) => wire.send(Metadata, 1, { topics: [] });

describe('re-authentication on the wire (connections.max.reauth.ms 600)', () => {
  const LIFETIME = 600;
  let tb: SecureTempBroker;
  let events: BrokerEvents;
  let port: number;
  const login = async (user = 'alice', version = 2) => {
    const { wire, final } = await scramLogin(port, 'SCRAM-SHA-512', user, `${user}-secret`, version);
    return { wire, final, at: performance.now() };
  };
  const saw = (from: number, type: string, reason?: RegExp) =>
    events.events.slice(from).some((e) => e.type === type && (!reason || reason.test(String(e.reason))));

  before(async () => {
    events = collectBrokerEvents();
    tb = await startSecureBroker([SASL_LISTENER], { connectionsMaxReauthMs: LIFETIME });
    port = tb.portOf('SASL_PLAINTEXT');
    for (const u of ['alice', 'bob']) await addUser(tb, u, `${u}-secret`);
  });
  after(async () => {
    events.stop();
    await tb.dispose();
  });

  test('SaslAuthenticate v1+ tells the client the session lifetime', async () => {
    for (const version of [1, 2]) {
      const { wire, final } = await login('alice', version);
      assert.equal(final.sessionLifetimeMs, BigInt(LIFETIME));
      wire.close();
    }
  });

  test('a connection that does not re-authenticate is closed at its first request after the lifetime', async () => {
    const { wire, at } = await login();
    assert.equal((await metadata(wire)).brokers.length, 1);
    const before = events.events.length;
    await until(at + LIFETIME);
    await assert.rejects(metadata(wire), /connection closed/);
    assert.ok(saw(before, 'connection-refused', /SASL session expired after connections\.max\.reauth\.ms \(600 ms\)/));
  });

  test('a v0 SaslAuthenticate client, which cannot see the lifetime, is closed all the same', async () => {
    const { wire, at } = await login('alice', 0);
    await until(at + LIFETIME);
    await assert.rejects(metadata(wire), /connection closed/);
  });

  test('SaslHandshake and SaslAuthenticate again on the connection renew the session; requests in between are served', async () => {
    const { wire, at } = await login();
    await until(at + LIFETIME / 2);
    const before = events.events.length;
    const hs = await wire.send(SaslHandshake, 1, { mechanism: 'SCRAM-SHA-512' });
    assert.equal(hs.errorCode, ErrorCode.NONE);
    // Kafka would close here; Brook serves the still-valid session (@platformatic/kafka sends these).
    assert.equal((await metadata(wire)).brokers.length, 1);
    // The rest of the exchange, on the same connection.
    const client = new ScramClient('SCRAM-SHA-512', 'alice', 'alice-secret');
    const first = await wire.send(SaslAuthenticate, 2, { authBytes: client.first() });
    const final = await wire.send(SaslAuthenticate, 2, { authBytes: await client.final(first.authBytes) });
    assert.equal(final.errorCode, ErrorCode.NONE);
    assert.equal(final.sessionLifetimeMs, BigInt(LIFETIME));
    assert.ok(client.verify(final.authBytes));
    assert.ok(events.events.slice(before).some((e) => e.type === 'reauthenticated' && e.principal === 'User:alice'));
    // Past the first login's expiry, the renewed session still serves requests.
    await until(at + LIFETIME + 20);
    assert.equal((await metadata(wire)).brokers.length, 1);
    wire.close();
  });

  test('an expired session may still re-authenticate: the SaslHandshake is its next request', async () => {
    const { wire, at } = await login();
    await until(at + LIFETIME);
    const final = await scramExchange(wire, 'SCRAM-SHA-512', 'alice', 'alice-secret');
    assert.equal(final.errorCode, ErrorCode.NONE);
    assert.equal((await metadata(wire)).brokers.length, 1);
    wire.close();
  });

  test('re-authenticating as another user fails with SASL_AUTHENTICATION_FAILED, then the connection closes', async () => {
    const { wire } = await login('alice');
    const final = await scramExchange(wire, 'SCRAM-SHA-512', 'bob', 'bob-secret');
    assert.equal(final.errorCode, ErrorCode.SASL_AUTHENTICATION_FAILED);
    assert.equal(final.errorMessage, 'Cannot change principals during re-authentication from User:alice to User:bob');
    await wire.closed;
  });

  test('re-authenticating with another mechanism is refused at the first SaslAuthenticate, then the connection closes', async () => {
    const { wire } = await login('alice');
    const final = await scramExchange(wire, 'SCRAM-SHA-256', 'alice', 'alice-secret');
    assert.equal(final.errorCode, ErrorCode.SASL_AUTHENTICATION_FAILED);
    assert.match(
      final.errorMessage,
      /'SCRAM-SHA-256' requested by client is not supported for re-authentication of mechanism 'SCRAM-SHA-512'/,
    );
    await wire.closed;
  });

  test('a wrong password on re-authentication fails and closes the connection', async () => {
    const { wire } = await login('alice');
    const final = await scramExchange(wire, 'SCRAM-SHA-512', 'alice', 'wrong');
    assert.equal(final.errorCode, ErrorCode.SASL_AUTHENTICATION_FAILED);
    await wire.closed;
  });

  test('a second re-authentication within one second is ILLEGAL_SASL_STATE and a close, as in Kafka', async () => {
    const { wire } = await login('alice');
    assert.equal((await scramExchange(wire, 'SCRAM-SHA-512', 'alice', 'alice-secret')).errorCode, ErrorCode.NONE);
    const again = await wire.send(SaslHandshake, 1, { mechanism: 'SCRAM-SHA-512' });
    assert.equal(again.errorCode, ErrorCode.ILLEGAL_SASL_STATE);
    await wire.closed;
  });

  test('SaslHandshake v0 re-authenticates with raw tokens too (KIP-43 flow)', async () => {
    const { socket: s, send, next } = await rawFrameSocket(port);
    const handshake = (correlationId: number) =>
      send(encodeRequest(SaslHandshake, { apiKey: 17, apiVersion: 0, correlationId, clientId: 't' }, { mechanism: 'PLAIN' }));
    const before = events.events.length;
    for (const correlationId of [1, 2]) {
      handshake(correlationId);
      const hs = await next();
      assert.equal(hs.readInt32BE(0), correlationId);
      assert.equal(hs.readInt16BE(4), ErrorCode.NONE);
      send(Buffer.from('\0alice\0alice-secret'));
      assert.equal((await next()).length, 0, 'an empty PLAIN reply token');
    }
    send(encodeRequest(Metadata, { apiKey: 3, apiVersion: 1, correlationId: 3, clientId: 't' }, { topics: [] }));
    assert.equal((await next()).readInt32BE(0), 3);
    assert.ok(events.events.slice(before).some((e) => e.type === 'reauthenticated' && e.mechanism === 'PLAIN'));
    s.destroy();
  });
});

describe('without connections.max.reauth.ms', () => {
  test('the session lifetime is 0 and a second SaslHandshake is ILLEGAL_SASL_STATE and a close', async () => {
    const tb = await startSecureBroker([SASL_LISTENER]);
    try {
      await addUser(tb, 'alice', 'alice-secret');
      const { wire, final } = await scramLogin(tb.portOf('SASL_PLAINTEXT'), 'SCRAM-SHA-512', 'alice', 'alice-secret');
      assert.equal(final.sessionLifetimeMs, 0n);
      const hs = await wire.send(SaslHandshake, 1, { mechanism: 'SCRAM-SHA-512' });
      assert.equal(hs.errorCode, ErrorCode.ILLEGAL_SASL_STATE);
      await wire.closed;
    } finally {
      await tb.dispose();
    }
  });
});

describe('real clients re-authenticate (connections.max.reauth.ms 1500)', () => {
  const LIFETIME = 1500;
  let tb: SecureTempBroker;
  let events: BrokerEvents;
  /** When the broker published each event, on the clock its session expiry reads. */
  const stamps = new Map<object, number>();
  const stamped = (from: number, pred: (e: Record<string, unknown>) => boolean) =>
    events.events
      .slice(from)
      .filter(pred)
      .map((e) => ({ e, at: stamps.get(e) as number }));

  /** Resolves with the first event (from index `from` on) that `pred` accepts, as the broker publishes it. */
  function nextEvent(from: number, pred: (e: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    const seen = events.events.slice(from).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const fn = (m: unknown) => {
        if (!pred(m as Record<string, unknown>)) return;
        unsubscribe('brook:broker', fn);
        resolve(m as Record<string, unknown>);
      };
      subscribe('brook:broker', fn);
    });
  }
  const stamp = (m: unknown) => stamps.set(m as object, performance.now());

  before(async () => {
    events = collectBrokerEvents();
    subscribe('brook:broker', stamp);
    tb = await startSecureBroker([SASL_LISTENER], { connectionsMaxReauthMs: LIFETIME });
    await addUser(tb, 'alice', 'alice-secret');
    tb.broker.logs.createTopic('renewed', 1, {});
  });
  after(async () => {
    events.stop();
    unsubscribe('brook:broker', stamp);
    await tb.dispose();
  });

  const expiredRefusals = (from: number) =>
    events.events.slice(from).filter((e) => e.type === 'connection-refused' && /SASL session expired/.test(String(e.reason)));

  test('@platformatic/kafka renews its session before it ends and keeps producing past it', { timeout: 20_000 }, async () => {
    const from = events.events.length;
    const producer = new Producer({
      clientId: 'reauth-platformatic',
      bootstrapBrokers: [tb.bootstrapOf('SASL_PLAINTEXT')],
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'alice', password: 'alice-secret' },
      serializers: stringSerializers,
      retries: 0,
    });
    try {
      await producer.send({ messages: [{ topic: 'renewed', value: 'before' }] });
      const logins = stamped(from, (e) => e.type === 'authenticated');
      assert.ok(logins.length > 0);
      // It renews on a timer at 80% of the lifetime, on the connection it logged in on.
      const renewed = await nextEvent(from, (e) => e.type === 'reauthenticated');
      assert.ok(logins.some((l) => l.e.id === renewed.id));
      await until(Math.max(...logins.map((l) => l.at)) + LIFETIME);
      await producer.send({ messages: [{ topic: 'renewed', value: 'after' }] });
      assert.deepEqual(expiredRefusals(from), []);
    } finally {
      await producer.close();
    }
  });

  test('kafkajs renews its session before a request once it is within reauthenticationThreshold of the end', {
    timeout: 20_000,
  }, async () => {
    const from = events.events.length;
    const kafka = new Kafka({
      clientId: 'reauth-kafkajs',
      brokers: [tb.bootstrapOf('SASL_PLAINTEXT')],
      sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'alice-secret' },
      reauthenticationThreshold: 300,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic: 'renewed', messages: [{ value: 'before' }] });
      const logins = stamped(from, (e) => e.type === 'authenticated');
      assert.ok(logins.length > 0);
      const last = Math.max(...logins.map((l) => l.at));
      // Past LIFETIME - threshold on kafkajs's clock (which starts a little after the broker's), the
      // next request re-authenticates first ...
      await until(last + LIFETIME - 200);
      await producer.send({ topic: 'renewed', messages: [{ value: 'renewing' }] });
      assert.ok(stamped(from, (e) => e.type === 'reauthenticated').length > 0, 'kafkajs re-authenticated');
      // ... so that past the first login's lifetime, the connection still works.
      await until(last + LIFETIME);
      await producer.send({ topic: 'renewed', messages: [{ value: 'after' }] });
      assert.deepEqual(expiredRefusals(from), []);
    } finally {
      await producer.disconnect();
    }
  });
});
