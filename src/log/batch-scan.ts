// Walking the batches of a segment file without loading it: headers only (offset lookups,
// producer-state rebuild) or whole batches in large chunks (recovery checks CRCs, compaction
// decodes records). Headers carry file positions.

import { BATCH_HEADER_SIZE, BATCH_LENGTH, type BatchHeader, LOG_OVERHEAD, readBatchHeader } from '../protocol/record-batch.ts';
import { readFully } from './fs-util.ts';

// Shared by header scans, which never nest (visitors must not start another scan).
const HEADER_SCRATCH = Buffer.allocUnsafe(16 * 1024);
const CHUNK = 4 * 1024 * 1024;

/**
 * Visits the headers of the batches in [start, end) of `fd` until `visit` returns true; stops
 * at a header that claims an impossible size. Returns the position after the last whole batch
 * visited (or the position of the batch `visit` stopped at).
 */
export function scanHeaders(fd: number, start: number, end: number, visit: (h: BatchHeader) => boolean): number {
  let pos = start;
  while (pos + BATCH_HEADER_SIZE <= end) {
    const want = Math.min(HEADER_SCRATCH.length, end - pos);
    const n = readFully(fd, HEADER_SCRATCH, 0, want, pos);
    if (n < want) end = pos + n; // the file is shorter than its recorded size
    let p = 0;
    while (p + BATCH_HEADER_SIZE <= n) {
      const size = HEADER_SCRATCH.readInt32BE(p + BATCH_LENGTH) + LOG_OVERHEAD;
      if (size < BATCH_HEADER_SIZE || pos + p + size > end) return pos + p;
      const h = readBatchHeader(HEADER_SCRATCH, p);
      h.position = pos + p;
      if (visit(h)) return pos + p;
      p += size;
    }
    if (n < BATCH_HEADER_SIZE) return pos;
    pos += p;
  }
  return pos;
}

/**
 * Visits whole batches in [start, end): `visit(buf, at, size, filePos)` sees a batch's bytes at `buf[at]`
 * (buf is reused: copy what you keep) and returns true to stop. Stops at a batch whose length
 * field is impossible or runs past `end`. Returns where it stopped.
 */
export function scanBatches(
  fd: number,
  start: number,
  end: number,
  visit: (buf: Buffer, at: number, size: number, filePos: number) => boolean,
): number {
  let chunk = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(end - start, BATCH_HEADER_SIZE)));
  let pos = start;
  while (pos + LOG_OVERHEAD <= end) {
    const want = Math.min(chunk.length, end - pos);
    const n = readFully(fd, chunk, 0, want, pos);
    if (n < want) end = pos + n;
    let p = 0;
    while (p + LOG_OVERHEAD <= n) {
      const size = chunk.readInt32BE(p + BATCH_LENGTH) + LOG_OVERHEAD;
      if (size < BATCH_HEADER_SIZE || pos + p + size > end) return pos + p;
      if (p + size > n) {
        if (p === 0) chunk = Buffer.allocUnsafe(size); // a batch larger than the chunk
        break;
      }
      if (visit(chunk, p, size, pos + p)) return pos + p;
      p += size;
    }
    if (p === 0 && n < LOG_OVERHEAD) return pos;
    pos += p;
  }
  return pos;
}
