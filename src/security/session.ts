// What the broker knows about one connection's security: the listener it came through, whether
// it has authenticated, and its principal, which every handler receives for authorization.
import type { ResolvedListener, SecurityProtocol } from './listeners.ts';
import { ANONYMOUS, type KafkaPrincipal, principalToString, userPrincipal } from './principal.ts';
import type { SaslServer } from './sasl-server.ts';

export class SecuritySession {
  readonly listenerName: string;
  readonly securityProtocol: SecurityProtocol;
  /** Null on PLAINTEXT and SSL listeners. */
  readonly sasl: SaslServer | null;
  /** Subject DN of a verified client certificate. */
  readonly tlsSubject: string | null;
  private current: KafkaPrincipal;
  private done: boolean;

  constructor(listener: ResolvedListener, opts: { sasl: SaslServer | null; tlsSubject: string | null; principal?: KafkaPrincipal }) {
    this.listenerName = listener.name;
    this.securityProtocol = listener.securityProtocol;
    this.sasl = opts.sasl;
    this.tlsSubject = opts.tlsSubject;
    this.current = opts.principal ?? ANONYMOUS;
    this.done = opts.sasl === null;
  }

  /** False until a SASL listener's exchange completes; always true elsewhere. */
  get authenticated(): boolean {
    return this.done;
  }

  get principal(): KafkaPrincipal {
    return this.current;
  }

  /** `User:alice`. */
  get principalName(): string {
    return principalToString(this.current);
  }

  completeSasl(user: string): void {
    this.current = userPrincipal(user);
    this.done = true;
  }
}
