// The private CA: files and permissions, what OpenSSL reads in its certificate, refusing to
// overwrite, both key types, and loading one that is missing, mismatched or expired.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { caExists, certsDirOf, ensureCa, initCa, loadCa } from '../../src/certs/ca.ts';
import { issueCertificate, serverSans } from '../../src/certs/issue.ts';
import { writePkcs12 } from '../../src/certs/pkcs12.ts';
import { saveIssued } from '../../src/certs/save.ts';
import { daysAgo, modeOf, openssl, scratchDir } from './helpers.ts';

test('ca init: key 0600 in a 0700 directory, a self-signed CA certificate OpenSSL accepts, an index', async () => {
  const dir = join(scratchDir(after), 'nested', 'certs');
  const ca = await initCa(dir, { subject: 'CN=Example Kafka CA,OU=platform,O=Example\\, Inc.,C=DE', validityDays: 30 });
  assert.equal(modeOf(dir), 0o700);
  assert.equal(modeOf(ca.keyFile), 0o600);
  assert.equal(modeOf(ca.certFile), 0o644);
  assert.equal(ca.keyType, 'ec-p256');
  assert.equal(ca.subjectDn, 'CN=Example Kafka CA,OU=platform,O=Example\\, Inc.,C=DE');

  const text = openssl('x509', '-in', ca.certFile, '-noout', '-text', '-nameopt', 'RFC2253');
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /Subject: CN=Example Kafka CA,OU=platform,O=Example\\, Inc\.,C=DE/);
  assert.match(text.stdout, /Issuer: CN=Example Kafka CA,OU=platform,O=Example\\, Inc\.,C=DE/);
  assert.match(text.stdout, /Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
  assert.match(text.stdout, /Key Usage: critical\s+Certificate Sign, CRL Sign/);
  assert.match(text.stdout, /ecdsa-with-SHA256/);
  // Self-signed: it verifies against itself.
  assert.equal(openssl('verify', '-CAfile', ca.certFile, ca.certFile).code, 0);
  const days = (ca.notAfter.getTime() - ca.notBefore.getTime()) / 86_400_000;
  assert.equal(Math.round(days), 30);

  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  assert.equal(index.ca.serial, ca.serial);
  assert.deepEqual(index.issued, []);
  // The key is one OpenSSL reads, and it is the certificate's.
  const fromKey = openssl('pkey', '-in', ca.keyFile, '-pubout');
  const fromCert = openssl('x509', '-in', ca.certFile, '-noout', '-pubkey');
  assert.equal(fromKey.stdout, fromCert.stdout);
});

test('ca init refuses to replace a CA unless forced; --force makes a new one', async () => {
  const dir = scratchDir(after);
  const first = await initCa(dir);
  await assert.rejects(initCa(dir), /a CA already exists in .*; .*--force/);
  assert.equal((await loadCa(dir)).serial, first.serial, 'the refused init left the CA alone');
  const second = await initCa(dir, { force: true });
  assert.notEqual(second.serial, first.serial);
  assert.equal(caExists(dir), true);
});

test('ca init with RSA-2048 and RSA-3072: SHA-256 with RSA, the key size asked for', async () => {
  for (const keyType of ['rsa-2048', 'rsa-3072'] as const) {
    const dir = scratchDir(after);
    const ca = await initCa(dir, { keyType });
    assert.equal(ca.keyType, keyType);
    const text = openssl('x509', '-in', ca.certFile, '-noout', '-text').stdout;
    assert.match(text, /sha256WithRSAEncryption/);
    assert.match(text, new RegExp(`Public-Key: \\(${keyType.slice(4)} bit\\)`));
    assert.equal(modeOf(ca.keyFile), 0o600);
  }
});

