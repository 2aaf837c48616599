// Reusable read buffers for fetches. Reading into fresh 1 MiB buffers cost the broker more than
// the copy itself (page faults and GC, see bench/RESULTS.md); a fetch hands its buffers back once
// the socket has taken the response. A buffer never released is simply garbage collected.

export const READ_BUFFER_SIZE = 1024 * 1024;

export class ReadBufferPool {
  private readonly free: Buffer[] = [];
  private readonly maxPooled: number;

  constructor(maxPooledBuffers = 64) {
    this.maxPooled = maxPooledBuffers;
  }

  /** A buffer of at least `length` bytes; pooled when it fits the standard size. */
  take(length: number): Buffer {
    if (length > READ_BUFFER_SIZE) return Buffer.allocUnsafeSlow(length);
    return this.free.pop() ?? Buffer.allocUnsafeSlow(READ_BUFFER_SIZE);
  }

  /** Returns a buffer obtained from take() (or a view of one); only standard-size ones are kept. */
  give(buf: Buffer): void {
    // take() allocates each standard buffer with its own ArrayBuffer of exactly this size.
    if (buf.buffer.byteLength === READ_BUFFER_SIZE && this.free.length < this.maxPooled) {
      this.free.push(Buffer.from(buf.buffer, 0, READ_BUFFER_SIZE));
    }
  }

  get pooled(): number {
    return this.free.length;
  }
}
