// The contract between the broker and the storage engine: what a partition log and the log
// manager offer. The broker validates batches (protocol/record-batch.ts) before it appends them.
import type { BatchHeader } from '../protocol/record-batch.ts';

/** Topic-level settings, named as Kafka names them in configs (see topic-config.ts). */
export interface TopicConfig {
  'retention.ms': number; // -1 = forever
  'retention.bytes': number; // -1 = unlimited, per partition
  'segment.bytes': number;
  'segment.ms': number;
  'segment.index.bytes': number;
  'index.interval.bytes': number;
  'cleanup.policy': 'delete' | 'compact' | 'compact,delete';
  'message.timestamp.type': 'CreateTime' | 'LogAppendTime';
  'max.message.bytes': number;
  'delete.retention.ms': number;
  'min.compaction.lag.ms': number;
  'min.cleanable.dirty.ratio': number;
}

export interface TopicInfo {
  name: string;
  /** 16-byte topic id (Fetch v13+ and Metadata v10+ name topics by id). */
  id: Buffer;
  partitions: number;
  /** Only the keys set on this topic; effective values come from TopicConfig defaults. */
  overrides: Partial<Record<keyof TopicConfig, string>>;
  config: TopicConfig;
  internal: boolean;
}

export interface AppendResult {
  baseOffset: bigint;
  lastOffset: bigint;
  /** Broker time stamped on LogAppendTime topics, else -1. */
  logAppendTime: bigint;
  logStartOffset: bigint;
  /** True when an idempotent producer retried a batch already in the log: nothing was written. */
  duplicate: boolean;
}

export interface ReadResult {
  /** Whole batches, as stored; empty when there is nothing at or after the offset. */
  chunks: Buffer[];
  bytes: number;
  highWatermark: bigint;
  logStartOffset: bigint;
  /**
   * Hands the chunks' buffers back for reuse. Call it only once nothing will read the chunks
   * again (the socket has taken them); not calling it is safe, the buffers are then collected.
   */
  release(): void;
}

export interface PartitionLog {
  readonly topic: string;
  readonly partition: number;
  readonly logStartOffset: bigint;
  /** Offset the next record will get (= high watermark on a single node). */
  readonly logEndOffset: bigint;

  /**
   * Appends validated batches (as received from a client) and assigns their offsets in place.
   * Synchronous: when it returns, the bytes are in the OS page cache and readable by fetches.
   * Checks idempotent producers' sequences (duplicates return the original offsets).
   * Throws LogError with a Kafka error name (OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH,
   * RECORD_LIST_TOO_LARGE, ...).
   */
  append(records: Buffer, batches: BatchHeader[]): AppendResult;
  /** Resolves once everything appended so far is fsynced; concurrent callers share one fsync. */
  flush(): Promise<void>;
  /**
   * Reads whole batches starting with the one containing `offset`, up to `maxBytes` (at least one
   * batch when `minOneBatch`). Throws LogError OFFSET_OUT_OF_RANGE outside [logStart, logEnd].
   */
  read(offset: bigint, maxBytes: number, minOneBatch: boolean): ReadResult;
  /** First offset whose timestamp is >= ts, with that timestamp; null when none. */
  offsetForTimestamp(ts: bigint): { offset: bigint; timestamp: bigint } | null;
  /** KIP-734: offset and timestamp of the batch with the largest timestamp; null when empty. */
  maxTimestampOffset(): { offset: bigint; timestamp: bigint } | null;
  /** Calls back after every append (fetch long-polls wait on it). Returns an unsubscribe. */
  onAppend(listener: () => void): () => void;
}

export interface LogManager {
  topics(): TopicInfo[];
  topic(name: string): TopicInfo | undefined;
  topicById(id: Buffer): TopicInfo | undefined;
  partition(topic: string, partition: number): PartitionLog | undefined;
  /** Throws LogError TOPIC_ALREADY_EXISTS, INVALID_TOPIC_EXCEPTION, INVALID_CONFIG, ... */
  createTopic(name: string, partitions: number, overrides: Record<string, string>, internal?: boolean): TopicInfo;
  /** The checks createTopic makes (name, partitions, configs), without creating anything. */
  validateTopic(name: string, partitions: number, overrides: Record<string, string>): void;
  deleteTopic(name: string): void;
  createPartitions(name: string, total: number): void;
  /** Replaces (set) or removes (null) topic config overrides; validated first. */
  alterTopicConfig(name: string, changes: Record<string, string | null>, validateOnly?: boolean): void;
  /** A new producer id, never handed out before (survives restarts). */
  allocateProducerId(): bigint;
  /** Runs retention and compaction once (they also run on a timer). */
  runMaintenance(): Promise<void>;
  /** Flushes everything, marks a clean shutdown, closes files. */
  close(): Promise<void>;
}
