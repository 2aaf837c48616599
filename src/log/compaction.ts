// Log compaction (cleanup.policy=compact): keeps the latest record per key, drops tombstones older
// than delete.retention.ms and keyless records, keeps offsets, and swaps each cleaned segment in
// atomically (`.log.cleaned` -> fsync -> `.log.swap` -> `.log`). Batches Node cannot decode
// (snappy, lz4) and control batches are kept unchanged. Segments are cleaned one to one (no merging).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compressionOf, isControl, readBatchHeader } from '../protocol/record-batch.ts';
import { buildBatch, canDecompress, decodeRecords, type KafkaRecord } from '../protocol/records.ts';
import { scanBatches } from './batch-scan.ts';
import {
  atomicWriteFile,
  CLEANED_SUFFIX,
  fsyncDirSync,
  LOG_SUFFIX,
  offsetFileName,
  SWAP_SUFFIX,
  unlinkIfExists,
  writeFully,
} from './fs-util.ts';
import { type Partition, settingsOf } from './partition-log.ts';
import { Segment } from './segment.ts';

export const CLEANER_CHECKPOINT_FILE = 'cleaner-checkpoint';
const WRITE_CHUNK = 1024 * 1024;

export interface CompactionStats {
  segmentsRewritten: number;
  recordsRemoved: number;
  bytesBefore: number;
  bytesAfter: number;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export function readCleanerCheckpoint(dir: string): bigint {
  try {
    const s = fs.readFileSync(path.join(dir, CLEANER_CHECKPOINT_FILE), 'utf8').trim();
    return /^\d+$/.test(s) ? BigInt(s) : 0n;
  } catch {
    return 0n;
  }
}

/** Decodable record batches of a segment, in order; undecodable ones come with records = null. */
function forEachBatch(
  seg: Segment,
  end: number,
  visit: (buf: Buffer, at: number, size: number, records: KafkaRecord[] | null) => void,
): void {
  scanBatches(seg.fd, 0, end, (buf, at, size) => {
    const h = readBatchHeader(buf, at);
    let records: KafkaRecord[] | null = null;
    if (!isControl(h) && canDecompress(compressionOf(h))) {
      try {
        records = decodeRecords(buf, h);
      } catch {
        records = null;
      }
    }
    visit(buf, at, size, records);
    return false;
  });
}

/**
 * Cleans the partition once if its dirty ratio calls for it. `stopped` is polled between steps
 * (the topic may be deleted or the broker closed meanwhile). Returns null when nothing was due.
 */
export async function compactPartition(p: Partition, now: number, stopped: () => boolean): Promise<CompactionStats | null> {
  const cfg = p.config;
  const lag = cfg['min.compaction.lag.ms'];
  // Cleanable: inactive segments whose records are all older than the compaction lag.
  let k = 0;
  while (k < p.segments.length - 1) {
    const seg = p.segments[k]!;
    if (lag > 0 && seg.maxTimestamp > BigInt(now - lag)) break;
    k++;
  }
  if (k === 0) return null;
  const cleanable = p.segments.slice(0, k);
  const firstUncleanable = p.segments[k]!.baseOffset;
  const checkpoint = readCleanerCheckpoint(p.dir);
  let total = 0;
  let dirty = 0;
  for (const seg of cleanable) {
    total += seg.size;
    if (seg.baseOffset >= checkpoint) dirty += seg.size;
  }
  if (total === 0 || dirty / total < cfg['min.cleanable.dirty.ratio'] || dirty === 0) return null;

  // Latest offset per key over the dirty part of the log, including the active segment: any
  // record there is newer than what it supersedes in the cleanable segments.
  const latest = new Map<string, bigint>();
  for (const seg of p.segments.slice()) {
    if (seg.nextOffset <= checkpoint && seg !== p.active) continue;
    forEachBatch(seg, seg.size, (buf, at, _size, records) => {
      if (records === null) return;
      const base = buf.readBigInt64BE(at);
      for (const r of records) if (r.key !== null) latest.set(r.key.toString('latin1'), base + BigInt(r.offsetDelta));
    });
    await tick();
    if (stopped()) return null;
  }

  const stats: CompactionStats = { segmentsRewritten: 0, recordsRemoved: 0, bytesBefore: 0, bytesAfter: 0 };
  const tombstoneHorizon = BigInt(now - cfg['delete.retention.ms']);
  for (const seg of cleanable) {
    if (stopped()) return stats;
    const dropTombstones = seg.maxTimestamp < tombstoneHorizon;
    const cleanedPath = path.join(p.dir, offsetFileName(seg.baseOffset, LOG_SUFFIX + CLEANED_SUFFIX));
    const out = fs.openSync(cleanedPath, 'w');
    let written = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let removed = 0;
    const put = (b: Buffer) => {
      pending.push(b);
      pendingBytes += b.length;
      if (pendingBytes >= WRITE_CHUNK) drain();
    };
    const drain = () => {
      const all = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
      writeFully(out, all, 0, all.length, written);
      written += all.length;
      pending = [];
      pendingBytes = 0;
    };
    try {
      forEachBatch(seg, seg.size, (buf, at, size, records) => {
        if (records === null) {
          put(Buffer.from(buf.subarray(at, at + size)));
          return;
        }
        const h = readBatchHeader(buf, at);
        const kept = records.filter((r) => {
          if (r.key === null) return false;
          const newest = latest.get(r.key.toString('latin1'));
          if (newest !== undefined && newest > h.baseOffset + BigInt(r.offsetDelta)) return false;
          return !(r.value === null && dropTombstones);
        });
        removed += records.length - kept.length;
        if (kept.length === records.length) put(Buffer.from(buf.subarray(at, at + size)));
        else if (kept.length > 0) {
          put(
            buildBatch(kept, {
              baseOffset: h.baseOffset,
              baseTimestamp: h.baseTimestamp,
              maxTimestamp: h.maxTimestamp,
              lastOffsetDelta: h.lastOffsetDelta,
              compression: compressionOf(h),
              attributes: h.attributes,
              producerId: h.producerId,
              producerEpoch: h.producerEpoch,
              baseSequence: h.baseSequence,
              partitionLeaderEpoch: h.partitionLeaderEpoch,
            }),
          );
        }
      });
      if (pendingBytes > 0) drain();
      if (removed > 0) fs.fsyncSync(out);
    } finally {
      fs.closeSync(out);
    }
    if (removed === 0 || stopped()) {
      unlinkIfExists(cleanedPath);
      await tick();
      continue;
    }
    const swapped = await p.exclusive(() => {
      if (stopped() || !p.segments.includes(seg)) return false;
      swapIn(p, seg, cleanedPath, now);
      return true;
    });
    if (!swapped) {
      unlinkIfExists(cleanedPath);
      return stats;
    }
    stats.segmentsRewritten++;
    stats.recordsRemoved += removed;
    stats.bytesBefore += seg.size;
    stats.bytesAfter += written;
    await tick();
  }
  if (!stopped()) await atomicWriteFile(path.join(p.dir, CLEANER_CHECKPOINT_FILE), `${firstUncleanable}\n`);
  return stats;
}

/**
 * Replaces `old` by the cleaned file. The rename to `.swap` is the commit point: recovery finishes
 * a swap it finds and discards a `.cleaned` file. The old indexes go before the old log is replaced,
 * so a crash in between can only leave indexes missing (rebuilt), never stale.
 */
function swapIn(p: Partition, old: Segment, cleanedPath: string, now: number): void {
  const logPath = old.logPath;
  const swapPath = logPath + SWAP_SUFFIX;
  fs.renameSync(cleanedPath, swapPath);
  fsyncDirSync(p.dir);
  unlinkIfExists(old.indexPath);
  unlinkIfExists(old.timeIndexPath);
  fs.renameSync(swapPath, logPath);
  fsyncDirSync(p.dir);
  const seg = Segment.open(p.dir, old.baseOffset, settingsOf(p.config), now);
  seg.recover();
  seg.nextOffset = old.nextOffset;
  seg.created = old.created;
  seg.writeIndexes();
  p.replaceSegment(p.segments.indexOf(old), seg);
}
