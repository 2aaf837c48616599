// Checkpoints in a compacted Kafka topic (`_brook_checkpoints` by default), keyed by job name:
// compaction keeps each job's latest. save() produces with acks=all and waits; load() reads the
// job's partition to its end and takes the last value whose envelope is valid.
import { Consumer, ListOffsetTimestamps, murmur2, Producer } from '@platformatic/kafka';
import { BrookError } from '../../common/errors.ts';
import { appendRecords, nextOffset } from '../kafka/records.ts';
import { CLIENT_RETRIES, describe, type KafkaConnectionOptions, type RetryPolicy, withRetry } from '../kafka/retry.ts';
import { ensureTopic } from '../kafka/topics.ts';
import type { CheckpointStore, SourceRecord } from '../types.ts';
import { HEADER_BYTES, unwrap, wrap } from './envelope.ts';

export interface KafkaCheckpointStoreOptions extends RetryPolicy {
  bootstrap: string[];
  /** The key: one job's checkpoints replace each other. */
  job: string;
  /** Default '_brook_checkpoints'. */
  topic?: string;
  /** Default 'brook-checkpoints'. */
  clientId?: string;
  connection?: KafkaConnectionOptions;
  /** Largest checkpoint accepted; the topic is created with max.message.bytes to match. Default 64 MiB. */
  maxBytes?: number;
  /** For a topic this store creates. Default 1 partition, the broker's replication factor. */
  partitions?: number;
  replicas?: number;
  /** Told about every value load() had to skip, and why. */
  onWarning?(message: string): void;
}

const DEFAULT_MAX_BYTES = 64 * 2 ** 20;
/** Consecutive empty fetches below the end offset before load() gives up. */
const MAX_EMPTY_FETCHES = 20;

export class KafkaCheckpointStore implements CheckpointStore {
  readonly description: string;
  readonly #opts: KafkaCheckpointStoreOptions;
  readonly #topic: string;
  readonly #key: Buffer;
  readonly #closing = new AbortController();
  #producer: Producer | undefined;
  #consumer: Consumer | undefined;
  #partition: Promise<number> | undefined;

  constructor(opts: KafkaCheckpointStoreOptions) {
    this.#opts = opts;
    this.#topic = opts.topic ?? '_brook_checkpoints';
    this.#key = Buffer.from(opts.job);
    this.description = `topic ${this.#topic} (key ${opts.job}) on ${opts.bootstrap.join(',')}`;
  }

