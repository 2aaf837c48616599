// The certificates of `brook up --secure`, made on the first run in <data-dir>/certs with `brook
// certs`' library: the CA, one server certificate for the broker, registry and dashboard, and one
// client certificate per part plus the operator's (`admin`). Later runs reuse them; one that is
// missing, unreadable or expires within a day is issued again (the CA stays, so clients keep
// trusting it).
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Ca, certsDirOf, ensureCa, issueCertificate, saveIssued, serverSans } from '../certs/api.ts';
import { ADMIN_NAME, CERT_ORGANIZATION, SECURE_PARTS, type SecurePart, subjectOf } from './secure-acls.ts';

/** PEM paths of one identity. */
export interface IdentityFiles {
  cert: string;
  /** Certificate + CA, what a TLS server or client presents. */
  chain: string;
  key: string;
}

export interface SecurePki {
  dir: string;
  caFile: string;
  server: IdentityFiles;
  clients: Record<SecurePart | typeof ADMIN_NAME, IdentityFiles>;
  /** What this run made (empty when everything was there). */
  created: string[];
}

const RENEW_BEFORE_MS = 24 * 3600_000;

function filesOf(dir: string, name: string): IdentityFiles {
  return { cert: join(dir, `${name}.pem`), chain: join(dir, `${name}-chain.pem`), key: join(dir, `${name}.key`) };
}

/** Usable for at least a day more, and signed by this CA (a re-made CA invalidates old ones). */
function stillGood(files: IdentityFiles, ca: Ca, now: number): boolean {
  if (![files.cert, files.chain, files.key].every((f) => existsSync(f))) return false;
  try {
    const cert = new X509Certificate(readFileSync(files.cert));
    const caCert = new X509Certificate(ca.certPem);
    return cert.verify(caCert.publicKey) && Date.parse(cert.validTo) - now > RENEW_BEFORE_MS;
  } catch {
    return false;
  }
}

export async function ensureSecurePki(dataDir: string, opts: { hosts?: string[]; now?: Date } = {}): Promise<SecurePki> {
  const dir = certsDirOf(dataDir);
  const now = opts.now ?? new Date();
  const created: string[] = [];
  const { ca, created: newCa } = await ensureCa(dir, { subject: `CN=Brook up CA,O=${CERT_ORGANIZATION}`, now });
  if (newCa) created.push('CA');

  const server = filesOf(dir, 'server');
  if (!stillGood(server, ca, now.getTime())) {
    const issued = await issueCertificate(ca, { profile: 'server', cn: 'brook', sans: serverSans(opts.hosts ?? []), now });
    await saveIssued(ca, issued, { name: 'server', force: true });
    created.push('server certificate');
  }

  const clients = {} as SecurePki['clients'];
  for (const name of [...SECURE_PARTS, ADMIN_NAME] as const) {
    const files = filesOf(dir, name);
    if (!stillGood(files, ca, now.getTime())) {
      const issued = await issueCertificate(ca, { profile: 'client', subject: subjectOf(name), now });
      await saveIssued(ca, issued, { name, force: true });
      created.push(`${name} certificate`);
    }
    clients[name] = files;
  }
  return { dir, caFile: ca.certFile, server, clients, created };
}
