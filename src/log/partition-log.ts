// The log of one partition: an ordered list of segments, offset assignment on append, idempotent
// producer checks, reads of whole batches, timestamp lookups, rolling, group-commit flushes and
// the segment deletions retention and compaction ask for.

import { channel } from 'node:diagnostics_channel';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BATCH_LENGTH,
  type BatchHeader,
  compressionOf,
  isLogAppendTime,
  LOG_OVERHEAD,
  setBaseOffset,
  setLogAppendTime,
} from '../protocol/record-batch.ts';
import { canDecompress, decodeRecords } from '../protocol/records.ts';
import { scanHeaders } from './batch-scan.ts';
import { checkCompactedKeys } from './compacted-keys.ts';
import { atomicWriteFile } from './fs-util.ts';
import { GroupCommit } from './group-commit.ts';
import { LogError } from './log-error.ts';
import { loadSnapshot, ProducerState, pruneSnapshots, snapshotPath, writeSnapshot } from './producer-state.ts';
import { ReadBufferPool } from './read-pool.ts';
import { loadSegments, RECOVERY_POINT_FILE } from './recovery.ts';
import { MAX_RELATIVE_OFFSET, Segment, type SegmentSettings } from './segment.ts';
import { hasCompact } from './topic-config.ts';
import type { AppendResult, PartitionLog, ReadResult, TopicConfig } from './types.ts';

/** Errors of background work (flush after roll, index finalization, listener failures). */
export const logErrorChannel = channel('brook:log:error');

export interface PartitionOpenOptions {
  dir: string;
  topic: string;
  partition: number;
  config: TopicConfig;
  clock: () => number;
  /** The data directory was shut down cleanly: trust index files that pass sanity checks. */
  clean: boolean;
}

const EMPTY_CHUNKS: Buffer[] = [];
const noRelease = (): void => {};
/** Shared by every partition: fetches return their buffers once the response is on the socket. */
const readPool = new ReadBufferPool();

export class Partition implements PartitionLog {
  readonly topic: string;
  readonly partition: number;
  readonly dir: string;
  config: TopicConfig;
  /** Oldest first; the last one is the active segment. Never empty. */
  segments: Segment[];
  readonly producers = new ProducerState();
  private readonly clock: () => number;
  private endOffset: bigint;
  private appendedBytes = 0;
  private readonly dirty = new Set<Segment>();
  private readonly commit: GroupCommit;
  private readonly listeners = new Set<() => void>();
  private notifyScheduled = false;
  /** Background work (post-roll flush, index finalization, deletions), chained in order. */
  private background: Promise<void> = Promise.resolve();
  state: 'open' | 'closed' | 'deleted' = 'open';
  /** Bytes cut off by recovery when the partition was opened (0 after a clean shutdown). */
  readonly recoveredTruncatedBytes: number;

  private constructor(opts: PartitionOpenOptions, segments: Segment[], truncated: number) {
    this.topic = opts.topic;
    this.partition = opts.partition;
    this.dir = opts.dir;
    this.config = opts.config;
    this.clock = opts.clock;
    this.segments = segments;
    this.endOffset = segments.at(-1)!.nextOffset;
    this.recoveredTruncatedBytes = truncated;
    this.commit = new GroupCommit(
      () => this.syncRound(),
      () => this.appendedBytes,
    );
  }

  /** Opens (creating if needed) and recovers a partition directory. */
  static open(opts: PartitionOpenOptions): Partition {
    fs.mkdirSync(opts.dir, { recursive: true });
    const now = opts.clock();
    const loaded = loadSegments(opts.dir, settingsOf(opts.config), opts.clean, now);
    const p = new Partition(opts, loaded.segments, loaded.truncatedBytes);
    for (const seg of loaded.recovered) {
      // Validated, but maybe only in the page cache of the crashed process: fsync them and
      // write their indexes before they count as durable.
      seg.flushedSize = 0;
      if (seg.size > 0) p.dirty.add(seg);
    }
    if (p.dirty.size > 0) {
      p.appendedBytes = 1; // something to flush
      p.schedule(() => p.flushAndFinalize());
    }
    p.loadProducerState(now);
    return p;
  }

  get logStartOffset(): bigint {
    return this.segments[0]!.baseOffset;
  }

