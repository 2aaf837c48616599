// Runs `brook process`: connects the registry, the Kafka reader, the consumer group, the result,
// dead-letter, late and exchange writers and the checkpoint store; runs the job partitioned (one
// pipeline per input partition the group gives this instance, the combiner if it gets the exchange
// partition); prints a status line every 2 s and a summary; stops on Ctrl-C (checkpointing and
// leaving the group first) or, with --bounded, when everything it owns is read to its end.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BrookError } from '../../common/errors.ts';
import { connectionFromProperties, type KafkaConnection, parseProperties } from '../../generator/properties.ts';
import { CLICK_EVENT_AVSC, type ClickEvent } from '../../generator/schema.ts';
import { KafkaCheckpointStore } from '../../processor/checkpoint/kafka-checkpoint-store.ts';
import { KeyedDirectoryCheckpointStore } from '../../processor/checkpoint/keyed-directory-store.ts';
import {
  type AssignmentInfo,
  type DeadLetter,
  defaultExchangeTopic,
  encodeProgress,
  type LateRecord,
  PartitionedJobRunner,
  type PartitionedRunSummary,
  type ProgressMessage,
  type Sink,
} from '../../processor/index.ts';
import { deadLetterWriter } from '../../processor/kafka/dead-letter.ts';
import { KafkaGroupMembership } from '../../processor/kafka/group-membership.ts';
import { KafkaReader } from '../../processor/kafka/kafka-reader.ts';
import { KafkaWriter } from '../../processor/kafka/kafka-writer.ts';
import type { RetryInfo } from '../../processor/kafka/retry.ts';
import type { JobMetrics } from '../../processor/metrics.ts';
import { AvroDecoder, ConfluentRestClient, GlueRegistryClient, RoutingSchemaSource } from '../../registry/serde/index.ts';
import type { AnalyticsStore } from '../../sinks/duckdb/analytics-store.types.ts';
import { OpenSearchSink } from '../../sinks/opensearch/index.ts';
import { type Click, clickDecoder } from './decode.ts';
import { clickstreamJob } from './job.ts';
import type { ProcessConfig } from './options.ts';
import { ResultTopicsSink } from './result-topics.ts';
import type { ResultRow } from './rows.ts';

export interface ProcessDeps {
  /** Resolves when the user asks to stop (Ctrl-C). */
  stop?: Promise<void>;
  out?: (text: string) => void;
  err?: (text: string) => void;
  /** Extra result sinks (the analytics store, OpenSearch, tests). */
  results?: Sink<ResultRow>[];
  /** Status line period. Default 2000 ms; 0 = no status line (the summary stays). */
  statusEveryMs?: number;
  /** Kafka connection (TLS, SASL) to use instead of --properties (`brook up`'s configuration). */
  connection?: KafkaConnection;
  /** The in-process dashboard's own Kafka identity (`brook up --secure`); default: the processor's. */
  dashboardConnection?: KafkaConnection;
  /** Called once the job runs (checkpoint restored, partitions positioned, dashboard up). */
  onReady?(ready: ProcessReady): void;
}

export interface ProcessReady {
  /** The in-process dashboard's page, when one was asked for. */
  dashboardUrl: string | undefined;
  metrics(): JobMetrics;
}

export interface ProcessSummary extends PartitionedRunSummary {
  eventsPerSecond: number;
  checkpointStore: string;
}

export const LATE_WINDOW_HEADER = 'brook.late.window';

/**
 * The exchange only needs what the combiner has not checkpointed yet: a day covers any restart,
 * and keeps a busy job's progress messages (a few per partition per second) to a few hundred MB.
 */
const EXCHANGE_TOPIC_CONFIGS = { 'cleanup.policy': 'delete', 'retention.ms': String(24 * 3_600_000), 'segment.ms': String(3_600_000) };

