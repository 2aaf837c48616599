// Opening a partition directory: finishing or discarding what a crash interrupted (compaction
// swaps, deletions, temp files), loading segments and their indexes, and after an unclean
// shutdown validating every batch from the recovery point on, truncating at the first torn one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BATCH_HEADER_SIZE, readBatchHeader } from '../protocol/record-batch.ts';
import {
  CLEANED_SUFFIX,
  DELETED_SUFFIX,
  fsyncDirSync,
  INDEX_SUFFIX,
  isTempFile,
  LOG_SUFFIX,
  offsetFileName,
  parseOffsetFileName,
  readFully,
  SWAP_SUFFIX,
  TIME_INDEX_SUFFIX,
  unlinkIfExists,
} from './fs-util.ts';
import { Segment, type SegmentSettings } from './segment.ts';

export const RECOVERY_POINT_FILE = 'recovery-point';

export interface LoadedSegments {
  segments: Segment[];
  /** Segments whose contents were validated (and maybe truncated) rather than trusted. */
  recovered: Set<Segment>;
  truncatedBytes: number;
}

export function readRecoveryPoint(dir: string): bigint {
  try {
    const s = fs.readFileSync(path.join(dir, RECOVERY_POINT_FILE), 'utf8').trim();
    return /^\d+$/.test(s) ? BigInt(s) : 0n;
  } catch {
    return 0n;
  }
}

/** Removes leftovers and completes interrupted compaction swaps; returns bases to re-index. */
function tidy(dir: string): Set<bigint> {
  const forced = new Set<bigint>();
  const names = fs.readdirSync(dir);
  for (const name of names) {
    if (name.endsWith(DELETED_SUFFIX) || name.endsWith(CLEANED_SUFFIX) || isTempFile(name)) unlinkIfExists(path.join(dir, name));
  }
  for (const name of names) {
    if (!name.endsWith(SWAP_SUFFIX)) continue;
    const base = parseOffsetFileName(name.slice(0, -SWAP_SUFFIX.length), LOG_SUFFIX);
    if (base === null) {
      unlinkIfExists(path.join(dir, name));
      continue;
    }
    // The swap file was complete and fsynced before it got this name: finish the swap. Its old
    // indexes describe the old file, so they go and get rebuilt.
    unlinkIfExists(path.join(dir, offsetFileName(base, INDEX_SUFFIX)));
    unlinkIfExists(path.join(dir, offsetFileName(base, TIME_INDEX_SUFFIX)));
    fs.renameSync(path.join(dir, name), path.join(dir, offsetFileName(base, LOG_SUFFIX)));
    forced.add(base);
  }
  if (forced.size > 0) fsyncDirSync(dir);
  return forced;
}

function listBases(dir: string): bigint[] {
  const logs = new Set<bigint>();
  const names = fs.readdirSync(dir);
  for (const name of names) {
    const b = parseOffsetFileName(name, LOG_SUFFIX);
    if (b !== null) logs.add(b);
  }
  for (const name of names) {
    // Index files without their log (left by a crash during deletion) would mislead a future
    // segment with the same base offset.
    const b = parseOffsetFileName(name, INDEX_SUFFIX) ?? parseOffsetFileName(name, TIME_INDEX_SUFFIX);
    if (b !== null && !logs.has(b)) unlinkIfExists(path.join(dir, name));
  }
  return [...logs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Broker time a loaded active segment counts its age from: its first batch's timestamp. */
function firstBatchTime(seg: Segment, now: number): number {
  if (seg.size < BATCH_HEADER_SIZE) return now;
  const b = Buffer.allocUnsafe(BATCH_HEADER_SIZE);
  if (readFully(seg.fd, b, 0, BATCH_HEADER_SIZE, 0) < BATCH_HEADER_SIZE) return now;
  const ts = Number(readBatchHeader(b, 0).maxTimestamp);
  return ts >= 0 && ts < now ? ts : now;
}

/**
 * Loads the segments of a partition directory. After a clean shutdown the index files are
 * trusted once they pass sanity checks (else rebuilt); after an unclean one every segment from
 * the recovery point on is validated batch by batch and cut at the first bad batch, and the
 * segments after a cut are deleted (their offsets would no longer follow).
 */
export function loadSegments(dir: string, settings: SegmentSettings, clean: boolean, now: number): LoadedSegments {
  const forced = tidy(dir);
  const bases = listBases(dir);
  const recoveryPoint = readRecoveryPoint(dir);
  const segments: Segment[] = [];
  const recovered = new Set<Segment>();
  let truncatedBytes = 0;
  for (let i = 0; i < bases.length; i++) {
    const base = bases[i]!;
    const nextBase = bases[i + 1];
    const last = nextBase === undefined;
    const seg = Segment.open(dir, base, settings, now);
    segments.push(seg);
    const mustValidate = forced.has(base) || (!clean && (last || nextBase > recoveryPoint));
    let cut = 0;
    if (mustValidate || !seg.loadIndexes() || (last && !seg.loadTail())) {
      cut = seg.recover();
      recovered.add(seg);
      truncatedBytes += cut;
    } else if (!last) {
      seg.nextOffset = nextBase;
    }
    if (cut > 0 && !last) {
      for (const later of bases.slice(i + 1)) {
        for (const suffix of [LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX]) unlinkIfExists(path.join(dir, offsetFileName(later, suffix)));
      }
      fsyncDirSync(dir);
      break;
    }
  }
  if (segments.length === 0) {
    segments.push(Segment.create(dir, 0n, settings, now));
    fsyncDirSync(dir);
  }
  const active = segments.at(-1)!;
  active.created = firstBatchTime(active, now);
  return { segments, recovered, truncatedBytes };
}
