// One segment of a partition log: the `.log` file of whole batches from its base offset, its two
// sparse indexes, and what appends, reads, rolls, recovery and deletion need to know about it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { type BatchHeader, validateBatch } from '../protocol/record-batch.ts';
import { scanBatches, scanHeaders } from './batch-scan.ts';
import {
  DELETED_SUFFIX,
  fdatasyncAsync,
  INDEX_SUFFIX,
  LOG_SUFFIX,
  offsetFileName,
  readFully,
  TIME_INDEX_SUFFIX,
  writeFileDurableSync,
  writeFully,
} from './fs-util.ts';
import { OffsetIndex } from './offset-index.ts';
import type { ReadBufferPool } from './read-pool.ts';
import { NO_TIMESTAMP, TimeIndex } from './time-index.ts';

export const MAX_RELATIVE_OFFSET = 0x7fffffffn;

export interface SegmentSettings {
  indexIntervalBytes: number;
  maxIndexBytes: number;
}

export class Segment {
  readonly dir: string;
  readonly baseOffset: bigint;
  fd: number;
  /** Bytes of whole batches in the file; appends write here. */
  size: number;
  /** Bytes known to be on stable storage. */
  flushedSize: number;
  /** Offset after the last batch (for inactive segments loaded trusted: the next segment's base). */
  nextOffset: bigint;
  maxTimestamp = NO_TIMESTAMP;
  offsetOfMaxTimestamp: bigint;
  /** Broker time the segment was created (segment.ms rolls count from it). */
  created: number;
  readonly index: OffsetIndex;
  readonly timeIndex: TimeIndex;
  private readonly indexIntervalBytes: number;
  private bytesSinceIndexEntry = 0;
  /** The index files on disk match memory and are fsynced. */
  indexesOnDisk = false;
  private syncsInFlight = 0;
  private closeWanted = false;
  closed = false;

  private constructor(dir: string, baseOffset: bigint, fd: number, size: number, settings: SegmentSettings, created: number) {
    this.dir = dir;
    this.baseOffset = baseOffset;
    this.fd = fd;
    this.size = size;
    this.flushedSize = size;
    this.nextOffset = baseOffset;
    this.offsetOfMaxTimestamp = baseOffset;
    this.created = created;
    this.indexIntervalBytes = settings.indexIntervalBytes;
    this.index = new OffsetIndex(baseOffset, settings.maxIndexBytes);
    this.timeIndex = new TimeIndex(baseOffset, settings.maxIndexBytes);
  }

  static create(dir: string, baseOffset: bigint, settings: SegmentSettings, now: number): Segment {
    const fd = fs.openSync(path.join(dir, offsetFileName(baseOffset, LOG_SUFFIX)), 'wx+');
    return new Segment(dir, baseOffset, fd, 0, settings, now);
  }

  /** Opens an existing segment file; indexes are loaded or rebuilt by the caller. */
  static open(dir: string, baseOffset: bigint, settings: SegmentSettings, now: number): Segment {
    const fd = fs.openSync(path.join(dir, offsetFileName(baseOffset, LOG_SUFFIX)), 'r+');
    return new Segment(dir, baseOffset, fd, fs.fstatSync(fd).size, settings, now);
  }

  get logPath(): string {
    return path.join(this.dir, offsetFileName(this.baseOffset, LOG_SUFFIX));
  }
  get indexPath(): string {
    return path.join(this.dir, offsetFileName(this.baseOffset, INDEX_SUFFIX));
  }
  get timeIndexPath(): string {
    return path.join(this.dir, offsetFileName(this.baseOffset, TIME_INDEX_SUFFIX));
  }

  /** Writes bytes at the end of the file (the caller then records each batch with indexBatch). */
  write(buf: Buffer, start: number, length: number): void {
    try {
      writeFully(this.fd, buf, start, length, this.size);
    } catch (err) {
      // Leave no torn batch behind for readers or the next append.
      try {
        fs.ftruncateSync(this.fd, this.size);
      } catch {}
      throw err;
    }
  }

