// Runs `brook process`: connects the registry, the Kafka reader, the result, dead-letter and late
// writers and the checkpoint store; restores the last checkpoint; prints a status line every 2 s
// and a summary; stops on Ctrl-C (checkpointing first) or, with --bounded, at the input's end.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BrookError } from '../../common/errors.ts';
import { connectionFromProperties, type KafkaConnection, parseProperties } from '../../generator/properties.ts';
import { CLICK_EVENT_AVSC, type ClickEvent } from '../../generator/schema.ts';
import { DirectoryCheckpointStore } from '../../processor/checkpoint/directory-checkpoint-store.ts';
import { KafkaCheckpointStore } from '../../processor/checkpoint/kafka-checkpoint-store.ts';
import type { Sink } from '../../processor/index.ts';
import { type DeadLetter, JobRunner, type LateRecord, type RunSummary } from '../../processor/index.ts';
import { deadLetterWriter } from '../../processor/kafka/dead-letter.ts';
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
  /** Called once the job runs (checkpoint restored, partitions positioned, dashboard up). */
  onReady?(ready: ProcessReady): void;
}

export interface ProcessReady {
  /** The in-process dashboard's page, when one was asked for. */
  dashboardUrl: string | undefined;
  metrics(): JobMetrics;
}

export interface ProcessSummary extends RunSummary {
  eventsPerSecond: number;
  checkpointStore: string;
}

export const LATE_WINDOW_HEADER = 'brook.late.window';

function connection(config: ProcessConfig): KafkaConnection {
  const conn = config.propertiesFile ? connectionFromProperties(parseProperties(readFileSync(config.propertiesFile, 'utf8'))) : {};
  if (config.bootstrap) conn.bootstrap = config.bootstrap.split(',').map((s) => s.trim());
  conn.bootstrap ??= ['127.0.0.1:9092'];
  return conn;
}

function schemaSource(config: ProcessConfig): RoutingSchemaSource {
  const confluent = new ConfluentRestClient({ url: config.registry });
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
  const kafka = { ...(conn.tls ? { tls: conn.tls } : {}), ...(conn.sasl ? { sasl: conn.sasl } : {}) };
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
    ? new KafkaCheckpointStore({ bootstrap, job: job.name, topic: config.checkpointTopic, connection: kafka, onRetry, onWarning })
    : new DirectoryCheckpointStore({ dir: config.checkpointDir ?? join(config.dataDir, 'processor', job.name, 'checkpoints'), onWarning });
  const reader = new KafkaReader({
    bootstrap,
    topics: [config.topic],
    groupId: config.group,
    from: config.from,
    connection: kafka,
    onRetry,
    onWarning,
  });
  const runner = new JobRunner(job, {
    readers: { clickstream: reader },
    checkpointStore,
    checkpointIntervalMs: config.checkpointIntervalMs,
    bounded: config.bounded,
    signal: stopper.signal,
    maxStateEntries: config.maxStateEntries,
    onRestore: (r) => {
      if (!config.quiet) err(`brook process: resuming from checkpoint ${r.id} of ${new Date(r.createdAt).toISOString()} in ${r.from}\n`);
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
        kafka: { bootstrap, connection: kafka },
        registryUrl: config.registry,
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
          `${result.checkpoints} checkpoints in ${result.checkpointStore}\n`,
      );
    }
    return result;
  } finally {
    if (status) clearInterval(status);
    await dashboard?.close();
    source.close();
  }
}

async function openStore(path: string, retentionMs: number): Promise<AnalyticsStore> {
  const { openAnalyticsStore } = await import('../../sinks/duckdb/analytics-store.ts');
  mkdirSync(dirname(path), { recursive: true });
  try {
    return await openAnalyticsStore({ path, retentionMs });
  } catch (e) {
    throw new BrookError(
      'PROCESS_STORE',
      `cannot open the analytics store ${path}: ${(e as Error).message}. If another brook process uses it, stop it, or pass --store-path or --no-store`,
      { cause: e },
    );
  }
}
