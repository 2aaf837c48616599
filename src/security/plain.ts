// SASL PLAIN (RFC 4616) server side: `[authzid] NUL authcid NUL passwd`, checked against the
// user's stored SCRAM credential (salted and hashed), so PLAIN and SCRAM share one user store.
import { timingSafeEqual } from 'node:crypto';
import type { CredentialStore } from './credential-store.ts';
import { invalidCredentials, SaslAuthenticationError } from './sasl-errors.ts';
import type { SaslExchange } from './sasl-server.ts';
import { hash, hmac, type ScramMechanism, saltPassword } from './scram.ts';

export function plainExchange(store: CredentialStore): SaslExchange {
  return async (bytes) => {
    const parts = bytes.toString('utf8').split('\0');
    if (parts.length !== 3) throw new SaslAuthenticationError('Invalid SASL/PLAIN response: expected 3 tokens separated by NUL');
    const [authzid, user, password] = parts as [string, string, string];
    if (user === '') throw new SaslAuthenticationError('Authentication failed: username not specified');
    if (password === '') throw new SaslAuthenticationError('Authentication failed: password not specified');
    if (authzid !== '' && authzid !== user) {
      throw new SaslAuthenticationError('Authentication failed: Client requested an authorization id that is different from username');
    }
    if (!(await verifyPassword(store, user, password))) throw invalidCredentials('PLAIN');
    return { reply: Buffer.alloc(0), user };
  };
}

async function verifyPassword(store: CredentialStore, user: string, password: string): Promise<boolean> {
  for (const m of ['SCRAM-SHA-512', 'SCRAM-SHA-256'] as ScramMechanism[]) {
    const c = store.get(user, m);
    if (!c) continue;
    const salted = await saltPassword(m, password, c.salt, c.iterations);
    return timingSafeEqual(hash(m, hmac(m, salted, 'Client Key')), c.storedKey);
  }
  return false;
}
