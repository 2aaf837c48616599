// Issuing a certificate from the CA: for a key made here (returned with it) or for a CSR made
// elsewhere (only its subject, public key and SANs are used), as a TLS client (clientAuth) or as a
// server (serverAuth + clientAuth), never outliving the CA.
import { createPublicKey } from 'node:crypto';
import { hostname } from 'node:os';
import * as pkijs from 'pkijs';
import { type Ca, checkValidityDays } from './ca.ts';
import { addDays, commonNameOf, parseCertificate, serialHex, signCertificate } from './certificate.ts';
import { readSigningRequest } from './csr.ts';
import { certsError } from './errors.ts';
import { type CryptoKey, DEFAULT_KEY_TYPE, describeKey, generateKeyPair, type KeyType, privateKeyPem } from './key-types.ts';
import { cnName, formatDn, normalizeSan, parseDn, parseSans } from './names.ts';
import { pemEncode } from './pem.ts';

export const DEFAULT_VALIDITY_DAYS = 365;
// Peers whose clocks run a little behind must not see a certificate from the future.
const BACKDATE_MS = 5 * 60_000;

export interface IssueOptions {
  /** client (default): EKU clientAuth; server: serverAuth and clientAuth. */
  profile?: 'client' | 'server';
  /** The subject as `CN=<cn>`; or give `subject`, or `csr`. */
  cn?: string;
  /** A full distinguished name, `CN=alice,OU=eng,O=Example` (what Kafka ACLs see as User:...). */
  subject?: string;
  /** `DNS:x`, `IP:y`, `email:z`, `URI:u` (bare names and addresses are guessed); added to a CSR's own. */
  sans?: readonly string[];
  validityDays?: number;
  /** For a key made here; not with `csr`. Default ec-p256. */
  keyType?: KeyType;
  /** A PKCS#10 request (PEM or DER): sign its key instead of making one. */
  csr?: Uint8Array | string;
  /** Names the CSR in errors (its file). */
  csrSource?: string;
  now?: Date;
}

export interface IssuedCertificate {
  profile: 'client' | 'server';
  subjectDn: string;
  cn: string | null;
  serial: string;
  sans: string[];
  keyType: string;
  notBefore: Date;
  notAfter: Date;
  certDer: Uint8Array;
  certPem: string;
  /** The certificate then the CA: what a TLS peer sends (ssl.certificate.location takes it too). */
  chainPem: string;
  caCertDer: Uint8Array;
  /** Null when signed from a CSR: the key never came here. */
  privateKey: CryptoKey | null;
  keyPem: string | null;
  fromCsr: boolean;
}

/** SANs for a server on this machine: localhost, 127.0.0.1, ::1, the host name, and `hosts`. */
export function serverSans(hosts: readonly string[] = []): string[] {
  return parseSans(['DNS:localhost', 'IP:127.0.0.1', 'IP:::1', `DNS:${hostname()}`, ...hosts.map((h) => normalizeSan(h))]);
}

export async function issueCertificate(ca: Ca, opts: IssueOptions): Promise<IssuedCertificate> {
  const profile = opts.profile ?? 'client';
  const given = [opts.cn !== undefined && '--cn', opts.subject !== undefined && '--subject', opts.csr !== undefined && '--csr'].filter(
    Boolean,
  );
  if (given.length !== 1) {
    throw certsError(
      given.length === 0
        ? 'say whom the certificate is for: --cn NAME, --subject DN, or --csr FILE'
        : `${given.join(' and ')} each name the subject: give only one`,
    );
  }
  if (opts.csr !== undefined && opts.keyType !== undefined) {
    throw certsError('--key-type does not go with --csr: the key is the one in the request');
  }
  const validityDays = opts.validityDays ?? DEFAULT_VALIDITY_DAYS;
  checkValidityDays(validityDays);
  const now = opts.now ?? new Date();
  const notBefore = new Date(Math.max(now.getTime() - BACKDATE_MS, ca.notBefore.getTime()));
  const notAfter = addDays(now, validityDays);
  if (ca.notAfter.getTime() <= now.getTime()) {
    throw certsError(`the CA expired on ${ca.notAfter.toISOString()}: make a new one with \`brook certs ca init --force\``);
  }
  if (notAfter.getTime() > ca.notAfter.getTime()) {
    const left = Math.floor((ca.notAfter.getTime() - now.getTime()) / 86_400_000);
    throw certsError(
      `the CA expires on ${ca.notAfter.toISOString().slice(0, 10)}, before a ${validityDays}-day certificate would (${notAfter.toISOString().slice(0, 10)}): ` +
        (left >= 1 ? `ask for at most --validity-days ${left}, or ` : '') +
        'make a new CA with `brook certs ca init --force --validity-days N` (then issue every certificate again)',
    );
  }

  let subject: pkijs.RelativeDistinguishedNames;
  let publicKey: pkijs.PublicKeyInfo;
  let sans = parseSans(opts.sans ?? []);
  let privateKey: CryptoKey | null = null;
  if (opts.csr !== undefined) {
    const req = await readSigningRequest(opts.csr, opts.csrSource ?? 'the CSR');
    subject = req.subject;
    publicKey = req.publicKey;
    sans = parseSans([...req.sans, ...sans]);
  } else {
    subject = opts.subject !== undefined ? parseDn(opts.subject) : cnName(opts.cn as string);
    const keys = await generateKeyPair(opts.keyType ?? DEFAULT_KEY_TYPE);
    privateKey = keys.privateKey;
    publicKey = new pkijs.PublicKeyInfo();
    await publicKey.importKey(keys.publicKey);
  }
  if (subject.typesAndValues.length === 0 && sans.length === 0) {
    throw certsError(`${opts.csrSource ?? 'the CSR'} has an empty subject and no SANs: a certificate must name someone`);
  }
  const certDer = await signCertificate({
    profile,
    subject,
    subjectKey: publicKey,
    issuer: { name: ca.cert.subject, keyId: ca.keyId },
    signingKey: ca.signingKey,
    sans,
    notBefore,
    notAfter,
  });
  const cert = parseCertificate(certDer);
  const certPem = pemEncode('CERTIFICATE', certDer);
  const spki = createPublicKey({ key: Buffer.from(publicKey.toSchema().toBER(false)), format: 'der', type: 'spki' });
  return {
    profile,
    subjectDn: formatDn(cert.subject),
    cn: commonNameOf(cert),
    serial: serialHex(cert),
    sans,
    keyType: describeKey(spki),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    certDer,
    certPem,
    chainPem: certPem + ca.certPem,
    caCertDer: ca.certDer,
    privateKey,
    keyPem: privateKey ? await privateKeyPem(privateKey) : null,
    fromCsr: opts.csr !== undefined,
  };
}