  /** Records a batch written at `position`: max timestamp and sparse index entries (Kafka's rule). */
  indexBatch(lastOffset: bigint, maxTimestamp: bigint, position: number, size: number): void {
    if (maxTimestamp > this.maxTimestamp) {
      this.maxTimestamp = maxTimestamp;
      this.offsetOfMaxTimestamp = lastOffset;
    }
    if (this.bytesSinceIndexEntry > this.indexIntervalBytes) {
      this.index.append(lastOffset, position);
      this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp);
      this.bytesSinceIndexEntry = 0;
    }
    this.bytesSinceIndexEntry += size;
    this.indexesOnDisk = false;
  }

  /** Position and header of the first batch whose last offset is >= `offset`, or null. */
  findBatch(offset: bigint, from = this.index.lookup(offset)): BatchHeader | null {
    let found: BatchHeader | null = null;
    scanHeaders(this.fd, from, this.size, (h) => {
      if (h.baseOffset + BigInt(h.lastOffsetDelta) >= offset) {
        found = h;
        return true;
      }
      return false;
    });
    return found;
  }

  /** Reads [position, position + length) into a fresh buffer, or one taken from `pool`. */
  read(position: number, length: number, pool?: ReadBufferPool): Buffer {
    const buf = pool ? pool.take(length).subarray(0, length) : Buffer.allocUnsafe(length);
    const n = readFully(this.fd, buf, 0, length, position);
    return n === length ? buf : buf.subarray(0, n);
  }

  /** Adds the final time index entry (largest timestamp) as Kafka does when a segment is sealed. */
  sealTimeIndex(): void {
    if (this.maxTimestamp !== NO_TIMESTAMP) this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp, true);
  }

  /** Loads the index files; false when missing (for a non-empty log) or damaged. */
  loadIndexes(): boolean {
    const idx = readIfExists(this.indexPath);
    const tidx = readIfExists(this.timeIndexPath);
    if (this.size === 0) {
      this.index.clear();
      this.timeIndex.clear();
      return true;
    }
    if (idx === null || tidx === null) return false;
    if (!this.index.load(idx, this.size) || !this.timeIndex.load(tidx)) return false;
    if (this.timeIndex.entries === 0) return false; // a sealed non-empty segment has its final entry
    this.maxTimestamp = this.timeIndex.lastTimestamp;
    this.offsetOfMaxTimestamp = this.timeIndex.lastOffset;
    this.indexesOnDisk = true;
    return true;
  }

  /**
   * For the active segment after a clean shutdown: walks the headers after the last index entry
   * to find the next offset and the tail's timestamps. False if the tail is not whole batches.
   */
  loadTail(): boolean {
    let next = this.baseOffset;
    const start = this.index.lastPosition();
    const end = scanHeaders(this.fd, start, this.size, (h) => {
      const last = h.baseOffset + BigInt(h.lastOffsetDelta);
      if (last >= next) next = last + 1n;
      if (h.maxTimestamp > this.maxTimestamp) {
        this.maxTimestamp = h.maxTimestamp;
        this.offsetOfMaxTimestamp = last;
      }
      return false;
    });
    if (end !== this.size) return false;
    this.nextOffset = next;
    this.bytesSinceIndexEntry = this.size - start;
    return true;
  }

  /**
   * Validates every batch (length, CRC, increasing offsets), truncates the file at the first bad
   * or torn one and rebuilds the indexes from what is left. Returns the bytes truncated.
   */
  recover(): number {
    this.index.clear();
    this.timeIndex.clear();
    this.maxTimestamp = NO_TIMESTAMP;
    this.offsetOfMaxTimestamp = this.baseOffset;
    this.bytesSinceIndexEntry = 0;
    this.indexesOnDisk = false;
    let next = this.baseOffset;
    const fileSize = fs.fstatSync(this.fd).size;
    const valid = scanBatches(this.fd, 0, fileSize, (buf, at, _size, filePos) => {
      let h: BatchHeader;
      try {
        h = validateBatch(buf, at);
      } catch {
        return true;
      }
      const last = h.baseOffset + BigInt(h.lastOffsetDelta);
      if (h.baseOffset < next || last - this.baseOffset > MAX_RELATIVE_OFFSET) return true;
      this.indexBatch(last, h.maxTimestamp, filePos, h.size);
      next = last + 1n;
      return false;
    });
    if (valid < fileSize) {
      fs.ftruncateSync(this.fd, valid);
      fs.fdatasyncSync(this.fd);
    }
    this.size = valid;
    this.flushedSize = valid;
    this.nextOffset = next;
    this.sealTimeIndex();
    return fileSize - valid;
  }

  /** Writes both index files whole and fsyncs them. */
  writeIndexes(): void {
    writeFileDurableSync(this.indexPath, this.index.bytes());
    writeFileDurableSync(this.timeIndexPath, this.timeIndex.bytes());
    this.indexesOnDisk = true;
  }

  /** fdatasync off the event loop; the fd stays open until every sync in flight is done. */
  async datasync(): Promise<void> {
    if (this.closed || this.closeWanted) return;
    this.syncsInFlight++;
    try {
      await fdatasyncAsync(this.fd);
    } finally {
      this.syncsInFlight--;
      if (this.closeWanted && this.syncsInFlight === 0) this.closeNow();
    }
  }

  close(): void {
    if (this.syncsInFlight > 0) this.closeWanted = true;
    else this.closeNow();
  }

  private closeNow(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }

  /** Renames the files to `.deleted` (so a crash cannot bring them back) and closes; returns them. */
  renameForDeletion(): string[] {
    const out: string[] = [];
    for (const p of [this.logPath, this.indexPath, this.timeIndexPath]) {
      try {
        fs.renameSync(p, p + DELETED_SUFFIX);
        out.push(p + DELETED_SUFFIX);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    this.close();
    return out;
  }
}

function readIfExists(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
