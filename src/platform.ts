// `brook up` as a function: starts broker, registry, topics, processor (with its store and the
// dashboard) and generator in order, each ready before the next; stops them in reverse, and when
// one part fails, stops the others cleanly and says which part failed and why.
import { join, resolve } from 'node:path';
import { startBroker } from './broker/server.ts';
import type { BrookConfig } from './config/types.ts';
import { clientConnection } from './generator/connection.ts';
import type { GeneratorStats } from './generator/generator.ts';
import { runGenerate } from './generator/run.ts';
import type { ProcessReady } from './jobs/clickstream/run.ts';
import { runProcess } from './jobs/clickstream/run.ts';
import { prepareDataDir } from './platform/data-dir.ts';
import { type Part, PlatformError, partError } from './platform/errors.ts';
import { kafkaConnection } from './platform/kafka-connection.ts';
import { generateConfig, processConfig, publicUrl, type SchemaRegistry, schemaRegistry } from './platform/part-configs.ts';
import { checkPortsFree, type WantedPort } from './platform/ports.ts';
import { prepareSecure, type SecureSetup } from './platform/secure.ts';
import { removeUpState, writeUpState } from './platform/state-file.ts';
import { createTopics, pipelineTopics } from './platform/topics.ts';
import type { JobMetrics } from './processor/metrics.ts';
import { startRegistry } from './registry/server.ts';

export interface PlatformOptions {
  config: BrookConfig;
  env?: NodeJS.ProcessEnv;
  /** The parts' messages, one line at a time, prefixed with the part (default: stderr). */
  log?: (line: string) => void;
  /** How long each part may take to stop before it is reported as hanging. Default 10 s. */
  stopTimeoutMs?: number;
}

export type PlatformExit = { ok: true } | { ok: false; part: Part; error: Error };

export interface Platform {
  /** Kafka bootstrap servers: the embedded broker's address or the configured cluster. */
  readonly bootstrap: string[];
  /** The schema registry's URL (no credentials), or null with AWS Glue. */
  readonly registryUrl: string | null;
  readonly registry: SchemaRegistry;
  readonly dashboardUrl: string;
  readonly dataDir: string;
  readonly embedded: { broker: boolean; registry: boolean };
  /** With --secure: where the certificates are, the operator's login, the kcat command. */
  readonly secure: { certsDir: string; caFile: string; adminPasswordFile: string; adminProperties: string; kcat: string } | undefined;
  /** From the call to ready, and per part. */
  readonly startupMs: number;
  readonly steps: ReadonlyArray<{ part: Part; ms: number }>;
  readonly createdTopics: readonly string[];
  /** Resolves when everything has stopped: after stop(), or after a part failed and the rest stopped. */
  readonly done: Promise<PlatformExit>;
  metrics(): JobMetrics;
  /** Undefined without a generator. */
  generatorStats(): GeneratorStats | undefined;
  stop(): Promise<PlatformExit>;
}

interface Running {
  part: Part;
  /** Asks the part to stop and waits until it has. */
  stop(): Promise<void>;
  failed?: boolean;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** The parts' own lines ("brook process: ...") as `processor: ...`. */
function partLog(log: (line: string) => void, part: Part, prefix: RegExp): (text: string) => void {
  return (text) => {
    for (const line of text.split('\n')) if (line.trim() !== '') log(`${part}: ${line.replace(prefix, '')}`);
  };
}

export async function startPlatform(opts: PlatformOptions): Promise<Platform> {
  const started = performance.now();
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;
  const config: BrookConfig = { ...opts.config, dataDir: resolve(opts.config.dataDir) };
  const dataDir = config.dataDir;
  const steps: Array<{ part: Part; ms: number }> = [];
  const running: Running[] = [];
  const step = async <T>(part: Part, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await fn();
    } catch (err) {
      throw partError(part, err);
    } finally {
      steps.push({ part, ms: performance.now() - t });
    }
  };
  const embeddedBroker = config.kafka.bootstrap === null;
  const embeddedRegistry = config.registry.url === null && config.registry.glue.region === null;

