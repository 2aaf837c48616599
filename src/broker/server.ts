// The broker: opens the log and the group coordinator, listens for Kafka clients, and on close
// drains connections, then flushes and closes the log. Returns { address, close() } (habit 5).

import { channel } from 'node:diagnostics_channel';
import { mkdirSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { BrookError } from '../common/errors.ts';
import { listen } from '../common/listen.ts';
import { openLogManager } from '../log/log-manager.ts';
import type { LogManager } from '../log/types.ts';
import { loadClusterIdentity } from './cluster-identity.ts';
import { type BrokerConfig, DEFAULT_BROKER_CONFIG } from './config.ts';
import { Connection } from './connection.ts';
import { GroupCoordinator } from './groups/coordinator.ts';
import { createHandlers } from './handlers/index.ts';
import { MemoryBudget } from './memory-budget.ts';
import type { BrokerServices } from './services.ts';

const events = channel('brook:broker');

export interface Broker {
  readonly address: { host: string; port: number };
  /** host:port that clients are told to use. */
  readonly advertised: { host: string; port: number };
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
  const server = createServer({ noDelay: true, pauseOnConnect: false });
  server.maxConnections = config.maxConnections;
  try {
    await listen(server, config.port, config.host);
  } catch (err) {
    await logs.close();
    throw err;
  }
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error('server has no TCP address');
  const address = { host: bound.address, port: bound.port };
  const advertised = config.advertisedListener
    ? parseHostPort(config.advertisedListener)
    : { host: isWildcard(address.host) ? 'localhost' : address.host, port: address.port };

  const groups = new GroupCoordinator({ logs, initialRebalanceDelayMs: config.groupInitialRebalanceDelayMs });
  const services: BrokerServices = { config, nodeId: identity.nodeId, clusterId: identity.clusterId, advertised, logs, groups };
  const handlers = createHandlers(services);
  const budget = new MemoryBudget(config.maxQueuedRequestBytes);
  const apiVersionsList = () =>
    [...handlers.values()].map((h) => ({ apiKey: h.api.key, minVersion: h.api.minVersion, maxVersion: h.api.maxVersion }));
  const connections = new Set<Connection>();
  let nextId = 1;
  server.on('connection', (socket: Socket) => {
    const conn = new Connection(socket, nextId++, { config, handlers, budget, apiVersionsList });
    connections.add(conn);
    void conn.closedPromise.then(() => connections.delete(conn));
  });
  // Loading replays __consumer_offsets; group APIs answer COORDINATOR_LOAD_IN_PROGRESS meanwhile.
  await groups.load();
  events.publish({ type: 'broker-started', address, advertised });

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      server.close();
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

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'signal')) as Partial<T>;
}
