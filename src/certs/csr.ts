// Certificate signing requests (PKCS#10) made elsewhere (openssl req, keytool -certreq, a Kafka
// client's tooling): parsed, their self-signature checked, and only the subject, the public key and
// the requested SANs taken; any other requested extension (CA:TRUE, key usages) is ignored.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { certsError } from './errors.ts';
import { formatDn, sanStrings } from './names.ts';
import { arrayBuffer, pemDecodeAll } from './pem.ts';

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const SUBJECT_ALT_NAME = '2.5.29.17';

export interface SigningRequest {
  subject: pkijs.RelativeDistinguishedNames;
  /** RFC 4514 form, most specific first. */
  subjectDn: string;
  publicKey: pkijs.PublicKeyInfo;
  sans: string[];
}

/** PEM (`-----BEGIN CERTIFICATE REQUEST-----`) or DER bytes; `source` names the file in errors. */
export async function readSigningRequest(data: Uint8Array | string, source: string): Promise<SigningRequest> {
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('latin1');
  const blocks = pemDecodeAll(text, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);
  const der = blocks[0]?.der ?? (typeof data === 'string' ? null : data);
  const notCsr = () =>
    certsError(
      `${source} is not a certificate signing request: expected PEM (-----BEGIN CERTIFICATE REQUEST-----) or DER, as made by \`openssl req -new\``,
    );
  if (!der || der.length === 0) throw notCsr();
  let csr: pkijs.CertificationRequest;
  try {
    const asn = asn1js.fromBER(arrayBuffer(der));
    if (asn.offset === -1) throw notCsr();
    csr = new pkijs.CertificationRequest({ schema: asn.result });
  } catch (e) {
    if ((e as { code?: string }).code === 'CERTS') throw e;
    throw notCsr();
  }
  let valid: boolean;
  try {
    valid = await csr.verify();
  } catch (e) {
    throw certsError(`${source}: cannot check the request's signature (${(e as Error).message}); make it with an RSA or ECDSA key`);
  }
  if (!valid) {
    throw certsError(
      `${source}: the request's signature does not verify: it was changed after it was signed, or signed with another key. Make a new one (openssl req -new -key KEY -out FILE)`,
    );
  }
  const sans = requestedSans(csr);
  const odd = sans.find((s) => s.startsWith('unsupported:'));
  if (odd) throw certsError(`${source} asks for a SAN of a kind Brook does not issue; use DNS, IP, email or URI names`);
  return { subject: csr.subject, subjectDn: formatDn(csr.subject), publicKey: csr.subjectPublicKeyInfo, sans };
}

function requestedSans(csr: pkijs.CertificationRequest): string[] {
  for (const attr of csr.attributes ?? []) {
    if (attr.type !== EXTENSION_REQUEST) continue;
    const exts = new pkijs.Extensions({ schema: attr.values[0] });
    const san = exts.extensions.find((e) => e.extnID === SUBJECT_ALT_NAME);
    if (san) return sanStrings((san.parsedValue as pkijs.AltName).altNames);
  }
  return [];
}
