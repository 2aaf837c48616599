// The coordinator's settings, named after Kafka's broker configs (group.*, offsets.*), with
// Kafka's defaults except where a single node wants otherwise (one offsets partition).
import type { LogManager } from '../../log/types.ts';
import type { Scheduler } from './scheduler.ts';
import { realScheduler } from './scheduler.ts';
import { OFFSETS_TOPIC } from './store.ts';

export interface GroupCoordinatorOptions {
  logs: LogManager;
  /** Clock and timers; tests pass a manual one. Defaults to Node's timers, unref'd. */
  scheduler?: Scheduler;
  /** group.min.session.timeout.ms (6000). */
  minSessionTimeoutMs?: number;
  /** group.max.session.timeout.ms (1800000). */
  maxSessionTimeoutMs?: number;
  /** group.initial.rebalance.delay.ms (3000): lets a starting fleet join one first generation. */
  initialRebalanceDelayMs?: number;
  /** group.max.size (unlimited). */
  maxGroupSize?: number;
  /** How long a new member may wait in a join phase without a heartbeat (Kafka: 300000, fixed). */
  newMemberJoinTimeoutMs?: number;
  /** offsets.retention.ms (7 days). */
  offsetsRetentionMs?: number;
  /** offsets.retention.check.interval.ms (600000). */
  offsetsRetentionCheckIntervalMs?: number;
  /** offsets.topic.num.partitions, used only when creating the topic (Kafka: 50; here 1). */
  offsetsTopicPartitions?: number;
  /** offset.metadata.max.bytes (4096). */
  offsetMetadataMaxBytes?: number;
  /** offsets.load.buffer.size (5 MiB): bytes read per step while loading. */
  offsetsLoadBufferSize?: number;
  /** Answer UNKNOWN_TOPIC_OR_PARTITION for commits to partitions the log does not have (true). */
  checkCommittedTopics?: boolean;
  /** The internal topic's name; only tests change it. */
  offsetsTopic?: string;
}

export type GroupConfig = Required<Omit<GroupCoordinatorOptions, 'logs' | 'scheduler'>>;

export const DEFAULT_GROUP_CONFIG: GroupConfig = {
  minSessionTimeoutMs: 6_000,
  maxSessionTimeoutMs: 1_800_000,
  initialRebalanceDelayMs: 3_000,
  maxGroupSize: Number.POSITIVE_INFINITY,
  newMemberJoinTimeoutMs: 300_000,
  offsetsRetentionMs: 7 * 24 * 60 * 60 * 1000,
  offsetsRetentionCheckIntervalMs: 600_000,
  offsetsTopicPartitions: 1,
  offsetMetadataMaxBytes: 4096,
  offsetsLoadBufferSize: 5 * 1024 * 1024,
  checkCommittedTopics: true,
  offsetsTopic: OFFSETS_TOPIC,
};

export function resolveConfig(options: GroupCoordinatorOptions): { config: GroupConfig; scheduler: Scheduler } {
  const config: GroupConfig = { ...DEFAULT_GROUP_CONFIG };
  for (const key of Object.keys(DEFAULT_GROUP_CONFIG) as (keyof GroupConfig)[]) {
    const v = options[key];
    if (v !== undefined) (config as Record<string, unknown>)[key] = v;
  }
  if (config.minSessionTimeoutMs > config.maxSessionTimeoutMs) {
    throw new RangeError(`minSessionTimeoutMs ${config.minSessionTimeoutMs} exceeds maxSessionTimeoutMs ${config.maxSessionTimeoutMs}`);
  }
  if (!Number.isInteger(config.offsetsTopicPartitions) || config.offsetsTopicPartitions < 1) {
    throw new RangeError(`offsetsTopicPartitions must be a positive integer, not ${config.offsetsTopicPartitions}`);
  }
  return { config, scheduler: options.scheduler ?? realScheduler };
}
