// Broker settings, named after Kafka's broker configs where one exists, with Kafka's defaults
// unless Brook has a reason to differ (stated next to the setting).
import type { ListenerConfig } from '../security/listeners.ts';

export interface BrokerConfig {
  /** Address to bind. */
  host: string;
  /** Port to bind; 0 picks a free one (tests). */
  port: number;
  /** host:port clients are told to connect to (Metadata, FindCoordinator); default = bound address. */
  advertisedListener: string | null;
  dataDir: string;
  nodeId: number;
  /** `auto.create.topics.enable`: off, as in the reference system (Kafka's default is on). */
  autoCreateTopics: boolean;
  /** `num.partitions`: partitions of auto-created topics and of CreateTopics with -1. */
  numPartitions: number;
  /** `socket.request.max.bytes`: a larger frame is refused from its size prefix. */
  maxRequestBytes: number;
  /** `queued.max.request.bytes`: request bytes buffered across all connections before reads pause. */
  maxQueuedRequestBytes: number;
  /** `max.connections`. */
  maxConnections: number;
  /** `connections.max.idle.ms`. */
  idleTimeoutMs: number;
  /** Requests one connection may have in flight before its reads pause (`queued.max.requests`). */
  maxInFlightPerConnection: number;
  /** `group.initial.rebalance.delay.ms`. */
  groupInitialRebalanceDelayMs: number;
  /** `log.retention.check.interval.ms`. */
  retentionCheckIntervalMs: number;
  /**
   * `listeners`: each with its own port and security protocol. Empty: one PLAINTEXT listener on
   * host:port, advertised as advertisedListener (the settings above).
   */
  listeners: ListenerConfig[];
  /** `ssl.principal.mapping.rules` for client certificates (KIP-371). */
  principalMappingRules: string;
  /** `super.users`, e.g. ['User:admin']: principals the authorizer lets do everything. */
  superUsers: string[];
  /**
   * `authorizer.class.name` set: ACLs are enforced and whatever no ACL allows is denied. Off, every
   * principal may do everything, as on a Kafka broker without an authorizer.
   */
  authorizer: boolean;
  /**
   * Largest frame an unauthenticated SASL connection may send (`sasl.server.max.receive.size`):
   * 8 KiB, not Kafka's 512 KiB, since PLAIN and SCRAM messages are a few hundred bytes.
   */
  saslMaxReceiveBytes: number;
  /**
   * How long a connection on a SASL listener may stay unauthenticated before it is closed, so
   * idle half-open logins cannot hold connection slots for the whole idle timeout. 10 s.
   */
  saslAuthenticationTimeoutMs: number;
  /**
   * `connections.max.reauth.ms` (KIP-368): a SASL login is good for this long, then the client must
   * re-authenticate on its connection or the connection is closed at its next request. 0: forever.
   */
  connectionsMaxReauthMs: number;
}

export const DEFAULT_BROKER_CONFIG: BrokerConfig = {
  host: '127.0.0.1',
  port: 9092,
  advertisedListener: null,
  dataDir: './data/broker',
  nodeId: 1,
  autoCreateTopics: false,
  numPartitions: 1,
  maxRequestBytes: 104_857_600,
  maxQueuedRequestBytes: 512 * 1024 * 1024,
  maxConnections: 1000,
  idleTimeoutMs: 600_000,
  maxInFlightPerConnection: 500,
  groupInitialRebalanceDelayMs: 3000,
  retentionCheckIntervalMs: 300_000,
  listeners: [],
  principalMappingRules: 'DEFAULT',
  superUsers: [],
  authorizer: false,
  saslMaxReceiveBytes: 8192,
  saslAuthenticationTimeoutMs: 10_000,
  connectionsMaxReauthMs: 0,
};
