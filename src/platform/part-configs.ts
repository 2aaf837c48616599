// The configuration of each part, as `brook process` and `brook generate` take it, made from the
// effective Brook configuration and the addresses of the parts that are already running.
import { join } from 'node:path';
import type { BrookConfig } from '../config/types.ts';
import { parseTime } from '../config/value-types.ts';
import { parseDuration } from '../dashboard/range.ts';
import type { GenerateConfig } from '../generator/options.ts';
import type { ProcessConfig } from '../jobs/clickstream/options.ts';
import type { OpenSearchSinkOptions } from '../sinks/opensearch/index.ts';

/** Where the serdes find schemas: Brook's or a Confluent registry (URL), or AWS Glue (region). */
export type SchemaRegistry = { kind: 'confluent'; url: string; embedded: boolean } | { kind: 'glue'; region: string; registryName: string };

export function schemaRegistry(config: BrookConfig, embeddedUrl: string | null, env: NodeJS.ProcessEnv): SchemaRegistry {
  const r = config.registry;
  if (r.glue.region !== null) return { kind: 'glue', region: r.glue.region, registryName: r.glue.registryName };
  if (r.url === null) return { kind: 'confluent', url: embeddedUrl!, embedded: true };
  if (r.username === null) return { kind: 'confluent', url: r.url, embedded: false };
  // The serde's client turns user:password in the URL into basic auth (and never shows it).
  const u = new URL(r.url);
  u.username = encodeURIComponent(r.username);
  u.password = encodeURIComponent(env[r.passwordEnv] ?? '');
  return { kind: 'confluent', url: u.href, embedded: false };
}

/** The URL to show people: no credentials. */
export function publicUrl(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.href.replace(/\/$/, '');
}

// Glue-framed records carry a schema version UUID; the processor looks those up in Glue and keeps
// this (unused) Confluent URL for records framed the Confluent way.
const NO_CONFLUENT_REGISTRY = 'http://127.0.0.1:8081';

export function processConfig(config: BrookConfig, registry: SchemaRegistry, bootstrap: string[], env: NodeJS.ProcessEnv): ProcessConfig {
  const p = config.processor;
  return {
    bootstrap: bootstrap.join(','),
    propertiesFile: undefined,
    registry: registry.kind === 'confluent' ? registry.url : NO_CONFLUENT_REGISTRY,
    glueRegion: registry.kind === 'glue' ? registry.region : undefined,
    topic: config.topics.clickstream,
    group: p.group,
    from: p.from,
    bounded: false,
    dataDir: config.dataDir,
    checkpointDir: undefined,
    checkpointTopic: p.checkpointTopic ?? undefined,
    checkpointIntervalMs: Math.round(p.checkpointIntervalSeconds * 1000),
    outOfOrdernessMs: p.outOfOrdernessMs,
    idleTimeoutMs: p.idleTimeoutMs,
    eventTime: p.eventTime,
    dlqTopic: config.topics.deadLetter,
    lateTopic: config.topics.late,
    kafkaResults: true,
    outputPartitions: config.topics.resultPartitions,
    maxStateEntries: p.maxStateEntries,
    storePath: config.store.path ?? join(config.dataDir, 'store', 'clickstream.duckdb'),
    storeRetentionMs: parseDuration(config.store.retention)!,
    dashboard: { port: config.dashboard.port, host: config.dashboard.host },
    opensearch: openSearch(config, env),
    quiet: false,
    json: false,
  };
}

function openSearch(config: BrookConfig, env: NodeJS.ProcessEnv): OpenSearchSinkOptions | undefined {
  const o = config.opensearch;
  if (o.url === null) return undefined;
  return {
    url: o.url,
    ...(o.username !== null ? { auth: { type: 'basic' as const, username: o.username, password: env[o.passwordEnv] ?? '' } } : {}),
    ...(o.awsRegion !== null ? { auth: { type: 'aws-sigv4' as const, region: o.awsRegion } } : {}),
    ...(o.caFile !== null ? { caFile: o.caFile } : {}),
    ...(o.indexPrefix !== null ? { indexPrefix: o.indexPrefix } : {}),
    flushEveryMs: o.flushMs,
    maxActions: o.maxActions,
  };
}

export function generateConfig(config: BrookConfig, registry: SchemaRegistry, bootstrap: string[], now: number): GenerateConfig {
  const g = config.generator;
  const startTime = g.startTime === null ? undefined : parseTime(g.startTime, now);
  return {
    topic: config.topics.clickstream,
    workers: g.threads,
    sessionsPerWorker: g.sessionsPerThread,
    runForMs: g.runForSeconds * 1000,
    noDelay: g.noDelay,
    logEvents: false,
    bootstrap: bootstrap.join(','),
    ssl: false,
    mtls: false,
    iam: false,
    glue: registry.kind === 'glue',
    ...(registry.kind === 'glue' ? { glueRegion: registry.region } : { registry: registry.url }),
    registryName: registry.kind === 'glue' ? registry.registryName : 'default-registry',
    // The pipeline must run on a fresh registry: the schema is registered when missing.
    autoRegister: true,
    ...(g.seed !== null ? { seed: g.seed } : {}),
    ...(g.rate !== null ? { rate: g.rate } : {}),
    ...(startTime !== undefined ? { startTime } : {}),
    timeStep: g.timeStep,
    dataDir: config.dataDir,
    idempotent: true,
    partitions: config.topics.partitions,
    compression: g.compression,
    batchSize: 5000,
    lingerMs: 5,
    quiet: false,
    json: false,
  };
}