  // Before anything is written: ports that cannot be had and a data directory that cannot be used.
  const wanted: WantedPort[] = [
    ...(embeddedBroker
      ? [{ part: 'broker' as const, host: config.broker.host, port: config.broker.port, flag: '--broker-port', key: 'broker.port' }]
      : []),
    ...(embeddedRegistry
      ? [
          {
            part: 'registry' as const,
            host: config.registry.host,
            port: config.registry.port,
            flag: '--registry-port',
            key: 'registry.port',
          },
        ]
      : []),
    { part: 'dashboard', host: config.dashboard.host, port: config.dashboard.port, flag: '--dashboard-port', key: 'dashboard.port' },
  ];
  await checkPortsFree(wanted);
  const release = prepareDataDir(dataDir);
  running.push({ part: 'data directory', stop: async () => release() });
  const secure: SecureSetup | undefined = config.secure ? await step('security', () => prepareSecure(config, dataDir)) : undefined;

  let stopping = false;
  let failure: { part: Part; error: Error } | undefined;
  const stopAll = async (): Promise<PlatformExit> => {
    stopping = true;
    removeUpState(dataDir);
    for (const r of [...running].reverse()) {
      if (r.failed) continue;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((res) => {
        timer = setTimeout(() => res('timeout'), stopTimeoutMs);
      });
      try {
        const how = await Promise.race([r.stop().then(() => 'stopped' as const), timeout]);
        if (how === 'timeout') {
          failure ??= { part: r.part, error: new PlatformError(r.part, `did not stop within ${stopTimeoutMs / 1000} s`) };
        }
      } catch (err) {
        failure ??= { part: r.part, error: partError(r.part, err) };
      } finally {
        clearTimeout(timer);
      }
    }
    return failure ? { ok: false, ...failure } : { ok: true };
  };

