// Brook's private certificate authority: a self-signed CA certificate and its key in one directory
// (0700, key 0600), created once by `brook certs ca init` or `brook up --secure`, loaded to sign.
import { createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import * as pkijs from 'pkijs';
import { addDays, parseCertificate, serialHex, signCertificate, subjectKeyId } from './certificate.ts';
import { certsError } from './errors.ts';
import { ensureDir, existing, PUBLIC_MODE, SECRET_MODE, writeFile } from './files.ts';
import { type CaRecord, writeIndex } from './index-file.ts';
import { type CryptoKey, DEFAULT_KEY_TYPE, generateKeyPair, importSigningKey, type KeyType, privateKeyPem } from './key-types.ts';
import { formatDn, parseDn } from './names.ts';
import { pemDecodeAll, pemEncode } from './pem.ts';

export const CA_CERT_FILE = 'ca.pem';
export const CA_KEY_FILE = 'ca.key';
export const DEFAULT_CA_VALIDITY_DAYS = 3650;
export const MAX_VALIDITY_DAYS = 36_500;

export interface Ca {
  dir: string;
  certFile: string;
  keyFile: string;
  certPem: string;
  certDer: Uint8Array;
  cert: pkijs.Certificate;
  subjectDn: string;
  serial: string;
  keyType: string;
  notBefore: Date;
  notAfter: Date;
  signingKey: CryptoKey;
  keyId: Uint8Array;
}

export interface InitCaOptions {
  /** RFC 4514 (`CN=Brook CA,O=Example`) or OpenSSL (`/O=Example/CN=Brook CA`); default `CN=Brook CA <hostname>,O=Brook`. */
  subject?: string;
  validityDays?: number;
  keyType?: KeyType;
  /** Replace an existing CA (every certificate it issued stops being trusted by peers given the new one). */
  force?: boolean;
  /** The clock (tests make expired CAs with a past `now`). */
  now?: Date;
}

/** The CA directory of a Brook data directory: `<data-dir>/certs`. */
export function certsDirOf(dataDir: string): string {
  return join(resolve(dataDir), 'certs');
}

export function caExists(dir: string): boolean {
  return existsSync(join(dir, CA_CERT_FILE)) || existsSync(join(dir, CA_KEY_FILE));
}

export function defaultCaSubject(): string {
  // The host name tells two machines' CAs apart in error messages about an unknown issuer.
  return `CN=Brook CA ${hostname().replace(/[\\,+"<>;=]/g, '-')},O=Brook`;
}

export function checkValidityDays(days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > MAX_VALIDITY_DAYS) {
    throw certsError(`--validity-days must be a whole number of days from 1 to ${MAX_VALIDITY_DAYS}, got ${days}`);
  }
}

/** The CA of `dir`, created on first use (what `brook up --secure` does on its first run). */
export async function ensureCa(dir: string, opts: Omit<InitCaOptions, 'force'> = {}): Promise<{ ca: Ca; created: boolean }> {
  if (caExists(dir)) return { ca: await loadCa(dir, opts.now ? { now: opts.now } : {}), created: false };
  return { ca: await initCa(dir, opts), created: true };
}

