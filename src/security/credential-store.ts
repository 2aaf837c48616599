// SCRAM credentials of the broker's users, kept in the data directory (`scram-credentials.json`,
// mode 0600) and replaced atomically: written to a temporary file, fsynced, renamed over the old.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrookError } from '../common/errors.ts';
import { writeFileAtomic } from './atomic-file.ts';
import type { ScramCredential, ScramMechanism } from './scram.ts';

export const CREDENTIALS_FILE = 'scram-credentials.json';

interface StoredCredential {
  salt: string;
  storedKey: string;
  serverKey: string;
  iterations: number;
}

interface FileShape {
  version: 1;
  users: Record<string, Partial<Record<ScramMechanism, StoredCredential>>>;
}

export class CredentialStore {
  private readonly path: string | null;
  private users = new Map<string, Map<ScramMechanism, ScramCredential>>();

  /** A store persisted in `dataDir`, or (null) kept in memory only. */
  constructor(dataDir: string | null) {
    this.path = dataDir === null ? null : join(dataDir, CREDENTIALS_FILE);
    if (this.path) this.load(this.path);
  }

  get(user: string, mechanism: ScramMechanism): ScramCredential | undefined {
    return this.users.get(user)?.get(mechanism);
  }

  /** Mechanisms and iterations per user, sorted by name. */
  list(): { user: string; credentials: { mechanism: ScramMechanism; iterations: number }[] }[] {
    return [...this.users.keys()].sort().map((user) => ({ user, credentials: this.describe(user) ?? [] }));
  }

  describe(user: string): { mechanism: ScramMechanism; iterations: number }[] | undefined {
    const m = this.users.get(user);
    if (!m) return undefined;
    return [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([mechanism, c]) => ({ mechanism, iterations: c.iterations }));
  }

  /** Applies upserts and deletions together and persists them before returning. */
  apply(changes: {
    upsert?: { user: string; mechanism: ScramMechanism; credential: ScramCredential }[];
    remove?: { user: string; mechanism: ScramMechanism }[];
  }): void {
    const next = new Map([...this.users].map(([u, m]) => [u, new Map(m)]));
    for (const d of changes.remove ?? []) {
      const m = next.get(d.user);
      m?.delete(d.mechanism);
      if (m && m.size === 0) next.delete(d.user);
    }
    for (const u of changes.upsert ?? []) {
      let m = next.get(u.user);
      if (!m) next.set(u.user, (m = new Map()));
      m.set(u.mechanism, u.credential);
    }
    if (this.path) this.save(this.path, next);
    this.users = next;
  }

  private load(path: string): void {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new BrookError('CREDENTIALS', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
    }
    let parsed: FileShape;
    try {
      parsed = JSON.parse(text) as FileShape;
      if (parsed.version !== 1 || typeof parsed.users !== 'object') throw new Error('not a version 1 credentials file');
    } catch (err) {
      throw new BrookError(
        'CREDENTIALS',
        `${path} is damaged (${(err as Error).message}); restore it or remove it and add the users again`,
      );
    }
    for (const [user, mechs] of Object.entries(parsed.users)) {
      const m = new Map<ScramMechanism, ScramCredential>();
      for (const [mech, c] of Object.entries(mechs ?? {})) {
        m.set(mech as ScramMechanism, {
          salt: Buffer.from(c.salt, 'base64'),
          storedKey: Buffer.from(c.storedKey, 'base64'),
          serverKey: Buffer.from(c.serverKey, 'base64'),
          iterations: c.iterations,
        });
      }
      this.users.set(user, m);
    }
  }

  private save(path: string, users: Map<string, Map<ScramMechanism, ScramCredential>>): void {
    const shape: FileShape = { version: 1, users: {} };
    for (const [user, mechs] of users) {
      const entry: Partial<Record<ScramMechanism, StoredCredential>> = {};
      for (const [mech, c] of mechs) {
        entry[mech] = {
          salt: c.salt.toString('base64'),
          storedKey: c.storedKey.toString('base64'),
          serverKey: c.serverKey.toString('base64'),
          iterations: c.iterations,
        };
      }
      shape.users[user] = entry;
    }
    writeFileAtomic(path, `${JSON.stringify(shape, null, 2)}\n`);
  }
}