  get logEndOffset(): bigint {
    return this.endOffset;
  }

  get active(): Segment {
    return this.segments.at(-1)!;
  }

  /** Bytes in all segments. */
  get size(): number {
    let n = 0;
    for (const s of this.segments) n += s.size;
    return n;
  }

  private ensureOpen(): void {
    if (this.state === 'deleted') throw new LogError('UNKNOWN_TOPIC_OR_PARTITION', `partition ${this.topic}-${this.partition} was deleted`);
    if (this.state === 'closed')
      throw new LogError('KAFKA_STORAGE_ERROR', `the log of ${this.topic}-${this.partition} is closed (broker shutting down)`);
  }

  append(records: Buffer, batches: BatchHeader[]): AppendResult {
    this.ensureOpen();
    const cfg = this.config;
    if (batches.length === 0) throw new LogError('INVALID_RECORD', 'empty record set');
    const start = batches[0]!.position;
    let end = start;
    let count = 0;
    let idempotent = false;
    const maxBatch = cfg['max.message.bytes'];
    for (const h of batches) {
      if (h.position !== end) throw new LogError('CORRUPT_MESSAGE', `batches must be contiguous: batch at ${h.position}, expected ${end}`);
      if (h.size > maxBatch) {
        throw new LogError(
          'MESSAGE_TOO_LARGE',
          `a record batch of ${h.size} bytes exceeds max.message.bytes=${maxBatch} of topic ${this.topic}`,
        );
      }
      end += h.size;
      count += h.lastOffsetDelta + 1;
      if (h.producerId >= 0n && h.baseSequence >= 0) idempotent = true;
    }
    if (end > records.length) throw new LogError('CORRUPT_MESSAGE', `batches claim ${end} bytes, the record set has ${records.length}`);
    const total = end - start;
    if (total > cfg['segment.bytes']) {
      throw new LogError(
        'RECORD_LIST_TOO_LARGE',
        `a record set of ${total} bytes exceeds segment.bytes=${cfg['segment.bytes']} of topic ${this.topic}`,
      );
    }
    if (hasCompact(cfg)) for (const h of batches) checkCompactedKeys(records, h, this.topic);

    if (idempotent) {
      const pending = batches.length > 1 ? new Map<bigint, { epoch: number; lastSeq: number }>() : undefined;
      for (const h of batches) {
        if (h.producerId < 0n || h.baseSequence < 0) continue;
        const lastSeq = (h.baseSequence + h.lastOffsetDelta) % 2 ** 31;
        const dup = this.producers.check(h.producerId, h.producerEpoch, h.baseSequence, lastSeq, pending);
        if (dup) {
          return {
            baseOffset: dup.firstOffset,
            lastOffset: dup.lastOffset,
            logAppendTime: isLogAppendTime(h) || cfg['message.timestamp.type'] === 'LogAppendTime' ? dup.timestamp : -1n,
            logStartOffset: this.logStartOffset,
            duplicate: true,
          };
        }
        pending?.set(h.producerId, { epoch: h.producerEpoch, lastSeq });
      }
    }

    const now = this.clock();
    const firstOffset = this.endOffset;
    this.maybeRoll(total, firstOffset + BigInt(count - 1), now);
    const seg = this.active;
    const logAppendTime = cfg['message.timestamp.type'] === 'LogAppendTime';
    const nowTs = BigInt(now);
    let next = firstOffset;
    for (const h of batches) {
      setBaseOffset(records, h.position, next);
      if (logAppendTime) setLogAppendTime(records, h, nowTs);
      next += BigInt(h.lastOffsetDelta + 1);
    }
    try {
      seg.write(records, start, total);
    } catch (err) {
      throw new LogError('KAFKA_STORAGE_ERROR', `writing ${this.topic}-${this.partition} failed: ${(err as Error).message}`);
    }
    const filePos = seg.size - start;
    next = firstOffset;
    for (const h of batches) {
      const last = next + BigInt(h.lastOffsetDelta);
      const ts = logAppendTime ? nowTs : h.maxTimestamp;
      seg.indexBatch(last, ts, filePos + h.position, h.size);
      if (h.producerId >= 0n && h.baseSequence >= 0) {
        this.producers.record(
          h.producerId,
          h.producerEpoch,
          {
            firstSeq: h.baseSequence,
            lastSeq: (h.baseSequence + h.lastOffsetDelta) % 2 ** 31,
            firstOffset: next,
            lastOffset: last,
            timestamp: ts,
          },
          now,
        );
      }
      next = last + 1n;
    }
    seg.size += total;
    seg.nextOffset = next;
    this.endOffset = next;
    this.appendedBytes += total;
    this.dirty.add(seg);
    if (this.listeners.size > 0 && !this.notifyScheduled) {
      this.notifyScheduled = true;
      queueMicrotask(() => this.notify());
    }
    return {
      baseOffset: firstOffset,
      lastOffset: next - 1n,
      logAppendTime: logAppendTime ? nowTs : -1n,
      logStartOffset: this.logStartOffset,
      duplicate: false,
    };
  }

