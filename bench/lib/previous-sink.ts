// For comparison only: the generator's previous Kafka sink (as of git 7f4766d), which hands every record
// to @platformatic/kafka's Producer.send() in batches of `batchSize`; its client builds the record
// batches (a Buffer per field, murmur2 per record). bench/generate.ts measures it next to the new one.
import { type CompressionAlgorithmValue, type MessageToProduce, Producer, type ProducerOptions } from '@platformatic/kafka';
import type { OutRecord, Sink } from '../../src/generator/sink.ts';

export interface PreviousSinkOptions {
  topic: string;
  bootstrap: string[];
  clientId?: string;
  /** Default true (a Decision of the spec). */
  idempotent?: boolean;
  /** Default -1 (all). */
  acks?: number;
  compression?: CompressionAlgorithmValue;
  /** Records per produce request. Default 5000. */
  batchSize?: number;
  /** How long a partial batch waits for more records. Default 5 ms. */
  lingerMs?: number;
  /** Produce requests in flight at once. Default 8. */
  maxInFlight?: number;
  /** Client attempts per request before the records count as failed. Default 10. */
  retries?: number;
  /** TLS and SASL from the security flags or the properties file. */
  connection?: Pick<ProducerOptions<Buffer, Buffer, Buffer, Buffer>, 'tls' | 'sasl' | 'tlsServerName'>;
  /** Told about each retry, so the user sees why nothing is acknowledged. */
  onRetry?(attempt: number, err: Error): void;
}

interface Pending {
  records: OutRecord[];
  resolve(): void;
  reject(err: unknown): void;
}

export class PreviousKafkaSink implements Sink {
  readonly producer: Producer<Buffer, Buffer, Buffer, Buffer>;
  readonly #opts: PreviousSinkOptions;
  #pending: Pending[] = [];
  #pendingCount = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #sending = new Set<Promise<void>>();

  constructor(opts: PreviousSinkOptions) {
    this.#opts = opts;
    this.producer = new Producer<Buffer, Buffer, Buffer, Buffer>({
      clientId: opts.clientId ?? 'brook-generate',
      bootstrapBrokers: opts.bootstrap,
      idempotent: opts.idempotent ?? true,
      acks: opts.acks ?? -1,
      ...(opts.compression ? { compression: opts.compression } : {}),
      retries: opts.retries ?? 10,
      // Exponential backoff from 100 ms to 5 s, reported so a down broker is not silent.
      retryDelay: (_client, _op, attempt, _retries, err) => {
        opts.onRetry?.(attempt, err);
        return Math.min(5000, 100 * 2 ** Math.max(0, attempt - 1));
      },
      autocreateTopics: true,
      ...opts.connection,
    });
  }

  send(records: OutRecord[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ records, resolve, reject });
      this.#pendingCount += records.length;
      if (this.#pendingCount >= (this.#opts.batchSize ?? 5000)) this.#dispatch();
      else this.#timer ??= setTimeout(() => this.#dispatch(), this.#opts.lingerMs ?? 5);
    });
  }

  /** Sends the gathered records as one request; waits first when too many are in flight. */
  #dispatch(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#pendingCount = 0;
    const messages: MessageToProduce<Buffer, Buffer, Buffer, Buffer>[] = [];
    for (const p of batch) {
      for (const r of p.records) messages.push({ topic: this.#opts.topic, key: r.key, value: r.value, timestamp: BigInt(r.timestamp) });
    }
    const run = async () => {
      // Count only requests actually being sent: waiting dispatches counting themselves would
      // deadlock once maxInFlight of them queue up.
      while (this.#sending.size >= (this.#opts.maxInFlight ?? 8)) await Promise.race(this.#sending);
      const sending = this.producer.send({ messages }).then(() => undefined);
      this.#sending.add(sending);
      try {
        await sending;
      } finally {
        this.#sending.delete(sending);
      }
    };
    const done = run().then(
      () => {
        for (const p of batch) p.resolve();
      },
      (err: unknown) => {
        for (const p of batch) p.reject(err);
      },
    );
    this.#inFlight.add(done);
    void done.finally(() => this.#inFlight.delete(done));
  }

  async flush(): Promise<void> {
    this.#dispatch();
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  async close(): Promise<void> {
    await this.flush();
    await this.producer.close();
  }
}
