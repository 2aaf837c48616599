// Every key of brook.config.json in one table: its type, default, meaning and `brook up` flag. The
// file's shape, the BROOK_* variables, the flags, the help and the JSON Schema all come from here.
import type { ConfigValue, ValueType } from './value-types.ts';

export interface KeyFlag {
  /** The `brook up` flag, without dashes. */
  name: string;
  /** For boolean keys: the value the flag's presence sets (`--no-generator` sets false). */
  sets?: boolean;
  valueName?: string;
  /** Help text when the key's own description does not fit the flag. */
  description?: string;
}

export interface KeySpec {
  path: string;
  type: ValueType;
  /** null: unset (the feature is off, or the part picks). */
  default: ConfigValue;
  description: string;
  flag?: KeyFlag;
  /** Relative paths in the file are resolved against the file's directory. */
  isPath?: boolean;
}

const str: ValueType = { kind: 'string' };
const path: ValueType = { kind: 'path' };
const bool: ValueType = { kind: 'boolean' };
const port: ValueType = { kind: 'port' };
const envName: ValueType = { kind: 'envName' };
const region: ValueType = { kind: 'awsRegion' };
const int = (min: number, max: number): ValueType => ({ kind: 'integer', min, max });
const oneOf = (...values: string[]): ValueType => ({ kind: 'enum', values });

const k = (p: string, type: ValueType, dflt: ConfigValue, description: string, flag?: KeyFlag): KeySpec => ({
  path: p,
  type,
  default: dflt,
  description,
  ...(flag ? { flag } : {}),
  ...(type.kind === 'path' ? { isPath: true } : {}),
});

