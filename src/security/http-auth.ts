// Who sends an HTTP request to the registry or the dashboard, and may they: HTTP basic auth checked
// against the users file, or a client certificate verified by the CA and mapped to a user; then the
// user's role against the role the request needs. The file is re-read whenever it changes on disk.
import { createHmac, randomBytes } from 'node:crypto';
import { channel } from 'node:diagnostics_channel';
import { type BigIntStats, statSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { hashPassword, readWebUsers, SCRYPT_DEFAULTS, type ScryptHash, verifyPassword, type WebRole, type WebUser } from './http-users.ts';
import { peerSubjectDn, presentedUnverifiedCertificate } from './tls.ts';

const events = channel('brook:http-auth');

export interface HttpAuthOptions {
  /** The users file (see http-users.ts). It must exist when the server starts. */
  usersFile: string;
  /** Named in the `WWW-Authenticate` challenge, e.g. `brook-registry`. */
  realm: string;
  /** How long a verified name and password skip scrypt. Default 60 s. */
  cacheTtlMs?: number;
  /** Most verified passwords remembered. Default 1000. */
  cacheSize?: number;
}

export type AuthDecision =
  | { ok: true; user: string; role: WebRole; via: 'password' | 'certificate' }
  /** 401: no or wrong credentials (send the challenge); 403: known, but the role is too low; 503: the users file is unreadable. */
  | { ok: false; status: 401 | 403 | 503; message: string };

/** What each role may do: admin includes everything read-only may. */
export function roleAllows(role: WebRole, needed: WebRole): boolean {
  return role === 'admin' || needed === 'read-only';
}

interface Loaded {
  /** ino, size, mtime, ctime: an atomic replace always changes the inode. */
  stamp: string;
  users: Map<string, WebUser>;
  bySubject: Map<string, WebUser>;
}

interface Cached {
  user: string;
  expires: number;
}

function stampOf(path: string): string {
  let s: BigIntStats;
  try {
    s = statSync(path, { bigint: true });
  } catch (err) {
    readWebUsers(path); // throws the error that says what to do (a missing file: how to make one)
    throw err;
  }
  return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

/** `Basic base64(user:password)` (RFC 7617), or null for any other or a malformed header. */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export class HttpAuthenticator {
  readonly realm: string;
  readonly usersFile: string;
  readonly #ttlMs: number;
  readonly #cacheSize: number;
  // Cache keys are an HMAC of name and password under a key that lives only in this process, so
  // no password (nor a plain hash of one) stays in memory.
  readonly #cacheKey = randomBytes(32);
  readonly #cache = new Map<string, Cached>();
  readonly #inFlight = new Map<string, Promise<boolean>>();
  #loaded: Loaded;
  #dummy: Promise<ScryptHash> | undefined;

  /** Reads the users file now: a missing or damaged file stops the server from starting. */
  constructor(options: HttpAuthOptions) {
    this.realm = options.realm;
    this.usersFile = options.usersFile;
    this.#ttlMs = options.cacheTtlMs ?? 60_000;
    this.#cacheSize = options.cacheSize ?? 1000;
    this.#loaded = this.#load(stampOf(this.usersFile));
  }

  /** The `WWW-Authenticate` value of a 401. */
  get challenge(): string {
    return `Basic realm="${this.realm}", charset="UTF-8"`;
  }

  /** Authenticates the request and checks the user's role against `needed`. */
  async authorize(req: IncomingMessage, needed: WebRole): Promise<AuthDecision> {
    const decision = await this.#decide(req, needed);
    if (!decision.ok && events.hasSubscribers) {
      events.publish({ realm: this.realm, method: req.method, url: req.url, status: decision.status, message: decision.message });
    }
    return decision;
  }

  async #decide(req: IncomingMessage, needed: WebRole): Promise<AuthDecision> {
    let loaded: Loaded;
    try {
      loaded = this.#fresh();
    } catch (err) {
      // Fail closed: nobody is let in on a file that cannot be read.
      return { ok: false, status: 503, message: `${(err as Error).message}. Until then every request is refused.` };
    }
    const header = req.headers.authorization;
    const basic = parseBasicAuth(header);
    let user: WebUser | undefined;
    let via: 'password' | 'certificate';
    if (basic) {
      if (!(await this.#checkPassword(loaded, basic.user, basic.password))) {
        return { ok: false, status: 401, message: 'wrong user name or password' };
      }
      user = loaded.users.get(basic.user)!;
      via = 'password';
    } else {
      const socket = req.socket as TLSSocket;
      const unverified = socket.encrypted ? presentedUnverifiedCertificate(socket) : null;
      if (unverified) return { ok: false, status: 401, message: `the client certificate was not accepted: ${unverified}` };
      const subject = socket.encrypted ? peerSubjectDn(socket) : null;
      if (subject === null) {
        const other = header ? ' (only HTTP basic auth is accepted, not this Authorization scheme)' : '';
        return {
          ok: false,
          status: 401,
          message: `sign in with a user name and password (HTTP basic auth) or a client certificate${other}`,
        };
      }
      const cn = socket.getPeerCertificate().subject?.CN;
      user = loaded.bySubject.get(subject) ?? (typeof cn === 'string' ? loaded.users.get(cn) : undefined);
      if (!user) {
        return {
          ok: false,
          status: 403,
          message: `the client certificate ${subject} belongs to no user: add one with 'brook web-users add NAME --role read-only --cert-subject "${subject}"'`,
        };
      }
      via = 'certificate';
    }
    if (!roleAllows(user.role, needed)) {
      return { ok: false, status: 403, message: `user ${user.name} is ${user.role}; this request needs the ${needed} role` };
    }
    return { ok: true, user: user.name, role: user.role, via };
  }

  #fresh(): Loaded {
    const stamp = stampOf(this.usersFile);
    if (stamp !== this.#loaded.stamp) {
      this.#loaded = this.#load(stamp);
      this.#cache.clear();
    }
    return this.#loaded;
  }

  #load(stamp: string): Loaded {
    const list = readWebUsers(this.usersFile);
    const users = new Map(list.map((u) => [u.name, u]));
    const bySubject = new Map(list.filter((u) => u.certSubject !== undefined).map((u) => [u.certSubject!, u]));
    return { stamp, users, bySubject };
  }

  async #checkPassword(loaded: Loaded, name: string, password: string): Promise<boolean> {
    const stored = loaded.users.get(name)?.password;
    const key = createHmac('sha256', this.#cacheKey).update(name).update('\0').update(password).digest('base64');
    const hit = this.#cache.get(key);
    if (hit && hit.expires > Date.now() && stored) return true;
    if (hit) this.#cache.delete(key);
    if (!stored) {
      // An unknown user costs as much as a known one, so timing does not tell which names exist.
      this.#dummy ??= hashPassword('brook', SCRYPT_DEFAULTS);
      await verifyPassword(password, await this.#dummy);
      return false;
    }
    // A page opens several connections at once with the same credentials: one scrypt serves them all.
    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = verifyPassword(password, stored).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    const ok = await pending;
    // The file may have changed while scrypt ran; a cached entry must belong to the current users.
    if (ok && this.#loaded === loaded) this.#remember(key, name);
    return ok;
  }

  #remember(key: string, user: string): void {
    this.#cache.delete(key);
    if (this.#cache.size >= this.#cacheSize) {
      // Oldest first (a Map keeps insertion order): bounded memory however many users try.
      this.#cache.delete(this.#cache.keys().next().value!);
    }
    this.#cache.set(key, { user, expires: Date.now() + this.#ttlMs });
  }
}
