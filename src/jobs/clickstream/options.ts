// `brook process` flags and their validation: where to read (Kafka, registry), how (start
// position, bounded), the consumer group its instances share, the job's time settings,
// checkpoints, and where results and bad records go.
import { join } from 'node:path';
import { flagOption, type OptionSpec, stringOption, UsageError } from '../../cli/command.ts';
import { parseDuration } from '../../dashboard/range.ts';
import type { HttpClientTls } from '../../security/http-client.ts';
import type { WebTls } from '../../security/http-server.ts';
import { type OpenSearchSinkOptions, PROCESS_OPENSEARCH_OPTIONS, parseProcessOpenSearch } from '../../sinks/opensearch/index.ts';

const s = stringOption;
const b = flagOption;

export const PROCESS_OPTIONS: Record<string, OptionSpec> = {
  bootstrap: s('Kafka bootstrap servers, comma-separated; overrides --properties', 'HOST:PORT', '127.0.0.1:9092'),
  properties: s('Kafka client properties file (bootstrap.servers, security.protocol, ssl.*, sasl.*)', 'PATH'),
  registry: s("Schema registry URL (Confluent REST; Brook's registry also answers Glue lookups there)", 'URL', 'http://127.0.0.1:8081'),
  'glue-region': s('Look Glue-framed schemas up in AWS Glue in this region (default: at --registry)', 'REGION'),
  topic: s('Input topic of click events', 'TOPIC', 'clickstream'),
  group: s(
    'Consumer group: instances started with the same group share the input partitions (each restores the state of those it gets) and commit their offsets to it',
    'ID',
    'clickstream-processor',
  ),
  'exchange-topic': s(
    "Topic that carries each partition's partial window results to the one instance that combines them (default: <group>-partials; created with 1 partition, kept 24 h)",
    'TOPIC',
  ),
  'instance-id': s(
    'Static group membership (group.instance.id): a restart with the same id gets its partitions back without a rebalance',
    'ID',
  ),
  'session-timeout': s(
    'Seconds the group waits for an instance that stopped answering before its partitions go to the others',
    'SECONDS',
    '10',
  ),
  from: s('Where to start without a checkpoint: earliest, latest or committed', 'POS', 'committed'),
  bounded: b(
    'Read each partition this instance gets to the end offset it has then, emit every window, checkpoint, leave the group and exit 0',
  ),
  'data-dir': s("Brook's data directory (checkpoints in <dir>/processor/clickstream)", 'DIR', './.brook'),
  'checkpoint-dir': s('Checkpoint directory (default: <data-dir>/processor/clickstream/checkpoints)', 'DIR'),
  'checkpoint-topic': s('Keep checkpoints in this compacted Kafka topic instead of a directory', 'TOPIC'),
  'checkpoint-interval': s('Seconds between checkpoints (fractions allowed)', 'SECONDS', '10'),
  'out-of-orderness': s('How late (ms) a record may be and still count', 'MS', '20000'),
  'idle-timeout': s('A partition silent this long (ms) stops holding the watermark back; 0 = never', 'MS', '60000'),
  'event-time': s("'record' (the Kafka timestamp) or 'field' (the event's eventtimestamp)", 'SOURCE', 'record'),
  'dlq-topic': s('Topic for records that cannot be decoded', 'TOPIC', 'clickstream.dlq'),
  'late-topic': s('Topic for records that arrive after their window closed', 'TOPIC', 'clickstream.late'),
  'no-kafka-results': b('Do not write results to the three Kafka result topics'),
  'output-partitions': s('Partitions of output topics Brook creates', 'N', '1'),
  'max-state-entries': s('Window entries the job may hold in memory before it stops with an error', 'N', '5000000'),
  'no-store': b('Do not write results into the analytics store (DuckDB)'),
  'store-path': s('Analytics store file (default: <data-dir>/store/clickstream.duckdb)', 'FILE'),
  'store-retention': s('How long the analytics store keeps windows (e.g. 12h, 7d)', 'DURATION', '7d'),
  'dashboard-port': s('Serve the live dashboard from this process (its store and metrics) on this port', 'PORT'),
  'dashboard-host': s('Address the dashboard listens on', 'ADDRESS', '127.0.0.1'),
  ...PROCESS_OPENSEARCH_OPTIONS,
  quiet: b('No status line'),
  json: b('Final summary as JSON on stdout'),
};

