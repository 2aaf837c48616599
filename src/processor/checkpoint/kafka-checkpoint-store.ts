// Checkpoints in a compacted Kafka topic (`_brook_checkpoints` by default), keyed by job name:
// compaction keeps each job's latest. save() produces with acks=all and waits; load() reads the
// job's partition to its end and takes the last value whose envelope is valid. keyed() gives a
// partitioned run's store: keys `<job>/<key>` (one per input partition, one for the combiner).
import { Consumer, ListOffsetTimestamps, murmur2, Producer } from '@platformatic/kafka';
import { BrookError } from '../../common/errors.ts';
import { ProcessorError } from '../errors.ts';
import { appendRecords, nextOffset } from '../kafka/records.ts';
import { CLIENT_RETRIES, describe, type KafkaConnectionOptions, type RetryPolicy, withRetry } from '../kafka/retry.ts';
import { ensureTopic } from '../kafka/topics.ts';
import type { CheckpointStore, KeyedCheckpointStore, SourceRecord } from '../types.ts';
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
  readonly #closing = new AbortController();
  #producer: Producer | undefined;
  #consumer: Consumer | undefined;
  #partitions: Promise<number> | undefined;

  constructor(opts: KafkaCheckpointStoreOptions) {
    this.#opts = opts;
    this.#topic = opts.topic ?? '_brook_checkpoints';
    this.description = `topic ${this.#topic} (key ${opts.job}) on ${opts.bootstrap.join(',')}`;
  }

  save(id: number, bytes: Uint8Array): Promise<void> {
    return this.saveKey(this.#opts.job, id, bytes);
  }

  /** A store of several keys, `<job>/<key>`, in this store's topic. */
  keyed(): KeyedCheckpointStore {
    return new KafkaKeyedCheckpointStore(this, this.#opts.job);
  }

  /** @internal Saves under any key of the topic. */
  async saveKey(key: string, id: number, bytes: Uint8Array): Promise<void> {
    const max = this.#opts.maxBytes ?? DEFAULT_MAX_BYTES;
    if (bytes.byteLength > max) {
      throw new BrookError(
        'CHECKPOINT_STORE',
        `checkpoint ${id} is ${bytes.byteLength} bytes, more than the ${max} this store accepts; raise maxBytes (and the topic's max.message.bytes)`,
      );
    }
    try {
      const partition = await this.#partitionOf(key);
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
      const k = Buffer.from(key);
      await withRetry('saving a checkpoint', this.#policy, this.#closing.signal, () =>
        producer.send({ messages: [{ topic: this.#topic, partition, key: k, value, timestamp: BigInt(Date.now()) }] }),
      );
    } catch (err) {
      const where = key === this.#opts.job ? this.description : `topic ${this.#topic} (key ${key}) on ${this.#opts.bootstrap.join(',')}`;
      throw new BrookError('CHECKPOINT_STORE', `saving checkpoint ${id} to ${where} failed: ${describe(err)}`, { cause: err });
    }
  }

  /** Bounded by default: a checkpoint that cannot be saved must fail the checkpoint, not hang it. */
  get #policy(): RetryPolicy {
    return { ...this.#opts, maxRetries: this.#opts.maxRetries ?? 10 };
  }

  load(): Promise<Uint8Array | undefined> {
    return this.loadKey(this.#opts.job);
  }

  /** @internal The latest valid value of any key of the topic. */
  async loadKey(key: string): Promise<Uint8Array | undefined> {
    const k = Buffer.from(key);
    let latest: Uint8Array | undefined;
    await this.#guard(async () => {
      await this.#read(await this.#partitionOf(key), (r) => {
        if (r.key === null || !r.key.equals(k)) return;
        // A tombstone deletes the key's checkpoints.
        if (r.value === null) latest = undefined;
        else latest = this.#valid(r) ?? latest;
      });
    });
    return latest;
  }

  /** @internal The latest valid value of every key starting with `prefix`, over every partition. */
  async scanKeys(prefix: string): Promise<Map<string, Uint8Array | undefined>> {
    const latest = new Map<string, Uint8Array | undefined>();
    await this.#guard(async () => {
      const count = await this.#partitionCount();
      for (let partition = 0; partition < count; partition++) {
        await this.#read(partition, (r) => {
          const key = r.key?.toString('utf8');
          if (key === undefined || !key.startsWith(prefix)) return;
          if (r.value === null) latest.set(key, undefined);
          else latest.set(key, this.#valid(r) ?? latest.get(key));
        });
      }
    });
    return latest;
  }

  async #guard(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (err instanceof BrookError) throw err;
      throw new BrookError('CHECKPOINT_STORE', `loading the checkpoint from ${this.description} failed: ${describe(err)}`, { cause: err });
    }
  }

  async close(): Promise<void> {
    this.#closing.abort();
    await Promise.all([this.#producer?.close(), this.#consumer?.close(true)]);
  }

  /** Reads one partition of the topic from its start to the end it has now. */
  async #read(partition: number, visit: (r: SourceRecord) => void): Promise<void> {
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
      for (const r of records) if (r.offset < end) visit(r);
    }
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

  /** The partition of a key, as Kafka's Java client would pick it. */
  async #partitionOf(key: string): Promise<number> {
    return (murmur2(Buffer.from(key)) & 0x7fffffff) % (await this.#partitionCount());
  }

  /** Creates the topic when missing, then counts its partitions. */
  #partitionCount(): Promise<number> {
    this.#partitions ??= (async () => {
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
      return metadata.topics.get(this.#topic)?.partitionsCount ?? 1;
    })();
    // A failure (broker down at start) is retried by the next call.
    this.#partitions.catch(() => {
      this.#partitions = undefined;
    });
    return this.#partitions;
  }
}

/** A partitioned run's checkpoints in the topic: key `<job>/<key>`; the job's own key is the old layout. */
class KafkaKeyedCheckpointStore implements KeyedCheckpointStore {
  readonly description: string;
  readonly #store: KafkaCheckpointStore;
  readonly #job: string;

  constructor(store: KafkaCheckpointStore, job: string) {
    this.#store = store;
    this.#job = job;
    this.description = store.description.replace(/\(key [^)]*\)/, `(keys ${job}/*)`);
  }

  async scan(): Promise<Map<string, Uint8Array>> {
    const all = await this.#store.scanKeys(this.#job);
    if (all.get(this.#job) !== undefined) {
      throw new ProcessorError(
        'CHECKPOINT_MISMATCH',
        `${this.#store.description.replace(/ on .*/, '')} holds a checkpoint of the single-pipeline layout (key ${this.#job}); this Brook ` +
          'checkpoints each input partition on its own and cannot split it. Use another --checkpoint-topic (or delete this one if ' +
          'no other job keeps checkpoints there) and start again: the job resumes from the offsets the consumer group committed.',
      );
    }
    const latest = new Map<string, Uint8Array>();
    const prefix = `${this.#job}/`;
    for (const [key, bytes] of all) if (key.startsWith(prefix) && bytes !== undefined) latest.set(key.slice(prefix.length), bytes);
    return latest;
  }

  load(key: string): Promise<Uint8Array | undefined> {
    return this.#store.loadKey(`${this.#job}/${key}`);
  }

  save(key: string, id: number, bytes: Uint8Array): Promise<void> {
    return this.#store.saveKey(`${this.#job}/${key}`, id, bytes);
  }

  close(): Promise<void> {
    return this.#store.close();
  }
}
