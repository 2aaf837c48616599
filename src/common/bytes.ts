// Bounds-checked big-endian reader and a chunked writer for the Kafka wire format, including
// the zig-zag varints of record batches and the unsigned varints of flexible versions (KIP-482).
import { ProtocolError } from './errors.ts';

const EMPTY = Buffer.alloc(0);

export class ByteReader {
  readonly buf: Buffer;
  offset: number;
  readonly end: number;

  constructor(buf: Buffer, offset = 0, end = buf.length) {
    this.buf = buf;
    this.offset = offset;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number): number {
    const at = this.offset;
    if (n < 0 || at + n > this.end) {
      throw new ProtocolError(`truncated input: needed ${n} bytes at offset ${at}, ${this.end - at} left`);
    }
    this.offset = at + n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1));
  }
  uint8(): number {
    return this.buf[this.need(1)] as number;
  }
  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }
  uint16(): number {
    return this.buf.readUInt16BE(this.need(2));
  }
  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }
  uint32(): number {
    return this.buf.readUInt32BE(this.need(4));
  }
  int64(): bigint {
    return this.buf.readBigInt64BE(this.need(8));
  }
  float64(): number {
    return this.buf.readDoubleBE(this.need(8));
  }
  bool(): boolean {
    return this.uint8() !== 0;
  }

  /** Unsigned LEB128 varint, at most 5 bytes (32 bits). */
  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.uint8();
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (value > 0xffffffff) throw new ProtocolError('varint overflows 32 bits');
        return value;
      }
    }
    throw new ProtocolError('varint longer than 5 bytes');
  }

  /** Zig-zag signed varint (record fields), at most 5 bytes. */
  varint(): number {
    const u = this.uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** Zig-zag signed varlong, at most 10 bytes. */
  varlong(): bigint {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.uint8();
      value |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (value >> 1n) ^ -(value & 1n);
    }
    throw new ProtocolError('varlong longer than 10 bytes');
  }

  /** A view (no copy) of the next n bytes. */
  bytes(n: number): Buffer {
    const at = this.need(n);
    return n === 0 ? EMPTY : this.buf.subarray(at, at + n);
  }

  utf8(n: number): string {
    const at = this.need(n);
    return this.buf.toString('utf8', at, at + n);
  }

  skip(n: number): void {
    this.need(n);
  }
}

/**
 * Accumulates small writes in a scratch buffer and keeps large buffers (record sets) as separate
 * chunks, so a Fetch response hands the socket the stored bytes without copying them.
 */
export class ByteWriter {
  private chunks: Buffer[] = [];
  private scratch: Buffer;
  private pos = 0;
  private flushedLength = 0;

  constructor(initial = 256) {
    this.scratch = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.flushedLength + this.pos;
  }

  private room(n: number): Buffer {
    if (this.pos + n > this.scratch.length) {
      this.seal();
      this.scratch = Buffer.allocUnsafe(Math.max(n, this.scratch.length * 2, 256));
    }
    return this.scratch;
  }

  private seal(): void {
    if (this.pos > 0) {
      this.chunks.push(this.scratch.subarray(0, this.pos));
      this.flushedLength += this.pos;
      this.scratch = this.scratch.subarray(this.pos);
      this.pos = 0;
    }
  }

  int8(v: number): this {
    this.room(1).writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }
  uint8(v: number): this {
    this.room(1)[this.pos++] = v;
    return this;
  }
  int16(v: number): this {
    this.room(2).writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }
  uint16(v: number): this {
    this.room(2).writeUInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }
  int32(v: number): this {
    this.room(4).writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }
  uint32(v: number): this {
    this.room(4).writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
    return this;
  }
  int64(v: bigint): this {
    this.room(8).writeBigInt64BE(v, this.pos);
    this.pos += 8;
    return this;
  }
  float64(v: number): this {
    this.room(8).writeDoubleBE(v, this.pos);
    this.pos += 8;
    return this;
  }
  bool(v: boolean): this {
    return this.uint8(v ? 1 : 0);
  }

  uvarint(v: number): this {
    const b = this.room(5);
    let x = v >>> 0;
    while (x >= 0x80) {
      b[this.pos++] = (x & 0x7f) | 0x80;
      x >>>= 7;
    }
    b[this.pos++] = x;
    return this;
  }

  varint(v: number): this {
    return this.uvarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  varlong(v: bigint): this {
    const b = this.room(10);
    let x = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    while (x >= 0x80n) {
      b[this.pos++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    b[this.pos++] = Number(x);
    return this;
  }

  /** Appends bytes; large buffers are kept by reference instead of copied. */
  bytes(buf: Uint8Array): this {
    if (buf.length >= 4096) {
      this.seal();
      this.chunks.push(Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.length));
      this.flushedLength += buf.length;
    } else if (buf.length > 0) {
      this.room(buf.length).set(buf, this.pos);
      this.pos += buf.length;
    }
    return this;
  }

  utf8(s: string): this {
    const n = Buffer.byteLength(s);
    this.room(n).write(s, this.pos, 'utf8');
    this.pos += n;
    return this;
  }

  /** Reserves 4 bytes now and returns a function that fills them later (sizes, CRCs). */
  reserveInt32(): (v: number) => void {
    const buf = this.room(4);
    const at = this.pos;
    this.pos += 4;
    return (v: number) => {
      buf.writeInt32BE(v, at);
    };
  }

  /** The written chunks, for a vectored socket write. */
  toChunks(): Buffer[] {
    this.seal();
    return this.chunks;
  }

  toBuffer(): Buffer {
    const chunks = this.toChunks();
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.flushedLength);
  }
}
