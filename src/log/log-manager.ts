// The log manager: opens a data directory (lock, topic metadata, recovery of every partition),
// creates, alters and deletes topics, allocates producer ids, flushes, and runs retention and
// compaction on a timer. `openLogManager` is the entry point the broker calls.
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BrookError } from '../common/errors.ts';
import { compactPartition } from './compaction.ts';
import { lockDataDir } from './dir-lock.ts';
import { atomicWriteFileSync, fsyncDirSync, unlinkIfExists } from './fs-util.ts';
import { LogError } from './log-error.ts';
import { logErrorChannel, Partition } from './partition-log.ts';
import { ProducerIdAllocator } from './producer-ids.ts';
import { applyRetention } from './retention.ts';
import {
  type ConfigEntry,
  describeTopicConfig,
  hasCompact,
  hasDelete,
  resolveTopicConfig,
  TOPIC_CONFIG_BY_NAME,
  type TopicConfigName,
  topicDefaults,
  validateOverrides,
} from './topic-config.ts';
import { collisionKey, isDeleteDir, parsePartitionDir, partitionDirName, validateTopicName } from './topic-name.ts';
import { loadTopics, type StoredTopic, saveTopics } from './topic-store.ts';
import type { LogManager, TopicConfig, TopicInfo } from './types.ts';

export const CLEAN_SHUTDOWN_FILE = '.clean-shutdown';

export interface LogManagerOptions {
  /** Directory holding every partition (created if missing). */
  dataDir: string;
  /** Broker-wide topic defaults overriding Kafka's (like `log.retention.ms` in server.properties). */
  defaults?: Partial<TopicConfig>;
  /** How often retention and compaction run (Kafka's log.retention.check.interval.ms); 0: never. */
  retentionCheckIntervalMs?: number;
  /** fsync every partition this often in the background (Kafka's log.flush.interval.ms); 0: never. */
  flushIntervalMs?: number;
  /** Producers idle this long are forgotten (Kafka's producer.id.expiration.ms). */
  producerIdExpirationMs?: number;
  /** Upper bound for CreateTopics / CreatePartitions (INVALID_PARTITIONS above it). */
  maxPartitionsPerTopic?: number;
  /** Broker clock in ms (tests inject one). */
  clock?: () => number;
}

interface TopicEntry extends StoredTopic {
  config: TopicConfig;
  partitionLogs: Partition[];
}