export async function initCa(dir: string, opts: InitCaOptions = {}): Promise<Ca> {
  dir = resolve(dir);
  const certFile = join(dir, CA_CERT_FILE);
  const keyFile = join(dir, CA_KEY_FILE);
  if (!opts.force && existing([certFile, keyFile]).length > 0) {
    throw certsError(
      `a CA already exists in ${dir}; certificates it issued depend on it. Keep using it, or replace it with --force (then issue every certificate again)`,
    );
  }
  const validityDays = opts.validityDays ?? DEFAULT_CA_VALIDITY_DAYS;
  checkValidityDays(validityDays);
  const subject = parseDn(opts.subject ?? defaultCaSubject());
  const now = opts.now ?? new Date();
  const keys = await generateKeyPair(opts.keyType ?? DEFAULT_KEY_TYPE);
  const spki = new pkijs.PublicKeyInfo();
  await spki.importKey(keys.publicKey);
  const der = await signCertificate({
    profile: 'ca',
    subject,
    subjectKey: spki,
    signingKey: keys.privateKey,
    notBefore: now,
    notAfter: addDays(now, validityDays),
  });
  const hint = 'choose another directory with --dir (or --data-dir), or fix its permissions';
  ensureDir(dir, { private: true, own: true, hint });
  writeFile(keyFile, await privateKeyPem(keys.privateKey), SECRET_MODE, hint);
  writeFile(certFile, pemEncode('CERTIFICATE', der), PUBLIC_MODE, hint);
  const ca = await loadCa(dir, { now });
  // A new CA starts a new record: what the old one issued no longer chains to it.
  writeIndex(dir, { version: 1, ca: caRecord(ca), issued: [] });
  return ca;
}

export function caRecord(ca: Ca): CaRecord {
  return {
    subject: ca.subjectDn,
    serial: ca.serial,
    keyType: ca.keyType,
    notBefore: ca.notBefore.toISOString(),
    notAfter: ca.notAfter.toISOString(),
    certFile: ca.certFile,
    keyFile: ca.keyFile,
  };
}

/** Loads the CA of `dir`, refusing a missing, mismatched or expired one with what to do. */
export async function loadCa(dir: string, opts: { now?: Date } = {}): Promise<Ca> {
  dir = resolve(dir);
  const certFile = join(dir, CA_CERT_FILE);
  const keyFile = join(dir, CA_KEY_FILE);
  const missing = [certFile, keyFile].filter((f) => !existsSync(f));
  if (missing.length === 2) throw certsError(`there is no CA in ${dir}: run \`brook certs ca init\` first (or point --dir at your CA)`);
  if (missing.length === 1) {
    throw certsError(
      `${missing[0]} is missing, so the CA in ${dir} cannot sign: restore it, or start over with \`brook certs ca init --force\``,
    );
  }
  const certPem = readFileSync(certFile, 'utf8');
  const block = pemDecodeAll(certPem, ['CERTIFICATE'])[0];
  if (!block) throw certsError(`${certFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  let cert: pkijs.Certificate;
  try {
    cert = parseCertificate(block.der);
  } catch (e) {
    throw certsError(`${certFile} is not a readable X.509 certificate (${(e as Error).message})`);
  }
  const { key, keyType, keyObject } = importSigningKey(readFileSync(keyFile, 'utf8'), keyFile);
  const certSpki = Buffer.from(cert.subjectPublicKeyInfo.toSchema().toBER(false));
  if (!certSpki.equals(createPublicKey(keyObject).export({ type: 'spki', format: 'der' }))) {
    throw certsError(
      `${keyFile} is not the key of ${certFile}: put the matching pair back, or start over with \`brook certs ca init --force\``,
    );
  }
  const bc = cert.extensions?.find((e) => e.extnID === '2.5.29.19')?.parsedValue as pkijs.BasicConstraints | undefined;
  if (!bc?.cA) throw certsError(`${certFile} is not a CA certificate (no basicConstraints CA:TRUE), so it cannot issue certificates`);
  const notAfter = cert.notAfter.value;
  const now = opts.now ?? new Date();
  if (notAfter.getTime() <= now.getTime()) {
    throw certsError(
      `the CA in ${dir} expired on ${notAfter.toISOString()}: make a new one with \`brook certs ca init --force\` and issue every certificate again`,
    );
  }
  return {
    dir,
    certFile,
    keyFile,
    certPem: pemEncode('CERTIFICATE', block.der),
    certDer: block.der,
    cert,
    subjectDn: formatDn(cert.subject),
    serial: serialHex(cert),
    keyType,
    notBefore: cert.notBefore.value,
    notAfter,
    signingKey: key,
    keyId: subjectKeyId(cert),
  };
}
