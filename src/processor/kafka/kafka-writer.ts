// KafkaWriter: a Sink that writes a dataflow's records to a Kafka topic through an idempotent
// @platformatic/kafka Producer with acks=all. write() only buffers; batches go out every lingerMs
// or batchSize records; flush() is the durability point the runtime waits on before a checkpoint.
import { compatibilityPartitioner, type MessageToProduce, Producer } from '@platformatic/kafka';
import { ProcessorError } from '../errors.ts';
import type { Sink, StreamRecord } from '../types.ts';
import { backoffMs, describe, type KafkaConnectionOptions, type RetryInfo, withRetry } from './retry.ts';
import { ensureTopic, type TopicSpec } from './topics.ts';

type Bytes = Buffer | string;

/** What one dataflow record becomes on the topic. Strings are written as UTF-8. */
export interface KafkaMessage {
  key: Bytes | null;
  /** null writes a tombstone. */
  value: Bytes | null;
  headers?: Map<string, Bytes> | Record<string, Bytes>;
  /** Record timestamp, epoch ms. */
  timestamp: number;
  /** Default: by key with Kafka's own hash (murmur2, as Java clients), round robin without a key. */
  partition?: number;
}

export interface KafkaWriterOptions<T> {
  topic: string;
  bootstrap: string[];
  toMessage(record: StreamRecord<T>): KafkaMessage;
  /** Default `kafka:<topic>`. */
  name?: string;
  /** Default 'brook-processor'. */
  clientId?: string;
  connection?: KafkaConnectionOptions;
  /** Create the topic when missing (default true), with these settings. */
  createTopic?: boolean;
  partitions?: TopicSpec['partitions'];
  replicas?: TopicSpec['replicas'];
  topicConfigs?: TopicSpec['configs'];
  /** Records per produce request. Default 5000. */
  batchSize?: number;
  /**
   * Bytes (keys, values, headers) per request, well under the broker's message.max.bytes
   * (1 MiB by default), which bounds one partition's batch. Default 512 KiB.
   */
  maxBatchBytes?: number;
  /** How long a partial batch waits for more records. Default 5 ms. */
  lingerMs?: number;
  /** Batches sent at once. Default 4. */
  maxInFlight?: number;
  /** Client attempts per batch before its records count as failed. Default 10 (backoff 100 ms to 5 s). */
  retries?: number;
  /** First backoff between attempts; doubles up to 5 s. Default 100. */
  initialBackoffMs?: number;
  /** Told about each retry, so a broker that is down is not silent. */
  onRetry?(info: RetryInfo): void;
}

const toBytes = (data: Bytes | null | undefined): Buffer | undefined =>
  data === null || data === undefined ? undefined : typeof data === 'string' ? Buffer.from(data) : data;

export class KafkaWriter<T> implements Sink<T> {
  readonly name: string;
  readonly producer: Producer<Bytes, Bytes, Bytes, Bytes>;
  readonly #opts: KafkaWriterOptions<T>;
  #buffer: MessageToProduce<Bytes, Bytes, Bytes, Bytes>[] = [];
  #bufferBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #opened: Promise<void> | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #sending = new Set<Promise<void>>();
  readonly #closing = new AbortController();
  /** The first failure: every later flush() rejects with it, since records before it are lost. */
  #failure: ProcessorError | undefined;
  #written = 0;
  #acknowledged = 0;
  #roundRobin = 0;

