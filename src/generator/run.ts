// Runs `brook generate` from a checked config: connects the registry (with backoff while it is
// down), the producer, the workers; prints a status line every 2 s and a final summary; saves the
// bookmark on the way out. Stops on the end of -rf or on `stop`, flushing what is in flight.
import { BrookError } from '../common/errors.ts';
import { ensureTopic } from '../processor/kafka/topics.ts';
import { AvroEncoder, ConfluentRestClient, GlueRegistryClient, type SchemaSource, SerdeError } from '../registry/serde/index.ts';
import { defaultBookmarkPath, readBookmark, writeBookmark, writeBookmarkSync } from './bookmark.ts';
import { checkBroker } from './broker-check.ts';
import { type Clock, systemClock } from './clock.ts';
import { clientConnection, kafkaConnection } from './connection.ts';
import { fatalConnectionError } from './fatal-errors.ts';
import { Generator, type GeneratorStats } from './generator.ts';
import { KafkaSink, type KafkaSinkOptions } from './kafka-sink.ts';
import type { GenerateConfig } from './options.ts';
import type { KafkaConnection } from './properties.ts';
import { CLICK_EVENT_AVSC, type ClickEvent } from './schema.ts';
import type { Sink } from './sink.ts';

export { kafkaConnection } from './connection.ts';

export interface RunDeps {
  /** Replaces the Kafka producer (the benchmark's discard run, tests). */
  sink?: Sink;
  /** Resolves when the user asks to stop (Ctrl-C). */
  stop?: Promise<void>;
  clock?: Clock;
  out?: (text: string) => void;
  err?: (text: string) => void;
  /** Sees every event made (tests). */
  onEvent?: (event: ClickEvent) => void;
  /** Status line period. Default 2000 ms; 0 = no status line (the summary stays). */
  statusEveryMs?: number;
  /** Sequence numbers reserved in the bookmark at a time (tests). Default 100 000. */
  sequenceBlock?: number;
  /** Kafka connection to use instead of the one -pfp and the security flags describe (`brook up`). */
  connection?: KafkaConnection;
  /** Called once the schema is known and the producer is ready, as the first sessions start. */
  onReady?(ready: { stats(): GeneratorStats }): void;
  /** Where BROOK_SASL_PASSWORD and the -pfp MSK IAM region come from. Default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface GenerateSummary extends GeneratorStats {
  elapsedMs: number;
  eventsPerSecond: number;
  bookmark: string;
  firstGlobalSeq: number;
}

function schemaSource(config: GenerateConfig): SchemaSource {
  if (!config.glue) {
    return new ConfluentRestClient({
      url: config.registry ?? 'http://127.0.0.1:8081',
      ...(config.registryTls ? { tls: config.registryTls } : {}),
    });
  }
  const hasAwsCredentials = process.env.AWS_ACCESS_KEY_ID !== undefined || process.env.AWS_PROFILE !== undefined;
  return new GlueRegistryClient({
    ...(config.registry ? { endpoint: config.registry } : {}),
    ...(config.glueRegion ? { region: config.glueRegion } : {}),
    // Brook's registry does not check signatures: any key will do when none is configured.
    ...(config.registry && !hasAwsCredentials ? { credentials: { accessKeyId: 'brook', secretAccessKey: 'brook' } } : {}),
    ...(config.compatibility ? { compatibility: config.compatibility } : {}),
    ...(config.schemaDescription ? { description: config.schemaDescription } : {}),
  });
}

/** Gets the schema id / version UUID, retrying with backoff while the registry is unreachable. */
async function createEncoder(config: GenerateConfig, source: SchemaSource, clock: Clock, signal: AbortSignal, err: (t: string) => void) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await AvroEncoder.create<ClickEvent>({
        schema: CLICK_EVENT_AVSC,
        topic: config.topic,
        framing: config.glue ? 'glue' : 'confluent',
        source,
        autoRegister: config.autoRegister,
        registryName: config.registryName,
        ...(config.schemaName ? { schemaName: config.schemaName } : {}),
      });
    } catch (e) {
      if (e instanceof SerdeError && e.code === 'SERDE_SCHEMA_NOT_REGISTERED') {
        throw new BrookError('GENERATOR_SCHEMA', `${e.message}\nRegister the schema first, or pass -gar to register it automatically.`, {
          cause: e,
        });
      }
      if (!(e instanceof SerdeError && e.code === 'SERDE_REGISTRY_UNAVAILABLE') || signal.aborted) throw e;
      const ms = Math.min(10_000, 500 * 2 ** (attempt - 1));
      err(`brook generate: schema registry unavailable (${e.message}); retrying in ${ms} ms\n`);
      await clock.sleep(ms, signal);
      if (signal.aborted) throw e;
    }
  }
}

/**
 * Creates the topic when it is missing (with --partitions), so a fresh broker without
 * auto-creation works at once instead of failing every send. Unable to check (broker down, no
 * permission): said, and the sends' own retries take over.
 */
async function createTopicIfMissing(config: GenerateConfig, conn: KafkaConnection, err: (t: string) => void): Promise<void> {
  try {
    const created = await ensureTopic(
      { bootstrap: conn.bootstrap ?? [], clientId: 'brook-generate', connection: clientConnection(conn) },
      { topic: config.topic, partitions: config.partitions },
    );
    if (created && !config.quiet) err(`brook generate: created topic ${config.topic} with ${config.partitions} partitions\n`);
  } catch (e) {
    const reason = fatalConnectionError(e) ?? (e as Error).message;
    err(`brook generate: could not check or create topic ${config.topic} (${reason}); sending anyway\n`);
  }
}

