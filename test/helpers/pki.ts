// Throwaway certificate authorities for TLS tests, made with the openssl CLI: a CA, a server
// certificate for localhost and 127.0.0.1, and client certificates (valid, expired, or signed by
// another CA), all PEM files in one directory.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const openssl = (dir: string, ...args: string[]) => execFileSync('/usr/bin/openssl', args, { cwd: dir, stdio: 'pipe' });

export interface Issued {
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
}

export interface TestCa {
  dir: string;
  name: string;
  caFile: string;
  ca: Buffer;
  /**
   * Signs a new P-256 key for `subject` (openssl form, e.g. /O=Brook/CN=alice); days < 0 makes it
   * expired; keyPassword encrypts the key file (as a Java PEM keystore holds it).
   */
  issue(file: string, subject: string, opts?: { days?: number; server?: boolean; keyPassword?: string }): Issued;
}

export function makeCa(dir: string, name = 'ca', subject = '/CN=Brook Test CA'): TestCa {
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-noenc',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-subj',
    subject,
  );
  const read = (f: string) => readFileSync(join(dir, f));
  return {
    dir,
    name,
    caFile: join(dir, `${name}.pem`),
    ca: read(`${name}.pem`),
    issue(file, subj, opts = {}) {
      openssl(
        dir,
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        ...(opts.keyPassword ? ['-passout', `pass:${opts.keyPassword}`] : ['-noenc']),
        '-keyout',
        `${file}.key`,
        '-out',
        `${file}.csr`,
        '-subj',
        subj,
      );
      const ext = opts.server
        ? 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'
        : 'extendedKeyUsage=clientAuth\n';
      writeFileSync(join(dir, `${file}.ext`), ext);
      // -days -1 puts notAfter a day before notBefore: a certificate that has expired.
      openssl(
        dir,
        'x509',
        '-req',
        '-in',
        `${file}.csr`,
        '-CA',
        `${name}.pem`,
        '-CAkey',
        `${name}.key`,
        '-CAcreateserial',
        '-days',
        String(opts.days ?? 2),
        '-out',
        `${file}.pem`,
        '-extfile',
        `${file}.ext`,
      );
      return { certFile: join(dir, `${file}.pem`), keyFile: join(dir, `${file}.key`), cert: read(`${file}.pem`), key: read(`${file}.key`) };
    },
  };
}

export interface SecurityPki {
  ca: TestCa;
  server: Issued;
  /** CN=alice,OU=analytics,O=Brook signed by the CA. */
  client: Issued;
  /** Signed by the CA, but expired. */
  expired: Issued;
  /** Signed by a CA the broker does not trust. */
  stranger: Issued;
}

export function makeSecurityPki(dir: string): SecurityPki {
  const ca = makeCa(dir);
  const other = makeCa(dir, 'other-ca', '/CN=Someone Else CA');
  return {
    ca,
    server: ca.issue('server', '/CN=localhost', { server: true }),
    client: ca.issue('client', '/O=Brook/OU=analytics/CN=alice'),
    expired: ca.issue('expired', '/O=Brook/CN=old-timer', { days: -1 }),
    stranger: other.issue('stranger', '/O=Elsewhere/CN=mallory'),
  };
}