  private notify(): void {
    this.notifyScheduled = false;
    for (const l of this.listeners) {
      try {
        l();
      } catch (err) {
        logErrorChannel.publish({ topic: this.topic, partition: this.partition, what: 'onAppend listener', error: err });
      }
    }
  }

  onAppend(listener: () => void): () => void {
    const l = () => listener();
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  }

  /** Kafka's roll rules: size, age, a full index, or offsets beyond a relative int32. */
  private maybeRoll(bytes: number, lastOffset: bigint, now: number): void {
    const seg = this.active;
    if (seg.size === 0) return;
    const cfg = this.config;
    if (
      seg.size + bytes > cfg['segment.bytes'] ||
      now - seg.created >= cfg['segment.ms'] ||
      seg.index.isFull() ||
      seg.timeIndex.isFull() ||
      lastOffset - seg.baseOffset > MAX_RELATIVE_OFFSET
    ) {
      this.roll(now);
    }
  }

  /** Starts a new active segment at the log end. The old one is fsynced and sealed in the background. */
  roll(now = this.clock()): void {
    const old = this.active;
    if (old.size === 0) return; // an empty segment already starts at the log end
    old.sealTimeIndex();
    old.nextOffset = this.endOffset;
    const seg = Segment.create(this.dir, this.endOffset, settingsOf(this.config), now);
    this.segments.push(seg);
    const at = this.endOffset;
    const snapshot = this.producers.encode();
    this.schedule(async () => {
      await fs.promises.writeFile(snapshotPath(this.dir, at), snapshot, { flush: true });
      pruneSnapshots(this.dir);
      await this.flushAndFinalize();
    });
  }

  /** Runs `task` after the background tasks before it; failures go to the error channel. */
  private schedule(task: () => Promise<void>): Promise<void> {
    const run = this.background.then(async () => {
      if (this.state !== 'open') return;
      try {
        await task();
      } catch (error) {
        logErrorChannel.publish({ topic: this.topic, partition: this.partition, what: 'background', error });
      }
    });
    this.background = run;
    return run;
  }

  /** Waits for background work scheduled so far. */
  idle(): Promise<void> {
    return this.background;
  }

