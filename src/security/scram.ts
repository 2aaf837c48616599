// SCRAM credentials (RFC 5802 section 3; SHA-256 per RFC 7677): what is stored is the salt, the
// iteration count, StoredKey and ServerKey, never the password. Kafka's mechanism ids and limits.
import { createHash, createHmac, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

/** Kafka's ScramMechanism ids, used by Describe/AlterUserScramCredentials. */
export const SCRAM_MECHANISM_IDS: Record<ScramMechanism, number> = { 'SCRAM-SHA-256': 1, 'SCRAM-SHA-512': 2 };
export const scramMechanismById = (id: number): ScramMechanism | undefined =>
  id === 1 ? 'SCRAM-SHA-256' : id === 2 ? 'SCRAM-SHA-512' : undefined;

/** Kafka refuses fewer (too weak) and more (too slow to check on every login) iterations. */
export const MIN_ITERATIONS = 4096;
export const MAX_ITERATIONS = 16384;
export const DEFAULT_ITERATIONS = 8192;

export interface ScramCredential {
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
  iterations: number;
}

export const hashOf = (m: ScramMechanism) => (m === 'SCRAM-SHA-256' ? 'sha256' : 'sha512');
const keyLength = (m: ScramMechanism) => (m === 'SCRAM-SHA-256' ? 32 : 64);

export function hmac(m: ScramMechanism, key: Buffer, data: string | Buffer): Buffer {
  return createHmac(hashOf(m), key).update(data).digest();
}

export function hash(m: ScramMechanism, data: Buffer): Buffer {
  return createHash(hashOf(m)).update(data).digest();
}

/**
 * SaltedPassword := Hi(Normalize(password), salt, i), where Normalize is the UTF-8 bytes, not
 * SASLprep (RFC 4013): Kafka's ScramFormatter.normalize, librdkafka, kafkajs and
 * @platformatic/kafka all salt the raw bytes, so a SASLprep'd credential would refuse those
 * clients whenever SASLprep changes a password (a no-break space, a ligature, a width variant).
 */
export async function saltPassword(m: ScramMechanism, password: string, salt: Buffer, iterations: number): Promise<Buffer> {
  return pbkdf2Async(Buffer.from(password, 'utf8'), salt, iterations, keyLength(m), hashOf(m));
}

/** What AlterUserScramCredentials carries (the client salts; the broker derives the keys). */
export function credentialFromSalted(m: ScramMechanism, salt: Buffer, saltedPassword: Buffer, iterations: number): ScramCredential {
  return {
    salt,
    iterations,
    storedKey: hash(m, hmac(m, saltedPassword, 'Client Key')),
    serverKey: hmac(m, saltedPassword, 'Server Key'),
  };
}

export async function makeCredential(m: ScramMechanism, password: string, iterations = DEFAULT_ITERATIONS): Promise<ScramCredential> {
  const salt = randomBytes(32);
  return credentialFromSalted(m, salt, await saltPassword(m, password, salt, iterations), iterations);
}