  async save(id: number, bytes: Uint8Array): Promise<void> {
    const max = this.#opts.maxBytes ?? DEFAULT_MAX_BYTES;
    if (bytes.byteLength > max) {
      throw new BrookError(
        'CHECKPOINT_STORE',
        `checkpoint ${id} is ${bytes.byteLength} bytes, more than the ${max} this store accepts; raise maxBytes (and the topic's max.message.bytes)`,
      );
    }
    try {
      const partition = await this.#partitionOf();
      this.#producer ??= new Producer({
        clientId: this.#opts.clientId ?? 'brook-checkpoints',
        bootstrapBrokers: this.#opts.bootstrap,
        idempotent: true,
        acks: -1,
        ...CLIENT_RETRIES,
        ...this.#opts.connection,
      });
      const producer = this.#producer;
      const value = wrap(id, bytes);
      await withRetry('saving a checkpoint', this.#policy, this.#closing.signal, () =>
        producer.send({ messages: [{ topic: this.#topic, partition, key: this.#key, value, timestamp: BigInt(Date.now()) }] }),
      );
    } catch (err) {
      throw new BrookError('CHECKPOINT_STORE', `saving checkpoint ${id} to ${this.description} failed: ${describe(err)}`, { cause: err });
    }
  }

  /** Bounded by default: a checkpoint that cannot be saved must fail the checkpoint, not hang it. */
  get #policy(): RetryPolicy {
    return { ...this.#opts, maxRetries: this.#opts.maxRetries ?? 10 };
  }

  async load(): Promise<Uint8Array | undefined> {
    try {
      return await this.#load();
    } catch (err) {
      if (err instanceof BrookError) throw err;
      throw new BrookError('CHECKPOINT_STORE', `loading the checkpoint from ${this.description} failed: ${describe(err)}`, { cause: err });
    }
  }

  async close(): Promise<void> {
    this.#closing.abort();
    await Promise.all([this.#producer?.close(), this.#consumer?.close(true)]);
  }

  async #load(): Promise<Uint8Array | undefined> {
    const partition = await this.#partitionOf();
    const consumer = this.#client();
    const signal = this.#closing.signal;
    const list = (timestamp: bigint) =>
      withRetry('listing checkpoint offsets', this.#policy, signal, () =>
        consumer.listOffsets({ topics: [this.#topic], partitions: { [this.#topic]: [partition] }, timestamp, isolationLevel: 0 }),
      ).then((m) => m.get(this.#topic)?.[partition] ?? 0n);
    let position = await list(ListOffsetTimestamps.EARLIEST);
    const end = await list(ListOffsetTimestamps.LATEST);
    const metadata = await withRetry('metadata', this.#policy, signal, () => consumer.metadata({ topics: [this.#topic] }));
    const t = metadata.topics.get(this.#topic)!;
    let latest: Uint8Array | undefined;
    let empty = 0;
    while (position < end) {
      const from = position;
      const response = await withRetry('reading checkpoints', this.#policy, signal, () =>
        consumer.fetch({
          node: t.partitions[partition]!.leader,
          maxWaitTime: 100,
          minBytes: 1,
          maxBytes: (this.#opts.maxBytes ?? DEFAULT_MAX_BYTES) + 2 ** 20,
          isolationLevel: 0,
          topics: [
            {
              topicId: t.id,
              partitions: [
                {
                  partition,
                  fetchOffset: from,
                  partitionMaxBytes: (this.#opts.maxBytes ?? DEFAULT_MAX_BYTES) + 2 ** 20,
                  currentLeaderEpoch: -1,
                  lastFetchedEpoch: -1,
                },
              ],
            },
          ],
        }),
      );
      const batches = response.responses[0]?.partitions.find((p) => p.partitionIndex === partition)?.records ?? [];
      position = nextOffset(batches, from);
      if (position === from && ++empty >= MAX_EMPTY_FETCHES) {
        throw new BrookError('CHECKPOINT_STORE', `reading ${this.description} stalled at offset ${from}, below its end offset ${end}`);
      }
      if (position !== from) empty = 0;
      const records: SourceRecord[] = [];
      appendRecords(records, this.#topic, partition, batches, from);
      for (const r of records) {
        if (r.offset >= end || r.key === null || !r.key.equals(this.#key)) continue;
        // A tombstone deletes the job's checkpoints.
        if (r.value === null) latest = undefined;
        else latest = this.#valid(r) ?? latest;
      }
    }
    return latest;
  }

  #valid(r: SourceRecord): Uint8Array | undefined {
    const got = unwrap(r.value!);
    if (got.ok) return got.payload;
    this.#opts.onWarning?.(`skipping the checkpoint at ${this.#topic}:${r.partition}:${r.offset}: ${got.reason}`);
    return undefined;
  }

  #client(): Consumer {
    if (this.#consumer) return this.#consumer;
    // Never joins its group: it only fetches, by partition and offset.
    this.#consumer = new Consumer({
      clientId: this.#opts.clientId ?? 'brook-checkpoints',
      groupId: `brook-checkpoints-${this.#opts.job}`,
      bootstrapBrokers: this.#opts.bootstrap,
      ...CLIENT_RETRIES,
      ...this.#opts.connection,
    });
    this.#consumer.topics.trackAll(this.#topic);
    return this.#consumer;
  }

  /** Creates the topic when missing, then picks the job's partition as Kafka's Java client would. */
  #partitionOf(): Promise<number> {
    this.#partition ??= (async () => {
      const max = this.#opts.maxBytes ?? DEFAULT_MAX_BYTES;
      await withRetry('creating the checkpoint topic', this.#policy, this.#closing.signal, () =>
        ensureTopic(
          { bootstrap: this.#opts.bootstrap, clientId: this.#opts.clientId ?? 'brook-checkpoints', connection: this.#opts.connection },
          {
            topic: this.#topic,
            partitions: this.#opts.partitions ?? 1,
            replicas: this.#opts.replicas,
            configs: { 'cleanup.policy': 'compact', 'max.message.bytes': String(max + HEADER_BYTES + 1024) },
          },
        ),
      );
      const consumer = this.#client();
      const metadata = await withRetry('metadata', this.#policy, this.#closing.signal, () => consumer.metadata({ topics: [this.#topic] }));
      const count = metadata.topics.get(this.#topic)?.partitionsCount ?? 1;
      return (murmur2(this.#key) & 0x7fffffff) % count;
    })();
    // A failure (broker down at start) is retried by the next call.
    this.#partition.catch(() => {
      this.#partition = undefined;
    });
    return this.#partition;
  }
}
