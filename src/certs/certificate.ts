// Builds and signs X.509 v3 certificates (with pkijs, WebCrypto underneath): the CA's own and the
// ones it issues, with the extensions TLS peers check (basic constraints, key usage, extended key
// usage, SANs, key identifiers); and reads back what `list` and the checks need from a certificate.
import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { CryptoKey } from './key-types.ts';
import { commonName, generalNames, sanStrings } from './names.ts';
import { arrayBuffer, hex } from './pem.ts';

export const EKU_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

const DAY_MS = 86_400_000;

/** What a certificate is for: a CA, a client of TLS (clientAuth), or a server (serverAuth and clientAuth). */
export type Profile = 'ca' | 'client' | 'server';

export interface CertificateSpec {
  profile: Profile;
  subject: pkijs.RelativeDistinguishedNames;
  subjectKey: pkijs.PublicKeyInfo;
  /** The issuing CA; absent for the self-signed CA certificate. */
  issuer?: { name: pkijs.RelativeDistinguishedNames; keyId: Uint8Array };
  signingKey: CryptoKey;
  sans?: readonly string[];
  notBefore: Date;
  notAfter: Date;
}

/** RFC 5280 4.2.1.2 method 1: the SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(spki: pkijs.PublicKeyInfo): Uint8Array {
  return new Uint8Array(createHash('sha1').update(spki.subjectPublicKey.valueBlock.valueHexView).digest());
}

/** 16 random bytes, positive and without a leading zero byte, so DER keeps all 128 bits. */
function serialNumber(): Uint8Array {
  const b = randomBytes(16);
  b[0] = ((b[0] as number) & 0x3f) | 0x40;
  return new Uint8Array(b);
}

/** UTCTime up to 2049, GeneralizedTime after (RFC 5280 4.1.2.5); whole seconds. */
function time(d: Date): pkijs.Time {
  return new pkijs.Time({ type: d.getUTCFullYear() < 2050 ? 0 : 1, value: new Date(Math.floor(d.getTime() / 1000) * 1000) });
}

/** KeyUsage bits (RFC 5280 4.2.1.3), as a DER BIT STRING without trailing zero bits. */
function keyUsage(bits: number[]): asn1js.BitString {
  let v = 0;
  for (const b of bits) v |= 0x80 >> b;
  let unused = 0;
  while (unused < 7 && (v & (1 << unused)) === 0) unused++;
  return new asn1js.BitString({ valueHex: new Uint8Array([v]), unusedBits: unused });
}
const DIGITAL_SIGNATURE = 0;
const KEY_ENCIPHERMENT = 2;
const KEY_CERT_SIGN = 5;
const CRL_SIGN = 6;

function ext(extnID: string, critical: boolean, value: { toBER(sizeOnly?: boolean): ArrayBuffer }): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

function extensions(spec: CertificateSpec, rsa: boolean): pkijs.Extension[] {
  const out: pkijs.Extension[] = [];
  const isCa = spec.profile === 'ca';
  // pathLen 0: this CA signs end-entity certificates only, never another CA.
  out.push(ext('2.5.29.19', true, new pkijs.BasicConstraints(isCa ? { cA: true, pathLenConstraint: 0 } : { cA: false }).toSchema()));
  const usage = isCa ? [KEY_CERT_SIGN, CRL_SIGN] : rsa ? [DIGITAL_SIGNATURE, KEY_ENCIPHERMENT] : [DIGITAL_SIGNATURE];
  out.push(ext('2.5.29.15', true, keyUsage(usage)));
  if (!isCa) {
    const purposes = spec.profile === 'server' ? [EKU_SERVER_AUTH, EKU_CLIENT_AUTH] : [EKU_CLIENT_AUTH];
    out.push(ext('2.5.29.37', false, new pkijs.ExtKeyUsage({ keyPurposes: purposes }).toSchema()));
  }
  if (spec.sans && spec.sans.length > 0) {
    out.push(ext('2.5.29.17', false, new pkijs.AltName({ altNames: generalNames(spec.sans) }).toSchema()));
  }
  out.push(ext('2.5.29.14', false, new asn1js.OctetString({ valueHex: keyIdentifier(spec.subjectKey) })));
  if (spec.issuer) {
    const aki = new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: spec.issuer.keyId }) });
    out.push(ext('2.5.29.35', false, aki.toSchema()));
  }
  return out;
}

/** Signs a certificate; returns its DER. */
export async function signCertificate(spec: CertificateSpec): Promise<Uint8Array> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ valueHex: serialNumber() });
  cert.subject = spec.subject;
  cert.issuer = spec.issuer?.name ?? spec.subject;
  cert.notBefore = time(spec.notBefore);
  cert.notAfter = time(spec.notAfter);
  cert.subjectPublicKeyInfo = spec.subjectKey;
  const rsa = spec.subjectKey.algorithm.algorithmId === '1.2.840.113549.1.1.1';
  cert.extensions = extensions(spec, rsa);
  await cert.sign(spec.signingKey, 'SHA-256');
  return new Uint8Array(cert.toSchema().toBER(false));
}

export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(arrayBuffer(der));
}

export function serialHex(cert: pkijs.Certificate): string {
  return hex(cert.serialNumber.valueBlock.valueHexView);
}

export function certificateSans(cert: pkijs.Certificate): string[] {
  const san = cert.extensions?.find((e) => e.extnID === '2.5.29.17');
  return san ? sanStrings((san.parsedValue as pkijs.AltName).altNames) : [];
}

export function commonNameOf(cert: pkijs.Certificate): string | null {
  return commonName(cert.subject);
}

export function subjectKeyId(cert: pkijs.Certificate): Uint8Array {
  const ski = cert.extensions?.find((e) => e.extnID === '2.5.29.14');
  return ski ? new Uint8Array((ski.parsedValue as asn1js.OctetString).valueBlock.valueHexView) : keyIdentifier(cert.subjectPublicKeyInfo);
}

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * DAY_MS);
}

export function daysBetween(from: Date, to: Date): number {
  // Whole days, towards zero: a day and a half ago is "1 d ago", as a day and a half left is "1 d".
  return Math.trunc((to.getTime() - from.getTime()) / DAY_MS);
}
