// One connection's SASL state (KIP-152): SaslHandshake picks an enabled mechanism, then
// SaslAuthenticate carries its tokens until it yields a user or fails. A completed exchange may
// run again on the same connection to re-authenticate (KIP-368), with the same mechanism.
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
  /** The mechanism of the completed exchange being renewed; null on the first authentication. */
  private renewing: SaslMechanismName | null = null;

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
    this.state = 'authenticating';
    const previous = this.renewing;
    if (previous !== null && m !== previous) {
      // As Kafka: the handshake succeeds and the first SaslAuthenticate fails with the reason.
      this.exchange = () =>
        Promise.reject(
          new SaslAuthenticationError(
            `SASL mechanism '${m}' requested by client is not supported for re-authentication of mechanism '${previous}'`,
          ),
        );
      return true;
    }
    this.exchange = m === 'PLAIN' ? plainExchange(this.store) : scramExchange(m, this.store);
    return true;
  }

  /** Starts a re-authentication (KIP-368): the next message must be a SaslHandshake again. */
  restart(): void {
    if (this.state !== 'complete' || this.mechanism === null) throw new Error('only a completed SASL exchange can be renewed');
    this.renewing = this.mechanism;
    this.exchange = null;
    this.state = 'handshake';
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