function connection(config: ProcessConfig): KafkaConnection {
  const conn = config.propertiesFile ? connectionFromProperties(parseProperties(readFileSync(config.propertiesFile, 'utf8'))) : {};
  if (config.bootstrap) conn.bootstrap = config.bootstrap.split(',').map((s) => s.trim());
  conn.bootstrap ??= ['127.0.0.1:9092'];
  return conn;
}

function schemaSource(config: ProcessConfig): RoutingSchemaSource {
  const confluent = new ConfluentRestClient({ url: config.registry, ...(config.registryTls ? { tls: config.registryTls } : {}) });
  const hasAwsCredentials = process.env.AWS_ACCESS_KEY_ID !== undefined || process.env.AWS_PROFILE !== undefined;
  const glue = config.glueRegion
    ? new GlueRegistryClient({ region: config.glueRegion })
    : // Brook's registry answers Glue's API at the same URL and does not check signatures.
      new GlueRegistryClient({
        endpoint: config.registry,
        ...(hasAwsCredentials ? {} : { credentials: { accessKeyId: 'brook', secretAccessKey: 'brook' } }),
      });
  return new RoutingSchemaSource({ confluent, glue });
}

export async function runProcess(config: ProcessConfig, deps: ProcessDeps = {}): Promise<ProcessSummary> {
  const out = deps.out ?? ((t: string) => void process.stdout.write(t));
  const err = deps.err ?? ((t: string) => void process.stderr.write(t));
  const stopper = new AbortController();
  void deps.stop?.then(() => stopper.abort());
  const conn = deps.connection ?? connection(config);
  const bootstrap = conn.bootstrap as string[];
  const kafka = securityOf(conn);
  // Repeated retry messages are limited to one per operation every 5 s.
  const lastNote = new Map<string, number>();
  const onRetry = (info: Pick<RetryInfo, 'operation' | 'message'>) => {
    const now = Date.now();
    if (now - (lastNote.get(info.operation) ?? 0) < 5000) return;
    lastNote.set(info.operation, now);
    err(`brook process: ${info.message}\n`);
  };
  const onWarning = (message: string) => err(`brook process: ${message}\n`);

  const source = schemaSource(config);
  const decoder = new AvroDecoder<ClickEvent>({ source, readerSchema: CLICK_EVENT_AVSC });
  const writerBase = { bootstrap, clientId: 'brook-processor', connection: kafka, partitions: config.outputPartitions, onRetry };
  // Loaded on use: DuckDB is more than a run without a store should pay for.
  const store = config.storePath ? await openStore(config.storePath, config.storeRetentionMs) : undefined;
  const results: Sink<ResultRow>[] = [
    ...(config.kafkaResults ? [new ResultTopicsSink(writerBase)] : []),
    ...(store ? [store] : []),
    ...(config.opensearch ? [new OpenSearchSink({ ...config.opensearch, onRetry })] : []),
    ...(deps.results ?? []),
  ];
  const deadLetters: Sink<DeadLetter> = deadLetterWriter({ ...writerBase, topic: config.dlqTopic });
  const late: Sink<LateRecord<Click, number>> = new KafkaWriter<LateRecord<Click, number>>({
    ...writerBase,
    topic: config.lateTopic,
    toMessage: ({ value: l }) => ({
      key: l.value.record.key,
      value: l.value.record.value,
      headers: {
        [LATE_WINDOW_HEADER]: `${l.window.start}:${l.window.end}`,
        'brook.source': `${l.value.record.topic}:${l.value.record.partition}:${l.value.record.offset}`,
      },
      timestamp: l.timestamp,
    }),
  });
  const job = clickstreamJob({
    decode: clickDecoder(decoder),
    results,
    deadLetters,
    late,
    outOfOrdernessMs: config.outOfOrdernessMs,
    idleTimeoutMs: config.idleTimeoutMs,
    eventTime: config.eventTime,
  });
  const checkpointStore = config.checkpointTopic
    ? new KafkaCheckpointStore({ bootstrap, job: job.name, topic: config.checkpointTopic, connection: kafka, onRetry, onWarning }).keyed()
    : new KeyedDirectoryCheckpointStore({
        dir: config.checkpointDir ?? join(config.dataDir, 'processor', job.name, 'checkpoints'),
        onWarning,
      });
  // Partials of the 10 s windows go from each partition's pipeline to the instance that combines them.
  const exchangeTopic = config.exchangeTopic ?? defaultExchangeTopic(config.group);
  const exchange = new KafkaWriter<ProgressMessage>({
    ...writerBase,
    name: `exchange:${exchangeTopic}`,
    topic: exchangeTopic,
    partitions: 1,
    topicConfigs: EXCHANGE_TOPIC_CONFIGS,
    toMessage: ({ value, timestamp }) => ({ key: value.partition, value: encodeProgress(value), timestamp, partition: 0 }),
  });
  const reader = new KafkaReader({
    bootstrap,
    topics: [config.topic, exchangeTopic],
    groupId: config.group,
    from: config.from,
    // Without a checkpoint, the combiner gathers every partial the exchange still holds.
    fromByTopic: { [exchangeTopic]: 'earliest' },
    connection: kafka,
    onRetry,
    onWarning,
  });
  const membership = new KafkaGroupMembership({
    bootstrap,
    groupId: config.group,
    topics: [config.topic, exchangeTopic],
    exchangeTopic,
    connection: kafka,
    ...(config.instanceId ? { instanceId: config.instanceId } : {}),
    sessionTimeoutMs: config.sessionTimeoutMs,
    onRetry,
    onWarning,
  });
  const runner = new PartitionedJobRunner(job, {
    reader,
    exchange: { topic: exchangeTopic, sink: exchange },
    membership,
    checkpointStore,
    checkpointIntervalMs: config.checkpointIntervalMs,
    bounded: config.bounded,
    signal: stopper.signal,
    maxStateEntries: config.maxStateEntries,
    onRestore: (r) => {
      if (!config.quiet) err(`brook process: resuming from checkpoint ${r.id} of ${new Date(r.createdAt).toISOString()} in ${r.from}\n`);
    },
    onAssignment: (a) => {
      if (!config.quiet) err(`brook process: ${describeAssignment(a)}\n`);
    },
    onStarted: () => deps.onReady?.({ dashboardUrl: dashboard?.url, metrics: () => runner.metrics() }),
  });

  let dashboard: { url: string; close(): Promise<void> } | undefined;
  if (config.dashboard && store) {
    const { startDashboard } = await import('../../dashboard/server.ts');
    try {
      dashboard = await startDashboard({
        port: config.dashboard.port,
        host: config.dashboard.host,
        store,
        kafka: { bootstrap, connection: deps.dashboardConnection ? securityOf(deps.dashboardConnection) : kafka },
        registryUrl: config.registry,
        ...(config.registryTls ? { registryTls: config.registryTls } : {}),
        ...(config.dashboard.tls ? { tls: config.dashboard.tls } : {}),
        ...(config.dashboard.auth ? { auth: config.dashboard.auth } : {}),
        processor: () => runner.metrics(),
      });
    } catch (e) {
      // The runner never ran, so nothing else will close the store (a port in use, say).
      await store.close().catch(() => undefined);
      source.close();
      throw e;
    }
    // A caller that takes the ready callback (brook up) prints its own block with the URL.
    if (!config.quiet && !deps.onReady) err(`brook process: dashboard at ${dashboard.url}\n`);
  } else if (config.dashboard) {
    throw new BrookError('PROCESS_OPTIONS', '--dashboard-port needs the analytics store: drop --no-store');
  }

  const started = Date.now();
  let status: NodeJS.Timeout | undefined;
  if (!config.quiet && deps.statusEveryMs !== 0) {
    let lastRecords = 0;
    let lastAt = started;
    status = setInterval(() => {
      const m = runner.metrics();
      const records = m.operators.filter((o) => o.kind === 'source').reduce((a, o) => a + o.recordsIn, 0);
      const now = Date.now();
      const rate = Math.round((records - lastRecords) / ((now - lastAt) / 1000));
      lastRecords = records;
      lastAt = now;
      const lag = m.partitions.reduce((a, p) => a + (p.lag ?? 0), 0);
      const wm = m.watermark === null ? '-' : new Date(m.watermark).toISOString();
      err(
        `[${Math.round((now - started) / 1000)}s] ${records.toLocaleString('en')} events (${rate.toLocaleString('en')}/s), ` +
          `watermark ${wm}, lag ${lag.toLocaleString('en')}, late ${m.lateRecords}, dead letters ${m.deadLetters}, checkpoints ${m.checkpoints}\n`,
      );
    }, deps.statusEveryMs ?? 2000);
    status.unref();
  }
  try {
    const summary = await runner.run();
    const elapsed = Math.max(1, summary.durationMs);
    const result: ProcessSummary = {
      ...summary,
      eventsPerSecond: Math.round(summary.records / (elapsed / 1000)),
      checkpointStore: checkpointStore.description,
    };
    if (config.json) out(`${JSON.stringify(result)}\n`);
    else if (!config.quiet) {
      out(
        `brook process: ${result.stoppedBy === 'end-of-input' ? 'input read to its end' : 'stopped'}: ${result.records.toLocaleString('en')} events in ` +
          `${(elapsed / 1000).toFixed(1)} s (${result.eventsPerSecond.toLocaleString('en')}/s), ${result.lateRecords} late, ${result.deadLetters} dead letters, ` +
          `${result.checkpoints} checkpoints in ${result.checkpointStore}; partitions read: ${result.partitionsRead.join(', ') || 'none'}\n`,
      );
    }
    return result;
  } finally {
    if (status) clearInterval(status);
    await dashboard?.close();
    source.close();
  }
}

