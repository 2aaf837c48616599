// One connection's SASL state (KIP-152): SaslHandshake picks an enabled mechanism, then
// SaslAuthenticate carries its tokens until it yields a user or fails; one try per connection.
import type { CredentialStore } from './credential-store.ts';
import type { SaslMechanismName } from './listeners.ts';
import { plainExchange } from './plain.ts';
import { SaslAuthenticationError } from './sasl-errors.ts';
import { scramExchange } from './scram-exchange.ts';

/** One step of a mechanism: the reply token, and the user once the exchange has succeeded. */
export type SaslExchange = (bytes: Buffer) => Promise<{ reply: Buffer; user?: string }>;

export type SaslState = 'handshake' | 'authenticating' | 'complete' | 'failed';

export class SaslServer {
  readonly enabled: readonly SaslMechanismName[];
  private readonly store: CredentialStore;
  private exchange: SaslExchange | null = null;
  state: SaslState = 'handshake';
  mechanism: SaslMechanismName | null = null;

  constructor(enabled: readonly SaslMechanismName[], store: CredentialStore) {
    this.enabled = enabled;
    this.store = store;
  }

  /** Returns false (and fails the session) when the mechanism is not enabled here. */
  handshake(requested: string): boolean {
    if (this.state !== 'handshake') throw new SaslAuthenticationError('SaslHandshake is allowed once, before authentication');
    const m = this.enabled.find((e) => e === requested);
    if (!m) {
      this.state = 'failed';
      return false;
    }
    this.mechanism = m;
    this.exchange = m === 'PLAIN' ? plainExchange(this.store) : scramExchange(m, this.store);
    this.state = 'authenticating';
    return true;
  }

  /** Runs one step; throws SaslAuthenticationError (and fails the session) on refusal. */
  async step(bytes: Buffer): Promise<{ reply: Buffer; user?: string }> {
    if (this.state !== 'authenticating' || !this.exchange) {
      this.state = 'failed';
      throw new SaslAuthenticationError('Unexpected SaslAuthenticate request: send SaslHandshake first');
    }
    try {
      const r = await this.exchange(bytes);
      if (r.user !== undefined) this.state = 'complete';
      return r;
    } catch (err) {
      this.state = 'failed';
      throw err;
    }
  }
}
