// Signing CSRs made by OpenSSL: the subject and the requested SANs are kept, the key stays the
// requester's, a CA:TRUE request does not make a CA, and a tampered or foreign file is refused.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Ca, initCa } from '../../src/certs/ca.ts';
import { issueCertificate } from '../../src/certs/issue.ts';
import { saveIssued } from '../../src/certs/save.ts';
import { certs, openssl, scratchDir } from './helpers.ts';

describe('signing CSRs', () => {
  const dir = scratchDir(after);
  let ca: Ca;
  before(async () => {
    ca = await initCa(join(dir, 'ca'));
  });

  function opensslCsr(name: string, keyArgs: string[], subject: string, extra: string[] = []): { csr: string; key: string } {
    const key = join(dir, `${name}.key`);
    const csr = join(dir, `${name}.csr`);
    const r = openssl('req', '-new', '-newkey', ...keyArgs, '-noenc', '-keyout', key, '-out', csr, '-subj', subject, ...extra);
    assert.equal(r.code, 0, r.stderr);
    return { csr, key };
  }

  for (const [kind, keyArgs] of [
    ['EC P-256', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256']],
    ['RSA-2048', ['rsa:2048']],
  ] as const) {
    test(`an OpenSSL ${kind} CSR is signed with its subject and SANs; the certificate works with the requester's key`, async () => {
      const name = kind.replace(/\W/g, '').toLowerCase();
      const { csr, key } = opensslCsr(name, [...keyArgs], `/O=Example/OU=payments/CN=svc-${name}`, [
        '-addext',
        'subjectAltName=DNS:svc.example.com,IP:10.1.2.3,email:svc@example.com',
        // Asking to be a CA must not work.
        '-addext',
        'basicConstraints=critical,CA:TRUE',
      ]);
      const issued = await issueCertificate(ca, { csr: readFileSync(csr), csrSource: csr, sans: ['DNS:extra.example.com'] });
      assert.equal(issued.fromCsr, true);
      assert.equal(issued.privateKey, null);
      assert.equal(issued.subjectDn, `CN=svc-${name},OU=payments,O=Example`);
      assert.deepEqual(issued.sans, ['DNS:svc.example.com', 'IP:10.1.2.3', 'email:svc@example.com', 'DNS:extra.example.com']);
      const files = await saveIssued(ca, issued, { outDir: join(dir, 'out') });
      assert.equal(files.key, null, 'no key file: the key never came here');

      assert.equal(openssl('verify', '-CAfile', ca.certFile, '-purpose', 'sslclient', files.cert).code, 0);
      const text = openssl('x509', '-in', files.cert, '-noout', '-text', '-nameopt', 'RFC2253').stdout;
      assert.match(text, new RegExp(`Subject: CN=svc-${name},OU=payments,O=Example`));
      assert.match(text, /DNS:svc\.example\.com, IP Address:10\.1\.2\.3, email:svc@example\.com, DNS:extra\.example\.com/);
      assert.match(text, /CA:FALSE/);
      assert.doesNotMatch(text, /CA:TRUE/);
      // The certificate carries the requester's public key.
      assert.equal(openssl('pkey', '-in', key, '-pubout').stdout, openssl('x509', '-in', files.cert, '-noout', '-pubkey').stdout);
    });
  }

  test('a tampered CSR is refused: its signature no longer covers its content', async () => {
    const { csr } = opensslCsr('honest', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/CN=honest-user');
    const pem = readFileSync(csr, 'utf8');
    const body = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    const at = body.indexOf(Buffer.from('honest-user'));
    assert.ok(at > 0);
    body.write('admin-user!', at, 'latin1'); // same length: still well-formed DER, different subject
    const tampered = join(dir, 'tampered.csr');
    writeFileSync(tampered, `-----BEGIN CERTIFICATE REQUEST-----\n${body.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`);
    // OpenSSL agrees: well-formed, but the signature fails (OpenSSL 3.0 says so yet exits 0).
    const check = openssl('req', '-in', tampered, '-noout', '-verify');
    assert.match(check.stdout + check.stderr, /verify failure|signature failure|bad signature/i);
    await assert.rejects(
      issueCertificate(ca, { csr: readFileSync(tampered), csrSource: tampered }),
      /tampered\.csr: the request's signature does not verify: it was changed after it was signed/,
    );

    const r = await certs('issue', '--dir', join(dir, 'ca'), '--csr', tampered);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /signature does not verify/);
  });

  test('a file that is not a CSR, a CSR with a keystore, a missing file: clear errors', async () => {
    const cert = join(dir, 'ca', 'ca.pem');
    await assert.rejects(
      issueCertificate(ca, { csr: readFileSync(cert), csrSource: cert }),
      /ca\.pem is not a certificate signing request: expected PEM \(-----BEGIN CERTIFICATE REQUEST-----\) or DER/,
    );
    await assert.rejects(
      issueCertificate(ca, { csr: Buffer.from('garbage'), csrSource: 'g.csr' }),
      /g\.csr is not a certificate signing request/,
    );

    const { csr } = opensslCsr('ks', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/CN=ks');
    const r = await certs(
      'issue',
      '--dir',
      join(dir, 'ca'),
      '--csr',
      csr,
      '--keystore',
      join(dir, 'ks.p12'),
      '--password',
      'pw',
      '--out',
      join(dir, 'ks'),
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--keystore needs the private key, which stays with whoever made the CSR/);

    const missing = await certs('issue', '--dir', join(dir, 'ca'), '--csr', join(dir, 'nope.csr'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read --csr '.*nope\.csr': ENOENT/);
  });

  test('a DER CSR works as well as PEM', async () => {
    const { csr } = opensslCsr('der', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/CN=der-user');
    const derFile = join(dir, 'der.csr.der');
    assert.equal(openssl('req', '-in', csr, '-outform', 'DER', '-out', derFile).code, 0);
    const issued = await issueCertificate(ca, { csr: readFileSync(derFile), csrSource: derFile });
    assert.equal(issued.subjectDn, 'CN=der-user');
  });
});