export async function runGenerate(config: GenerateConfig, deps: RunDeps = {}): Promise<GenerateSummary> {
  const clock = deps.clock ?? systemClock;
  const out = deps.out ?? ((t: string) => void process.stdout.write(t));
  const err = deps.err ?? ((t: string) => void process.stderr.write(t));
  const stopper = new AbortController();
  void deps.stop?.then(() => stopper.abort());
  const bookmark = config.bookmark ?? defaultBookmarkPath(config.dataDir);
  const lastGlobalSeq = await readBookmark(bookmark);

  const source = schemaSource(config);
  let sink = deps.sink;
  let runTimer: NodeJS.Timeout | undefined;
  let status: NodeJS.Timeout | undefined;
  const started = clock.now();
  try {
    const encoder = await createEncoder(config, source, clock, stopper.signal, err);
    if (!sink) {
      const conn = deps.connection ?? kafkaConnection(config, deps.env);
      const check = await checkBroker(conn);
      if (check.fatal) throw new BrookError('GENERATOR_CONNECTION', `cannot connect to Kafka: ${check.fatal}`);
      if (check.hint) err(`brook generate: ${check.hint}\n`);
      let lastRetryNote = 0;
      const sinkOpts: KafkaSinkOptions = {
        topic: config.topic,
        bootstrap: conn.bootstrap!,
        idempotent: config.idempotent,
        acks: -1,
        compression: config.compression,
        batchSize: config.batchSize,
        lingerMs: config.lingerMs,
        connection: clientConnection(conn),
        onRetry: (attempt, e) => {
          // One note per second at most: many requests retry at once when the broker is down.
          if (clock.now() - lastRetryNote < 1000) return;
          lastRetryNote = clock.now();
          err(`brook generate: cannot write to Kafka at ${conn.bootstrap!.join(',')} (${e.message}); retry ${attempt} with backoff\n`);
        },
      };
      await createTopicIfMissing(config, conn, err);
      sink = new KafkaSink(sinkOpts);
    }
    const errorsSeen = new Set<string>();
    const logEvents = config.logEvents && !config.json && !config.quiet;
    const generator = new Generator({
      workers: config.workers,
      sessionsPerWorker: config.sessionsPerWorker,
      noDelay: config.noDelay,
      ...(config.seed !== undefined ? { seed: config.seed } : {}),
      ...(config.rate !== undefined ? { rate: config.rate } : {}),
      ...(config.startTime !== undefined ? { startTime: config.startTime, timeStep: config.timeStep } : {}),
      lastGlobalSeq,
      // A clean stop writes the exact last number; a crash leaves the block's ceiling.
      reservation: { block: deps.sequenceBlock ?? 100_000, reserve: (ceiling) => writeBookmarkSync(bookmark, ceiling) },
      encode: (e) => encoder.encodeCopy(e),
      sink,
      clock,
      signal: stopper.signal,
      onEvent: (e: ClickEvent) => {
        deps.onEvent?.(e);
        if (logEvents) out(`${JSON.stringify(e)}\n`);
      },
      onError: (e) => {
        const text = e instanceof Error ? e.message : String(e);
        if (errorsSeen.has(text)) return;
        errorsSeen.add(text);
        err(`brook generate: events not acknowledged: ${text}\n`);
      },
    });
    if (config.runForMs > 0) runTimer = setTimeout(() => stopper.abort(), config.runForMs);
    if (!config.quiet && deps.statusEveryMs !== 0) {
      status = setInterval(() => {
        const s = generator.stats;
        const secs = (clock.now() - started) / 1000;
        err(
          `[${secs.toFixed(0)}s] acknowledged ${s.acknowledged} events (${Math.round(s.acknowledged / Math.max(secs, 0.001))}/s), ${s.sessions} sessions, ${s.failed} failed\n`,
        );
      }, deps.statusEveryMs ?? 2000);
      status.unref();
    }
    const running = generator.run();
    deps.onReady?.({ stats: () => generator.stats });
    const stats = await running;
    const toClose = sink;
    sink = undefined;
    await toClose.close();
    const elapsedMs = clock.now() - started;
    await writeBookmark(bookmark, stats.lastGlobalSeq);
    const summary: GenerateSummary = {
      ...stats,
      elapsedMs,
      eventsPerSecond: Math.round((stats.acknowledged * 1000) / Math.max(elapsedMs, 1)),
      bookmark,
      firstGlobalSeq: lastGlobalSeq + 1,
    };
    if (config.json) out(`${JSON.stringify(summary)}\n`);
    else if (!config.quiet) {
      err(
        `brook generate: ${stats.sessions} sessions, ${stats.produced} events made, ${stats.acknowledged} acknowledged, ${stats.failed} failed, ` +
          `in ${(elapsedMs / 1000).toFixed(1)} s (${summary.eventsPerSecond} events/s); globalseq ${lastGlobalSeq + 1}..${stats.lastGlobalSeq}, bookmark ${bookmark}\n`,
      );
    }
    return summary;
  } finally {
    if (runTimer) clearTimeout(runTimer);
    if (status) clearInterval(status);
    // Only when the run failed part-way: the producer must not keep the process alive.
    if (sink && sink !== deps.sink) await sink.close().catch(() => undefined);
    await (source as { close?: () => unknown }).close?.();
  }
}
