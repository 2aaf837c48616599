// @platformatic/kafka and kafkajs against Brook's security listeners: SASL_SSL with SCRAM-SHA-256,
// SCRAM-SHA-512 and PLAIN (right and wrong passwords), and mutual TLS with a client certificate.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Admin, Consumer, MessagesStreamModes, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { type BrokerEvents, collectBrokerEvents } from '../helpers/broker-events.ts';
import { makeSecurityPki, type SecurityPki } from '../helpers/pki.ts';
import { addUser, type SecureTempBroker, startSecureBroker } from '../helpers/secure-broker.ts';

describe('@platformatic/kafka and kafkajs over TLS and SASL', () => {
  let dir: string;
  let pki: SecurityPki;
  let tb: SecureTempBroker;
  let events: BrokerEvents;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'brook-clients-sec-'));
    pki = makeSecurityPki(dir);
    events = collectBrokerEvents();
    const tls = { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.ca };
    tb = await startSecureBroker([
      {
        name: 'SASL_SSL',
        securityProtocol: 'SASL_SSL',
        host: '127.0.0.1',
        port: 0,
        tls,
        saslMechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-512', 'PLAIN'],
      },
      { name: 'MTLS', securityProtocol: 'SSL', host: '127.0.0.1', port: 0, tls: { ...tls, clientAuth: 'required' } },
      { name: 'REQUESTED', securityProtocol: 'SSL', host: '127.0.0.1', port: 0, tls: { ...tls, clientAuth: 'requested' } },
    ]);
    await addUser(tb, 'alice', 'alice-secret');
    tb.broker.logs.createTopic('secure', 1, {});
  });
  after(async () => {
    events.stop();
    await tb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512', 'PLAIN'] as const) {
    test(`@platformatic/kafka SASL_SSL ${mechanism}: produce and consume; a wrong password is refused`, async () => {
      const base = (password: string) => ({
        bootstrapBrokers: [tb.bootstrapOf('SASL_SSL')],
        tls: { ca: pki.ca.ca },
        sasl: { mechanism, username: 'alice', password },
        retries: 0,
      });
      const producer = new Producer({ clientId: 'pk-sec-p', ...base('alice-secret'), serializers: stringSerializers });
      await producer.send({ messages: [{ topic: 'secure', key: mechanism, value: `via ${mechanism}` }] });
      await producer.close();
      const consumer = new Consumer({
        groupId: `pk-sec-${mechanism}`,
        clientId: 'pk-sec-c',
        ...base('alice-secret'),
        deserializers: stringDeserializers,
      });
      const stream = await consumer.consume({ topics: ['secure'], mode: MessagesStreamModes.EARLIEST, autocommit: false });
      let seen = false;
      for await (const m of stream) {
        if (m.value === `via ${mechanism}`) {
          seen = true;
          break;
        }
      }
      await stream.close();
      await consumer.close();
      assert.ok(seen);
      assert.ok(events.events.some((e) => e.type === 'authenticated' && e.principal === 'User:alice' && e.mechanism === mechanism));

      const admin = new Admin({ clientId: 'pk-sec-bad', ...base('wrong') });
      await assert.rejects(admin.metadata({ topics: ['secure'] }));
      await admin.close();
    });
  }

  test('kafkajs SASL_SSL SCRAM-SHA-512 works; a wrong password fails', async () => {
    const client = (password: string) =>
      new Kafka({
        brokers: [tb.bootstrapOf('SASL_SSL')],
        ssl: { ca: [pki.ca.ca] },
        sasl: { mechanism: 'scram-sha-512', username: 'alice', password },
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
      });
    const producer = client('alice-secret').producer();
    await producer.connect();
    await producer.send({ topic: 'secure', messages: [{ value: 'kafkajs' }] });
    await producer.disconnect();
    await assert.rejects(client('wrong').admin().connect(), /authentication failed|invalid credentials/i);
  });

  test('kafkajs over mTLS: the certificate is the principal (the full DN by default)', async () => {
    const kafka = new Kafka({
      brokers: [tb.bootstrapOf('MTLS')],
      ssl: { ca: [pki.ca.ca], cert: pki.client.cert, key: pki.client.key },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    await admin.connect();
    assert.ok((await admin.listTopics()).includes('secure'));
    assert.ok(events.events.some((e) => e.type === 'tls-authenticated' && e.principal === 'User:CN=alice,OU=analytics,O=Brook'));
    await admin.disconnect();
    const noCert = new Kafka({
      brokers: [tb.bootstrapOf('MTLS')],
      ssl: { ca: [pki.ca.ca] },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    await assert.rejects(noCert.admin().connect());
  });

  test('ssl.client.auth=requested: no certificate is User:ANONYMOUS, a good one maps, an untrusted one is refused', async () => {
    const client = (cert?: { cert: Buffer; key: Buffer }) =>
      new Kafka({
        brokers: [tb.bootstrapOf('REQUESTED')],
        ssl: { ca: [pki.ca.ca], ...(cert ? { cert: cert.cert, key: cert.key } : {}) },
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
      }).admin();
    for (const c of [undefined, pki.client]) {
      const admin = client(c);
      await admin.connect();
      await admin.listTopics();
      await admin.disconnect();
    }
    const before = events.events.length;
    await assert.rejects(client(pki.stranger).connect());
    assert.ok(
      events.events
        .slice(before)
        .some(
          (e) => e.type === 'tls-handshake-failed' && e.listener === 'REQUESTED' && /client certificate refused/.test(String(e.reason)),
        ),
    );
  });
});
