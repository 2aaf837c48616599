// The sparse offset index of one segment (Kafka's `.index`): 8-byte entries, offset relative to
// the segment base (int32) and file position (int32). Held in memory and written whole when the
// segment becomes inactive and on close; after a crash it is rebuilt from the log.

export const OFFSET_INDEX_ENTRY = 8;

export class OffsetIndex {
  readonly baseOffset: bigint;
  readonly maxEntries: number;
  private buf: Buffer;
  entries = 0;
  private lastRel = -1;

  constructor(baseOffset: bigint, maxIndexBytes: number) {
    this.baseOffset = baseOffset;
    this.maxEntries = Math.max(1, Math.floor(maxIndexBytes / OFFSET_INDEX_ENTRY));
    this.buf = Buffer.allocUnsafe(Math.min(this.maxEntries, 512) * OFFSET_INDEX_ENTRY);
  }

  isFull(): boolean {
    return this.entries >= this.maxEntries;
  }

  /** Adds (offset -> position); ignored unless the offset is above the last entry's. */
  append(offset: bigint, position: number): void {
    const rel = Number(offset - this.baseOffset);
    if (rel <= this.lastRel) return;
    const at = this.entries * OFFSET_INDEX_ENTRY;
    if (at + OFFSET_INDEX_ENTRY > this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, at);
      this.buf = bigger;
    }
    this.buf.writeInt32BE(rel, at);
    this.buf.writeInt32BE(position, at + 4);
    this.entries++;
    this.lastRel = rel;
  }

  /** File position of the last entry whose offset is <= `offset` (0 when there is none). */
  lookup(offset: bigint): number {
    const rel = offset - this.baseOffset;
    if (rel < 0n || this.entries === 0) return 0;
    const target = rel > 0x7fffffffn ? 0x7fffffff : Number(rel);
    let lo = 0;
    let hi = this.entries - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.buf.readInt32BE(mid * OFFSET_INDEX_ENTRY) <= target) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? 0 : this.buf.readInt32BE(found * OFFSET_INDEX_ENTRY + 4);
  }

  /** Position of the last entry, 0 when empty. */
  lastPosition(): number {
    return this.entries === 0 ? 0 : this.buf.readInt32BE((this.entries - 1) * OFFSET_INDEX_ENTRY + 4);
  }

  clear(): void {
    this.entries = 0;
    this.lastRel = -1;
  }

  /** The entries as stored on disk. */
  bytes(): Buffer {
    return this.buf.subarray(0, this.entries * OFFSET_INDEX_ENTRY);
  }

  /**
   * Loads entries read from disk; false when they look damaged (size not a multiple of the entry,
   * offsets or positions not increasing, a position past the end of the log).
   */
  load(data: Buffer, logSize: number): boolean {
    this.clear();
    if (data.length % OFFSET_INDEX_ENTRY !== 0) return false;
    const n = data.length / OFFSET_INDEX_ENTRY;
    let lastPos = -1;
    for (let i = 0; i < n; i++) {
      const rel = data.readInt32BE(i * OFFSET_INDEX_ENTRY);
      const pos = data.readInt32BE(i * OFFSET_INDEX_ENTRY + 4);
      // Kafka preallocates index files with zeroes; a zero entry after the first ends the data.
      if (i > 0 && rel === 0 && pos === 0) break;
      if (rel <= this.lastRel || pos <= lastPos || pos >= logSize) return false;
      this.append(this.baseOffset + BigInt(rel), pos);
      lastPos = pos;
    }
    return true;
  }
}