test('loadCa: a missing CA says to run ca init; an expired one says to make a new one', async () => {
  const dir = scratchDir(after);
  await assert.rejects(loadCa(join(dir, 'none')), /there is no CA in .*: run `brook certs ca init` first/);
  const expiredDir = join(dir, 'old');
  await initCa(expiredDir, { validityDays: 1, now: daysAgo(3) });
  await assert.rejects(loadCa(expiredDir), /the CA in .* expired on \d{4}-\d\d-\d\dT.*: make a new one with `brook certs ca init --force`/);
  // With a clock inside its validity it loads: the check is the date, not something else.
  assert.equal((await loadCa(expiredDir, { now: daysAgo(2.5) })).keyType, 'ec-p256');
});

test("loadCa: a key that is not the certificate's, a leaf certificate, an unreadable file are refused", async () => {
  const a = scratchDir(after);
  const b = scratchDir(after);
  await initCa(a);
  const caB = await initCa(b);
  copyFileSync(join(b, 'ca.key'), join(a, 'ca.key'));
  await assert.rejects(loadCa(a), /ca\.key is not the key of .*ca\.pem/);

  // A client certificate and its key put where the CA's go: a pair, but no CA.
  const leaf = await issueCertificate(caB, { cn: 'not-a-ca' });
  const c = scratchDir(after);
  writeFileSync(join(c, 'ca.pem'), leaf.certPem);
  writeFileSync(join(c, 'ca.key'), leaf.keyPem as string);
  await assert.rejects(loadCa(c), /is not a CA certificate \(no basicConstraints CA:TRUE\)/);

  writeFileSync(join(b, 'ca.key'), '');
  await assert.rejects(loadCa(b), /ca\.key is not a readable private key/);
  writeFileSync(join(b, 'ca.pem'), 'not a certificate');
  await assert.rejects(loadCa(b), /holds no PEM certificate/);
  rmSync(join(b, 'ca.pem'));
  await assert.rejects(loadCa(b), /ca\.pem is missing, so the CA in .* cannot sign/);
});

test('ca init into a path that cannot be a directory fails with the path and what to do', async () => {
  const dir = scratchDir(after);
  writeFileSync(join(dir, 'file'), 'x');
  await assert.rejects(
    initCa(join(dir, 'file', 'certs')),
    /cannot write .*file\/certs: a part of the path is a file, not a directory; choose another directory with --dir/,
  );
});

test('certsDirOf: <data-dir>/certs, absolute', () => {
  assert.equal(certsDirOf('/srv/brook'), '/srv/brook/certs');
  assert.match(certsDirOf('.brook'), /^\/.*\/\.brook\/certs$/);
});

test('the library path brook up --secure takes: ensureCa creates once, then loads; a server and per-part client certificates', async () => {
  const dir = join(scratchDir(after), 'certs');
  const started = performance.now();
  const first = await ensureCa(dir);
  assert.equal(first.created, true);
  const server = await saveIssued(
    first.ca,
    await issueCertificate(first.ca, { profile: 'server', cn: 'brook-server', sans: serverSans() }),
  );
  for (const part of ['generator', 'processor', 'dashboard']) {
    const issued = await issueCertificate(first.ca, { subject: `CN=${part},O=Brook` });
    const keystore = await writePkcs12(join(dir, `${part}.p12`), {
      privateKey: issued.privateKey!,
      chain: [issued.certDer, issued.caCertDer],
      password: 'part-secret',
      alias: part,
    });
    assert.equal(modeOf(keystore), 0o600);
    await saveIssued(first.ca, issued);
  }
  // ECDSA keys: the whole first run is quick (a generous bound; it takes tens of milliseconds).
  assert.ok(performance.now() - started < 5000, `first run took ${performance.now() - started} ms`);
  const again = await ensureCa(dir);
  assert.equal(again.created, false);
  assert.equal(again.ca.serial, first.ca.serial);
  assert.equal(openssl('verify', '-CAfile', join(dir, 'ca.pem'), server.cert, join(dir, 'processor.pem')).code, 0);
  assert.equal(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')).issued.length, 4);
});
