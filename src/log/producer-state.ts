// Idempotent-producer state of one partition: per producer id its epoch and its last five
// batches' sequence ranges and offsets, the checks Kafka makes on append (duplicate, gap, stale
// epoch), and the `<offset>.snapshot` files that carry it across restarts and retention.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32c } from '../common/crc32c.ts';
import { offsetFileName, parseOffsetFileName, SNAPSHOT_SUFFIX, writeFileDurableSync } from './fs-util.ts';
import { LogError } from './log-error.ts';

/** Kafka keeps this many batches per producer to answer retries of in-flight requests. */
export const BATCHES_PER_PRODUCER = 5;
const SNAPSHOT_VERSION = 1;
/** Snapshots kept on disk: the newest is enough; one more covers a torn write of the newest. */
const SNAPSHOTS_KEPT = 2;

export interface BatchMeta {
  firstSeq: number;
  lastSeq: number;
  firstOffset: bigint;
  lastOffset: bigint;
  timestamp: bigint;
}

export interface ProducerEntry {
  epoch: number;
  /** Oldest first. */
  batches: BatchMeta[];
  /** Broker time of the last append, for expiry. */
  lastUpdate: number;
}

/** What append learns from the check: a duplicate to answer with, or null to go on. */
export type SequenceCheck = BatchMeta | null;

const inSequence = (lastSeq: number, nextSeq: number): boolean => nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === 0x7fffffff);

export class ProducerState {
  readonly producers = new Map<bigint, ProducerEntry>();

  /**
   * Checks a batch of an idempotent producer against the state (plus `pending`, the batches of the
   * same request already checked). Throws INVALID_PRODUCER_EPOCH or OUT_OF_ORDER_SEQUENCE_NUMBER;
   * returns the cached batch when this one is a retry of it.
   *
   * Unknown producers must start at sequence 0 (Kafka answers UNKNOWN_PRODUCER_ID in some of
   * these cases; Brook keeps one rule: OUT_OF_ORDER_SEQUENCE_NUMBER).
   */
  check(
    producerId: bigint,
    epoch: number,
    firstSeq: number,
    lastSeq: number,
    pending?: Map<bigint, { epoch: number; lastSeq: number }>,
  ): SequenceCheck {
    const staged = pending?.get(producerId);
    const entry = this.producers.get(producerId);
    const curEpoch = staged?.epoch ?? entry?.epoch;
    if (curEpoch === undefined) {
      if (firstSeq !== 0) {
        throw new LogError(
          'OUT_OF_ORDER_SEQUENCE_NUMBER',
          `producer ${producerId} is unknown on this partition and must start at sequence 0, not ${firstSeq}`,
        );
      }
      return null;
    }
    if (epoch < curEpoch) {
      throw new LogError('INVALID_PRODUCER_EPOCH', `producer ${producerId} epoch ${epoch} is older than the current epoch ${curEpoch}`);
    }
    if (epoch > curEpoch) {
      if (firstSeq !== 0) {
        throw new LogError(
          'OUT_OF_ORDER_SEQUENCE_NUMBER',
          `producer ${producerId} new epoch ${epoch} must start at sequence 0, not ${firstSeq}`,
        );
      }
      return null;
    }
    if (staged === undefined && entry) {
      for (const b of entry.batches) if (b.firstSeq === firstSeq && b.lastSeq === lastSeq) return b;
    }
    const prevLast = staged?.lastSeq ?? entry?.batches.at(-1)?.lastSeq;
    if (prevLast === undefined ? firstSeq !== 0 : !inSequence(prevLast, firstSeq)) {
      throw new LogError(
        'OUT_OF_ORDER_SEQUENCE_NUMBER',
        `producer ${producerId} epoch ${epoch}: sequence ${firstSeq} does not follow ${prevLast ?? 'nothing'} (a batch is missing)`,
      );
    }
    return null;
  }

  /** Records an appended batch (also used when rebuilding from the log, without checks). */
  record(producerId: bigint, epoch: number, meta: BatchMeta, now: number): void {
    let entry = this.producers.get(producerId);
    if (!entry) {
      entry = { epoch, batches: [], lastUpdate: now };
      this.producers.set(producerId, entry);
    } else if (epoch !== entry.epoch) {
      entry.epoch = epoch;
      entry.batches = [];
    }
    entry.batches.push(meta);
    if (entry.batches.length > BATCHES_PER_PRODUCER) entry.batches.shift();
    entry.lastUpdate = now;
  }

