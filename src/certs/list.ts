// What the CA has issued, with each certificate's state: valid, expiring within 30 days, expired,
// or gone from disk; read from the index, and the CA itself from its certificate.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CA_CERT_FILE, CA_KEY_FILE } from './ca.ts';
import { commonNameOf, daysBetween, parseCertificate, serialHex } from './certificate.ts';
import { certsError } from './errors.ts';
import { readIndex } from './index-file.ts';
import { formatDn } from './names.ts';
import { pemDecodeAll } from './pem.ts';

export const EXPIRY_WARNING_DAYS = 30;

export type CertStatus = 'valid' | 'expiring' | 'expired' | 'missing';

export interface ListedCertificate {
  kind: 'ca' | 'client' | 'server';
  subject: string;
  cn: string | null;
  serial: string;
  sans: string[];
  keyType: string | null;
  notAfter: string;
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number;
  status: CertStatus;
  files: Record<string, string | null>;
}

export interface CertListing {
  dir: string;
  ca: ListedCertificate;
  issued: ListedCertificate[];
}

function status(notAfter: Date, now: Date, present: boolean): { status: CertStatus; daysLeft: number } {
  const daysLeft = daysBetween(now, notAfter);
  if (!present) return { status: 'missing', daysLeft };
  if (notAfter.getTime() <= now.getTime()) return { status: 'expired', daysLeft };
  return { status: daysLeft < EXPIRY_WARNING_DAYS ? 'expiring' : 'valid', daysLeft };
}

export function listCertificates(dir: string, opts: { now?: Date } = {}): CertListing {
  dir = resolve(dir);
  const now = opts.now ?? new Date();
  const certFile = join(dir, CA_CERT_FILE);
  if (!existsSync(certFile)) throw certsError(`there is no CA in ${dir}: run \`brook certs ca init\` first (or point --dir at your CA)`);
  const block = pemDecodeAll(readFileSync(certFile, 'utf8'), ['CERTIFICATE'])[0];
  if (!block) throw certsError(`${certFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  const caCert = parseCertificate(block.der);
  const index = readIndex(dir);
  const keyFile = join(dir, CA_KEY_FILE);
  const ca: ListedCertificate = {
    kind: 'ca',
    subject: formatDn(caCert.subject),
    cn: commonNameOf(caCert),
    serial: serialHex(caCert),
    sans: [],
    keyType: index?.ca.keyType ?? null,
    notAfter: caCert.notAfter.value.toISOString(),
    ...status(caCert.notAfter.value, now, existsSync(keyFile)),
    files: { cert: certFile, key: keyFile },
  };
  // Entries from an earlier CA in this directory (before `ca init --force`) chain to nothing now.
  const issued = (index && index.ca.serial === ca.serial ? index.issued : []).map(
    (r): ListedCertificate => ({
      kind: r.profile,
      subject: r.subject,
      cn: r.cn,
      serial: r.serial,
      sans: r.sans,
      keyType: r.keyType,
      notAfter: r.notAfter,
      ...status(new Date(r.notAfter), now, existsSync(r.files.cert)),
      files: r.files,
    }),
  );
  return { dir, ca, issued };
}
