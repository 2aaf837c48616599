// A minimal Kafka client built on Brook's own codec, for tests that need exact control of the
// bytes (idempotent retries, hostile frames). Responses are matched by correlation id.
import { connect, type Socket } from 'node:net';
import { ByteReader } from '../../src/common/bytes.ts';
import type { ApiDefinition } from '../../src/protocol/api.ts';
import { FrameDecoder, frame } from '../../src/protocol/framing.ts';
import { encodeRequest, responseHeaderVersion } from '../../src/protocol/headers.ts';
import type { Message } from '../../src/protocol/schema.ts';

export class WireClient {
  private readonly socket: Socket;
  private readonly decoder = new FrameDecoder(1 << 30);
  private readonly waiting = new Map<
    number,
    { api: ApiDefinition; version: number; resolve: (m: Message) => void; reject: (e: Error) => void }
  >();
  private nextCorrelation = 1;
  readonly closed: Promise<void>;

  private constructor(socket: Socket) {
    this.socket = socket;
    // Small requests must not wait for the broker's delayed ACK (Nagle).
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const f of this.decoder.push(chunk)) this.onFrame(f);
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        for (const w of this.waiting.values()) w.reject(new Error('connection closed'));
        this.waiting.clear();
        resolve();
      }),
    );
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const s = connect(port, host, () => resolve(new WireClient(s)));
      s.once('error', reject);
    });
  }

  private onFrame(f: Buffer): void {
    const r = new ByteReader(f);
    const correlationId = r.int32();
    const w = this.waiting.get(correlationId);
    if (!w) return;
    this.waiting.delete(correlationId);
    if (responseHeaderVersion(w.api, w.version) === 1) {
      const n = r.uvarint();
      for (let i = 0; i < n; i++) {
        r.uvarint();
        r.skip(r.uvarint());
      }
    }
    w.resolve(w.api.response.read(r, w.version));
  }

  send(api: ApiDefinition, version: number, body: Message): Promise<Message> {
    const correlationId = this.nextCorrelation++;
    const bytes = encodeRequest(api, { apiKey: api.key, apiVersion: version, correlationId, clientId: 'wire-client' }, body);
    return new Promise((resolve, reject) => {
      this.waiting.set(correlationId, { api, version, resolve, reject });
      this.socket.write(Buffer.concat(frame([bytes])));
    });
  }

  /** Sends a request that expects no response (Produce acks=0). */
  sendOneWay(api: ApiDefinition, version: number, body: Message): void {
    const bytes = encodeRequest(
      api,
      { apiKey: api.key, apiVersion: version, correlationId: this.nextCorrelation++, clientId: 'wire-client' },
      body,
    );
    this.socket.write(Buffer.concat(frame([bytes])));
  }

  /** Stops reading responses (a slow consumer): they pile up in the broker's socket buffers. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }
}
