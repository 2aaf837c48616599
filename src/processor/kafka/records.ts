// The reader's hot loop: record batches parsed by @platformatic/kafka become SourceRecords. One
// object and one bigint per record, headers only when a record has some; everything per batch
// (timestamp base, offset base, records to skip) is computed once per batch.
import type { RecordsBatch } from '@platformatic/kafka';
import type { SourceRecord } from '../types.ts';

/** Batch attribute bits (KIP-98, KIP-32). */
const CONTROL = 0x20;
const LOG_APPEND_TIME = 0x08;
const EMPTY = Buffer.alloc(0);

/** The offset after a partition's last batch, or `from` when there is none (control batches count). */
export function nextOffset(batches: RecordsBatch[] | null | undefined, from: bigint): bigint {
  if (!batches || batches.length === 0) return from;
  const last = batches[batches.length - 1]!;
  const next = last.firstOffset + BigInt(last.lastOffsetDelta) + 1n;
  return next > from ? next : from;
}

/**
 * Appends the records of `batches` at or after `from` to `out`. A fetch returns whole batches, so
 * the first may begin before the requested offset; control batches (transaction markers) hold no
 * data records.
 */
export function appendRecords(out: SourceRecord[], topic: string, partition: number, batches: RecordsBatch[], from: bigint): void {
  for (const batch of batches) {
    if ((batch.attributes & CONTROL) !== 0) continue;
    const base = batch.firstOffset;
    if (base + BigInt(batch.lastOffsetDelta) < from) continue;
    const skipBelow = from > base ? Number(from - base) : 0;
    const baseOffset = Number(base);
    const logAppend = (batch.attributes & LOG_APPEND_TIME) !== 0;
    const baseTime = Number(logAppend ? batch.maxTimestamp : batch.firstTimestamp);
    const records = batch.records;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (r.offsetDelta < skipBelow) continue;
      out.push({
        topic,
        partition,
        offset: BigInt(baseOffset + r.offsetDelta),
        timestamp: logAppend ? baseTime : baseTime + Number(r.timestampDelta),
        key: r.key,
        value: r.value,
        headers: r.headers.length === 0 ? undefined : headerMap(r.headers),
      });
    }
  }
}

/** Header keys are UTF-8 strings by Kafka convention; a null value becomes an empty buffer. */
function headerMap(headers: [Buffer | null, Buffer | null][]): Map<string, Buffer> {
  const map = new Map<string, Buffer>();
  for (const [k, v] of headers) map.set(k === null ? '' : k.toString('utf8'), v ?? EMPTY);
  return map;
}
