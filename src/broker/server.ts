// The broker: opens the log and the group coordinator, listens for Kafka clients on each listener
// (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL), and on close drains connections, then flushes and
// closes the log. Returns { address, close() } (habit 5).

import { channel } from 'node:diagnostics_channel';
import { mkdirSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { BrookError } from '../common/errors.ts';
import { listen } from '../common/listen.ts';
import { openLogManager } from '../log/log-manager.ts';
import type { LogManager } from '../log/types.ts';
import { AclStore } from '../security/acl-store.ts';
import { Authorizer } from '../security/authorizer.ts';
import { CredentialStore } from '../security/credential-store.ts';
import { type ListenerConfig, type ResolvedListener, usesSasl, usesTls, validateListeners } from '../security/listeners.ts';
import { parsePrincipal, userPrincipal } from '../security/principal.ts';
import { mapPrincipal, type PrincipalMappingRule, parsePrincipalMappingRules } from '../security/principal-mapping.ts';
import { SaslServer } from '../security/sasl-server.ts';
import { SecuritySession } from '../security/session.ts';
import { peerSubjectDn, presentedUnverifiedCertificate, tlsErrorReason, tlsServerOptions } from '../security/tls.ts';
import { loadClusterIdentity } from './cluster-identity.ts';
import { type BrokerConfig, DEFAULT_BROKER_CONFIG } from './config.ts';
import { Connection } from './connection.ts';
import { GroupCoordinator } from './groups/coordinator.ts';
import { createHandlers } from './handlers/index.ts';
import { MemoryBudget } from './memory-budget.ts';
import type { BoundListener, BrokerServices } from './services.ts';

const events = channel('brook:broker');

export interface Broker {
  /** The first listener's bound address. */
  readonly address: { host: string; port: number };
  /** host:port that clients of the first listener are told to use. */
  readonly advertised: { host: string; port: number };
  /** Every listener, in the order configured. */
  readonly listeners: readonly BoundListener[];
  /** SCRAM users (also what PLAIN checks). */
  readonly credentials: CredentialStore;
  /** ACLs, enforced when the broker was started with `authorizer: true`. */
  readonly authorizer: Authorizer;
  readonly clusterId: string;
  readonly logs: LogManager;
  readonly groups: GroupCoordinator;
  readonly connectionCount: number;
  /** Request bytes held in memory across all connections (bounded by maxQueuedRequestBytes). */
  readonly bufferedRequestBytes: number;
  close(): Promise<void>;
}

export interface StartBrokerOptions extends Partial<BrokerConfig> {
  signal?: AbortSignal;
}

function parseHostPort(s: string): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(s);
  if (!m) throw new BrookError('BROKER_CONFIG', `advertised listener '${s}' must be host:port`);
  return { host: (m[1] as string).replace(/^\[(.*)\]$/, '$1'), port: Number(m[2]) };
}