/** One line on what the group gave this instance: "owns clickstream:0 (checkpoint 12), clickstream:2 (new) and the combiner". */
export function describeAssignment(a: AssignmentInfo): string {
  const restored = new Map(a.added.map((x) => [x.partition, x.restoredFrom]));
  const parts = a.partitions.map((p) => {
    if (!restored.has(p)) return p;
    const id = restored.get(p);
    return `${p} (${id === undefined ? 'new' : `checkpoint ${id}`})`;
  });
  if (typeof a.combiner === 'object')
    parts.push(`the combiner (${a.combiner.restoredFrom === undefined ? 'new' : `checkpoint ${a.combiner.restoredFrom}`})`);
  else if (a.combiner === 'kept') parts.push('the combiner');
  const owns = parts.length === 0 ? 'owns nothing for now' : `owns ${parts.join(', ')}`;
  const gave = [...a.revoked, ...(a.combiner === 'revoked' ? ['the combiner'] : [])];
  return gave.length === 0 ? owns : `${owns}; handed over ${gave.join(', ')}`;
}

/**
 * The store commits closed windows this often, not only at checkpoints: the dashboard shows a
 * window within about this much of the watermark passing it, however rare checkpoints are.
 */
const STORE_COMMIT_MS = 500;

async function openStore(path: string, retentionMs: number): Promise<AnalyticsStore> {
  const { openAnalyticsStore } = await import('../../sinks/duckdb/analytics-store.ts');
  mkdirSync(dirname(path), { recursive: true });
  try {
    return await openAnalyticsStore({ path, retentionMs, commitEveryMs: STORE_COMMIT_MS });
  } catch (e) {
    throw new BrookError(
      'PROCESS_STORE',
      `cannot open the analytics store ${path}: ${(e as Error).message}. If another brook process uses it, stop it, or pass --store-path or --no-store`,
      { cause: e },
    );
  }
}

/** The TLS and SASL settings of a connection, as the Kafka clients take them. */
function securityOf(conn: KafkaConnection) {
  return { ...(conn.tls ? { tls: conn.tls } : {}), ...(conn.sasl ? { sasl: conn.sasl } : {}) };
}
