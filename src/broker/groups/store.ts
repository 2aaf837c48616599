// The __consumer_offsets topic as the coordinator's store: creating it, mapping a group to its
// partition as Kafka does, appending records (acknowledged once flushed), replaying at start.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { LogError } from '../../log/log-error.ts';
import type { LogManager, PartitionLog } from '../../log/types.ts';
import { ErrorCode, type ErrorName } from '../../protocol/error-codes.ts';
import { batchHeaders, isControl, lastOffsetOf, validateBatch } from '../../protocol/record-batch.ts';
import { decodeRecords, simpleBatch } from '../../protocol/records.ts';

export const OFFSETS_TOPIC = '__consumer_offsets';

/** Java's String.hashCode, so a group lands on the same partition number as on a Kafka broker. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Kafka's `Utils.abs(groupId.hashCode) % partitionCount`. */
export function partitionFor(groupId: string, partitionCount: number): number {
  return (javaStringHash(groupId) & 0x7fffffff) % partitionCount;
}

export interface StoreEntry {
  key: Buffer;
  /** Null writes a tombstone. */
  value: Buffer | null;
}

export interface Appended {
  /** Offset of the first entry; entry i sits at baseOffset + i. */
  baseOffset: bigint;
  /** Settles once the entries are fsynced: only then is a commit acknowledged. */
  flushed: Promise<void>;
}

export interface ReplayOptions {
  maxBytes: number;
  cancelled: () => boolean;
  /** Called for records that cannot be read; loading goes on without them. */
  onSkip: (partition: number, offset: bigint, error: unknown) => void;
}

export class OffsetsStore {
  private readonly logs: LogManager;
  readonly topic: string;
  private readonly wantedPartitions: number;
  private partitionCount = 0;

  constructor(logs: LogManager, topic: string, wantedPartitions: number) {
    this.logs = logs;
    this.topic = topic;
    this.wantedPartitions = wantedPartitions;
  }

  /**
   * Creates the topic when missing. An existing topic keeps its partition count whatever the
   * option says: groups must map to the partitions their records were written to.
   */
  open(): void {
    let info = this.logs.topic(this.topic);
    if (info === undefined) {
      try {
        info = this.logs.createTopic(this.topic, this.wantedPartitions, { 'cleanup.policy': 'compact' }, true);
      } catch (err) {
        // Created meanwhile by someone else: use theirs.
        info = this.logs.topic(this.topic);
        if (info === undefined) throw err;
      }
    }
    this.partitionCount = info.partitions;
  }

  partitionFor(groupId: string): number {
    return partitionFor(groupId, this.partitionCount);
  }

  private partition(index: number): PartitionLog {
    const p = this.logs.partition(this.topic, index);
    if (p === undefined)
      throw new LogError('UNKNOWN_TOPIC_OR_PARTITION', `${this.topic}-${index} is missing: the group coordinator cannot store group state`);
    return p;
  }

  /** Appends the entries of one group as one batch. Throws LogError when the log refuses them. */
  append(groupId: string, entries: StoreEntry[], nowMs: number): Appended {
    const partition = this.partition(this.partitionFor(groupId));
    const batch = simpleBatch(entries, BigInt(nowMs));
    const result = partition.append(batch, [validateBatch(batch, 0)]);
    return { baseOffset: result.baseOffset, flushed: partition.flush() };
  }

  /** Visits every record of every partition from the log start, in offset order. */
  async replay(
    visit: (key: Buffer | null, value: Buffer | null, partition: number, offset: bigint) => void,
    opts: ReplayOptions,
  ): Promise<number> {
    let records = 0;
    for (let index = 0; index < this.partitionCount; index++) {
      const partition = this.logs.partition(this.topic, index);
      if (partition === undefined) continue;
      let offset = partition.logStartOffset;
      const end = partition.logEndOffset;
      while (offset < end && !opts.cancelled()) {
        let read: ReturnType<PartitionLog['read']>;
        try {
          read = partition.read(offset, opts.maxBytes, true);
        } catch (err) {
          // Retention or compaction moved the log start while we read: go on from there.
          if (err instanceof LogError && err.kafkaError === 'OFFSET_OUT_OF_RANGE' && partition.logStartOffset > offset) {
            offset = partition.logStartOffset;
            continue;
          }
          throw err;
        }
        const before = offset;
        for (const chunk of read.chunks) {
          for (const h of batchHeaders(chunk)) {
            const last = lastOffsetOf(h);
            if (last < offset) continue;
            if (!isControl(h)) records += this.visitBatch(chunk, h, offset, index, visit, opts);
            offset = last + 1n;
          }
        }
        if (offset === before) break;
        // Let the broker answer other requests (COORDINATOR_LOAD_IN_PROGRESS) between chunks.
        await yieldToEventLoop();
      }
    }
    return records;
  }

  private visitBatch(
    chunk: Buffer,
    h: Parameters<typeof decodeRecords>[1],
    from: bigint,
    index: number,
    visit: (key: Buffer | null, value: Buffer | null, partition: number, offset: bigint) => void,
    opts: ReplayOptions,
  ): number {
    let decoded: ReturnType<typeof decodeRecords>;
    try {
      decoded = decodeRecords(chunk, h);
    } catch (err) {
      opts.onSkip(index, h.baseOffset, err);
      return 0;
    }
    let n = 0;
    for (const rec of decoded) {
      const at = h.baseOffset + BigInt(rec.offsetDelta);
      if (at < from) continue;
      try {
        visit(rec.key, rec.value, index, at);
        n++;
      } catch (err) {
        opts.onSkip(index, at, err);
      }
    }
    return n;
  }
}

const UNAVAILABLE: ReadonlySet<ErrorName> = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'REQUEST_TIMED_OUT',
]);
const NOT_COORDINATOR: ReadonlySet<ErrorName> = new Set(['NOT_LEADER_OR_FOLLOWER', 'KAFKA_STORAGE_ERROR']);
const TOO_LARGE: ReadonlySet<ErrorName> = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_FETCH_SIZE']);

/** The code a client gets when storing failed, mapped as Kafka's GroupMetadataManager does. */
export function storeErrorCode(err: unknown, what: 'offsets' | 'group'): number {
  if (!(err instanceof LogError)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  const name = err.kafkaError;
  if (UNAVAILABLE.has(name)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  if (NOT_COORDINATOR.has(name)) return ErrorCode.NOT_COORDINATOR;
  if (TOO_LARGE.has(name)) return what === 'offsets' ? ErrorCode.INVALID_COMMIT_OFFSET_SIZE : ErrorCode.UNKNOWN_SERVER_ERROR;
  return ErrorCode[name];
}
