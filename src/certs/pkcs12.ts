// PKCS#12 keystores (what Java clients and librdkafka's ssl.keystore.location read): the key and
// its chain under one alias, encrypted as OpenSSL 3 and Java 11+ do by default: PBES2 with
// PBKDF2-HMAC-SHA256 and AES-256-CBC for the key and the certificates, and an HMAC-SHA256 MAC.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { certsError } from './errors.ts';
import { SECRET_MODE, writeFile } from './files.ts';
import { type CryptoKey, privateKeyDer } from './key-types.ts';
import { arrayBuffer } from './pem.ts';

const PKCS8_SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const X509_CERTIFICATE = '1.2.840.113549.1.9.22.1';
const FRIENDLY_NAME = '1.2.840.113549.1.9.20';
const LOCAL_KEY_ID = '1.2.840.113549.1.9.21';
/** Java's default since JDK 12 (and 11.0.12); OpenSSL 3 uses 2048. */
export const DEFAULT_PKCS12_ITERATIONS = 10_000;

export interface Pkcs12Options {
  /** The private key, as a CryptoKey or PEM. */
  privateKey: CryptoKey | string;
  /** DER certificates, the key's own first, then its issuers. */
  chain: readonly Uint8Array[];
  password: string;
  /** The entry's name (keytool -alias); Java lower-cases it. */
  alias: string;
  iterations?: number;
}

export async function buildPkcs12(opts: Pkcs12Options): Promise<Uint8Array> {
  if (opts.password === '') throw certsError('a PKCS#12 keystore needs a password: Java and librdkafka refuse empty ones');
  // Java derives PBE keys from ASCII passwords only ("Password is not ASCII"): refuse rather than
  // write a keystore that OpenSSL opens and every Java client cannot.
  if (!/^[\x20-\x7e]+$/.test(opts.password)) {
    throw certsError('keystore passwords must be printable ASCII characters: Java cannot open a keystore protected by any other');
  }
  if (opts.chain.length === 0) throw certsError('a keystore entry needs at least its own certificate');
  const iterations = opts.iterations ?? DEFAULT_PKCS12_ITERATIONS;
  const password = arrayBuffer(new TextEncoder().encode(opts.password));
  const encryption = {
    password,
    contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 },
    hmacHashAlgorithm: 'SHA-256',
    iterationCount: iterations,
  };

  // localKeyId ties the key to its certificate (Java builds the PrivateKeyEntry from it);
  // friendlyName is the alias. The CA certificate has neither, so it is chain, not a trusted entry.
  const leaf = opts.chain[0] as Uint8Array;
  const attributes = [
    new pkijs.Attribute({ type: FRIENDLY_NAME, values: [new asn1js.BmpString({ value: opts.alias })] }),
    new pkijs.Attribute({
      type: LOCAL_KEY_ID,
      values: [new asn1js.OctetString({ valueHex: createHash('sha1').update(leaf).digest() })],
    }),
  ];
  const keyInfo = pkijs.PrivateKeyInfo.fromBER(arrayBuffer(await privateKeyDer(opts.privateKey)));
  const keyBag = new pkijs.PKCS8ShroudedKeyBag({ parsedValue: keyInfo });
  await keyBag.makeInternalValues(encryption);
  const certBags = opts.chain.map(
    (der, i) =>
      new pkijs.SafeBag({
        bagId: CERT_BAG,
        bagValue: new pkijs.CertBag({ certId: X509_CERTIFICATE, certValue: new asn1js.OctetString({ valueHex: arrayBuffer(der) }) }),
        ...(i === 0 ? { bagAttributes: attributes } : {}),
      }),
  );
  const authSafe = new pkijs.AuthenticatedSafe({
    parsedValue: {
      safeContents: [
        // The key bag is encrypted on its own; the certificates are encrypted as a whole, as OpenSSL 3 does.
        {
          privacyMode: 0,
          value: new pkijs.SafeContents({
            safeBags: [new pkijs.SafeBag({ bagId: PKCS8_SHROUDED_KEY_BAG, bagValue: keyBag, bagAttributes: attributes })],
          }),
        },
        { privacyMode: 1, value: new pkijs.SafeContents({ safeBags: certBags }) },
      ],
    },
  });
  await authSafe.makeInternalValues({ safeContents: [{}, encryption] });
  const pfx = new pkijs.PFX({ parsedValue: { integrityMode: 0, authenticatedSafe: authSafe } });
  await pfx.makeInternalValues({ password, iterations, pbkdf2HashAlgorithm: 'SHA-256', hmacHashAlgorithm: 'SHA-256' });
  return new Uint8Array(pfx.toSchema().toBER(false));
}

/** Builds the keystore and writes it (0600); returns the absolute path. */
export async function writePkcs12(file: string, opts: Pkcs12Options): Promise<string> {
  const path = resolve(file);
  writeFile(path, await buildPkcs12(opts), SECRET_MODE, 'choose another keystore path, or fix its permissions');
  return path;
}
