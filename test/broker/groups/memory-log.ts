// An in-memory LogManager for the group coordinator's tests: batches kept as appended (offsets
// assigned in place), reads of whole batches, and flushes the test can hold back or fail.
import { LogError } from '../../../src/log/log-error.ts';
import type { AppendResult, LogManager, PartitionLog, ReadResult, TopicConfig, TopicInfo } from '../../../src/log/types.ts';
import { type BatchHeader, lastOffsetOf, readBatchHeader, setBaseOffset } from '../../../src/protocol/record-batch.ts';

const DEFAULT_CONFIG: TopicConfig = {
  'retention.ms': 604_800_000,
  'retention.bytes': -1,
  'segment.bytes': 1_073_741_824,
  'segment.ms': 604_800_000,
  'segment.index.bytes': 10_485_760,
  'index.interval.bytes': 4096,
  'cleanup.policy': 'delete',
  'message.timestamp.type': 'CreateTime',
  'max.message.bytes': 1_048_588,
  'delete.retention.ms': 86_400_000,
  'min.compaction.lag.ms': 0,
  'min.cleanable.dirty.ratio': 0.5,
};

export class MemoryPartition implements PartitionLog {
  readonly topic: string;
  readonly partition: number;
  logStartOffset = 0n;
  logEndOffset = 0n;
  /** Offset below which everything is "fsynced". */
  flushedOffset = 0n;
  readonly batches: Buffer[] = [];
  private readonly owner: MemoryLogManager;
  private readonly listeners = new Set<() => void>();

  constructor(owner: MemoryLogManager, topic: string, partition: number) {
    this.owner = owner;
    this.topic = topic;
    this.partition = partition;
  }

  append(records: Buffer, batches: BatchHeader[]): AppendResult {
    if (this.owner.failAppends !== null) throw new LogError(this.owner.failAppends, 'append refused by the test');
    const baseOffset = this.logEndOffset;
    for (const h of batches) {
      const copy = Buffer.from(records.subarray(h.position, h.position + h.size));
      setBaseOffset(copy, 0, this.logEndOffset);
      this.batches.push(copy);
      this.logEndOffset += BigInt(h.lastOffsetDelta) + 1n;
    }
    for (const l of this.listeners) l();
    return { baseOffset, lastOffset: this.logEndOffset - 1n, logAppendTime: -1n, logStartOffset: this.logStartOffset, duplicate: false };
  }

  flush(): Promise<void> {
    const upTo = this.logEndOffset;
    return this.owner.flushGate().then(() => {
      if (upTo > this.flushedOffset) this.flushedOffset = upTo;
    });
  }

  read(offset: bigint, maxBytes: number, minOneBatch: boolean): ReadResult {
    if (offset < this.logStartOffset || offset > this.logEndOffset) {
      throw new LogError('OFFSET_OUT_OF_RANGE', `offset ${offset} outside [${this.logStartOffset}, ${this.logEndOffset}]`);
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    for (const b of this.batches) {
      if (lastOffsetOf(readBatchHeader(b, 0)) < offset) continue;
      if (bytes + b.length > maxBytes && !(minOneBatch && chunks.length === 0)) break;
      chunks.push(b);
      bytes += b.length;
    }
    return { chunks, bytes, highWatermark: this.logEndOffset, logStartOffset: this.logStartOffset, release: () => {} };
  }

  offsetForTimestamp(): { offset: bigint; timestamp: bigint } | null {
    return null;
  }

  maxTimestampOffset(): { offset: bigint; timestamp: bigint } | null {
    return null;
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export class MemoryLogManager implements LogManager {
  private readonly infos = new Map<string, TopicInfo>();
  private readonly partitions = new Map<string, MemoryPartition[]>();
  /** When set, appends throw LogError with this name. */
  failAppends: ConstructorParameters<typeof LogError>[0] | null = null;
  private held: { resolve: () => void; reject: (e: Error) => void }[] | null = null;
  private failFlushes: Error | null = null;

  topics(): TopicInfo[] {
    return [...this.infos.values()];
  }

  topic(name: string): TopicInfo | undefined {
    return this.infos.get(name);
  }

  topicById(id: Buffer): TopicInfo | undefined {
    return this.topics().find((t) => t.id.equals(id));
  }

  partition(topic: string, partition: number): MemoryPartition | undefined {
    return this.partitions.get(topic)?.[partition];
  }

  createTopic(name: string, partitions: number, overrides: Record<string, string>, internal = false): TopicInfo {
    if (this.infos.has(name)) throw new LogError('TOPIC_ALREADY_EXISTS', `topic ${name} exists`);
    const info: TopicInfo = {
      name,
      id: Buffer.alloc(16, this.infos.size + 1),
      partitions,
      overrides: { ...overrides },
      config: { ...DEFAULT_CONFIG, ...(overrides as Partial<TopicConfig>) },
      internal,
    };
    this.infos.set(name, info);
    this.partitions.set(
      name,
      Array.from({ length: partitions }, (_, i) => new MemoryPartition(this, name, i)),
    );
    return info;
  }

  validateTopic(name: string, partitions: number): void {
    if (name === '' || partitions < 1) throw new LogError('INVALID_TOPIC_EXCEPTION', `bad topic ${name}/${partitions}`);
  }

  deleteTopic(name: string): void {
    this.infos.delete(name);
    this.partitions.delete(name);
  }

  createPartitions(name: string, total: number): void {
    const list = this.partitions.get(name);
    const info = this.infos.get(name);
    if (list === undefined || info === undefined) throw new LogError('UNKNOWN_TOPIC_OR_PARTITION', name);
    while (list.length < total) list.push(new MemoryPartition(this, name, list.length));
    info.partitions = total;
  }

  alterTopicConfig(): void {}

  allocateProducerId(): bigint {
    return 0n;
  }

  async runMaintenance(): Promise<void> {}

  async close(): Promise<void> {}

  // Test controls.

  /** Flushes wait until releaseFlushes(). */
  holdFlushes(): void {
    this.held ??= [];
  }

  releaseFlushes(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const h of held) h.resolve();
  }

  /** Held and future flushes reject with `err` (until cleared with null). */
  setFlushFailure(err: Error | null): void {
    this.failFlushes = err;
    if (err !== null) {
      const held = this.held ?? [];
      this.held = held.length > 0 ? [] : this.held;
      for (const h of held) h.reject(err);
    }
  }

  flushGate(): Promise<void> {
    if (this.failFlushes !== null) return Promise.reject(this.failFlushes);
    const held = this.held;
    if (held === null) return Promise.resolve();
    return new Promise((resolve, reject) => held.push({ resolve, reject }));
  }
}
