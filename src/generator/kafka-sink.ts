// The Kafka sink: every worker's records go into one record batch per partition, built in place
// (batch-builder.ts), sent by one idempotent producer, one Produce request per leader at a time, over
// @platformatic/kafka's connections (TLS, SASL, metadata); a refused login or certificate fails at once.
import {
  type Broker,
  type CompressionAlgorithmValue,
  type Connection,
  compressionsAlgorithms,
  kGetApi,
  kGetConnection,
  Producer,
  type ProducerOptions,
  type Reader,
  Writer,
} from '@platformatic/kafka';
import { ByteReader } from '../common/bytes.ts';
import { BrookError } from '../common/errors.ts';
import { Produce } from '../protocol/apis/produce.ts';
import { ErrorCode, RETRIABLE_CODES } from '../protocol/error-codes.ts';
import type { Message } from '../protocol/schema.ts';
import { BatchBuilder, type Compressor, type ProducerStamp, restamp } from './batch-builder.ts';
import { fatalConnectionError } from './fatal-errors.ts';
import { javaPartitionHash } from './partitioner.ts';
import type { OutRecord, Sink } from './sink.ts';

export interface KafkaSinkOptions {
  topic: string;
  bootstrap: string[];
  clientId?: string;
  /** Default true (a Decision of the spec). */
  idempotent?: boolean;
  /** -1 (all, the default) or 1; an idempotent producer needs -1. */
  acks?: number;
  compression?: CompressionAlgorithmValue;
  /** Records waiting before a request goes out at once. Default 5000. */
  batchSize?: number;
  /** How long fewer records wait for more. Default 5 ms. */
  lingerMs?: number;
  /** Largest record batch, per partition and request. Default 1,000,000 (Kafka's message.max.bytes is 1,048,588). */
  maxBatchBytes?: number;
  /** Attempts per batch before its records count as failed. Default 10. */
  retries?: number;
  /** TLS and SASL from the security flags or the properties file. */
  connection?: Pick<ProducerOptions<Buffer, Buffer, Buffer, Buffer>, 'tls' | 'sasl' | 'tlsServerName'>;
  /** Told about each retry, so the user sees why nothing is acknowledged. */
  onRetry?(attempt: number, err: Error): void;
}

/** One `send` call: settles once every batch holding its records is acknowledged or has failed. */
interface Waiter {
  left: number;
  error: unknown;
  resolve(): void;
  reject(err: unknown): void;
}

interface OpenBatch {
  builder: BatchBuilder;
  waiters: Waiter[];
}

interface SealedBatch {
  partition: number;
  bytes: Buffer;
  count: number;
  waiters: Waiter[];
  /** Stamped with the current producer id and its sequence; cleared when the producer id changes. */
  stamped: boolean;
  attempts: number;
}

type Outcome = { errorCode: number; errorMessage: string | null } | { error: unknown };

const ERROR_NAMES = new Map<number, string>(Object.entries(ErrorCode).map(([name, code]) => [code, name]));
/** The broker no longer knows this producer's sequence: a new producer id starts the partitions at 0. */
const PRODUCER_STATE_LOST = new Set<number>([
  ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
  ErrorCode.UNKNOWN_PRODUCER_ID,
  ErrorCode.INVALID_PRODUCER_EPOCH,
]);
const STALE_METADATA = new Set<number>([
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.UNKNOWN_LEADER_EPOCH,
]);
const NOT_IDEMPOTENT: ProducerStamp = { producerId: -1n, producerEpoch: -1, baseSequence: -1 };
const SEQUENCE_MODULO = 2 ** 31;
/** Produce's timeout_ms: how long the leader may wait for the in-sync replicas (Java's request.timeout.ms). */
const PRODUCE_TIMEOUT_MS = 30_000;

function parseProduceResponse(_correlationId: number, _apiKey: number, apiVersion: number, reader: Reader): Message {
  return Produce.response.read(new ByteReader(reader.buffer.slice(reader.position, reader.length)), apiVersion);
}