  /**
   * Runs `task` alone with the background work (index finalization writes index files, which must
   * not interleave with compaction swapping a segment or retention renaming it). Rejects with the
   * task's error; resolves undefined if the partition stopped meanwhile.
   */
  exclusive<T>(task: () => T | Promise<T>): Promise<T | undefined> {
    const run = this.background.then(() => (this.state === 'open' ? task() : undefined));
    this.background = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  private async flushAndFinalize(): Promise<void> {
    await this.flush();
    await this.finalizeInactive();
  }

  /**
   * Writes the indexes of inactive segments that are fully fsynced and moves the recovery point
   * past them: after a crash, only segments from the recovery point on are validated.
   */
  private async finalizeInactive(): Promise<void> {
    const inactive = this.segments.slice(0, -1);
    let changed = false;
    for (const seg of inactive) {
      if (seg.indexesOnDisk || seg.closed || seg.flushedSize < seg.size || !this.segments.includes(seg)) continue;
      await writeDurable(seg.indexPath, seg.index.bytes());
      await writeDurable(seg.timeIndexPath, seg.timeIndex.bytes());
      seg.indexesOnDisk = true;
      changed = true;
    }
    if (!changed || this.state !== 'open') return;
    let point = this.active.baseOffset;
    for (const seg of this.segments) {
      if (!seg.indexesOnDisk || seg.flushedSize < seg.size) {
        point = seg.baseOffset;
        break;
      }
    }
    await atomicWriteFile(path.join(this.dir, RECOVERY_POINT_FILE), `${point}\n`);
  }

  /** Resolves once everything appended before the call is on stable storage (group commit). */
  flush(): Promise<void> {
    if (this.state === 'deleted') return Promise.resolve();
    return this.commit.flush();
  }

  private async syncRound(): Promise<void> {
    const segs = [...this.dirty];
    this.dirty.clear();
    const targets = segs.map((s) => s.size);
    try {
      await Promise.all(segs.map((s) => s.datasync()));
    } catch (err) {
      for (const s of segs) this.dirty.add(s);
      throw new LogError('KAFKA_STORAGE_ERROR', `fsync of ${this.topic}-${this.partition} failed: ${(err as Error).message}`);
    }
    segs.forEach((s, i) => {
      if (targets[i]! > s.flushedSize) s.flushedSize = targets[i]!;
    });
  }

  /** Index (into segments) of the segment that holds `offset`: the last base <= offset. */
  private segmentFor(offset: bigint): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  read(offset: bigint, maxBytes: number, minOneBatch: boolean): ReadResult {
    this.ensureOpen();
    const logStart = this.logStartOffset;
    const hw = this.endOffset;
    if (offset < logStart || offset > hw) {
      throw new LogError('OFFSET_OUT_OF_RANGE', `offset ${offset} is outside [${logStart}, ${hw}] of ${this.topic}-${this.partition}`);
    }
    const result: ReadResult = { chunks: EMPTY_CHUNKS, bytes: 0, highWatermark: hw, logStartOffset: logStart, release: noRelease };
    if (offset === hw) return result;
    const taken: Buffer[] = [];
    let budget = maxBytes;
    let first = true;
    let target = offset;
    for (let i = this.segmentFor(offset); i < this.segments.length; i++) {
      const seg = this.segments[i]!;
      const h = seg.findBatch(target);
      if (h === null) continue;
      if (h.size > budget && !(first && minOneBatch)) break;
      const avail = seg.size - h.position;
      const want = first && minOneBatch ? Math.min(avail, Math.max(budget, h.size)) : Math.min(avail, budget);
      const buf = seg.read(h.position, want, readPool);
      taken.push(buf);
      // Whole batches only: cut at the last batch that fits.
      let end = 0;
      while (end + LOG_OVERHEAD <= buf.length) {
        const size = buf.readInt32BE(end + BATCH_LENGTH) + LOG_OVERHEAD;
        if (end + size > buf.length) break;
        end += size;
      }
      if (end === 0) break;
      if (result.chunks === EMPTY_CHUNKS) result.chunks = [];
      result.chunks.push(end === buf.length ? buf : buf.subarray(0, end));
      result.bytes += end;
      budget -= end;
      first = false;
      if (h.position + end < seg.size || budget <= 0) break;
      target = seg.nextOffset;
    }
    if (taken.length > 0) {
      let released = false;
      result.release = () => {
        if (released) return;
        released = true;
        for (const b of taken) readPool.give(b);
      };
    }
    return result;
  }

  /**
   * The first record with a timestamp >= ts: the time index narrows the start, then batch
   * headers (max timestamps) find the batch. Batches Node can decode (none, gzip, zstd) are
   * decoded to return the exact record; snappy/lz4 batches and LogAppendTime batches answer with
   * the batch's first offset and its max timestamp.
   */
  offsetForTimestamp(ts: bigint): { offset: bigint; timestamp: bigint } | null {
    this.ensureOpen();
    for (const seg of this.segments) {
      if (seg.maxTimestamp < ts || seg.size === 0) continue;
      const from = seg.index.lookup(seg.timeIndex.offsetBefore(ts));
      let found: BatchHeader | null = null;
      scanHeaders(seg.fd, from, seg.size, (h) => {
        if (h.maxTimestamp >= ts) {
          found = h;
          return true;
        }
        return false;
      });
      if (found === null) continue;
      return exactRecord(seg, found, ts);
    }
    return null;
  }

  /**
   * KIP-734 (ListOffsets MAX_TIMESTAMP): the largest timestamp and the last offset of the batch
   * that carries it (batch granularity: the log does not decode records for this).
   */
  maxTimestampOffset(): { offset: bigint; timestamp: bigint } | null {
    let best: Segment | null = null;
    for (const seg of this.segments) if (seg.size > 0 && (best === null || seg.maxTimestamp > best.maxTimestamp)) best = seg;
    return best ? { offset: best.offsetOfMaxTimestamp, timestamp: best.maxTimestamp } : null;
  }

  /** Removes the oldest `n` segments (never the active one) and advances the log start offset. */
  deleteOldestSegments(n: number): void {
    const count = Math.min(n, this.segments.length - 1);
    if (count <= 0) return;
    const gone = this.segments.splice(0, count);
    const files: string[] = [];
    for (const seg of gone) {
      this.dirty.delete(seg);
      files.push(...seg.renameForDeletion());
    }
    this.schedule(async () => {
      await Promise.all(files.map((f) => fs.promises.rm(f, { force: true })));
    });
  }

  /** Replaces the segment at `index` (used by compaction once the new file is in place). */
  replaceSegment(index: number, seg: Segment): void {
    const old = this.segments[index]!;
    this.dirty.delete(old);
    this.segments[index] = seg;
    old.close();
  }

  private loadProducerState(now: number): void {
    const from = loadSnapshot(this.dir, this.endOffset, this.producers) ?? this.logStartOffset;
    for (const seg of this.segments) {
      if (seg.nextOffset <= from && seg !== this.active) continue;
      scanHeaders(seg.fd, seg.index.lookup(from), seg.size, (h) => {
        if (h.baseOffset < from || h.producerId < 0n || h.baseSequence < 0) return false;
        const last = h.baseOffset + BigInt(h.lastOffsetDelta);
        this.producers.record(
          h.producerId,
          h.producerEpoch,
          {
            firstSeq: h.baseSequence,
            lastSeq: (h.baseSequence + h.lastOffsetDelta) % 2 ** 31,
            firstOffset: h.baseOffset,
            lastOffset: last,
            timestamp: h.maxTimestamp,
          },
          now,
        );
        return false;
      });
    }
  }

  /** Flushes, writes indexes and a producer snapshot, and closes the files (clean shutdown). */
  async close(): Promise<void> {
    if (this.state !== 'open') return;
    await this.background;
    await this.flush();
    await this.background;
    this.state = 'closed';
    for (const seg of this.segments) {
      if (seg === this.active) seg.sealTimeIndex();
      if (!seg.indexesOnDisk) seg.writeIndexes();
    }
    writeSnapshot(this.dir, this.endOffset, this.producers);
    for (const seg of this.segments) seg.close();
  }

  /** Drops everything as a crash would: no flush, no indexes, no snapshot (tests). */
  abandon(): void {
    this.state = 'closed';
    for (const seg of this.segments) seg.close();
  }

  /** For deleteTopic: stops serving and closes the files (the caller removes the directory). */
  markDeleted(): void {
    this.state = 'deleted';
    for (const seg of this.segments) seg.close();
  }
}

export function settingsOf(c: TopicConfig): SegmentSettings {
  return { indexIntervalBytes: c['index.interval.bytes'], maxIndexBytes: c['segment.index.bytes'] };
}

async function writeDurable(file: string, data: Buffer): Promise<void> {
  await fs.promises.writeFile(file, data, { flush: true });
}

function exactRecord(seg: Segment, h: BatchHeader, ts: bigint): { offset: bigint; timestamp: bigint } {
  const coarse = { offset: h.baseOffset, timestamp: h.maxTimestamp };
  if (isLogAppendTime(h) || !canDecompress(compressionOf(h))) return coarse;
  const buf = seg.read(h.position, h.size);
  try {
    const local = { ...h, position: 0 };
    for (const r of decodeRecords(buf, local)) {
      const t = h.baseTimestamp + r.timestampDelta;
      if (t >= ts) return { offset: h.baseOffset + BigInt(r.offsetDelta), timestamp: t };
    }
  } catch {}
  return coarse;
}
