// Issuing client and server certificates: OpenSSL verifies them against the CA for the purpose
// they are for, extensions and SANs are what TLS peers check, keys are 0600, and a certificate
// never outlives its CA.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Ca, initCa } from '../../src/certs/ca.ts';
import { issueCertificate, serverSans } from '../../src/certs/issue.ts';
import { parseDn, parseSans } from '../../src/certs/names.ts';
import { saveIssued } from '../../src/certs/save.ts';
import { subjectDnOf } from '../../src/security/tls.ts';
import { modeOf, openssl, scratchDir } from './helpers.ts';

describe('issuing certificates', () => {
  const dir = scratchDir(after);
  let ca: Ca;
  before(async () => {
    ca = await initCa(dir, { subject: 'CN=Issue Test CA,O=Brook', validityDays: 400 });
  });

  for (const keyType of ['ec-p256', 'rsa-2048'] as const) {
    test(`a ${keyType} client certificate verifies as an SSL client, with clientAuth and the right key usage`, async () => {
      const issued = await issueCertificate(ca, { subject: `CN=alice-${keyType},OU=analytics,O=Brook`, keyType, validityDays: 90 });
      const files = await saveIssued(ca, issued);
      assert.equal(issued.keyType, keyType);
      assert.equal(modeOf(files.key as string), 0o600);
      assert.equal(modeOf(files.cert), 0o644);

      const v = openssl('verify', '-CAfile', ca.certFile, '-purpose', 'sslclient', files.cert);
      assert.equal(v.code, 0, v.stderr + v.stdout);
      // A client certificate is not a server certificate.
      assert.notEqual(openssl('verify', '-CAfile', ca.certFile, '-purpose', 'sslserver', files.cert).code, 0);

      const text = openssl('x509', '-in', files.cert, '-noout', '-text').stdout;
      assert.match(text, /Extended Key Usage: \s+TLS Web Client Authentication\n/);
      assert.match(
        text,
        keyType === 'ec-p256' ? /Key Usage: critical\s+Digital Signature\n/ : /Key Usage: critical\s+Digital Signature, Key Encipherment\n/,
      );
      assert.match(text, /Basic Constraints: critical\s+CA:FALSE/);
      assert.match(text, /Authority Key Identifier/);
      assert.match(text, keyType === 'ec-p256' ? /ecdsa-with-SHA256/ : /Public-Key: \(2048 bit\)/);

      // The key file is the certificate's key.
      assert.equal(
        openssl('pkey', '-in', files.key as string, '-pubout').stdout,
        openssl('x509', '-in', files.cert, '-noout', '-pubkey').stdout,
      );
      // The chain is the certificate, then the CA.
      const chain = readFileSync(files.chain, 'utf8');
      assert.equal(chain, readFileSync(files.cert, 'utf8') + readFileSync(ca.certFile, 'utf8'));
      // The subject is the principal Brook's broker derives from it (same code path as mTLS).
      assert.equal(subjectDnOf(new X509Certificate(readFileSync(files.cert))), `CN=alice-${keyType},OU=analytics,O=Brook`);
      assert.equal(issued.subjectDn, `CN=alice-${keyType},OU=analytics,O=Brook`);
      const days = (issued.notAfter.getTime() - Date.now()) / 86_400_000;
      assert.ok(days > 89.9 && days <= 90, `valid 90 days, got ${days}`);
    });
  }

  test('a server certificate: serverAuth and clientAuth, SANs for this machine and the given hosts', async () => {
    const sans = serverSans(['broker.example.com', '10.0.0.5', 'IP:fd00::5']);
    const issued = await issueCertificate(ca, { profile: 'server', cn: 'brook-server', sans });
    const files = await saveIssued(ca, issued);
    assert.equal(files.cert, join(dir, 'server.pem'));
    for (const purpose of ['sslserver', 'sslclient']) {
      const v = openssl('verify', '-CAfile', ca.certFile, '-purpose', purpose, files.cert);
      assert.equal(v.code, 0, `${purpose}: ${v.stderr}`);
    }
    // OpenSSL's own host and address checks, as a TLS client would make them.
    for (const [flag, value] of [
      ['-verify_hostname', 'localhost'],
      ['-verify_hostname', hostname()],
      ['-verify_hostname', 'broker.example.com'],
      ['-verify_ip', '127.0.0.1'],
      ['-verify_ip', '::1'],
      ['-verify_ip', '10.0.0.5'],
      ['-verify_ip', 'fd00::5'],
    ] as const) {
      const v = openssl('verify', '-CAfile', ca.certFile, flag, value, files.cert);
      assert.equal(v.code, 0, `${flag} ${value}: ${v.stderr}${v.stdout}`);
    }
    assert.notEqual(openssl('verify', '-CAfile', ca.certFile, '-verify_hostname', 'other.example.com', files.cert).code, 0);
    assert.match(
      openssl('x509', '-in', files.cert, '-noout', '-ext', 'extendedKeyUsage').stdout,
      /TLS Web Server Authentication, TLS Web Client Authentication/,
    );
  });

  test('SANs: kinds, normalization, duplicates, and clear refusals', () => {
    assert.deepEqual(
      parseSans([
        'DNS:Kafka.Example.com,ip:::0001',
        'kafka.example.com',
        '192.168.1.1',
        'email:ops@example.com',
        'URI:spiffe://brook/alice',
      ]),
      ['DNS:kafka.example.com', 'IP:::1', 'IP:192.168.1.1', 'email:ops@example.com', 'URI:spiffe://brook/alice'],
    );
    assert.throws(() => parseSans(['IP:300.1.1.1']), /not an IPv4 or IPv6 address/);
    assert.throws(() => parseSans(['DNS:bad host']), /not a host name/);
    assert.throws(() => parseSans(['email:nobody']), /not an e-mail address/);
  });

  test('a certificate may not outlive its CA: the refusal gives the longest allowed and the way out', async () => {
    await assert.rejects(
      issueCertificate(ca, { cn: 'too-long', validityDays: 500 }),
      /the CA expires on \d{4}-\d\d-\d\d, before a 500-day certificate would \(\d{4}-\d\d-\d\d\): ask for at most --validity-days 399, or make a new CA with `brook certs ca init --force --validity-days N`/,
    );
    const ok = await issueCertificate(ca, { cn: 'just-fits', validityDays: 399 });
    assert.ok(ok.notAfter.getTime() <= ca.notAfter.getTime());
  });

  test('the subject: exactly one of cn, subject, csr; --key-type not with a CSR', async () => {
    await assert.rejects(issueCertificate(ca, {}), /say whom the certificate is for: --cn NAME, --subject DN, or --csr FILE/);
    await assert.rejects(issueCertificate(ca, { cn: 'a', subject: 'CN=b' }), /--cn and --subject each name the subject: give only one/);
    await assert.rejects(issueCertificate(ca, { csr: 'x', keyType: 'rsa-2048' }), /--key-type does not go with --csr/);
    await assert.rejects(issueCertificate(ca, { subject: 'CN=x,Q=y' }), /unknown attribute 'Q'/);
    await assert.rejects(issueCertificate(ca, { subject: 'CN=x,C=Germany' }), /C \(country\) must be a two-letter code/);
  });

  test('OpenSSL-style subjects and RFC 4514 escapes come out the same as Kafka prints them', async () => {
    const a = await issueCertificate(ca, { subject: '/C=DE/O=Example, Inc./CN=bob' });
    assert.equal(a.subjectDn, 'CN=bob,O=Example\\, Inc.,C=DE');
    assert.equal(subjectDnOf(new X509Certificate(a.certDer)), a.subjectDn);
    const b = await issueCertificate(ca, { subject: 'CN=J\\C3\\BCrgen\\+ops,O=Example\\, Inc.' });
    assert.equal(b.cn, 'Jürgen+ops');
    assert.equal(subjectDnOf(new X509Certificate(b.certDer)), 'CN=Jürgen\\+ops,O=Example\\, Inc.');
    assert.equal(b.subjectDn, 'CN=Jürgen\\+ops,O=Example\\, Inc.');
    assert.throws(() => parseDn('CN=a+OU=b'), /multi-valued names \(with '\+'\) are not supported/);
  });

  test('saving refuses to overwrite without --force, and names no file after the CA', async () => {
    const first = await issueCertificate(ca, { cn: 'carol' });
    await saveIssued(ca, first);
    const second = await issueCertificate(ca, { cn: 'carol' });
    await assert.rejects(
      saveIssued(ca, second),
      /carol\.pem, .*carol-chain\.pem, .*carol\.key already exist: pass --force to replace, or choose --name or --out/,
    );
    await saveIssued(ca, second, { force: true });
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
    const carols = index.issued.filter((r: { cn: string }) => r.cn === 'carol');
    assert.deepEqual(
      carols.map((r: { serial: string }) => r.serial),
      [second.serial],
      'the replaced certificate left the index',
    );
    await assert.rejects(saveIssued(ca, second, { name: 'ca' }), /would overwrite the CA's own files/);
    await assert.rejects(saveIssued(ca, second, { name: '../x' }), /is not a file name/);
  });
});