  try {
    let bootstrap: string[];
    if (embeddedBroker) {
      const broker = await step('broker', () =>
        startBroker({
          host: config.broker.host,
          port: config.broker.port,
          dataDir: join(dataDir, 'broker'),
          advertisedListener: config.broker.advertisedListener,
          // The processor is the group's only member at start: no reason to wait 3 s for others.
          groupInitialRebalanceDelayMs: 0,
          ...(secure ? secure.broker : {}),
        }),
      );
      running.push({ part: 'broker', stop: () => broker.close() });
      bootstrap = [`${broker.advertised.host}:${broker.advertised.port}`];
    } else {
      bootstrap = config.kafka.bootstrap!;
    }
    // Under --secure every part has its own identity; brook up's own admin work is the operator's.
    const connectionOf = (id: 'generator' | 'processor' | 'dashboard' | 'registry' | 'admin') =>
      secure ? secure.kafka(id, bootstrap) : kafkaConnection(config, bootstrap, env);
    const conn = connectionOf('admin');
    const client = clientConnection(conn);

    let embeddedUrl: string | null = null;
    if (embeddedRegistry) {
      const registry = await step('registry', () =>
        startRegistry({
          bootstrap,
          host: config.registry.host,
          port: config.registry.port,
          topic: config.registry.topic,
          replicationFactor: config.topics.replicationFactor ?? (embeddedBroker ? 1 : -1),
          store: { kafkaClient: { ...clientConnection(connectionOf('registry')) } },
          ...(secure ? { tls: secure.webTls, auth: { usersFile: secure.usersFile } } : {}),
        }),
      );
      running.push({ part: 'registry', stop: () => registry.close() });
      embeddedUrl = registry.url;
    }
    const registry = schemaRegistry(config, embeddedUrl, env);
    const createdTopics = await step('topics', () =>
      createTopics(bootstrap, client, pipelineTopics(config), config.topics.replicationFactor),
    );

    // The processor, its analytics store and the dashboard: ready once the job runs.
    const processorStop = deferred<void>();
    const processorReady = deferred<ProcessReady>();
    const processorLog = partLog(log, 'processor', /^brook process: /);
    const processorConfig = processConfig(config, registry, bootstrap, env);
    if (secure) {
      processorConfig.registryTls = secure.registryTls('processor');
      if (processorConfig.dashboard)
        processorConfig.dashboard = { ...processorConfig.dashboard, tls: secure.webTls, auth: { usersFile: secure.usersFile } };
    }
    const processorRun = runProcess(processorConfig, {
      stop: processorStop.promise,
      connection: connectionOf('processor'),
      ...(secure ? { dashboardConnection: connectionOf('dashboard') } : {}),
      statusEveryMs: 0,
      out: processorLog,
      err: processorLog,
      onReady: (r) => processorReady.resolve(r),
    });
    const processorPart: Running = {
      part: 'processor',
      stop: async () => {
        processorStop.resolve();
        await processorRun;
      },
    };
    running.push(processorPart);
    const ready = await step('processor', () =>
      Promise.race([processorReady.promise, processorRun.then(() => Promise.reject(new Error('stopped before it was ready')))]),
    ).catch((err) => {
      processorPart.failed = true;
      throw err;
    });

    let stats: (() => GeneratorStats) | undefined;
    let generatorRun: Promise<unknown> | undefined;
    if (config.generator.enabled) {
      const generatorStop = deferred<void>();
      const generatorReady = deferred<{ stats(): GeneratorStats }>();
      const generatorLog = partLog(log, 'generator', /^brook generate: /);
      const generatorConfig = generateConfig(config, registry, bootstrap, Date.now());
      if (secure) generatorConfig.registryTls = secure.registryTls('generator');
      const run = runGenerate(generatorConfig, {
        stop: generatorStop.promise,
        connection: connectionOf('generator'),
        statusEveryMs: 0,
        out: generatorLog,
        err: generatorLog,
        onReady: (r) => generatorReady.resolve(r),
      });
      generatorRun = run;
      const generatorPart: Running = {
        part: 'generator',
        stop: async () => {
          generatorStop.resolve();
          await run;
        },
      };
      running.push(generatorPart);
      const g = await step('generator', () =>
        Promise.race([generatorReady.promise, run.then(() => Promise.reject(new Error('stopped before it was ready')))]),
      ).catch((err) => {
        generatorPart.failed = true;
        throw err;
      });
      stats = () => g.stats();
    }

    const doneExit = deferred<PlatformExit>();
    let stopped: Promise<PlatformExit> | undefined;
    const stop = () => {
      stopped ??= stopAll().then((exit) => {
        doneExit.resolve(exit);
        return exit;
      });
      return stopped;
    };
    const fail = (part: Part, error: unknown) => {
      const r = running.find((x) => x.part === part);
      if (r) r.failed = true;
      if (stopping) return;
      failure ??= { part, error: partError(part, error) };
      void stop();
    };
    processorRun.then(
      () => !stopping && fail('processor', new Error('the job stopped on its own')),
      (err: unknown) => fail('processor', err),
    );
    generatorRun?.then(
      () => {
        if (!stopping) log('generator: finished (its sessions or run time are done); the rest of the pipeline keeps running');
      },
      (err: unknown) => fail('generator', err),
    );

    const dashboardUrl = ready.dashboardUrl!;
    const registryUrl = registry.kind === 'confluent' ? publicUrl(registry.url) : null;
    const admin = secure?.pki.clients.admin;
    writeUpState(dataDir, {
      pid: process.pid,
      startedAt: Date.now(),
      bootstrap,
      registryUrl,
      dashboardUrl,
      dataDir,
      ...(secure && admin ? { secure: { caFile: secure.pki.caFile, certFile: admin.chain, keyFile: admin.key } } : {}),
    });
    return {
      bootstrap,
      registryUrl,
      registry,
      dashboardUrl,
      dataDir,
      embedded: { broker: embeddedBroker, registry: embeddedRegistry },
      secure: secure
        ? {
            certsDir: secure.pki.dir,
            caFile: secure.pki.caFile,
            adminPasswordFile: secure.adminPasswordFile,
            adminProperties: secure.writeAdminProperties(bootstrap),
            kcat: secure.kcatCommand(bootstrap),
          }
        : undefined,
      startupMs: performance.now() - started,
      steps,
      createdTopics,
      done: doneExit.promise,
      metrics: () => ready.metrics(),
      generatorStats: () => stats?.(),
      stop,
    };
  } catch (err) {
    // Whatever started is stopped again, in reverse order; the first error is the one to report.
    await stopAll();
    throw err;
  }
}
