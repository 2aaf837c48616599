// Size-prefixed framing of the Kafka protocol, sans IO: feed it chunks as they arrive, take out
// whole frames. A size beyond the limit is refused from its 4-byte prefix, before any buffering.
import { ProtocolError } from '../common/errors.ts';

const EMPTY = Buffer.alloc(0);

export class FrameTooLargeError extends ProtocolError {
  readonly size: number;
  constructor(size: number, limit: number) {
    super(`frame of ${size} bytes exceeds the limit of ${limit} bytes (socket.request.max.bytes)`);
    this.size = size;
  }
}

export class FrameDecoder {
  private readonly maxFrameBytes: number;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expected = -1;

  constructor(maxFrameBytes: number) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Bytes held for an incomplete frame. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Feeds a chunk; returns the frames (without their size prefix) it completes. */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    if (chunk.length === 0) return frames;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < 4) break;
        const size = this.peekInt32();
        if (size < 0) throw new ProtocolError(`negative frame size ${size}`);
        if (size > this.maxFrameBytes) throw new FrameTooLargeError(size, this.maxFrameBytes);
        this.consume(4);
        this.expected = size;
      }
      if (this.buffered < this.expected) break;
      frames.push(this.consume(this.expected));
      this.expected = -1;
    }
    return frames;
  }

  private peekInt32(): number {
    const first = this.chunks[0] as Buffer;
    if (first.length >= 4) return first.readInt32BE(0);
    // Copy only the prefix: joining every buffered chunk here would copy a body about to be refused.
    const head = Buffer.allocUnsafe(4);
    let filled = 0;
    for (const c of this.chunks) {
      filled += c.copy(head, filled, 0, Math.min(c.length, 4 - filled));
      if (filled === 4) break;
    }
    return head.readInt32BE(0);
  }

  private consume(n: number): Buffer {
    // A zero-size frame is legal (Kafka's NetworkReceive accepts it) and may find no chunk left.
    if (n === 0) return EMPTY;
    const first = this.chunks[0] as Buffer;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      let used = 0;
      while (filled < n) {
        const c = this.chunks[used] as Buffer;
        const take = Math.min(c.length, n - filled);
        c.copy(out, filled, 0, take);
        filled += take;
        if (take === c.length) used++;
        else this.chunks[used] = c.subarray(take);
      }
      // One splice, not a shift per chunk: a frame that arrived in many tiny chunks stays linear.
      this.chunks.splice(0, used);
    }
    this.buffered -= n;
    return out;
  }
}

/** Prefixes a response's chunks with its size, for a vectored write. */
export function frame(chunks: Buffer[]): Buffer[] {
  let n = 0;
  for (const c of chunks) n += c.length;
  const size = Buffer.allocUnsafe(4);
  size.writeInt32BE(n, 0);
  return [size, ...chunks];
}
