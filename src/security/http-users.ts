// The users of Brook's web servers (schema registry and dashboard): one JSON file of names, roles
// ('read-only' or 'admin'), scrypt password hashes (per-user salt, parameters kept with the hash)
// and optional client-certificate subjects. Written atomically with mode 0600.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BrookError } from '../common/errors.ts';
import { writeFileAtomic } from './atomic-file.ts';

/** The name `brook up` and the CLI use for the file inside a data directory. */
export const WEB_USERS_FILE = 'web-users.json';

export const WEB_ROLES = ['read-only', 'admin'] as const;
export type WebRole = (typeof WEB_ROLES)[number];

export interface ScryptHash {
  algorithm: 'scrypt';
  /** Cost (a power of two), block size and parallelism, as scrypt names them. */
  N: number;
  r: number;
  p: number;
  /** base64. */
  salt: string;
  /** base64, KEY_LENGTH bytes. */
  hash: string;
}

export interface WebUser {
  name: string;
  role: WebRole;
  /** Absent: the user signs in with a client certificate only. */
  password?: ScryptHash;
  /** Exact subject DN (RFC 2253, as `openssl x509 -subject -nameopt RFC2253` prints it) of the user's certificate. */
  certSubject?: string;
}

interface FileShape {
  version: 1;
  users: WebUser[];
}

/** About 50 ms and 32 MiB per hash: slow for a guesser, and verifications are cached by the servers. */
export const SCRYPT_DEFAULTS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
// Bounds on parameters read from the file, so an edited file cannot make each request cost seconds.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // scrypt needs 128 * N * r bytes; Node's default cap (32 MiB) is just below the defaults' need.
    const maxmem = 256 * params.N * params.r + 1024 * 1024;
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...params, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string, params: { N: number; r: number; p: number } = SCRYPT_DEFAULTS): Promise<ScryptHash> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return { algorithm: 'scrypt', N: params.N, r: params.r, p: params.p, salt: salt.toString('base64'), hash: key.toString('base64') };
}

/** Whether `password` matches; the comparison takes the same time wherever the bytes differ. */
export async function verifyPassword(password: string, stored: ScryptHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const got = await derive(password, Buffer.from(stored.salt, 'base64'), stored);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** A name usable in HTTP basic auth (RFC 7617: no colon) and in a terminal. */
export function checkUserName(name: string): string | null {
  if (name === '') return 'a user name cannot be empty';
  if (name.length > 256) return 'a user name has at most 256 characters';
  if (name.includes(':')) return `user name '${name}' has a colon, which HTTP basic auth cannot carry`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'a user name cannot hold control characters';
  return null;
}

function damaged(path: string, why: string): BrookError {
  return new BrookError(
    'WEB_USERS',
    `the users file ${path} is damaged (${why}); fix it, or remove it and add the users again with 'brook web-users add'`,
  );
}

function checkHash(h: unknown): h is ScryptHash {
  const x = h as ScryptHash;
  return (
    typeof x === 'object' &&
    x !== null &&
    x.algorithm === 'scrypt' &&
    Number.isInteger(x.N) &&
    x.N >= 2 &&
    x.N <= MAX_N &&
    (x.N & (x.N - 1)) === 0 &&
    Number.isInteger(x.r) &&
    x.r >= 1 &&
    x.r <= MAX_R &&
    Number.isInteger(x.p) &&
    x.p >= 1 &&
    x.p <= MAX_P &&
    typeof x.salt === 'string' &&
    typeof x.hash === 'string' &&
    Buffer.from(x.hash, 'base64').length === KEY_LENGTH
  );
}

/** Parses and checks the file's text; `path` only names it in errors. */
export function parseWebUsers(text: string, path: string): WebUser[] {
  let parsed: FileShape;
  try {
    parsed = JSON.parse(text) as FileShape;
  } catch (err) {
    throw damaged(path, (err as Error).message);
  }
  if (parsed?.version !== 1 || !Array.isArray(parsed.users)) throw damaged(path, 'not a version 1 users file');
  const names = new Set<string>();
  const subjects = new Set<string>();
  for (const [i, u] of parsed.users.entries()) {
    const which = `user #${i + 1}`;
    if (typeof u?.name !== 'string' || checkUserName(u.name) !== null) throw damaged(path, `${which} has no valid name`);
    if (names.has(u.name)) throw damaged(path, `user ${u.name} appears twice`);
    names.add(u.name);
    if (!(WEB_ROLES as readonly string[]).includes(u.role))
      throw damaged(path, `user ${u.name} has role '${u.role}', not read-only or admin`);
    if (u.password !== undefined && !checkHash(u.password)) throw damaged(path, `user ${u.name} has a malformed password hash`);
    if (u.certSubject !== undefined) {
      if (typeof u.certSubject !== 'string' || u.certSubject === '') throw damaged(path, `user ${u.name} has an empty certSubject`);
      if (subjects.has(u.certSubject)) throw damaged(path, `certificate subject ${u.certSubject} belongs to two users`);
      subjects.add(u.certSubject);
    }
    if (u.password === undefined && u.certSubject === undefined) {
      throw damaged(path, `user ${u.name} has neither a password nor a certificate subject`);
    }
  }
  return parsed.users;
}

/** The users in `path`; a missing file is an error that says how to make one. */
export function readWebUsers(path: string): WebUser[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new BrookError(
        'WEB_USERS',
        `the users file ${path} does not exist: create it with 'brook web-users add NAME --role admin --password-file FILE --file ${path}'`,
      );
    }
    throw new BrookError('WEB_USERS', `cannot read the users file ${path}: ${code ?? (err as Error).message}`, { cause: err });
  }
  return parseWebUsers(text, path);
}

/** Replaces the file atomically (mode 0600): readers see the old users or the new, never half. */
export function writeWebUsers(path: string, users: readonly WebUser[]): void {
  const shape: FileShape = { version: 1, users: [...users].sort((a, b) => a.name.localeCompare(b.name)) };
  writeFileAtomic(path, `${JSON.stringify(shape, null, 2)}\n`, 0o600);
}