  constructor(opts: KafkaWriterOptions<T>) {
    this.#opts = opts;
    this.name = opts.name ?? `kafka:${opts.topic}`;
    const policy = { initialBackoffMs: opts.initialBackoffMs, maxBackoffMs: 5000 };
    this.producer = new Producer<Bytes, Bytes, Bytes, Bytes>({
      clientId: opts.clientId ?? 'brook-processor',
      bootstrapBrokers: opts.bootstrap,
      idempotent: true,
      acks: -1,
      retries: opts.retries ?? 10,
      retryDelay: (_client, operation, attempt, _retries, error) => {
        const delayMs = backoffMs(policy, attempt);
        opts.onRetry?.({
          operation: `writing to ${opts.topic} (${operation})`,
          attempt,
          delayMs,
          error,
          message: `writing to ${opts.topic} failed (${describe(error)}); retry ${attempt} in ${delayMs} ms`,
        });
        return delayMs;
      },
      // Keyed records land where Kafka's Java clients would put them (the client's own default
      // hash differs for half the keys); records without a key go round robin.
      partitioner: (message, key) => (key === undefined ? this.#roundRobin++ : compatibilityPartitioner(message, key)),
      serializers: { key: toBytes, value: toBytes, headerKey: toBytes, headerValue: toBytes },
      ...opts.connection,
    });
  }

  /** Records written and not yet acknowledged (buffered or in flight). */
  get pending(): number {
    return this.#written - this.#acknowledged;
  }

  open(): Promise<void> {
    this.#opened ??= (async () => {
      const o = this.#opts;
      if (o.createTopic === false) return;
      const policy = { maxRetries: o.retries ?? 10, initialBackoffMs: o.initialBackoffMs, onRetry: o.onRetry };
      await withRetry(`creating topic ${o.topic}`, policy, this.#closing.signal, () =>
        ensureTopic(
          { bootstrap: o.bootstrap, clientId: o.clientId ?? 'brook-processor', connection: o.connection },
          { topic: o.topic, partitions: o.partitions, replicas: o.replicas, configs: o.topicConfigs },
        ),
      );
    })();
    return this.#opened;
  }

  write(record: StreamRecord<T>): void {
    const m = this.#opts.toMessage(record);
    this.#buffer.push({
      topic: this.#opts.topic,
      key: m.key ?? undefined,
      value: m.value ?? undefined,
      headers: m.headers,
      timestamp: BigInt(m.timestamp),
      ...(m.partition === undefined ? {} : { partition: m.partition }),
    });
    this.#written++;
    this.#bufferBytes += byteSize(m.key) + byteSize(m.value) + headerBytes(m.headers) + 24;
    if (this.#buffer.length >= (this.#opts.batchSize ?? 5000) || this.#bufferBytes >= (this.#opts.maxBatchBytes ?? 512 * 1024))
      this.#dispatch();
    else this.#timer ??= setTimeout(() => this.#dispatch(), this.#opts.lingerMs ?? 5);
  }

  async flush(): Promise<void> {
    this.#dispatch();
    // Only the batches sent so far: records written after this call belong to the next flush.
    await Promise.allSettled([...this.#inFlight]);
    if (this.#failure) throw this.#failure;
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.#closing.abort();
      await this.producer.close();
    }
  }

  #dispatch(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#buffer.length === 0) return;
    const messages = this.#buffer;
    this.#buffer = [];
    this.#bufferBytes = 0;
    const done = this.#send(messages).then(
      () => {
        this.#acknowledged += messages.length;
      },
      (err: unknown) => {
        this.#failure ??= new ProcessorError(
          'SINK',
          `${messages.length} ${messages.length === 1 ? 'record' : 'records'} could not be written to topic ${this.#opts.topic} on ${this.#opts.bootstrap.join(',')}: ${describe(err)}. ` +
            'Outputs since the last checkpoint are incomplete; restart the job from its checkpoint.',
          { cause: err },
        );
      },
    );
    this.#inFlight.add(done);
    void done.finally(() => this.#inFlight.delete(done));
  }

  async #send(messages: MessageToProduce<Bytes, Bytes, Bytes, Bytes>[]): Promise<void> {
    await this.open();
    // Batches wait their turn here rather than queueing unbounded in the client.
    while (this.#sending.size >= (this.#opts.maxInFlight ?? 4)) await Promise.race(this.#sending);
    const sending = this.producer.send({ messages });
    // The slot frees when the request settles either way; its failure is reported by its own batch.
    const slot = sending.then(
      () => undefined,
      () => undefined,
    );
    this.#sending.add(slot);
    try {
      await sending;
    } finally {
      this.#sending.delete(slot);
    }
  }
}

function byteSize(b: Bytes | null | undefined): number {
  if (b === null || b === undefined) return 0;
  return typeof b === 'string' ? Buffer.byteLength(b) : b.length;
}

function headerBytes(h: KafkaMessage['headers']): number {
  if (h === undefined) return 0;
  let n = 0;
  for (const [k, v] of h instanceof Map ? h : Object.entries(h)) n += byteSize(k) + byteSize(v) + 8;
  return n;
}
