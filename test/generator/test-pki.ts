// The generator's TLS test certificates: a CA, a server certificate for localhost and 127.0.0.1,
// and a client certificate whose key is encrypted, as a Java PEM keystore holds it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCa } from '../helpers/pki.ts';

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

export function makeTestPki(dir: string): TestPki {
  const ca = makeCa(dir);
  const server = ca.issue('server', '/CN=localhost', { server: true });
  const clientKeyPassword = 'keystore-secret';
  const client = ca.issue('client', '/CN=brook-generator', { keyPassword: clientKeyPassword });
  const clientKeystoreFile = join(dir, 'client-keystore.pem');
  writeFileSync(clientKeystoreFile, Buffer.concat([readFileSync(client.keyFile), client.cert]));
  return {
    dir,
    caFile: ca.caFile,
    ca: ca.ca,
    serverCert: server.cert,
    serverKey: server.key,
    clientCertFile: client.certFile,
    clientKeyFile: client.keyFile,
    clientKeyPassword,
    clientKeystoreFile,
  };
}
