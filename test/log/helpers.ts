// Shared helpers for the log tests: temp data dirs, batch builders, a manual clock, and reading
// a partition back as decoded records.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PartitionLog } from '../../src/log/types.ts';
import { type BatchHeader, readBatchHeader, validateProducedRecords } from '../../src/protocol/record-batch.ts';
import { buildBatch, decodeRecords, type KafkaRecord } from '../../src/protocol/records.ts';

export function tempDir(prefix = 'brook-log-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export class ManualClock {
  now: number;
  constructor(start = 1_700_000_000_000) {
    this.now = start;
  }
  readonly fn = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

export interface BatchSpec {
  /** Records as [key, value]; null for a missing key or a tombstone. */
  records: [string | null, string | null][];
  timestamp: bigint;
  /** Per-record timestamp deltas (default all 0). */
  deltas?: number[];
  compression?: number;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
}

export function batch(spec: BatchSpec): Buffer {
  const recs: KafkaRecord[] = spec.records.map(([k, v], i) => ({
    offsetDelta: i,
    timestampDelta: BigInt(spec.deltas?.[i] ?? 0),
    key: k === null ? null : Buffer.from(k),
    value: v === null ? null : Buffer.from(v),
    headers: [],
  }));
  return buildBatch(recs, {
    baseTimestamp: spec.timestamp,
    compression: spec.compression ?? 0,
    producerId: spec.producerId,
    producerEpoch: spec.producerEpoch,
    baseSequence: spec.baseSequence,
  });
}

/** A batch of `n` records of `valueSize` bytes, keyed `${prefix}${i}`. */
export function sized(n: number, valueSize: number, timestamp: bigint, prefix = 'k'): Buffer {
  const v = 'x'.repeat(valueSize);
  return batch({ records: Array.from({ length: n }, (_, i) => [`${prefix}${i}`, v] as [string, string]), timestamp });
}

/** Appends one or more batches as the broker would (validated headers, one record set). */
export function append(log: PartitionLog, ...batches: Buffer[]) {
  const records = Buffer.concat(batches);
  return log.append(records, validateProducedRecords(records));
}

export interface ReadRecord {
  offset: bigint;
  key: string | null;
  value: string | null;
  timestamp: bigint;
}

/** Every batch in the chunks, checking each is whole. */
export function batchesOf(chunks: Buffer[]): { buf: Buffer; h: BatchHeader }[] {
  const out: { buf: Buffer; h: BatchHeader }[] = [];
  for (const buf of chunks) {
    let pos = 0;
    while (pos < buf.length) {
      const h = readBatchHeader(buf, pos);
      if (pos + h.size > buf.length) throw new Error(`partial batch at ${pos}: ${h.size} bytes claimed, ${buf.length - pos} present`);
      out.push({ buf, h });
      pos += h.size;
    }
  }
  return out;
}

export function recordsOf(chunks: Buffer[]): ReadRecord[] {
  const out: ReadRecord[] = [];
  for (const { buf, h } of batchesOf(chunks)) {
    for (const r of decodeRecords(buf, h)) {
      out.push({
        offset: h.baseOffset + BigInt(r.offsetDelta),
        key: r.key?.toString() ?? null,
        value: r.value?.toString() ?? null,
        timestamp: h.baseTimestamp + r.timestampDelta,
      });
    }
  }
  return out;
}

/** Reads the whole partition from `from` with small fetches, as a consumer would. */
export function readAll(log: PartitionLog, from = log.logStartOffset, maxBytes = 64 * 1024): ReadRecord[] {
  const out: ReadRecord[] = [];
  let offset = from;
  while (offset < log.logEndOffset) {
    const r = log.read(offset, maxBytes, true);
    const recs = recordsOf(r.chunks);
    const batches = batchesOf(r.chunks);
    if (batches.length === 0) break;
    out.push(...recs.filter((x) => x.offset >= offset));
    const last = batches.at(-1)!.h;
    offset = last.baseOffset + BigInt(last.lastOffsetDelta) + 1n;
  }
  return out;
}
