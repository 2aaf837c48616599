// `index.json` in the CA directory: the CA and every certificate issued from it (subject, serial,
// SANs, validity, files), so `brook certs list` can show what exists and what is about to expire.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { certsError } from './errors.ts';
import { PUBLIC_MODE, writeFile } from './files.ts';

export const INDEX_FILE = 'index.json';

export interface CaRecord {
  subject: string;
  serial: string;
  keyType: string;
  notBefore: string;
  notAfter: string;
  certFile: string;
  keyFile: string;
}

export interface IssuedRecord {
  profile: 'client' | 'server';
  subject: string;
  cn: string | null;
  serial: string;
  sans: string[];
  keyType: string;
  notBefore: string;
  notAfter: string;
  issuedAt: string;
  /** Signed from a CSR: the private key stayed with whoever made it. */
  fromCsr: boolean;
  files: { cert: string; chain: string; key: string | null; keystore: string | null };
}

export interface CertIndex {
  version: 1;
  ca: CaRecord;
  issued: IssuedRecord[];
}

export function readIndex(dir: string): CertIndex | null {
  const path = join(dir, INDEX_FILE);
  if (!existsSync(path)) return null;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as CertIndex;
    if (parsed?.version !== 1 || !Array.isArray(parsed.issued)) throw new Error('unexpected content');
    return parsed;
  } catch (e) {
    throw certsError(
      `${path} is damaged (${(e as Error).message}); the certificates themselves are fine: move the file aside and \`brook certs list\` shows the CA alone`,
    );
  }
}

export function writeIndex(dir: string, index: CertIndex): void {
  writeFile(join(dir, INDEX_FILE), `${JSON.stringify(index, null, 2)}\n`, PUBLIC_MODE, 'check the permissions of the CA directory');
}