const callback =
  <T>(resolve: (v: T) => void, reject: (e: unknown) => void) =>
  (err: Error | null | undefined, value?: T) =>
    err ? reject(err) : resolve(value as T);

export class KafkaSink implements Sink {
  readonly producer: Producer<Buffer, Buffer, Buffer, Buffer>;
  readonly #topic: string;
  readonly #idempotent: boolean;
  readonly #acks: number;
  readonly #batchSize: number;
  readonly #lingerMs: number;
  readonly #maxBatchBytes: number;
  readonly #retries: number;
  readonly #compressor: Compressor | undefined;
  readonly #onRetry: KafkaSinkOptions['onRetry'];

  /** Partition count of the topic; 0 until the first metadata answer. */
  #partitions = 0;
  #open: (OpenBatch | undefined)[] = [];
  /** Sealed batches per partition, in send order; only the head of each is ever in flight. */
  readonly #queues = new Map<number, SealedBatch[]>();
  #queued = 0;
  /** Records sent before the partition count was known. */
  #unplaced: { records: OutRecord[]; waiter: Waiter }[] = [];
  #unplacedAttempts = 0;
  /** Records not sealed into a batch yet, and when the oldest of them arrived. */
  #pending = 0;
  #pendingSince = 0;
  #sizeHint = 64 * 1024;
  #timer: NodeJS.Timeout | undefined;
  #pump: Promise<void> | undefined;
  #flushing = 0;
  #refreshMetadata = false;
  #producerId: { producerId: bigint; producerEpoch: number } | undefined;
  readonly #sequences = new Map<number, number>();
  #version: number | undefined;
  #lastKey: Buffer | undefined;
  #lastHash = 0;