export async function startBroker(options: StartBrokerOptions = {}): Promise<Broker> {
  const config: BrokerConfig = { ...DEFAULT_BROKER_CONFIG, ...stripUndefined(options) };
  try {
    mkdirSync(config.dataDir, { recursive: true });
  } catch (err) {
    throw new BrookError(
      'DATA_DIR',
      `cannot create data directory ${config.dataDir}: ${(err as Error).message}; pass --data-dir with a writable path`,
      { cause: err },
    );
  }
  const identity = loadClusterIdentity(config.dataDir, config.nodeId);
  const logs = await openLogManager({ dataDir: config.dataDir, retentionCheckIntervalMs: config.retentionCheckIntervalMs });
  let specs: ResolvedListener[];
  let rules: PrincipalMappingRule[];
  let credentials: CredentialStore;
  let authorizer: Authorizer;
  try {
    specs = validateListeners(listenersOf(config));
    rules = parsePrincipalMappingRules(config.principalMappingRules);
    credentials = new CredentialStore(config.dataDir);
    for (const p of config.superUsers) {
      try {
        parsePrincipal(p);
      } catch (err) {
        throw new BrookError('BROKER_CONFIG', `super user: ${(err as Error).message}`);
      }
    }
    authorizer = new Authorizer({ enabled: config.authorizer, superUsers: config.superUsers, store: new AclStore(config.dataDir) });
  } catch (err) {
    await logs.close();
    throw err;
  }
  const servers: Server[] = [];
  const bound: BoundListener[] = [];
  try {
    for (const spec of specs) {
      const server = usesTls(spec.securityProtocol)
        ? createTlsServer({ ...tlsServerOptions(spec.tls as NonNullable<ListenerConfig['tls']>), noDelay: true })
        : createServer({ noDelay: true, pauseOnConnect: false });
      server.maxConnections = config.maxConnections;
      servers.push(server);
      await listen(server, spec.port, spec.host);
      const addr = server.address();
      if (addr === null || typeof addr === 'string') throw new Error('server has no TCP address');
      const address = { host: addr.address, port: addr.port };
      bound.push({
        name: spec.name,
        securityProtocol: spec.securityProtocol,
        address,
        advertised: {
          host: spec.advertisedHost ?? (isWildcard(address.host) ? 'localhost' : address.host),
          port: spec.advertisedPort ?? address.port,
        },
      });
    }
  } catch (err) {
    for (const s of servers) s.close();
    await logs.close();
    throw err;
  }
  const first = bound[0] as BoundListener;
  const address = first.address;
  const advertised = first.advertised;

  const groups = new GroupCoordinator({ logs, initialRebalanceDelayMs: config.groupInitialRebalanceDelayMs });
  const services: BrokerServices = {
    config,
    nodeId: identity.nodeId,
    clusterId: identity.clusterId,
    advertised,
    listeners: bound,
    credentials,
    authorizer,
    logs,
    groups,
  };
  const handlers = createHandlers(services);
  const budget = new MemoryBudget(config.maxQueuedRequestBytes);
  const apiVersionsList = () =>
    [...handlers.values()].map((h) => ({ apiKey: h.api.key, minVersion: h.api.minVersion, maxVersion: h.api.maxVersion }));
  const connections = new Set<Connection>();
  let nextId = 1;
  specs.forEach((spec, i) => {
    const server = servers[i] as Server;
    const listener = bound[i] as BoundListener;
    const accept = (socket: Socket, session: SecuritySession) => {
      const conn = new Connection(socket, nextId++, {
        config,
        handlers,
        budget,
        apiVersionsList,
        session,
        advertised: listener.advertised,
      });
      connections.add(conn);
      void conn.closedPromise.then(() => connections.delete(conn));
    };
    const sasl = () => (usesSasl(spec.securityProtocol) ? new SaslServer(spec.saslMechanisms, credentials) : null);
    if (!usesTls(spec.securityProtocol)) {
      server.on('connection', (socket: Socket) => accept(socket, new SecuritySession(spec, { sasl: sasl(), tlsSubject: null })));
      return;
    }
    const tlsFailure = (socket: TLSSocket, reason: string) =>
      events.publish({ type: 'tls-handshake-failed', listener: spec.name, host: peerHost(socket), reason });
    // Node drops the peer address with the socket: read it once on accept, so that it is cached.
    server.prependListener('connection', (raw: Socket) => void raw.remoteAddress);
    // A failed handshake costs only its socket, which Node has already destroyed. When Node itself
    // refuses the client certificate, the error says only "socket hang up"; the code says why.
    server.on('tlsClientError', (err: Error, socket: TLSSocket) =>
      tlsFailure(
        socket,
        socket.authorizationError ? `client certificate refused: ${String(socket.authorizationError)}` : tlsErrorReason(err),
      ),
    );
    server.on('secureConnection', (socket: TLSSocket) => {
      const unverified = presentedUnverifiedCertificate(socket);
      if (unverified && spec.tls?.clientAuth === 'requested') {
        tlsFailure(socket, `client certificate refused: ${unverified}`);
        socket.destroy();
        return;
      }
      const dn = peerSubjectDn(socket);
      let principal: ReturnType<typeof userPrincipal> | undefined;
      if (dn !== null && spec.securityProtocol === 'SSL') {
        try {
          principal = userPrincipal(mapPrincipal(rules, dn));
        } catch (err) {
          tlsFailure(socket, (err as Error).message);
          socket.destroy();
          return;
        }
      }
      if (principal) {
        events.publish({ type: 'tls-authenticated', listener: spec.name, host: socket.remoteAddress, principal: `User:${principal.name}` });
      }
      accept(socket, new SecuritySession(spec, { sasl: sasl(), tlsSubject: dn, ...(principal ? { principal } : {}) }));
    });
  });
  // Loading replays __consumer_offsets; group APIs answer COORDINATOR_LOAD_IN_PROGRESS meanwhile.
  await groups.load();
  events.publish({ type: 'broker-started', address, advertised, listeners: bound });

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      for (const server of servers) server.close();
      await groups.close();
      await Promise.all([...connections].map((c) => c.drain(2000)));
      await logs.close();
      events.publish({ type: 'broker-stopped' });
    })();
    return closing;
  };
  options.signal?.addEventListener('abort', () => void close(), { once: true });

  return {
    address,
    advertised,
    listeners: bound,
    credentials,
    authorizer,
    clusterId: identity.clusterId,
    logs,
    groups,
    get connectionCount() {
      return connections.size;
    },
    get bufferedRequestBytes() {
      return budget.inUse;
    },
    close,
  };
}

/** The configured listeners, or the one PLAINTEXT listener that host, port and advertisedListener describe. */
function listenersOf(config: BrokerConfig): ListenerConfig[] {
  const adv = config.advertisedListener ? parseHostPort(config.advertisedListener) : null;
  const withAdvertised = (l: ListenerConfig): ListenerConfig =>
    adv && l.advertisedHost === undefined ? { ...l, advertisedHost: adv.host, advertisedPort: adv.port } : l;
  if (config.listeners.length === 0) {
    return [withAdvertised({ name: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: config.host, port: config.port })];
  }
  // advertisedListener (host:port) keeps its old meaning: the address of the first listener.
  return config.listeners.map((l, i) => (i === 0 ? withAdvertised(l) : l));
}

function peerHost(socket: TLSSocket): string {
  return socket.remoteAddress ?? (socket as unknown as { _parent?: Socket })._parent?.remoteAddress ?? 'unknown';
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'signal')) as Partial<T>;
}
