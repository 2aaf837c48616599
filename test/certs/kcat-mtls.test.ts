// End to end with real peers: a Brook broker whose SSL listener requires client certificates and
// presents the certificate `brook certs server` made, and kcat (librdkafka) with client
// certificates from `brook certs issue`, as PEM files and as a PKCS#12 keystore. The broker's ACLs
// admit only the principals `brook certs` printed, so the subjects must come through intact. No
// certificate, another CA's, an expired one: the handshake fails, the broker logs why, and the
// good client goes on working.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { initCa, loadCa } from '../../src/certs/ca.ts';
import { issueCertificate } from '../../src/certs/issue.ts';
import { saveIssued } from '../../src/certs/save.ts';
import { type BrokerEvents, collectBrokerEvents } from '../helpers/broker-events.ts';
import { kcat } from '../helpers/kcat.ts';
import { type SecureTempBroker, startSecureBroker } from '../helpers/secure-broker.ts';
import { certs, daysAgo, scratchDir } from './helpers.ts';

describe('kcat over mTLS with certificates from brook certs', () => {
  const dir = scratchDir(after, 'brook-certs-kcat-');
  const caDir = join(dir, 'certs');
  let tb: SecureTempBroker;
  let events: BrokerEvents;
  const principals: string[] = [];

  before(async () => {
    // Made a month ago, so that an already-expired client certificate can come from it too.
    await initCa(caDir, { subject: 'CN=Brook Test CA,O=Brook', now: daysAgo(30) });
    const server = await certs('server', '--dir', caDir);
    assert.equal(server.code, 0, server.stderr);
    for (const args of [
      ['--subject', 'CN=alice,OU=analytics,O=Brook'],
      [
        '--subject',
        'CN=bob,O=Brook',
        '--key-type',
        'rsa-2048',
        '--keystore',
        join(dir, 'bob.p12'),
        '--password',
        'bob-store-pw',
        '--alias',
        'bob',
      ],
    ]) {
      const r = await certs('issue', '--dir', caDir, ...args);
      assert.equal(r.code, 0, r.stderr);
      principals.push((/ACLs see it as: +(User:\S+)/.exec(r.stdout) as RegExpExecArray)[1] as string);
    }
    assert.deepEqual(principals, ['User:CN=alice,OU=analytics,O=Brook', 'User:CN=bob,O=Brook']);

    const ca = await loadCa(caDir);
    const expired = await issueCertificate(ca, { cn: 'old-timer', validityDays: 1, now: daysAgo(10) });
    await saveIssued(ca, expired);
    const otherCa = await initCa(join(dir, 'other-ca'), { subject: 'CN=Someone Else CA,O=Elsewhere' });
    await saveIssued(otherCa, await issueCertificate(otherCa, { subject: 'CN=mallory,O=Elsewhere' }));

    events = collectBrokerEvents();
    tb = await startSecureBroker(
      [
        {
          name: 'MTLS',
          securityProtocol: 'SSL',
          host: '127.0.0.1',
          port: 0,
          tls: {
            cert: readFileSync(join(caDir, 'server-chain.pem')),
            key: readFileSync(join(caDir, 'server.key')),
            ca: readFileSync(join(caDir, 'ca.pem')),
            clientAuth: 'required',
          },
        },
      ],
      // Only the two principals brook certs printed may do anything.
      { authorizer: true, superUsers: principals },
    );
    for (const t of ['pem', 'p12']) tb.broker.logs.createTopic(t, 1, {});
  });
  after(async () => {
    events?.stop();
    await tb?.dispose();
  });

  // librdkafka checks the broker's name against the certificate (ssl.endpoint.identification.algorithm=https).
  const trust = () => ['-X', 'security.protocol=SSL', '-X', `ssl.ca.location=${join(caDir, 'ca.pem')}`];
  const pem = (name: string, base = caDir) => [
    '-X',
    `ssl.certificate.location=${join(base, `${name}.pem`)}`,
    '-X',
    `ssl.key.location=${join(base, `${name}.key`)}`,
  ];
  const p12 = () => ['-X', `ssl.keystore.location=${join(dir, 'bob.p12')}`, '-X', 'ssl.keystore.password=bob-store-pw'];

  async function roundTrip(topic: string, client: string[], n: number): Promise<void> {
    const lines = Array.from({ length: n }, (_, i) => `${topic}-${i}`);
    const p = await kcat(['-b', tb.bootstrapOf('MTLS'), ...trust(), ...client, '-P', '-t', topic], {
      input: `${lines.join('\n')}\n`,
      timeoutMs: 30_000,
    });
    assert.equal(p.code, 0, p.stderr);
    const c = await kcat(['-b', tb.bootstrapOf('MTLS'), ...trust(), ...client, '-C', '-t', topic, '-o', 'beginning', '-e', '-q'], {
      timeoutMs: 30_000,
    });
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(c.stdout.trim().split('\n').slice(-n), lines);
  }

  test('PEM files (ssl.certificate.location, ssl.key.location): produce and consume', async () => {
    await roundTrip('pem', pem('alice'), 25);
  });

  test('the PKCS#12 keystore (ssl.keystore.location, ssl.keystore.password), an RSA key: produce and consume', async () => {
    await roundTrip('p12', p12(), 25);
  });

  for (const [what, client, reason] of [
    ['no client certificate', [], /peer did not return a certificate/],
    ['a certificate from another CA', pem('mallory', join(dir, 'other-ca')), /client certificate refused: UNABLE_TO_VERIFY_LEAF_SIGNATURE/],
    ['an expired certificate', pem('old-timer'), /client certificate refused: CERT_HAS_EXPIRED/],
  ] as const) {
    test(`${what}: the handshake fails, the broker logs why, and the good client keeps working`, async () => {
      const from = events.events.length;
      const r = await kcat(['-b', tb.bootstrapOf('MTLS'), ...trust(), ...client, '-L', '-m', '3'], { timeoutMs: 30_000 });
      assert.notEqual(r.code, 0, `kcat should have failed; stdout ${r.stdout}`);
      const failed = events.events.slice(from).filter((e) => e.type === 'tls-handshake-failed' && e.listener === 'MTLS');
      assert.ok(failed.length > 0, 'the broker logged the failed handshake');
      assert.match(String(failed[0]?.reason), reason);
      assert.ok(events.lines().some((l) => /^TLS handshake failed on listener MTLS from \S+: .+/.test(l)));
      const ok = await kcat(['-b', tb.bootstrapOf('MTLS'), ...trust(), ...pem('alice'), '-L', '-J'], { timeoutMs: 30_000 });
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /"topic":"pem"/);
    });
  }
});
