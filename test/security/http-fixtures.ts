// Users and certificates for the registry and dashboard auth tests: a test CA with a server
// certificate, client certificates that map to users (by subject, by CN) or to none, and a
// users file with an admin, a read-only user and certificate users. Cheap scrypt parameters keep
// the tests fast; the parameters are stored with each hash, so the servers verify with them.
import { request } from 'node:https';
import { join } from 'node:path';
import { hashPassword, WEB_USERS_FILE, type WebUser, writeWebUsers } from '../../src/security/http-users.ts';
import { type Issued, makeSecurityPki, type SecurityPki } from '../helpers/pki.ts';

export const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };

export const ADMIN = { username: 'root', password: 'root-secret' };
export const READER = { username: 'reader', password: 'reader-secret' };

export interface WebAuthFixture {
  pki: SecurityPki;
  usersFile: string;
  /** CN=alice,OU=analytics,O=Brook: admin through its certSubject entry. */
  aliceCert: Issued;
  /** CN=reader: the read-only user, through its name. */
  readerCert: Issued;
  /** CN=nobody: signed by the CA, but no user has it. */
  nobodyCert: Issued;
}

export async function makeWebAuthFixture(dir: string): Promise<WebAuthFixture> {
  const pki = makeSecurityPki(dir);
  const users: WebUser[] = [
    { name: ADMIN.username, role: 'admin', password: await hashPassword(ADMIN.password, FAST_SCRYPT) },
    { name: READER.username, role: 'read-only', password: await hashPassword(READER.password, FAST_SCRYPT) },
    { name: 'alice', role: 'admin', certSubject: 'CN=alice,OU=analytics,O=Brook' },
  ];
  const usersFile = join(dir, WEB_USERS_FILE);
  writeWebUsers(usersFile, users);
  return {
    pki,
    usersFile,
    aliceCert: pki.client,
    readerCert: pki.ca.issue('reader', '/O=Brook/CN=reader'),
    nobodyCert: pki.ca.issue('nobody', '/O=Brook/CN=nobody'),
  };
}

export const basic = (u: { username: string; password: string }) =>
  `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** One HTTPS request with node:https (not the code under test), trusting `ca` only. */
export function httpsCall(
  base: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: unknown; ca?: Buffer; cert?: Issued } = {},
): Promise<Answer> {
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, base),
      {
        method: opts.method ?? 'GET',
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...opts.headers },
        ...(opts.ca ? { ca: opts.ca } : {}),
        ...(opts.cert ? { cert: opts.cert.cert, key: opts.cert.key } : {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