export interface BrookLogManager extends LogManager {
  readonly dataDir: string;
  /** Kafka defaults with the broker's defaults applied. */
  readonly defaults: TopicConfig;
  /** False when the previous run did not shut down cleanly (partitions were recovered). */
  readonly openedClean: boolean;
  partition(topic: string, partition: number): Partition | undefined;
  /** Every topic config with value and source, for DescribeConfigs. UNKNOWN_TOPIC_OR_PARTITION if none. */
  describeTopicConfig(name: string): ConfigEntry[];
  /** Validates overrides as createTopic would, without creating anything. */
  validateTopicConfig(overrides: Record<string, string>): void;
  /** Maintenance passes started so far (timer or runMaintenance). */
  readonly maintenancePasses: number;
  /** Flushes every partition (one group-commit round each). */
  flushAll(): Promise<void>;
  /** Drops everything as a crash would (no flush, no clean-shutdown marker) and releases the lock. For tests. */
  abandon(): void;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function newTopicId(): Buffer {
  for (;;) {
    const id = randomBytes(16);
    if (id.some((b) => b !== 0)) return id;
  }
}

export async function openLogManager(options: LogManagerOptions): Promise<BrookLogManager> {
  const dataDir = path.resolve(options.dataDir);
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.accessSync(dataDir, fs.constants.R_OK | fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    throw new BrookError(
      'LOG_DIR',
      `cannot use data directory ${dataDir}: ${(err as Error).message}. Choose a directory this user can write (the broker's data dir option) or fix its permissions.`,
      { cause: err },
    );
  }
  const defaults = topicDefaults(options.defaults);
  const release = lockDataDir(dataDir);
  try {
    return new Manager(dataDir, defaults, options, release);
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * Without a topics file, partition directories are not thrown away as orphans: they become
 * topics (fresh ids, no overrides, partition count from the highest directory), and the file is
 * written. Protects data from a lost or hand-deleted topics.json.
 */
function adoptPartitionDirs(dataDir: string): StoredTopic[] {
  const counts = new Map<string, number>();
  for (const ent of fs.readdirSync(dataDir, { withFileTypes: true })) {
    const p = ent.isDirectory() ? parsePartitionDir(ent.name) : null;
    if (p) counts.set(p.topic, Math.max(counts.get(p.topic) ?? 0, p.partition + 1));
  }
  const topics = [...counts].map(([name, partitions]) => ({
    name,
    id: newTopicId(),
    partitions,
    overrides: {},
    internal: name.startsWith('__'),
  }));
  if (topics.length > 0) saveTopics(dataDir, topics);
  return topics;
}

class Manager implements BrookLogManager {
  readonly dataDir: string;
  readonly defaults: TopicConfig;
  readonly openedClean: boolean;
  private readonly brokerDefaults: Partial<TopicConfig>;
  private readonly clock: () => number;
  private readonly byName = new Map<string, TopicEntry>();
  private readonly byId = new Map<string, TopicEntry>();
  private readonly producerIds: ProducerIdAllocator;
  private readonly release: () => void;
  private readonly maxPartitions: number;
  private readonly producerExpiryMs: number;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly pendingDeletes = new Set<Promise<void>>();
  private maintenance: Promise<void> | null = null;
  maintenancePasses = 0;
  private state: 'open' | 'closing' | 'closed' = 'open';

  constructor(dataDir: string, defaults: TopicConfig, options: LogManagerOptions, release: () => void) {
    this.dataDir = dataDir;
    this.defaults = defaults;
    this.brokerDefaults = options.defaults ?? {};
    this.clock = options.clock ?? Date.now;
    this.release = release;
    this.maxPartitions = options.maxPartitionsPerTopic ?? 10_000;
    this.producerExpiryMs = options.producerIdExpirationMs ?? 86_400_000;
    const marker = path.join(dataDir, CLEAN_SHUTDOWN_FILE);
    this.openedClean = fs.existsSync(marker);

    const stored = loadTopics(dataDir) ?? adoptPartitionDirs(dataDir);
    const wanted = new Set<string>();
    for (const t of stored) for (let p = 0; p < t.partitions; p++) wanted.add(partitionDirName(t.name, p));
    for (const ent of fs.readdirSync(dataDir, { withFileTypes: true })) {
      if (!ent.isDirectory()) continue;
      if (isDeleteDir(ent.name)) this.removeLater(path.join(dataDir, ent.name));
      else if (parsePartitionDir(ent.name) && !wanted.has(ent.name)) {
        // A partition without metadata: a delete that crashed after updating topics.json, or a
        // create that crashed before it. Either way it is not a topic.
        this.discardDir(path.join(dataDir, ent.name));
      }
    }
    let maxPid = -1n;
    for (const t of stored) {
      const config = resolveTopicConfig(defaults, t.overrides);
      const entry: TopicEntry = { ...t, config, partitionLogs: [] };
      for (let p = 0; p < t.partitions; p++) {
        const log = this.openPartition(t.name, p, config, this.openedClean);
        entry.partitionLogs.push(log);
        const m = log.producers.maxProducerId();
        if (m > maxPid) maxPid = m;
      }
      this.byName.set(t.name, entry);
      this.byId.set(t.id.toString('hex'), entry);
    }
    // Loaded: from now on a crash must be detected as one.
    if (this.openedClean) {
      unlinkIfExists(marker);
      fsyncDirSync(dataDir);
    }
    this.producerIds = new ProducerIdAllocator(dataDir, maxPid);

    const retentionEvery = options.retentionCheckIntervalMs ?? 300_000;
    if (retentionEvery > 0) {
      this.timers.push(
        setInterval(
          () => void this.runMaintenance().catch((error) => logErrorChannel.publish({ what: 'maintenance', error })),
          retentionEvery,
        ),
      );
    }
    const flushEvery = options.flushIntervalMs ?? 0;
    if (flushEvery > 0) {
      this.timers.push(
        setInterval(() => void this.flushAll().catch((error) => logErrorChannel.publish({ what: 'background flush', error })), flushEvery),
      );
    }
    for (const t of this.timers) t.unref();
  }

  private openPartition(topic: string, partition: number, config: TopicConfig, clean: boolean): Partition {
    return Partition.open({
      dir: path.join(this.dataDir, partitionDirName(topic, partition)),
      topic,
      partition,
      config,
      clock: this.clock,
      clean,
    });
  }

  private ensureOpen(): void {
    if (this.state !== 'open') throw new LogError('KAFKA_STORAGE_ERROR', `the log manager of ${this.dataDir} is closed`);
  }

  private info(e: TopicEntry): TopicInfo {
    return {
      name: e.name,
      id: Buffer.from(e.id),
      partitions: e.partitions,
      overrides: { ...e.overrides },
      config: { ...e.config },
      internal: e.internal,
    };
  }

  private entry(name: string): TopicEntry {
    const e = this.byName.get(name);
    if (!e) throw new LogError('UNKNOWN_TOPIC_OR_PARTITION', `topic ${name} does not exist`);
    return e;
  }

  private persist(): void {
    saveTopics(this.dataDir, this.byName.values());
  }

  topics(): TopicInfo[] {
    return [...this.byName.values()].map((e) => this.info(e));
  }

  topic(name: string): TopicInfo | undefined {
    const e = this.byName.get(name);
    return e ? this.info(e) : undefined;
  }

  topicById(id: Buffer): TopicInfo | undefined {
    const e = this.byId.get(id.toString('hex'));
    return e ? this.info(e) : undefined;
  }

  partition(topic: string, partition: number): Partition | undefined {
    return this.byName.get(topic)?.partitionLogs[partition];
  }

  private checkPartitionCount(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new LogError('INVALID_PARTITIONS', `Number of partitions must be larger than 0 (got ${n}).`);
    if (n > this.maxPartitions)
      throw new LogError(
        'INVALID_PARTITIONS',
        `Number of partitions ${n} is above this broker's limit of ${this.maxPartitions} per topic.`,
      );
  }

  validateTopicConfig(overrides: Record<string, string>): void {
    validateOverrides(overrides);
  }

  validateTopic(name: string, partitions: number, overrides: Record<string, string>): void {
    this.checkNewTopic(name, partitions, overrides);
  }

  private checkNewTopic(name: string, partitions: number, overrides: Record<string, string>) {
    validateTopicName(name);
    if (this.byName.has(name)) throw new LogError('TOPIC_ALREADY_EXISTS', `Topic '${name}' already exists.`);
    const key = collisionKey(name);
    for (const other of this.byName.keys()) {
      if (collisionKey(other) === key)
        throw new LogError(
          'INVALID_TOPIC_EXCEPTION',
          `Topic '${name}' collides with existing topic: ${other} ('.' and '_' are interchangeable in metric names)`,
        );
    }
    this.checkPartitionCount(partitions);
    return validateOverrides(overrides);
  }

  createTopic(name: string, partitions: number, overrides: Record<string, string>, internal = false): TopicInfo {
    this.ensureOpen();
    const valid = this.checkNewTopic(name, partitions, overrides);
    const config = resolveTopicConfig(this.defaults, valid);
    const entry: TopicEntry = { name, id: newTopicId(), partitions, overrides: valid, internal, config, partitionLogs: [] };
    try {
      for (let p = 0; p < partitions; p++) entry.partitionLogs.push(this.openPartition(name, p, config, true));
      fsyncDirSync(this.dataDir);
      this.byName.set(name, entry);
      this.byId.set(entry.id.toString('hex'), entry);
      this.persist();
    } catch (err) {
      this.byName.delete(name);
      this.byId.delete(entry.id.toString('hex'));
      for (const log of entry.partitionLogs) {
        log.markDeleted();
        this.discardDir(log.dir);
      }
      throw err instanceof BrookError
        ? err
        : new LogError('KAFKA_STORAGE_ERROR', `creating topic ${name} failed: ${(err as Error).message}`);
    }
    return this.info(entry);
  }

  deleteTopic(name: string): void {
    this.ensureOpen();
    const e = this.entry(name);
    // Metadata first: a crash after this leaves orphan directories, which open() discards.
    this.byName.delete(name);
    this.byId.delete(e.id.toString('hex'));
    this.persist();
    for (const log of e.partitionLogs) {
      log.markDeleted();
      this.discardDir(log.dir);
    }
  }

  /** Renames a partition directory to `<dir>.<uuid>-delete` (Kafka's way) and removes it in the background. */
  private discardDir(dir: string): void {
    const doomed = `${dir}.${randomUUID().replaceAll('-', '')}-delete`;
    try {
      fs.renameSync(dir, doomed);
      fsyncDirSync(this.dataDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    this.removeLater(doomed);
  }

  private removeLater(dir: string): void {
    const p = fs.promises
      .rm(dir, { recursive: true, force: true })
      .catch((error) => logErrorChannel.publish({ what: `removing ${dir}`, error }))
      .finally(() => this.pendingDeletes.delete(p));
    this.pendingDeletes.add(p);
  }

  createPartitions(name: string, total: number): void {
    this.ensureOpen();
    const e = this.entry(name);
    if (total === e.partitions) throw new LogError('INVALID_PARTITIONS', `Topic already has ${e.partitions} partitions.`);
    if (total < e.partitions) {
      throw new LogError(
        'INVALID_PARTITIONS',
        `Topic currently has ${e.partitions} partitions, which is higher than the requested ${total}.`,
      );
    }
    this.checkPartitionCount(total);
    const added: Partition[] = [];
    try {
      for (let p = e.partitions; p < total; p++) added.push(this.openPartition(name, p, e.config, true));
      fsyncDirSync(this.dataDir);
      e.partitionLogs.push(...added);
      e.partitions = total;
      this.persist();
    } catch (err) {
      e.partitionLogs.length = e.partitions = e.partitionLogs.length - added.length;
      for (const log of added) {
        log.markDeleted();
        this.discardDir(log.dir);
      }
      throw err instanceof BrookError
        ? err
        : new LogError('KAFKA_STORAGE_ERROR', `adding partitions to ${name} failed: ${(err as Error).message}`);
    }
  }

  alterTopicConfig(name: string, changes: Record<string, string | null>, validateOnly = false): void {
    this.ensureOpen();
    const e = this.entry(name);
    const next: Record<string, string> = { ...(e.overrides as Record<string, string>) };
    for (const [k, v] of Object.entries(changes)) {
      if (!TOPIC_CONFIG_BY_NAME.has(k)) throw new LogError('INVALID_CONFIG', `Unknown topic config name: ${k}`);
      if (v === null) delete next[k];
      else next[k] = v;
    }
    const valid = validateOverrides(next);
    if (validateOnly) return;
    e.overrides = valid;
    e.config = resolveTopicConfig(this.defaults, valid);
    for (const log of e.partitionLogs) log.config = e.config;
    this.persist();
  }

  describeTopicConfig(name: string): ConfigEntry[] {
    return describeTopicConfig(this.entry(name).overrides as Partial<Record<TopicConfigName, string>>, this.brokerDefaults);
  }

  allocateProducerId(): bigint {
    this.ensureOpen();
    return this.producerIds.allocate();
  }

  private allPartitions(): Partition[] {
    const out: Partition[] = [];
    for (const e of this.byName.values()) out.push(...e.partitionLogs);
    return out;
  }

  async flushAll(): Promise<void> {
    await Promise.all(this.allPartitions().map((p) => p.flush()));
  }

  runMaintenance(): Promise<void> {
    if (this.maintenance) return this.maintenance;
    this.maintenancePasses++;
    const run = async () => {
      for (const p of this.allPartitions()) {
        if (this.state !== 'open') return;
        if (p.state !== 'open') continue;
        try {
          const stopped = () => p.state !== 'open' || this.state !== 'open';
          if (hasDelete(p.config)) await p.exclusive(() => applyRetention(p, this.clock()));
          if (hasCompact(p.config) && !stopped()) await compactPartition(p, this.clock(), stopped);
          p.producers.expire(this.clock(), this.producerExpiryMs);
        } catch (error) {
          // One partition's failure (a disk error, a deleted directory) must not stop the others.
          logErrorChannel.publish({ topic: p.topic, partition: p.partition, what: 'maintenance', error });
        }
        await tick();
      }
    };
    this.maintenance = run().finally(() => {
      this.maintenance = null;
    });
    return this.maintenance;
  }

  async close(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closing';
    for (const t of this.timers) clearInterval(t);
    try {
      await this.maintenance?.catch(() => {});
      for (const p of this.allPartitions()) await p.close();
      await Promise.all(this.pendingDeletes);
      atomicWriteFileSync(path.join(this.dataDir, CLEAN_SHUTDOWN_FILE), `${new Date(this.clock()).toISOString()}\n`);
    } finally {
      this.state = 'closed';
      this.release();
    }
  }

  abandon(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const t of this.timers) clearInterval(t);
    for (const p of this.allPartitions()) p.abandon();
    this.release();
  }
}
