// Listeners as Kafka names them: each has a name, a security protocol and its own port; TLS
// settings for SSL and SASL_SSL, SASL mechanisms for SASL_PLAINTEXT and SASL_SSL.
import { BrookError } from '../common/errors.ts';

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanismName = (typeof SASL_MECHANISMS)[number];

/** `ssl.client.auth`. */
export type ClientAuth = 'none' | 'requested' | 'required';

export interface ListenerTls {
  /** PEM certificate chain and key of this broker. */
  cert: string | Buffer;
  key: string | Buffer;
  /** PEM CA certificates trusted for client certificates. */
  ca?: string | Buffer;
  clientAuth?: ClientAuth;
}

export interface ListenerConfig {
  /** Listener name (`listeners=NAME://...`); defaults to the security protocol. */
  name?: string;
  securityProtocol: SecurityProtocol;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** What Metadata tells clients that connected through this listener (default: the bound address). */
  advertisedHost?: string;
  advertisedPort?: number;
  /** Required for SSL and SASL_SSL. */
  tls?: ListenerTls;
  /** `sasl.enabled.mechanisms` for SASL listeners; default SCRAM-SHA-256 and SCRAM-SHA-512. */
  saslMechanisms?: SaslMechanismName[];
}

export const DEFAULT_SASL_MECHANISMS: SaslMechanismName[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512'];

export const usesTls = (p: SecurityProtocol) => p === 'SSL' || p === 'SASL_SSL';
export const usesSasl = (p: SecurityProtocol) => p === 'SASL_PLAINTEXT' || p === 'SASL_SSL';

/** Parses `PROTOCOL://host:port` or `NAME=PROTOCOL://host:port` (host may be empty: all interfaces, or [v6]). */
export function parseListener(spec: string): ListenerConfig {
  const m = /^(?:([A-Za-z0-9_-]+)=)?([A-Z_]+):\/\/(\[[^\]]*\]|[^:/]*):(\d{1,5})$/.exec(spec.trim());
  if (!m) throw new BrookError('LISTENER', `listener '${spec}' must look like SASL_SSL://0.0.0.0:9094 (or NAME=PROTOCOL://host:port)`);
  const protocol = m[2] as string;
  if (!(SECURITY_PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new BrookError(
      'LISTENER',
      `listener '${spec}': unknown security protocol ${protocol}; use one of ${SECURITY_PROTOCOLS.join(', ')}`,
    );
  }
  const host = (m[3] as string).replace(/^\[(.*)\]$/, '$1') || '0.0.0.0';
  const port = Number(m[4]);
  if (port > 65535) throw new BrookError('LISTENER', `listener '${spec}': port ${port} is above 65535`);
  return { name: m[1] ?? protocol, securityProtocol: protocol as SecurityProtocol, host, port };
}

export function parseSaslMechanisms(list: string): SaslMechanismName[] {
  const out = list
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  for (const m of out) {
    if (!(SASL_MECHANISMS as readonly string[]).includes(m)) {
      throw new BrookError('LISTENER', `unknown SASL mechanism '${m}'; Brook offers ${SASL_MECHANISMS.join(', ')}`);
    }
  }
  if (out.length === 0) throw new BrookError('LISTENER', 'the SASL mechanism list is empty');
  return out as SaslMechanismName[];
}

/** Checks names are unique and TLS listeners have a certificate; fills names and mechanisms. */
export type ResolvedListener = ListenerConfig & { name: string; saslMechanisms: SaslMechanismName[] };

export function validateListeners(listeners: readonly ListenerConfig[]): ResolvedListener[] {
  const seen = new Set<string>();
  return listeners.map((l) => {
    const name = l.name ?? l.securityProtocol;
    if (seen.has(name)) {
      throw new BrookError('LISTENER', `two listeners are named ${name}: name them, e.g. INTERNAL=SSL://:9093 and EXTERNAL=SSL://:9094`);
    }
    seen.add(name);
    if (usesTls(l.securityProtocol) && !l.tls) {
      throw new BrookError(
        'LISTENER',
        `listener ${name} (${l.securityProtocol}) needs a certificate and key: pass --tls-cert and --tls-key`,
      );
    }
    if (l.tls?.clientAuth && l.tls.clientAuth !== 'none' && !l.tls.ca) {
      throw new BrookError(
        'LISTENER',
        `listener ${name}: client authentication '${l.tls.clientAuth}' needs the CA that signs client certificates: pass --tls-ca`,
      );
    }
    const saslMechanisms = usesSasl(l.securityProtocol) ? (l.saslMechanisms ?? DEFAULT_SASL_MECHANISMS) : [];
    return { ...l, name, saslMechanisms };
  });
}
