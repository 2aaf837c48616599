// A pipelined Kafka connection for benchmark clients: frames go out as given (no per-request
// encoding or copying of record sets), responses come back in order as raw frames.
import { connect, type Socket } from 'node:net';
import { FrameDecoder } from '../../src/protocol/framing.ts';

export class RawConnection {
  private readonly socket: Socket;
  private readonly decoder = new FrameDecoder(1 << 30);
  private readonly waiting: { resolve: (f: Buffer) => void; reject: (e: Error) => void }[] = [];
  private nextCorrelation = 1;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      // Kafka answers in request order on a connection, so no correlation-id map is needed.
      for (const f of this.decoder.push(chunk)) this.waiting.shift()?.resolve(f);
    });
    socket.on('close', () => {
      for (const w of this.waiting.splice(0)) w.reject(new Error('connection closed'));
    });
    socket.on('error', () => {});
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const s = connect(port, host, () => resolve(new RawConnection(s)));
      s.once('error', reject);
    });
  }

  /**
   * Sends one request: `head` is the encoded request up to the record set (its correlation id is
   * patched here), then the shared `records` and `tail` buffers. Resolves with the response frame.
   */
  send(head: Buffer, records: Buffer | null, tail: Buffer | null): Promise<Buffer> {
    const h = Buffer.from(head);
    h.writeInt32BE(this.nextCorrelation++, 4);
    const size = Buffer.allocUnsafe(4);
    size.writeInt32BE(h.length + (records?.length ?? 0) + (tail?.length ?? 0), 0);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket.cork();
      this.socket.write(size);
      this.socket.write(h);
      if (records) this.socket.write(records);
      if (tail) this.socket.write(tail);
      this.socket.uncork();
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Splits an encoded request around the record set it carries: [head, tail]. */
export function splitAround(encoded: Buffer, records: Buffer): [Buffer, Buffer] {
  const at = encoded.indexOf(records.subarray(0, Math.min(records.length, 128)));
  if (at < 0) throw new Error('record set not found in the encoded request');
  return [encoded.subarray(0, at), encoded.subarray(at + records.length)];
}