export const KEYS: readonly KeySpec[] = [
  k('dataDir', path, './.brook', 'Where everything is kept: broker log, checkpoints, analytics store, generator bookmark', {
    name: 'data-dir',
    valueName: 'DIR',
  }),

  k(
    'secure',
    bool,
    false,
    'Secure the embedded parts: a private CA in <dataDir>/certs, TLS on the broker (client certificates required), registry and dashboard, ACLs on, one identity per part',
    { name: 'secure', sets: true },
  ),

  k('broker.host', str, '127.0.0.1', 'Address the embedded broker listens on (0.0.0.0 for all interfaces)'),
  k('broker.port', port, 9092, 'Port of the embedded broker', { name: 'broker-port', valueName: 'PORT' }),
  k('broker.advertisedListener', { kind: 'hostPort' }, null, 'host:port clients are told to use (default: the listening address)'),

  k('kafka.bootstrap', { kind: 'hostPorts' }, null, 'External Kafka or MSK bootstrap servers; when set, no embedded broker is started', {
    name: 'bootstrap',
    valueName: 'HOST:PORT[,...]',
  }),
  k(
    'kafka.securityProtocol',
    oneOf('PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'),
    'PLAINTEXT',
    'security.protocol of the external cluster',
  ),
  k('kafka.tls.caFile', path, null, 'PEM file of the CA(s) to trust (default: the system roots)'),
  k('kafka.tls.certFile', path, null, 'PEM client certificate for mTLS'),
  k('kafka.tls.keyFile', path, null, 'PEM private key of the client certificate'),
  k('kafka.tls.keyPasswordEnv', envName, null, 'Environment variable holding the key passphrase, if the key is encrypted'),
  k(
    'kafka.sasl.mechanism',
    oneOf('PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'AWS_MSK_IAM'),
    null,
    'SASL mechanism (needs securityProtocol SASL_SSL or SASL_PLAINTEXT)',
  ),
  k('kafka.sasl.username', str, null, 'SASL user (PLAIN, SCRAM)'),
  k('kafka.sasl.passwordEnv', envName, 'BROOK_SASL_PASSWORD', 'Environment variable holding the SASL password'),
  k('kafka.sasl.region', region, null, 'MSK IAM: the cluster region (default AWS_REGION, then AWS_DEFAULT_REGION)'),
  k('kafka.sasl.awsProfile', str, null, 'MSK IAM: a named AWS profile instead of the default credential chain'),
  k('kafka.sasl.awsRoleArn', str, null, 'MSK IAM: a role to assume for the credentials'),

  k('registry.host', str, '127.0.0.1', 'Address the embedded schema registry listens on'),
  k('registry.port', port, 8081, 'Port of the embedded schema registry', { name: 'registry-port', valueName: 'PORT' }),
  k('registry.topic', str, '_schemas', 'Compacted topic that holds the embedded registry state'),
  k('registry.url', { kind: 'url' }, null, 'External Confluent-compatible registry; when set, no embedded registry is started', {
    name: 'registry',
    valueName: 'URL',
  }),
  k('registry.username', str, null, 'Basic auth user of the external registry'),
  k('registry.passwordEnv', envName, 'BROOK_REGISTRY_PASSWORD', 'Environment variable holding the registry password'),
  k('registry.glue.region', region, null, 'Use AWS Glue Schema Registry in this region instead (no embedded registry)'),
  k('registry.glue.registryName', str, 'default-registry', 'Glue registry that holds the clickstream schema'),

  k('topics.clickstream', str, 'clickstream', 'Input topic of click events'),
  k('topics.partitions', int(1, 10_000), 3, 'Partitions of the input topic when it is created', { name: 'partitions', valueName: 'N' }),
  k('topics.resultPartitions', int(1, 10_000), 1, 'Partitions of the result, dead-letter and late topics when created'),
  k('topics.replicationFactor', int(1, 32), null, 'Replication factor of the topics Brook creates (default: the cluster default)'),
  k('topics.deadLetter', str, 'clickstream.dlq', 'Topic for records that cannot be decoded'),
  k('topics.late', str, 'clickstream.late', 'Topic for records that arrive after their window closed'),

  k('processor.group', str, 'clickstream-processor', 'Consumer group the processed offsets are committed to (for lag tools)'),
  k('processor.from', oneOf('earliest', 'latest', 'committed'), 'committed', 'Where to start without a checkpoint', {
    name: 'from',
    valueName: 'POS',
  }),
  k(
    'processor.checkpointIntervalSeconds',
    { kind: 'number', min: 0.05, max: 86_400 },
    5,
    'Seconds between checkpoints (each serializes all window state); the store commits closed windows every 0.5 s regardless',
    { name: 'checkpoint-interval', valueName: 'SECONDS' },
  ),
  k('processor.checkpointTopic', str, null, 'Keep checkpoints in this compacted topic instead of <dataDir>/processor'),
  k('processor.outOfOrdernessMs', int(0, 86_400_000), 20_000, 'How late (ms) a record may be and still count', {
    name: 'out-of-orderness',
    valueName: 'MS',
  }),
  k('processor.idleTimeoutMs', int(0, 86_400_000), 60_000, 'A partition silent this long stops holding the watermark back; 0 = never'),
  k('processor.eventTime', oneOf('record', 'field'), 'record', "'record' (the Kafka timestamp) or 'field' (the event's eventtimestamp)"),
  k('processor.maxStateEntries', int(1, 1e9), 5_000_000, 'Window entries the job may hold before it stops with an error'),

  k('store.path', path, null, 'Analytics store file (default <dataDir>/store/clickstream.duckdb)'),
  k('store.retention', { kind: 'duration' }, '7d', 'How long the store keeps windows', { name: 'store-retention', valueName: 'DURATION' }),

  k('dashboard.host', str, '127.0.0.1', 'Address the dashboard listens on'),
  k('dashboard.port', port, 8080, 'Port of the dashboard', { name: 'dashboard-port', valueName: 'PORT' }),

  k('generator.enabled', bool, true, 'Run the clickstream generator', {
    name: 'no-generator',
    sets: false,
    description: 'Do not run the generator (produce to the input topic yourself)',
  }),
  k('generator.threads', int(1, 1024), 2, 'Workers, each playing one shopper session at a time', {
    name: 'generator-threads',
    valueName: 'N',
  }),
  k('generator.noDelay', bool, false, "No 50..549 ms pause between a worker's sessions (full speed)", { name: 'no-delay', sets: true }),
  k('generator.rate', int(1, 1e9), null, 'Cap on events per second across workers', { name: 'rate', valueName: 'N' }),
  k('generator.sessionsPerThread', int(0, Number.MAX_SAFE_INTEGER), 0, 'Sessions per worker, then the generator ends; 0 = no end', {
    name: 'sessions',
    valueName: 'N',
  }),
  k('generator.runForSeconds', int(0, 1e9), 0, 'Stop generating after this many seconds; 0 = no end', {
    name: 'run-for',
    valueName: 'SECONDS',
  }),
  k('generator.seed', int(0, 2 ** 32 - 1), null, 'Make the generated stream reproducible', { name: 'seed', valueName: 'N' }),
  k('generator.startTime', { kind: 'time' }, null, 'Event timestamps start here (epoch ms, ISO date, or -10m) instead of the wall clock', {
    name: 'start-time',
    valueName: 'TIME',
  }),
  k('generator.timeStep', int(0, 1e12), 1, 'Milliseconds between consecutive events with startTime', {
    name: 'time-step',
    valueName: 'MS',
  }),
  k('generator.compression', oneOf('none', 'gzip', 'snappy', 'lz4', 'zstd'), 'none', 'Compression of produced batches'),

  k('opensearch.url', { kind: 'url' }, null, 'Also index every result row into OpenSearch at this URL', {
    name: 'opensearch-url',
    valueName: 'URL',
  }),
  k('opensearch.username', str, null, 'Basic auth user'),
  k('opensearch.passwordEnv', envName, 'OPENSEARCH_PASSWORD', 'Environment variable holding the basic auth password'),
  k('opensearch.awsRegion', region, null, 'Sign requests with AWS SigV4 (Amazon OpenSearch Service) in this region'),
  k('opensearch.caFile', path, null, 'PEM CA certificate to trust (a private or self-signed cluster)'),
  k('opensearch.indexPrefix', str, null, 'Prefix of the three index names'),
  k('opensearch.flushMs', int(1, 3_600_000), 1000, 'Longest a row waits before its bulk request goes out'),
  k('opensearch.maxActions', int(1, 100_000), 1000, 'Documents per bulk request'),
];

export const KEY_BY_PATH: ReadonlyMap<string, KeySpec> = new Map(KEYS.map((key) => [key.path, key]));

/** `processor.checkpointIntervalSeconds` -> `BROOK_PROCESSOR_CHECKPOINT_INTERVAL_SECONDS`. */
export function envNameOf(path: string): string {
  return `BROOK_${path
    .split('.')
    .map((seg) => seg.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase())
    .join('_')}`;
}

/** The objects of the file (`kafka`, `kafka.tls`, ...) and the keys directly under each ('' = top). */
export function childrenOf(prefix: string): string[] {
  const out = new Set<string>();
  const start = prefix === '' ? '' : `${prefix}.`;
  for (const key of KEYS) {
    if (!key.path.startsWith(start)) continue;
    out.add(key.path.slice(start.length).split('.')[0]!);
  }
  return [...out];
}

export function isObjectPath(path: string): boolean {
  return !KEY_BY_PATH.has(path) && KEYS.some((key) => key.path.startsWith(`${path}.`));
}
