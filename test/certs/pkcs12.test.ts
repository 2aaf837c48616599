// PKCS#12 keystores as Java's keytool and OpenSSL 3 (without the legacy provider) read them: one
// PrivateKeyEntry under the alias with a chain of two, PBES2/AES-256-CBC and an HMAC-SHA256 MAC,
// and a wrong password refused by both.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Ca, initCa } from '../../src/certs/ca.ts';
import { issueCertificate } from '../../src/certs/issue.ts';
import { buildPkcs12 } from '../../src/certs/pkcs12.ts';
import { saveIssued } from '../../src/certs/save.ts';
import { keytool, modeOf, openssl, scratchDir } from './helpers.ts';

describe('PKCS#12 keystores', () => {
  const dir = scratchDir(after);
  let ca: Ca;
  before(async () => {
    ca = await initCa(join(dir, 'ca'), { subject: 'CN=Keystore CA,O=Brook' });
  });

  for (const keyType of ['ec-p256', 'rsa-2048'] as const) {
    test(`${keyType}: keytool lists a PrivateKeyEntry with a chain of 2; openssl reads it without -legacy`, async () => {
      const issued = await issueCertificate(ca, { subject: `CN=java-${keyType},O=Brook`, keyType });
      const keystore = join(dir, `java-${keyType}.p12`);
      const files = await saveIssued(ca, issued, { keystore: { file: keystore, password: 'changeit-123', alias: 'msk' } });
      assert.equal(files.keystore, keystore);
      assert.equal(modeOf(keystore), 0o600);

      const list = keytool('-list', '-v', '-keystore', keystore, '-storetype', 'PKCS12', '-storepass', 'changeit-123');
      assert.equal(list.code, 0, list.stdout + list.stderr);
      assert.match(list.stdout, /Your keystore contains 1 entry/);
      assert.match(list.stdout, /Alias name: msk\n/);
      assert.match(list.stdout, /Entry type: PrivateKeyEntry/);
      assert.match(list.stdout, /Certificate chain length: 2/);
      assert.match(list.stdout, new RegExp(`Owner: CN=java-${keyType}, O=Brook`));
      assert.match(list.stdout, /Owner: CN=Keystore CA, O=Brook/);

      const info = openssl('pkcs12', '-info', '-nodes', '-in', keystore, '-passin', 'pass:changeit-123');
      assert.equal(info.code, 0, info.stderr);
      const both = info.stdout + info.stderr;
      assert.match(both, /MAC: sha256, Iteration 10000/);
      assert.match(both, /Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256/);
      assert.match(both, /PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256/);
      assert.match(both, /friendlyName: msk/);
      assert.equal((both.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length, 2);
      // The key inside is the certificate's key.
      const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n/.exec(info.stdout)?.[0] ?? '';
      const keyFile = join(dir, `extracted-${keyType}.key`);
      writeFileSync(keyFile, keyPem);
      assert.equal(openssl('pkey', '-in', keyFile, '-pubout').stdout, openssl('x509', '-in', files.cert, '-noout', '-pubkey').stdout);
    });
  }

  test('a wrong password is refused by keytool and openssl', async () => {
    const issued = await issueCertificate(ca, { cn: 'pw-check' });
    const keystore = join(dir, 'pw.p12');
    await saveIssued(ca, issued, { keystore: { file: keystore, password: 'right' } });
    const k = keytool('-list', '-keystore', keystore, '-storetype', 'PKCS12', '-storepass', 'wrong');
    assert.notEqual(k.code, 0);
    assert.match(k.stdout + k.stderr, /password was incorrect|Integrity check failed/i);
    const o = openssl('pkcs12', '-info', '-nodes', '-in', keystore, '-passin', 'pass:wrong');
    assert.notEqual(o.code, 0);
    assert.match(o.stderr, /Mac verify error|invalid password/i);
    // The default alias is the file name base.
    assert.match(
      keytool('-list', '-keystore', keystore, '-storetype', 'PKCS12', '-storepass', 'right').stdout,
      /^pw-check, .*PrivateKeyEntry/m,
    );
  });

  test('a password Java could not use (not ASCII) is refused, where keytool itself fails too', async () => {
    const issued = await issueCertificate(ca, { cn: 'umlaut' });
    await assert.rejects(
      buildPkcs12({ privateKey: issued.privateKey!, chain: [issued.certDer, issued.caCertDer], password: 'pässwört', alias: 'u' }),
      /keystore passwords must be printable ASCII characters: Java cannot open/,
    );
    // The reason: Java's own PKCS#12 code cannot derive a key from it.
    const k = keytool(
      '-genkeypair',
      '-alias',
      'j',
      '-keyalg',
      'EC',
      '-dname',
      'CN=j',
      '-keystore',
      join(dir, 'java-made.p12'),
      '-storetype',
      'PKCS12',
      '-storepass',
      'pässwört',
    );
    assert.notEqual(k.code, 0);
    assert.match(k.stdout + k.stderr, /Password is not ASCII/);
  });

  test('an empty password is refused before anything is written', async () => {
    const issued = await issueCertificate(ca, { cn: 'nopw' });
    await assert.rejects(
      buildPkcs12({ privateKey: issued.keyPem!, chain: [issued.certDer], password: '', alias: 'x' }),
      /needs a password/,
    );
  });
});
