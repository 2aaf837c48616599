// kcat (librdkafka) against Brook's security listeners: SSL with a server certificate, mutual TLS
// (no certificate, another CA's, an expired one: refused with a broker log line while others go
// on), SASL_SSL and SASL_PLAINTEXT with SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type BrokerEvents, collectBrokerEvents } from '../helpers/broker-events.ts';
import { kcat } from '../helpers/kcat.ts';
import { makeSecurityPki, type SecurityPki } from '../helpers/pki.ts';
import { addUser, type SecureTempBroker, startSecureBroker } from '../helpers/secure-broker.ts';

describe('kcat over TLS and SASL', () => {
  let dir: string;
  let pki: SecurityPki;
  let tb: SecureTempBroker;
  let events: BrokerEvents;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'brook-kcat-sec-'));
    pki = makeSecurityPki(dir);
    events = collectBrokerEvents();
    const tls = { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.ca };
    const local = { host: '127.0.0.1', port: 0 };
    tb = await startSecureBroker([
      { name: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', ...local },
      { name: 'SSL', securityProtocol: 'SSL', ...local, tls: { ...tls, clientAuth: 'none' } },
      { name: 'MTLS', securityProtocol: 'SSL', ...local, tls: { ...tls, clientAuth: 'required' } },
      { name: 'SASL_SSL', securityProtocol: 'SASL_SSL', ...local, tls, saslMechanisms: ['SCRAM-SHA-512', 'SCRAM-SHA-256', 'PLAIN'] },
      { name: 'SASL_PLAINTEXT', securityProtocol: 'SASL_PLAINTEXT', ...local, saslMechanisms: ['SCRAM-SHA-512', 'SCRAM-SHA-256', 'PLAIN'] },
    ]);
    await addUser(tb, 'alice', 'alice-secret');
    for (const t of ['ssl', 'mtls', 'sasl']) tb.broker.logs.createTopic(t, 1, {});
  });
  after(async () => {
    events.stop();
    await tb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const ssl = () => ['-X', 'security.protocol=SSL', '-X', `ssl.ca.location=${pki.ca.caFile}`];
  const cert = (c: { certFile: string; keyFile: string }) => [
    '-X',
    `ssl.certificate.location=${c.certFile}`,
    '-X',
    `ssl.key.location=${c.keyFile}`,
  ];

  async function roundTrip(bootstrap: string, topic: string, extra: string[], n: number): Promise<void> {
    const lines = Array.from({ length: n }, (_, i) => `${topic}-${i}`);
    const p = await kcat(['-b', bootstrap, ...extra, '-P', '-t', topic], { input: `${lines.join('\n')}\n`, timeoutMs: 30_000 });
    assert.equal(p.code, 0, p.stderr);
    const c = await kcat(['-b', bootstrap, ...extra, '-C', '-t', topic, '-o', 'beginning', '-e', '-q'], { timeoutMs: 30_000 });
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(c.stdout.trim().split('\n').slice(-n), lines);
  }

  async function refused(bootstrap: string, extra: string[]): Promise<string> {
    const r = await kcat(['-b', bootstrap, ...extra, '-L', '-m', '3'], { timeoutMs: 30_000 });
    assert.notEqual(r.code, 0, `kcat should fail; stdout ${r.stdout}`);
    return r.stderr;
  }

  test('SSL with a server certificate: produce and consume', async () => {
    await roundTrip(tb.bootstrapOf('SSL'), 'ssl', ssl(), 50);
  });

  test('mTLS required: a client certificate from the CA works', async () => {
    await roundTrip(tb.bootstrapOf('MTLS'), 'mtls', [...ssl(), ...cert(pki.client)], 50);
  });

  for (const [what, extra, reason] of [
    ['no client certificate', [], /peer did not return a certificate/],
    ['a certificate from another CA', ['stranger'], /client certificate refused: UNABLE_TO_VERIFY_LEAF_SIGNATURE/],
    ['an expired certificate', ['expired'], /client certificate refused: CERT_HAS_EXPIRED/],
  ] as const) {
    test(`mTLS required: ${what} fails the handshake with a broker log line; others keep working`, async () => {
      const before = events.events.length;
      const c = extra[0] === 'stranger' ? pki.stranger : extra[0] === 'expired' ? pki.expired : null;
      await refused(tb.bootstrapOf('MTLS'), [...ssl(), ...(c ? cert(c) : [])]);
      const lines = events.events.slice(before).filter((e) => e.type === 'tls-handshake-failed' && e.listener === 'MTLS');
      assert.ok(lines.length > 0, 'the broker logged the failed handshake');
      assert.match(String(lines[0]?.reason), reason);
      assert.match(
        events.lines().find((l) => l.startsWith('TLS handshake failed on listener MTLS')) ?? '',
        /^TLS handshake failed on listener MTLS from \S+: .+/,
      );
      const ok = await kcat(['-b', tb.bootstrapOf('MTLS'), ...ssl(), ...cert(pki.client), '-L', '-J'], { timeoutMs: 30_000 });
      assert.equal(ok.code, 0, ok.stderr);
    });
  }

  for (const listener of ['SASL_SSL', 'SASL_PLAINTEXT'] as const) {
    for (const mechanism of ['SCRAM-SHA-512', 'SCRAM-SHA-256', 'PLAIN'] as const) {
      const sasl = (password: string) => [
        ...(listener === 'SASL_SSL' ? ['-X', `ssl.ca.location=${pki.ca.caFile}`] : []),
        '-X',
        `security.protocol=${listener}`,
        '-X',
        `sasl.mechanisms=${mechanism}`,
        '-X',
        'sasl.username=alice',
        '-X',
        `sasl.password=${password}`,
      ];
      test(`${listener} ${mechanism}: the right password works, a wrong one fails and is closed`, async () => {
        await roundTrip(tb.bootstrapOf(listener), 'sasl', sasl('alice-secret'), 10);
        const before = events.events.length;
        const err = await refused(tb.bootstrapOf(listener), sasl('wrong'));
        assert.match(err, /Authentication failed|SASL authentication error/i);
        assert.ok(
          events.events.slice(before).some((e) => e.type === 'connection-refused' && /authentication failed/.test(String(e.reason))),
          'the broker refused the login',
        );
      });
    }
  }
});
