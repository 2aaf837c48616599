// What the broker knows about one connection's security: the listener it came through, whether
// it has authenticated, its principal, which every handler receives for authorization, and when
// a SASL login expires unless the client re-authenticates (KIP-368, connections.max.reauth.ms).
import type { ResolvedListener, SecurityProtocol } from './listeners.ts';
import { ANONYMOUS, type KafkaPrincipal, principalToString, userPrincipal } from './principal.ts';
import { SaslAuthenticationError } from './sasl-errors.ts';
import type { SaslServer } from './sasl-server.ts';

/** Kafka lets a connection start re-authenticating at most once a second (KafkaChannel). */
export const MIN_REAUTH_INTERVAL_MS = 1000;

export class SecuritySession {
  readonly listenerName: string;
  readonly securityProtocol: SecurityProtocol;
  /** Null on PLAINTEXT and SSL listeners. */
  readonly sasl: SaslServer | null;
  /** Subject DN of a verified client certificate. */
  readonly tlsSubject: string | null;
  private current: KafkaPrincipal;
  private done: boolean;
  /** Monotonic milliseconds; injectable so tests can move time. */
  private readonly now: () => number;
  /** When the SASL login stops being good for requests other than re-authentication; null: never. */
  private expiresAt: number | null = null;
  private lastReauthStart: number | null = null;
  private renewing = false;

  constructor(
    listener: ResolvedListener,
    opts: { sasl: SaslServer | null; tlsSubject: string | null; principal?: KafkaPrincipal; now?: () => number },
  ) {
    this.listenerName = listener.name;
    this.securityProtocol = listener.securityProtocol;
    this.sasl = opts.sasl;
    this.tlsSubject = opts.tlsSubject;
    this.current = opts.principal ?? ANONYMOUS;
    this.done = opts.sasl === null;
    this.now = opts.now ?? (() => performance.now());
  }

  /** False until a SASL listener's exchange completes; always true elsewhere. Stays true while re-authenticating. */
  get authenticated(): boolean {
    return this.done;
  }

  /** True between a re-authentication's SaslHandshake and the end of its exchange. */
  get reauthenticating(): boolean {
    return this.renewing;
  }

  /** The login's session lifetime has passed: only a re-authentication may follow (KIP-368). */
  get expired(): boolean {
    return this.expiresAt !== null && this.now() >= this.expiresAt;
  }

  get principal(): KafkaPrincipal {
    return this.current;
  }

  /** `User:alice`. */
  get principalName(): string {
    return principalToString(this.current);
  }

  /**
   * Records a successful SASL exchange; `lifetimeMs` > 0 makes the login expire after that long.
   * A re-authentication must prove the same principal, as Kafka requires.
   */
  completeSasl(user: string, lifetimeMs = 0): void {
    const principal = userPrincipal(user);
    if (this.renewing) {
      this.renewing = false;
      if (principalToString(principal) !== this.principalName) {
        throw new SaslAuthenticationError(
          `Cannot change principals during re-authentication from ${this.principalName} to ${principalToString(principal)}`,
        );
      }
    }
    this.current = principal;
    this.done = true;
    this.expiresAt = lifetimeMs > 0 ? this.now() + lifetimeMs : null;
  }

  /**
   * A SaslHandshake on an authenticated connection: starts a re-authentication if Kafka would,
   * i.e. the login has a session lifetime and none started in the last second. False: the
   * handshake is out of place (the caller answers ILLEGAL_SASL_STATE and closes).
   */
  beginReauthentication(): boolean {
    if (this.sasl?.state !== 'complete' || this.expiresAt === null) return false;
    const now = this.now();
    if (this.lastReauthStart !== null && now - this.lastReauthStart < MIN_REAUTH_INTERVAL_MS) return false;
    this.lastReauthStart = now;
    this.renewing = true;
    this.sasl.restart();
    return true;
  }
}
