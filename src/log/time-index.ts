// The sparse time index of one segment (Kafka's `.timeindex`): 12-byte entries, the largest
// timestamp so far (int64) and the offset (relative, int32) where it was seen. Kept like the
// offset index: in memory, written whole when the segment becomes inactive and on close.

export const TIME_INDEX_ENTRY = 12;
export const NO_TIMESTAMP = -(2n ** 63n);

export class TimeIndex {
  readonly baseOffset: bigint;
  readonly maxEntries: number;
  private buf: Buffer;
  entries = 0;
  lastTimestamp = NO_TIMESTAMP;
  lastOffset = -1n;

  constructor(baseOffset: bigint, maxIndexBytes: number) {
    this.baseOffset = baseOffset;
    this.maxEntries = Math.max(1, Math.floor(maxIndexBytes / TIME_INDEX_ENTRY));
    this.buf = Buffer.allocUnsafe(Math.min(this.maxEntries, 512) * TIME_INDEX_ENTRY);
  }

  isFull(): boolean {
    return this.entries >= this.maxEntries;
  }

  /** Adds an entry when `timestamp` is above the last one (entries stay increasing). */
  maybeAppend(timestamp: bigint, offset: bigint, skipFullCheck = false): void {
    if (timestamp <= this.lastTimestamp || offset < this.lastOffset) return;
    if (!skipFullCheck && this.isFull()) return;
    const at = this.entries * TIME_INDEX_ENTRY;
    if (at + TIME_INDEX_ENTRY > this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, at);
      this.buf = bigger;
    }
    this.buf.writeBigInt64BE(timestamp, at);
    this.buf.writeInt32BE(Number(offset - this.baseOffset), at + 8);
    this.entries++;
    this.lastTimestamp = timestamp;
    this.lastOffset = offset;
  }

  /**
   * Offset of the last entry whose timestamp is < `ts`: every record up to that offset is older
   * than `ts`, so a search for the first record >= ts may start after it. Base offset if none.
   */
  offsetBefore(ts: bigint): bigint {
    let lo = 0;
    let hi = this.entries - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.buf.readBigInt64BE(mid * TIME_INDEX_ENTRY) < ts) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? this.baseOffset : this.baseOffset + BigInt(this.buf.readInt32BE(found * TIME_INDEX_ENTRY + 8));
  }

  clear(): void {
    this.entries = 0;
    this.lastTimestamp = NO_TIMESTAMP;
    this.lastOffset = -1n;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.entries * TIME_INDEX_ENTRY);
  }

  /** Loads entries read from disk; false when they look damaged. `nextOffset` bounds offsets. */
  load(data: Buffer): boolean {
    this.clear();
    if (data.length % TIME_INDEX_ENTRY !== 0) return false;
    const n = data.length / TIME_INDEX_ENTRY;
    for (let i = 0; i < n; i++) {
      const ts = data.readBigInt64BE(i * TIME_INDEX_ENTRY);
      const rel = data.readInt32BE(i * TIME_INDEX_ENTRY + 8);
      if (i > 0 && ts === 0n && rel === 0) break; // preallocated zeroes
      const offset = this.baseOffset + BigInt(rel);
      if (rel < 0 || ts <= this.lastTimestamp || offset < this.lastOffset) return false;
      this.maybeAppend(ts, offset, true);
    }
    return true;
  }
}
