// Compacted topics need a key on every record (Kafka answers INVALID_RECORD otherwise). Checked
// on append for uncompressed batches only, by walking record headers without decoding them;
// compressed batches are not inflated on the hot path (the cleaner drops keyless records).

import { BATCH_HEADER_SIZE, type BatchHeader, Compression, compressionOf, isControl } from '../protocol/record-batch.ts';
import { LogError } from './log-error.ts';

/** Throws INVALID_RECORD if an uncompressed batch of a compacted topic has a record without a key. */
export function checkCompactedKeys(buf: Buffer, h: BatchHeader, topic: string): void {
  if (compressionOf(h) !== Compression.none || isControl(h)) return;
  let p = h.position + BATCH_HEADER_SIZE;
  const end = h.position + h.size;
  const bad = (why: string) => new LogError('INVALID_RECORD', `${why} (topic ${topic} has cleanup.policy=compact)`);
  for (let i = 0; i < h.recordCount; i++) {
    // length (varint), then attributes (int8), timestampDelta (varlong), offsetDelta (varint), key length (varint)
    let [len, q] = varint(buf, p, end);
    const next = q + len;
    if (len < 0 || next > end) throw bad(`record ${i} has a bad length`);
    q += 1;
    q = skipVarint(buf, q, next);
    q = skipVarint(buf, q, next);
    const [keyLen] = varint(buf, q, next);
    if (keyLen < 0) throw bad(`Compacted topic cannot accept message without key: record ${i} has none`);
    p = next;
  }
}

function varint(buf: Buffer, p: number, end: number): [number, number] {
  let u = 0;
  let shift = 0;
  while (p < end && shift <= 28) {
    const b = buf[p++]!;
    u |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [(u >>> 1) ^ -(u & 1), p];
    shift += 7;
  }
  return [-1, end];
}

function skipVarint(buf: Buffer, p: number, end: number): number {
  while (p < end && (buf[p]! & 0x80) !== 0) p++;
  return p + 1;
}
