// The effective configuration as the platform reads it: the shape of brook.config.json with every
// default filled in (null = unset). keys.ts is the source of truth; a test keeps the two in step.

export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'AWS_MSK_IAM';

export interface BrookConfig {
  dataDir: string;
  secure: boolean;
  broker: { host: string; port: number; advertisedListener: string | null };
  kafka: {
    bootstrap: string[] | null;
    securityProtocol: SecurityProtocol;
    tls: { caFile: string | null; certFile: string | null; keyFile: string | null; keyPasswordEnv: string | null };
    sasl: {
      mechanism: SaslMechanism | null;
      username: string | null;
      passwordEnv: string;
      region: string | null;
      awsProfile: string | null;
      awsRoleArn: string | null;
    };
  };
  registry: {
    host: string;
    port: number;
    topic: string;
    url: string | null;
    username: string | null;
    passwordEnv: string;
    glue: { region: string | null; registryName: string };
  };
  topics: {
    clickstream: string;
    partitions: number;
    resultPartitions: number;
    replicationFactor: number | null;
    deadLetter: string;
    late: string;
  };
  processor: {
    group: string;
    from: 'earliest' | 'latest' | 'committed';
    checkpointIntervalSeconds: number;
    checkpointTopic: string | null;
    outOfOrdernessMs: number;
    idleTimeoutMs: number;
    eventTime: 'record' | 'field';
    maxStateEntries: number;
  };
  store: { path: string | null; retention: string };
  dashboard: { host: string; port: number };
  generator: {
    enabled: boolean;
    threads: number;
    noDelay: boolean;
    rate: number | null;
    sessionsPerThread: number;
    runForSeconds: number;
    seed: number | null;
    /** Epoch ms, an ISO date or `-10m`; resolved when the generator starts. */
    startTime: string | number | null;
    timeStep: number;
    compression: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  };
  opensearch: {
    url: string | null;
    username: string | null;
    passwordEnv: string;
    awsRegion: string | null;
    caFile: string | null;
    indexPrefix: string | null;
    flushMs: number;
    maxActions: number;
  };
}
