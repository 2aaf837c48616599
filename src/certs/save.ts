// Puts an issued certificate on disk: `<name>.pem` (the certificate), `<name>-chain.pem` (it and
// the CA), `<name>.key` (0600, when the key was made here), optionally a PKCS#12 keystore, and
// its line in the CA's index.
import { join, resolve } from 'node:path';
import { type Ca, caRecord } from './ca.ts';
import { certsError } from './errors.ts';
import { ensureDir, existing, PUBLIC_MODE, SECRET_MODE, writeFile } from './files.ts';
import { readIndex, writeIndex } from './index-file.ts';
import type { IssuedCertificate } from './issue.ts';
import { buildPkcs12 } from './pkcs12.ts';

export interface SaveOptions {
  /** Where the PEM files go (default: the CA directory). */
  outDir?: string;
  /** Base of the file names (default: the CN made file-safe, or `server`). */
  name?: string;
  /** Replace files of the same name. */
  force?: boolean;
  keystore?: { file: string; password: string; alias?: string };
}

export interface SavedFiles {
  cert: string;
  chain: string;
  key: string | null;
  keystore: string | null;
}

const RESERVED = new Set(['ca', 'index']);

export function defaultFileName(issued: IssuedCertificate): string {
  if (issued.profile === 'server') return 'server';
  const base = (issued.cn ?? `cert-${issued.serial.slice(0, 8)}`)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return base === '' ? `cert-${issued.serial.slice(0, 8)}` : base;
}

export async function saveIssued(ca: Ca, issued: IssuedCertificate, opts: SaveOptions = {}): Promise<SavedFiles> {
  const outDir = resolve(opts.outDir ?? ca.dir);
  const name = opts.name ?? defaultFileName(issued);
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.')) {
    throw certsError(`--name '${name}' is not a file name: use letters, digits, '.', '_' and '-'`);
  }
  if (outDir === ca.dir && RESERVED.has(name)) throw certsError(`--name ${name} would overwrite the CA's own files: choose another name`);
  if (opts.keystore && issued.privateKey === null) {
    throw certsError(
      '--keystore needs the private key, which stays with whoever made the CSR: build the keystore there (openssl pkcs12 -export -inkey KEY -in CERT -certfile CA)',
    );
  }
  const files: SavedFiles = {
    cert: join(outDir, `${name}.pem`),
    chain: join(outDir, `${name}-chain.pem`),
    key: issued.keyPem !== null ? join(outDir, `${name}.key`) : null,
    keystore: opts.keystore ? resolve(opts.keystore.file) : null,
  };
  const taken = existing([files.cert, files.chain, files.key, files.keystore].filter((f): f is string => f !== null));
  if (taken.length > 0 && !opts.force) {
    throw certsError(
      `${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''}: pass --force to replace, or choose --name or --out`,
    );
  }
  // The keystore is built first: a refused password must leave no half-written set of files.
  const p12 =
    opts.keystore && issued.privateKey !== null
      ? await buildPkcs12({
          privateKey: issued.privateKey,
          chain: [issued.certDer, issued.caCertDer],
          password: opts.keystore.password,
          alias: opts.keystore.alias ?? name,
        })
      : null;
  const hint = 'choose another directory with --out, or fix its permissions';
  // A new output directory holds private keys: only its owner may look inside.
  ensureDir(outDir, { private: true, hint });
  if (files.key !== null) writeFile(files.key, issued.keyPem as string, SECRET_MODE, hint);
  writeFile(files.cert, issued.certPem, PUBLIC_MODE, hint);
  writeFile(files.chain, issued.chainPem, PUBLIC_MODE, hint);
  if (p12 !== null && files.keystore !== null) {
    writeFile(files.keystore, p12, SECRET_MODE, 'choose another --keystore path, or fix its permissions');
  }
  recordIssued(ca, issued, files);
  return files;
}

function recordIssued(ca: Ca, issued: IssuedCertificate, files: SavedFiles): void {
  const index = readIndex(ca.dir);
  // A CA put in place by hand (or an index moved aside) gets a fresh index.
  const base = index && index.ca.serial === ca.serial ? index : { version: 1 as const, ca: caRecord(ca), issued: [] };
  const issuedList = base.issued.filter((r) => r.files.cert !== files.cert);
  issuedList.push({
    profile: issued.profile,
    subject: issued.subjectDn,
    cn: issued.cn,
    serial: issued.serial,
    sans: issued.sans,
    keyType: issued.keyType,
    notBefore: issued.notBefore.toISOString(),
    notAfter: issued.notAfter.toISOString(),
    issuedAt: new Date().toISOString(),
    fromCsr: issued.fromCsr,
    files,
  });
  writeIndex(ca.dir, { ...base, issued: issuedList });
}