export interface ProcessConfig {
  bootstrap: string | undefined;
  propertiesFile: string | undefined;
  registry: string;
  /** An HTTPS registry's private CA (`ca`) or client certificate (`cert`, `key`); credentials go in the URL. */
  registryTls?: HttpClientTls;
  glueRegion: string | undefined;
  topic: string;
  group: string;
  /** Default `<group>-partials`. */
  exchangeTopic?: string;
  /** Static membership; none by default. */
  instanceId?: string;
  /** Default 10 000. */
  sessionTimeoutMs?: number;
  from: 'earliest' | 'latest' | 'committed';
  bounded: boolean;
  dataDir: string;
  checkpointDir: string | undefined;
  checkpointTopic: string | undefined;
  checkpointIntervalMs: number;
  outOfOrdernessMs: number;
  idleTimeoutMs: number;
  eventTime: 'record' | 'field';
  dlqTopic: string;
  lateTopic: string;
  kafkaResults: boolean;
  outputPartitions: number;
  maxStateEntries: number;
  /** The analytics store file, or undefined with --no-store. */
  storePath: string | undefined;
  storeRetentionMs: number;
  /** Serve the dashboard from this process. */
  dashboard: { port: number; host: string; tls?: WebTls; auth?: { usersFile: string } } | undefined;
  /** Index results into OpenSearch too (--opensearch-url). */
  opensearch: OpenSearchSinkOptions | undefined;
  quiet: boolean;
  json: boolean;
}

type Values = Record<string, string | boolean | undefined>;

const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

function int(values: Values, name: string, min: number, max: number, dflt: number): number {
  const raw = str(values[name]);
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  return n;
}

function seconds(values: Values, name: string, dflt: number): number {
  const raw = str(values[name]);
  if (raw === undefined) return dflt * 1000;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || n < 0.05 || n > 86_400)
    throw new UsageError(`--${name} must be a number of seconds from 0.05 to 86400, got '${raw}'`);
  return Math.round(n * 1000);
}

/** Kafka brokers accept 6 s to 30 min by default (group.min/max.session.timeout.ms). */
function sessionSeconds(values: Values): number {
  const raw = str(values['session-timeout']);
  if (raw === undefined) return 10_000;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || n < 6 || n > 1800)
    throw new UsageError(`--session-timeout must be a number of seconds from 6 to 1800 (what brokers accept by default), got '${raw}'`);
  return Math.round(n * 1000);
}

function duration(values: Values, name: string, dflt: string): number {
  const raw = str(values[name]) ?? dflt;
  const ms = parseDuration(raw);
  if (ms === undefined || ms <= 0) throw new UsageError(`--${name} must be a duration such as 12h, 7d or 30d, got '${raw}'`);
  return ms;
}

function oneOf<T extends string>(values: Values, name: string, allowed: readonly T[], dflt: T): T {
  const raw = str(values[name]) ?? dflt;
  if (!(allowed as readonly string[]).includes(raw)) throw new UsageError(`--${name} must be ${allowed.join(', ')}; got '${raw}'`);
  return raw as T;
}

export function parseProcessConfig(values: Values): ProcessConfig {
  if (str(values['checkpoint-dir']) && str(values['checkpoint-topic'])) {
    throw new UsageError('--checkpoint-dir and --checkpoint-topic are alternatives: give one');
  }
  const registry = str(values.registry) ?? 'http://127.0.0.1:8081';
  const dataDir = str(values['data-dir']) ?? './.brook';
  if (!/^https?:\/\//.test(registry)) throw new UsageError(`--registry must be an http(s) URL, got '${registry}'`);
  return {
    bootstrap: str(values.bootstrap),
    propertiesFile: str(values.properties),
    registry,
    glueRegion: str(values['glue-region']),
    topic: str(values.topic) ?? 'clickstream',
    group: str(values.group) ?? 'clickstream-processor',
    exchangeTopic: str(values['exchange-topic']),
    instanceId: str(values['instance-id']),
    sessionTimeoutMs: sessionSeconds(values),
    from: oneOf(values, 'from', ['earliest', 'latest', 'committed'], 'committed'),
    bounded: values.bounded === true,
    dataDir,
    checkpointDir: str(values['checkpoint-dir']),
    checkpointTopic: str(values['checkpoint-topic']),
    checkpointIntervalMs: seconds(values, 'checkpoint-interval', 10),
    outOfOrdernessMs: int(values, 'out-of-orderness', 0, 86_400_000, 20_000),
    idleTimeoutMs: int(values, 'idle-timeout', 0, 86_400_000, 60_000),
    eventTime: oneOf(values, 'event-time', ['record', 'field'], 'record'),
    dlqTopic: str(values['dlq-topic']) ?? 'clickstream.dlq',
    lateTopic: str(values['late-topic']) ?? 'clickstream.late',
    kafkaResults: values['no-kafka-results'] !== true,
    outputPartitions: int(values, 'output-partitions', 1, 10_000, 1),
    maxStateEntries: int(values, 'max-state-entries', 1, 1e9, 5_000_000),
    storePath: values['no-store'] === true ? undefined : (str(values['store-path']) ?? join(dataDir, 'store', 'clickstream.duckdb')),
    storeRetentionMs: duration(values, 'store-retention', '7d'),
    dashboard:
      str(values['dashboard-port']) === undefined
        ? undefined
        : { port: int(values, 'dashboard-port', 0, 65_535, 8080), host: str(values['dashboard-host']) ?? '127.0.0.1' },
    opensearch: parseProcessOpenSearch(values),
    quiet: values.quiet === true,
    json: values.json === true,
  };
}
