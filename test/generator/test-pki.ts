// A throwaway certificate authority for TLS tests, made with the openssl CLI: a CA, a server
// certificate for localhost and 127.0.0.1, and a client certificate (key encrypted, as a Java
// PEM keystore holds it), all PEM files in one directory.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestPki {
  dir: string;
  /** CA certificate: the client's truststore. */
  caFile: string;
  ca: Buffer;
  serverCert: Buffer;
  serverKey: Buffer;
  /** Client certificate (CN=brook-generator) and its key, encrypted with `clientKeyPassword`. */
  clientCertFile: string;
  clientKeyFile: string;
  clientKeyPassword: string;
  /** The client key (encrypted) followed by its certificate: a Java PEM keystore. */
  clientKeystoreFile: string;
}

const openssl = (dir: string, ...args: string[]) => execFileSync('/usr/bin/openssl', args, { cwd: dir, stdio: 'pipe' });

/** Issues `name`.pem signed by the CA, with a new P-256 key in `name`.key. */
function issue(dir: string, name: string, subject: string, extensions: string, keyPassword?: string): void {
  const keyArgs = keyPassword ? ['-passout', `pass:${keyPassword}`] : ['-noenc'];
  openssl(
    dir,
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    ...keyArgs,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    subject,
  );
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    `${name}.pem`,
    '-extfile',
    `${name}.ext`,
  );
}

export function makeTestPki(dir: string): TestPki {
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
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Brook Test CA',
  );
  issue(dir, 'server', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  const clientKeyPassword = 'keystore-secret';
  issue(dir, 'client', '/CN=brook-generator', 'extendedKeyUsage=clientAuth\n', clientKeyPassword);
  const read = (name: string) => readFileSync(join(dir, name));
  const clientKeystoreFile = join(dir, 'client-keystore.pem');
  writeFileSync(clientKeystoreFile, Buffer.concat([read('client.key'), read('client.pem')]));
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    ca: read('ca.pem'),
    serverCert: read('server.pem'),
    serverKey: read('server.key'),
    clientCertFile: join(dir, 'client.pem'),
    clientKeyFile: join(dir, 'client.key'),
    clientKeyPassword,
    clientKeystoreFile,
  };
}
