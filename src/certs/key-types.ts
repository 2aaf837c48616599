// The key types Brook makes (ECDSA P-256 by default: a key in milliseconds, small handshakes; RSA
// for peers that need it), generated with WebCrypto, kept as unencrypted PKCS#8 PEM in 0600 files.
import { createPrivateKey, type KeyObject, webcrypto } from 'node:crypto';
import { certsError } from './errors.ts';
import { pemEncode } from './pem.ts';

export const KEY_TYPES = ['ec-p256', 'rsa-2048', 'rsa-3072'] as const;
export type KeyType = (typeof KEY_TYPES)[number];
export const DEFAULT_KEY_TYPE: KeyType = 'ec-p256';

export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;

const RSA_SIGNING = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

export function parseKeyType(raw: string): KeyType {
  const t = raw.trim().toLowerCase();
  if (!(KEY_TYPES as readonly string[]).includes(t)) throw certsError(`unknown key type '${raw}': use one of ${KEY_TYPES.join(', ')}`);
  return t as KeyType;
}

export async function generateKeyPair(type: KeyType): Promise<CryptoKeyPair> {
  const usages: webcrypto.KeyUsage[] = ['sign', 'verify'];
  if (type === 'ec-p256') return webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, usages);
  const modulusLength = type === 'rsa-2048' ? 2048 : 3072;
  return webcrypto.subtle.generateKey({ ...RSA_SIGNING, modulusLength, publicExponent: new Uint8Array([1, 0, 1]) }, true, usages);
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  return pemEncode('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key));
}

/** PKCS#8 DER of a key given as a CryptoKey or as PEM (any form OpenSSL writes). */
export async function privateKeyDer(key: CryptoKey | string): Promise<Uint8Array> {
  if (typeof key !== 'string') return new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', key));
  return new Uint8Array(createPrivateKey(key).export({ type: 'pkcs8', format: 'der' }));
}

/** What a key is, in the words of --key-type (RSA of other sizes as rsa-N). */
export function describeKey(key: KeyObject): string {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return `rsa-${d.modulusLength}`;
  if (key.asymmetricKeyType === 'ec') return d.namedCurve === 'prime256v1' ? 'ec-p256' : `ec-${d.namedCurve}`;
  return String(key.asymmetricKeyType);
}

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** A PEM private key as a WebCrypto signing key (RSA or ECDSA on a NIST curve), with what it is. */
export function importSigningKey(pem: string, file: string): { key: CryptoKey; keyType: string; keyObject: KeyObject } {
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(pem);
  } catch (e) {
    throw certsError(`${file} is not a readable private key (${(e as Error).message}); it may be encrypted or damaged`);
  }
  const keyType = describeKey(keyObject);
  const curve = CURVES[String(keyObject.asymmetricKeyDetails?.namedCurve)];
  if (keyObject.asymmetricKeyType === 'ec' && curve) {
    return { key: keyObject.toCryptoKey({ name: 'ECDSA', namedCurve: curve }, false, ['sign']), keyType, keyObject };
  }
  if (keyObject.asymmetricKeyType === 'rsa') return { key: keyObject.toCryptoKey(RSA_SIGNING, false, ['sign']), keyType, keyObject };
  throw certsError(`${file} holds a ${keyType} key; a Brook CA signs with RSA or ECDSA (P-256, P-384, P-521) keys`);
}