  constructor(opts: KafkaSinkOptions) {
    this.#topic = opts.topic;
    this.#idempotent = opts.idempotent ?? true;
    this.#acks = opts.acks ?? -1;
    if (this.#acks !== -1 && this.#acks !== 1) throw new BrookError('GENERATOR_ACKS', `acks must be -1 (all) or 1, got ${this.#acks}`);
    if (this.#idempotent && this.#acks !== -1) throw new BrookError('GENERATOR_ACKS', 'an idempotent producer needs acks=-1 (all)');
    this.#batchSize = opts.batchSize ?? 5000;
    this.#lingerMs = opts.lingerMs ?? 5;
    this.#maxBatchBytes = opts.maxBatchBytes ?? 1_000_000;
    this.#retries = opts.retries ?? 10;
    this.#onRetry = opts.onRetry;
    if (opts.compression && opts.compression !== 'none') {
      const algorithm = compressionsAlgorithms[opts.compression];
      this.#compressor = { codec: algorithm.bitmask, compress: (records) => algorithm.compressSync(records) };
    }
    this.producer = new Producer<Buffer, Buffer, Buffer, Buffer>({
      clientId: opts.clientId ?? 'brook-generate',
      bootstrapBrokers: opts.bootstrap,
      idempotent: this.#idempotent,
      acks: this.#acks,
      retries: this.#retries,
      // Exponential backoff from 100 ms to 5 s, reported so a down broker is not silent.
      retryDelay: (_client, _op, attempt, _retries, err) => {
        opts.onRetry?.(attempt, err);
        return backoffMs(attempt);
      },
      autocreateTopics: true,
      ...opts.connection,
    });
  }

  send(records: OutRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { left: 0, error: undefined, resolve, reject };
      if (this.#pending === 0) this.#pendingSince = Date.now();
      this.#pending += records.length;
      if (this.#partitions === 0) this.#unplaced.push({ records, waiter });
      else this.#place(records, waiter);
      this.#schedule();
    });
  }

  /** Sends everything sent so far and waits until each record is acknowledged or failed. */
  async flush(): Promise<void> {
    this.#flushing++;
    try {
      while (this.#pending > 0 || this.#queued > 0 || this.#pump) {
        this.#startPump();
        await this.#pump;
      }
    } finally {
      this.#flushing--;
    }
  }

  async close(): Promise<void> {
    await this.flush();
    await this.producer.close();
  }

  /** Appends records to their partitions' open batches: Java's partitioner, hashing each key once. */
  #place(records: OutRecord[], waiter: Waiter): void {
    let last: OpenBatch | undefined;
    for (const r of records) {
      // A session's events share one key Buffer.
      if (r.key !== this.#lastKey) {
        this.#lastHash = javaPartitionHash(r.key);
        this.#lastKey = r.key;
      }
      const partition = this.#lastHash % this.#partitions;
      let open = this.#open[partition];
      if (open && open.builder.sizeBytes + BatchBuilder.recordSize(r.key, r.value) > this.#maxBatchBytes) {
        this.#seal(partition, open);
        open = undefined;
      }
      if (!open) {
        open = { builder: new BatchBuilder(this.#sizeHint), waiters: [] };
        this.#open[partition] = open;
      }
      open.builder.append(r.key, r.value, r.timestamp);
      if (open !== last) {
        open.waiters.push(waiter);
        waiter.left++;
        last = open;
      }
    }
  }

  #seal(partition: number, open: OpenBatch): void {
    this.#open[partition] = undefined;
    const count = open.builder.count;
    this.#sizeHint = Math.min(this.#maxBatchBytes, Math.max(64 * 1024, open.builder.sizeBytes));
    const bytes = open.builder.seal(NOT_IDEMPOTENT, this.#compressor);
    let queue = this.#queues.get(partition);
    if (!queue) {
      queue = [];
      this.#queues.set(partition, queue);
    }
    queue.push({ partition, bytes, count, waiters: open.waiters, stamped: !this.#idempotent, attempts: 0 });
    this.#queued++;
    this.#pending -= count;
  }

  #sealOpen(): void {
    for (let p = 0; p < this.#open.length; p++) {
      const open = this.#open[p];
      if (open) this.#seal(p, open);
    }
  }

  /** Sends now when enough is waiting (or a flush asks), else after the linger time. */
  #schedule(): void {
    if (this.#pump) return; // the running pump looks again when its round ends
    if (this.#queued > 0 || this.#pending >= this.#batchSize || (this.#flushing > 0 && this.#pending > 0)) {
      this.#startPump();
    } else if (this.#pending > 0 && !this.#timer) {
      const wait = Math.max(0, this.#pendingSince + this.#lingerMs - Date.now());
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#startPump();
      }, wait);
    }
  }

  #startPump(): void {
    if (this.#pump) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pump = this.#runPump().finally(() => {
      this.#pump = undefined;
      this.#schedule();
    });
  }

  /** Rounds until nothing is left to send now; records that arrive meanwhile make the next round. */
  async #runPump(): Promise<void> {
    for (;;) {
      if (this.#partitions > 0) this.#sealOpen();
      if (this.#queued === 0 && this.#unplaced.length === 0) return;
      await this.#round();
      const canWait = this.#queued === 0 && this.#unplaced.length === 0 && this.#flushing === 0;
      if (canWait && this.#pending < this.#batchSize && Date.now() - this.#pendingSince < this.#lingerMs) return;
    }
  }

  /** One request per leader with the head batch of each partition; never throws. */
  async #round(): Promise<void> {
    let retryError: unknown;
    let retryAttempt = 0;
    const retry = (batch: SealedBatch, err: unknown, queue: SealedBatch[]) => {
      batch.attempts++;
      const fatal = fatalConnectionError(err);
      if (fatal) {
        this.#fail(queue, new BrookError('GENERATOR_PRODUCE', fatal, { cause: err }));
        return;
      }
      if (batch.attempts > this.#retries) {
        this.#fail(
          queue,
          new BrookError('GENERATOR_PRODUCE', `gave up after ${batch.attempts} attempts: ${messageOf(err)}`, { cause: err }),
        );
        return;
      }
      retryError = err;
      retryAttempt = Math.max(retryAttempt, batch.attempts);
    };
    try {
      const metadata = await this.producer.metadata({
        topics: [this.#topic],
        autocreateTopics: true,
        forceUpdate: this.#refreshMetadata,
        retries: 0,
      });
      this.#refreshMetadata = false;
      const topic = metadata.topics.get(this.#topic);
      if (!topic) throw new BrookError('GENERATOR_PRODUCE', `no metadata for topic ${this.#topic}`);
      this.#partitions = topic.partitionsCount;
      if (this.#unplaced.length > 0) {
        for (const u of this.#unplaced) this.#place(u.records, u.waiter);
        this.#unplaced = [];
        this.#unplacedAttempts = 0;
        this.#sealOpen();
      }
      if (this.#idempotent && !this.#producerId) {
        const info = await this.producer.initIdempotentProducer({});
        this.#producerId = { producerId: info.producerId, producerEpoch: info.producerEpoch };
      }
      this.#version ??= await new Promise<number>((resolve, reject) =>
        this.producer[kGetApi]('Produce', (err, api) => (err ? reject(err) : resolve(api!.version))),
      );
      const byLeader = new Map<number, SealedBatch[]>();
      for (const [partition, queue] of this.#queues) {
        const head = queue[0]!;
        const leader = topic.partitions[partition]?.leader ?? -1;
        if (!metadata.brokers.has(leader)) {
          this.#refreshMetadata = true;
          retry(head, new BrookError('GENERATOR_PRODUCE', `partition ${this.#topic}-${partition} has no leader`), queue);
          continue;
        }
        if (!head.stamped) this.#stamp(head);
        let heads = byLeader.get(leader);
        if (!heads) {
          heads = [];
          byLeader.set(leader, heads);
        }
        heads.push(head);
      }
      const sent = [...byLeader].map(async ([leader, heads]) => ({
        heads,
        outcomes: await this.#produce(metadata.brokers.get(leader)!, heads),
      }));
      for (const { heads, outcomes } of await Promise.all(sent)) {
        for (let i = 0; i < heads.length; i++) {
          const head = heads[i]!;
          const outcome = outcomes[i]!;
          const queue = this.#queues.get(head.partition)!;
          if ('error' in outcome) {
            // No answer (connection lost, timeout): the same bytes go again; a duplicate is recognised by its sequence.
            this.#refreshMetadata = true;
            retry(head, outcome.error, queue);
            continue;
          }
          const code = outcome.errorCode;
          if (code === ErrorCode.NONE || code === ErrorCode.DUPLICATE_SEQUENCE_NUMBER) {
            this.#settle(queue, undefined);
            continue;
          }
          const err = new BrookError(
            'GENERATOR_PRODUCE',
            `${this.#topic}-${head.partition}: ${ERROR_NAMES.get(code) ?? `error ${code}`}${outcome.errorMessage ? ` (${outcome.errorMessage})` : ''}`,
          );
          if (this.#idempotent && PRODUCER_STATE_LOST.has(code)) {
            this.#resetProducerId();
            retry(head, err, queue);
          } else if (RETRIABLE_CODES.has(code)) {
            if (STALE_METADATA.has(code)) this.#refreshMetadata = true;
            retry(head, err, queue);
          } else {
            this.#fail(queue, err);
          }
        }
      }
    } catch (err) {
      // Metadata, producer id or API versions out of reach: nothing was sent this round.
      this.#refreshMetadata = true;
      for (const queue of [...this.#queues.values()]) retry(queue[0]!, err, queue);
      const fatal = fatalConnectionError(err);
      if (this.#unplaced.length > 0 && (fatal || ++this.#unplacedAttempts > this.#retries)) {
        const failed = this.#unplaced;
        this.#unplaced = [];
        this.#unplacedAttempts = 0;
        const message = fatal ?? `gave up after ${this.#retries + 1} attempts: ${messageOf(err)}`;
        const error = new BrookError('GENERATOR_PRODUCE', message, { cause: err });
        for (const u of failed) {
          this.#pending -= u.records.length;
          u.waiter.reject(error);
        }
      } else if (this.#unplaced.length > 0) {
        retryError = err;
        retryAttempt = Math.max(retryAttempt, this.#unplacedAttempts);
      }
    }
    if (retryError !== undefined) {
      this.#onRetry?.(retryAttempt, retryError instanceof Error ? retryError : new Error(String(retryError)));
      await new Promise((resolve) => setTimeout(resolve, backoffMs(retryAttempt)));
    }
  }

  /** Gives the head batch the producer id and the partition's next sequence (KIP-98). */
  #stamp(batch: SealedBatch): void {
    const base = this.#sequences.get(batch.partition) ?? 0;
    restamp(batch.bytes, { ...this.#producerId!, baseSequence: base });
    this.#sequences.set(batch.partition, (base + batch.count) % SEQUENCE_MODULO);
    batch.stamped = true;
  }

  /** After a lost producer state or a failed batch (a gap in the sequence): a new id, sequences from 0. */
  #resetProducerId(): void {
    if (!this.#idempotent) return;
    this.#producerId = undefined;
    this.#sequences.clear();
    for (const queue of this.#queues.values()) for (const b of queue) b.stamped = false;
  }

  async #produce(broker: Broker, heads: SealedBatch[]): Promise<Outcome[]> {
    try {
      const version = this.#version!;
      const connection = await new Promise<Connection>((resolve, reject) =>
        this.producer[kGetConnection](broker, callback(resolve, reject)),
      );
      const body = Produce.request.encode(version, {
        transactionalId: null,
        acks: this.#acks,
        timeoutMs: PRODUCE_TIMEOUT_MS,
        topicData: [{ name: this.#topic, partitionData: heads.map((h) => ({ index: h.partition, records: h.bytes })) }],
      });
      const flexible = Produce.isFlexible(version);
      const response = await new Promise<Message>((resolve, reject) =>
        connection.send(
          0,
          version,
          () => Writer.create().append(body),
          parseProduceResponse,
          flexible,
          flexible,
          callback(resolve, reject),
        ),
      );
      const answers = new Map<number, Message>();
      for (const t of response.responses as Message[]) {
        if (t.name === this.#topic) for (const p of t.partitionResponses as Message[]) answers.set(p.index, p);
      }
      return heads.map((h) => {
        const a = answers.get(h.partition);
        return a
          ? { errorCode: a.errorCode as number, errorMessage: (a.errorMessage as string | null) ?? null }
          : { error: new BrookError('GENERATOR_PRODUCE', `the broker did not answer for ${this.#topic}-${h.partition}`) };
      });
    } catch (error) {
      return heads.map(() => ({ error }));
    }
  }

  #settle(queue: SealedBatch[], err: unknown): void {
    const batch = queue.shift()!;
    this.#queued--;
    if (queue.length === 0) this.#queues.delete(batch.partition);
    for (const w of batch.waiters) {
      if (err !== undefined) w.error ??= err;
      if (--w.left === 0) {
        if (w.error === undefined) w.resolve();
        else w.reject(w.error);
      }
    }
  }

  /** The head batch's records count as failed; later batches of an idempotent producer need a new id. */
  #fail(queue: SealedBatch[], err: unknown): void {
    this.#settle(queue, err);
    this.#resetProducerId();
  }
}

function backoffMs(attempt: number): number {
  return Math.min(5000, 100 * 2 ** Math.max(0, attempt - 1));
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