  /** Forgets producers idle for longer than `expirationMs` (Kafka's producer.id.expiration.ms). */
  expire(now: number, expirationMs: number): number {
    let n = 0;
    for (const [id, e] of this.producers) {
      if (now - e.lastUpdate > expirationMs) {
        this.producers.delete(id);
        n++;
      }
    }
    return n;
  }

  maxProducerId(): bigint {
    let max = -1n;
    for (const id of this.producers.keys()) if (id > max) max = id;
    return max;
  }

  /** Snapshot bytes: version int16, crc32c int32 (of what follows), count int32, producers. */
  encode(): Buffer {
    let size = 10;
    for (const e of this.producers.values()) size += 8 + 2 + 8 + 1 + e.batches.length * 32;
    const b = Buffer.allocUnsafe(size);
    b.writeInt16BE(SNAPSHOT_VERSION, 0);
    b.writeInt32BE(this.producers.size, 6);
    let p = 10;
    for (const [id, e] of this.producers) {
      b.writeBigInt64BE(id, p);
      b.writeInt16BE(e.epoch, p + 8);
      b.writeBigInt64BE(BigInt(Math.trunc(e.lastUpdate)), p + 10);
      b.writeInt8(e.batches.length, p + 18);
      p += 19;
      for (const m of e.batches) {
        b.writeInt32BE(m.firstSeq, p);
        b.writeInt32BE(m.lastSeq, p + 4);
        b.writeBigInt64BE(m.firstOffset, p + 8);
        b.writeBigInt64BE(m.lastOffset, p + 16);
        b.writeBigInt64BE(m.timestamp, p + 24);
        p += 32;
      }
    }
    b.writeUInt32BE(crc32c(b, 6, size), 2);
    return b;
  }

  /** Replaces the state with a snapshot's; false (state untouched) when it is torn or corrupt. */
  decode(b: Buffer): boolean {
    if (b.length < 10 || b.readInt16BE(0) !== SNAPSHOT_VERSION || b.readUInt32BE(2) !== crc32c(b, 6, b.length)) return false;
    const out = new Map<bigint, ProducerEntry>();
    try {
      const count = b.readInt32BE(6);
      let p = 10;
      for (let i = 0; i < count; i++) {
        const id = b.readBigInt64BE(p);
        const epoch = b.readInt16BE(p + 8);
        const lastUpdate = Number(b.readBigInt64BE(p + 10));
        const n = b.readInt8(p + 18);
        p += 19;
        const batches: BatchMeta[] = [];
        for (let j = 0; j < n; j++) {
          batches.push({
            firstSeq: b.readInt32BE(p),
            lastSeq: b.readInt32BE(p + 4),
            firstOffset: b.readBigInt64BE(p + 8),
            lastOffset: b.readBigInt64BE(p + 16),
            timestamp: b.readBigInt64BE(p + 24),
          });
          p += 32;
        }
        out.set(id, { epoch, batches, lastUpdate });
      }
    } catch {
      return false;
    }
    this.producers.clear();
    for (const [k, v] of out) this.producers.set(k, v);
    return true;
  }
}

/** Offsets of the snapshot files in `dir`, ascending. */
export function listSnapshots(dir: string): bigint[] {
  const out: bigint[] = [];
  for (const name of fs.readdirSync(dir)) {
    const o = parseOffsetFileName(name, SNAPSHOT_SUFFIX);
    if (o !== null) out.push(o);
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export const snapshotPath = (dir: string, offset: bigint): string => path.join(dir, offsetFileName(offset, SNAPSHOT_SUFFIX));

/** Writes the state as of `offset` (the log end) and keeps only the newest snapshots. */
export function writeSnapshot(dir: string, offset: bigint, state: ProducerState): void {
  writeFileDurableSync(snapshotPath(dir, offset), state.encode());
  pruneSnapshots(dir);
}

/** Deletes all but the newest snapshots. */
export function pruneSnapshots(dir: string): void {
  const all = listSnapshots(dir);
  for (const o of all.slice(0, Math.max(0, all.length - SNAPSHOTS_KEPT))) fs.rmSync(snapshotPath(dir, o), { force: true });
}

/**
 * Loads the newest valid snapshot at or below `logEnd` into `state` (deleting any above it: they
 * describe records a crash took away). Returns its offset, or null when there is none.
 */
export function loadSnapshot(dir: string, logEnd: bigint, state: ProducerState): bigint | null {
  const all = listSnapshots(dir);
  for (let i = all.length - 1; i >= 0; i--) {
    const o = all[i]!;
    if (o > logEnd) {
      fs.rmSync(snapshotPath(dir, o), { force: true });
      continue;
    }
    if (state.decode(fs.readFileSync(snapshotPath(dir, o)))) return o;
  }
  return null;
}
