// KafkaReader: the processor's source over @platformatic/kafka. It reads the partitions of its
// topics itself (every one, or those assign() names: the engine's checkpoints hold the offsets, and
// group membership, when there is any, is kept apart), keeps one Fetch per broker in flight ahead
// of the caller, and commits to its group only for lag tools.
import { Admin, Consumer, type fetchV17, ListOffsetTimestamps } from '@platformatic/kafka';
import { ProcessorError } from '../errors.ts';
import { type AssignableReader, partitionKey, type SourceRecord, type TopicPartition } from '../types.ts';
import { commitToGroup } from './group-commit.ts';
import { outOfRangePartitions } from './out-of-range.ts';
import { appendRecords, nextOffset } from './records.ts';
import { CLIENT_RETRIES, describe, hasApiError, type KafkaConnectionOptions, type RetryPolicy, sleep, withRetry } from './retry.ts';

type FetchResponse = fetchV17.FetchResponse;

/** Where a partition starts when seek() gives no offset for it. */
export type StartPosition = 'earliest' | 'latest' | 'committed';

export interface KafkaReaderOptions extends RetryPolicy {
  bootstrap: string[];
  topics: string[];
  /** The group whose committed offsets lag tools read (and `from: 'committed'` starts from). */
  groupId: string;
  /** Default 'brook-processor'. */
  clientId?: string;
  /** Default 'committed' (which falls back to earliest for partitions the group never committed). */
  from?: StartPosition;
  /** A start position per topic, overriding `from` (a partitioned run reads its exchange from the earliest). */
  fromByTopic?: Record<string, StartPosition>;
  connection?: KafkaConnectionOptions;
  /** Bytes per Fetch response (fetch.max.bytes). Default 50 MiB. */
  maxBytes?: number;
  /** Bytes per partition in one Fetch (max.partition.fetch.bytes). Default 1 MiB. */
  maxBytesPerPartition?: number;
  /** How long the broker holds a Fetch with no new data (fetch.max.wait.ms). Default 500. */
  maxWaitMs?: number;
  /** Default 'read_committed': records of aborted transactions are never seen. */
  isolation?: 'read_committed' | 'read_uncommitted';
  /** Told when the reader does something the user should know of (an out-of-range reset). */
  onWarning?(message: string): void;
}

interface Partition extends TopicPartition {
  key: string;
  topicId: string;
  /** Next offset to fetch. */
  position: bigint;
  /** The fetch this partition is in, 0 when none: a partition is in at most one at a time. */
  inFetch: number;
}

interface Outcome {
  id: number;
  epoch: number;
  node: number;
  response?: FetchResponse;
  error?: unknown;
}

export class KafkaReader implements AssignableReader {
  readonly #opts: KafkaReaderOptions;
  readonly #consumer: Consumer;
  #admin: Admin | undefined;
  readonly #closing = new AbortController();
  #partitions: Partition[] | undefined;
  /** The partitions read: all of them after seek(), those named after assign(). */
  #active: Partition[] = [];
  /** Partitions by topic id, then partition number: how fetch responses name them. */
  readonly #byTopicId = new Map<string, Partition[]>();
  #seeked = false;
  /** Bumped by seek(): fetches sent before it are dropped when they return. */
  #epoch = 0;
  #fetchIds = 0;
  readonly #inflightNodes = new Set<number>();
  readonly #ready: Outcome[] = [];
  #wake: (() => void) | undefined;
  #pumping = false;
  #pumpAgain = false;
  #leaderWait = false;

  constructor(opts: KafkaReaderOptions) {
    if (opts.topics.length === 0) throw new ProcessorError('SOURCE', 'KafkaReader needs at least one topic');
    this.#opts = opts;
    this.#consumer = new Consumer({
      clientId: opts.clientId ?? 'brook-processor',
      groupId: opts.groupId,
      bootstrapBrokers: opts.bootstrap,
      ...CLIENT_RETRIES,
      isolationLevel: this.#isolationLevel,
      ...opts.connection,
    });
    // Metadata requests then name these topics, which also maps topic ids for Fetch v12 and older.
    this.#consumer.topics.trackAll(...opts.topics);
  }

  get #isolationLevel(): number {
    return this.#opts.isolation === 'read_uncommitted' ? 0 : 1;
  }

  async assignment(): Promise<TopicPartition[]> {
    return (await this.#resolve()).map(({ topic, partition }) => ({ topic, partition }));
  }

  /** The next offset to be read per `topic:partition` read (past transaction markers, which are not records). */
  positions(): Map<string, bigint> {
    return new Map(this.#active.map((p) => [p.key, p.position]));
  }

  /** Reads every partition: those in `from` from there, the others from the configured position. */
  async seek(from: Map<string, bigint>): Promise<Map<string, bigint>> {
    const partitions = await this.#resolve();
    return this.#start(partitions, partitions, from);
  }

  async assign(wanted: TopicPartition[], from: Map<string, bigint>): Promise<Map<string, bigint>> {
    const partitions = await this.#resolve();
    const keys = new Set(wanted.map((tp) => partitionKey(tp.topic, tp.partition)));
    const unknown = [...keys].filter((k) => !partitions.some((p) => p.key === k));
    if (unknown.length > 0) throw this.#fatal('assigning', new Error(`Unknown partitions ${unknown.join(', ')}.`));
    const active = partitions.filter((p) => keys.has(p.key));
    // Partitions read before keep their position: the caller has processed everything poll() gave.
    const fresh = active.filter((p) => !this.#active.includes(p));
    return this.#start(active, fresh, from);
  }

  async #start(active: Partition[], fresh: Partition[], from: Map<string, bigint>): Promise<Map<string, bigint>> {
    const missing = fresh.filter((p) => !from.has(p.key));
    const start = missing.length > 0 ? await this.#startPositions(missing) : new Map<string, bigint>();
    // Everything in flight or queued was asked for with the old assignment or positions.
    this.#epoch++;
    this.#ready.length = 0;
    for (const p of this.#partitions ?? []) p.inFetch = 0;
    for (const p of fresh) p.position = from.get(p.key) ?? start.get(p.key) ?? 0n;
    this.#active = active;
    this.#seeked = true;
    this.#pump();
    return this.positions();
  }

  async poll(signal?: AbortSignal): Promise<SourceRecord[]> {
    if (!this.#seeked) await this.seek(new Map());
    // Nothing assigned: nothing will come (the caller waits for an assignment instead).
    if (this.#active.length === 0) return [];
    this.#pump();
    for (;;) {
      const outcome = this.#ready.shift();
      if (outcome === undefined) {
        if (!(await this.#waitReady(signal))) return [];
        continue;
      }
      if (outcome.epoch !== this.#epoch) continue;
      if (outcome.response !== undefined) return this.#accept(outcome, outcome.response);
      await this.#recover(outcome);
    }
  }

  async endOffsets(): Promise<Map<string, bigint>> {
    await this.#resolve();
    return this.#listOffsets(ListOffsetTimestamps.LATEST);
  }

  async commit(offsets: Map<string, bigint>): Promise<void> {
    if (offsets.size === 0) return;
    this.#admin ??= new Admin({
      clientId: this.#opts.clientId ?? 'brook-processor',
      bootstrapBrokers: this.#opts.bootstrap,
      ...CLIENT_RETRIES,
      ...this.#opts.connection,
    });
    await commitToGroup(this.#admin, this.#opts.groupId, offsets, this.#opts, this.#closing.signal);
  }

  async close(): Promise<void> {
    this.#closing.abort();
    this.#wake?.();
    await Promise.all([this.#consumer.close(true), this.#admin?.close()]);
  }

  /** Finds the partitions of every topic (once); an unknown topic is an error, never created. */
  async #resolve(): Promise<Partition[]> {
    if (this.#partitions) return this.#partitions;
    const { topics } = this.#opts;
    let metadata: Awaited<ReturnType<Consumer['metadata']>>;
    try {
      metadata = await withRetry('metadata', this.#opts, this.#closing.signal, () => this.#consumer.metadata({ topics }));
    } catch (err) {
      throw this.#fatal('reading the metadata of', err);
    }
    const partitions: Partition[] = [];
    for (const topic of topics) {
      const t = metadata.topics.get(topic);
      if (t === undefined) throw this.#fatal('reading the metadata of', new Error(`Unknown topic ${topic}.`));
      const list: Partition[] = [];
      for (let partition = 0; partition < t.partitionsCount; partition++) {
        list.push({ topic, partition, key: partitionKey(topic, partition), topicId: t.id, position: 0n, inFetch: 0 });
      }
      this.#byTopicId.set(t.id, list);
      partitions.push(...list);
    }
    this.#partitions = partitions;
    return partitions;
  }

  async #startPositions(missing: Partition[]): Promise<Map<string, bigint>> {
    const modeOf = (p: Partition): StartPosition => this.#opts.fromByTopic?.[p.topic] ?? this.#opts.from ?? 'committed';
    const out = new Map<string, bigint>();
    if (missing.some((p) => modeOf(p) === 'latest')) {
      const latest = await this.#listOffsets(ListOffsetTimestamps.LATEST);
      for (const p of missing) if (modeOf(p) === 'latest') out.set(p.key, latest.get(p.key) ?? 0n);
    }
    const rest = missing.filter((p) => modeOf(p) !== 'latest');
    if (rest.length === 0) return out;
    const earliest = await this.#listOffsets(ListOffsetTimestamps.EARLIEST);
    for (const p of rest) if (modeOf(p) === 'earliest') out.set(p.key, earliest.get(p.key) ?? 0n);
    const fromGroup = rest.filter((p) => modeOf(p) === 'committed');
    if (fromGroup.length > 0) for (const [k, v] of await this.#committedPositions(fromGroup, earliest)) out.set(k, v);
    return out;
  }

  /** The group's committed offsets, the earliest where it committed none. */
  async #committedPositions(missing: Partition[], earliest: Map<string, bigint>): Promise<Map<string, bigint>> {
    const topics = [...new Set(missing.map((p) => p.topic))].map((topic) => ({
      topic,
      partitions: missing.filter((p) => p.topic === topic).map((p) => p.partition),
    }));
    let committed: Map<string, bigint[]>;
    try {
      committed = await withRetry('reading committed offsets', this.#opts, this.#closing.signal, () =>
        this.#consumer.listCommittedOffsets({ topics }),
      );
    } catch (err) {
      throw this.#fatal(`reading the offsets group '${this.#opts.groupId}' committed for`, err);
    }
    const out = new Map<string, bigint>();
    for (const p of missing) {
      const offset = committed.get(p.topic)?.[p.partition] ?? -1n;
      out.set(p.key, offset >= 0n ? offset : (earliest.get(p.key) ?? 0n));
    }
    return out;
  }

  async #listOffsets(timestamp: bigint): Promise<Map<string, bigint>> {
    const { topics } = this.#opts;
    let listed: Map<string, bigint[]>;
    try {
      listed = await withRetry('listing offsets', this.#opts, this.#closing.signal, () =>
        this.#consumer.listOffsets({ topics, timestamp, isolationLevel: this.#isolationLevel }),
      );
    } catch (err) {
      throw this.#fatal('listing the offsets of', err);
    }
    const out = new Map<string, bigint>();
    for (const [topic, offsets] of listed) {
      for (const [partition, offset] of offsets.entries()) out.set(partitionKey(topic, partition), offset);
    }
    return out;
  }

  /** Sends a Fetch to each broker that leads an idle partition and has none in flight. */
  #pump(): void {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    void (async () => {
      try {
        do {
          this.#pumpAgain = false;
          await this.#sendFetches();
        } while (this.#pumpAgain && !this.#closing.signal.aborted);
      } catch (error) {
        this.#deliver({ id: 0, epoch: this.#epoch, node: -1, error });
      } finally {
        this.#pumping = false;
      }
    })();
  }

  async #sendFetches(): Promise<void> {
    const epoch = this.#epoch;
    if (!this.#seeked || this.#partitions === undefined || this.#closing.signal.aborted) return;
    if (this.#active.every((p) => p.inFetch !== 0)) return;
    let metadata: Awaited<ReturnType<Consumer['metadata']>>;
    try {
      // Cached by the client for metadataMaxAge; refreshed after leadership errors.
      metadata = await withRetry('metadata', this.#opts, this.#closing.signal, () =>
        this.#consumer.metadata({ topics: this.#opts.topics }),
      );
    } catch (error) {
      this.#deliver({ id: 0, epoch, node: -1, error });
      return;
    }
    if (epoch !== this.#epoch) {
      this.#pumpAgain = true;
      return;
    }
    const byNode = new Map<number, Partition[]>();
    let leaderless: Partition | undefined;
    for (const p of this.#active) {
      if (p.inFetch !== 0) continue;
      const node = metadata.topics.get(p.topic)?.partitions[p.partition]?.leader ?? -1;
      if (node < 0) {
        leaderless = p;
        continue;
      }
      if (this.#inflightNodes.has(node)) continue;
      const list = byNode.get(node) ?? [];
      list.push(p);
      byNode.set(node, list);
    }
    for (const [node, partitions] of byNode) this.#fetch(node, partitions, epoch);
    if (leaderless) this.#awaitLeader(leaderless);
  }

  /** A partition without a leader (an election in progress): ask again for metadata shortly. */
  #awaitLeader(p: Partition): void {
    if (this.#leaderWait) return;
    this.#leaderWait = true;
    const delayMs = Math.min(1000, this.#opts.maxBackoffMs ?? 1000);
    this.#opts.onRetry?.({
      operation: 'metadata',
      attempt: 1,
      delayMs,
      error: new Error(`${p.key} has no leader`),
      message: `${p.key} has no leader; asking again in ${delayMs} ms`,
    });
    this.#consumer.clearMetadata();
    void sleep(delayMs, this.#closing.signal).then(() => {
      this.#leaderWait = false;
      this.#pump();
    });
  }

  #fetch(node: number, partitions: Partition[], epoch: number): void {
    const id = ++this.#fetchIds;
    for (const p of partitions) p.inFetch = id;
    this.#inflightNodes.add(node);
    const maxBytesPerPartition = this.#opts.maxBytesPerPartition ?? 1 << 20;
    const request = () => {
      // Rebuilt per attempt: the client rewrites leader epochs in it when a connection fails.
      const byTopic = new Map<string, { topicId: string; partitions: any[] }>();
      for (const p of partitions) {
        let t = byTopic.get(p.topicId);
        if (!t) byTopic.set(p.topicId, (t = { topicId: p.topicId, partitions: [] }));
        t.partitions.push({
          partition: p.partition,
          fetchOffset: p.position,
          partitionMaxBytes: maxBytesPerPartition,
          currentLeaderEpoch: -1,
          lastFetchedEpoch: -1,
        });
      }
      return this.#consumer.fetch({
        node,
        topics: [...byTopic.values()],
        maxWaitTime: this.#opts.maxWaitMs ?? 500,
        minBytes: 1,
        maxBytes: this.#opts.maxBytes ?? 50 * 2 ** 20,
        isolationLevel: this.#isolationLevel,
      });
    };
    withRetry('fetch', this.#opts, this.#closing.signal, request).then(
      (response) => this.#deliver({ id, epoch, node, response }),
      (error: unknown) => this.#deliver({ id, epoch, node, error }),
    );
  }

  #deliver(outcome: Outcome): void {
    this.#inflightNodes.delete(outcome.node);
    if (outcome.epoch === this.#epoch) this.#ready.push(outcome);
    else this.#pump(); // the broker is free for a fetch from the new positions
    this.#wake?.();
  }

  #waitReady(signal?: AbortSignal): Promise<boolean> {
    if (this.#closing.signal.aborted || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (ready: boolean) => {
        this.#wake = undefined;
        signal?.removeEventListener('abort', onAbort);
        resolve(ready);
      };
      const onAbort = () => done(false);
      this.#wake = () => done(!this.#closing.signal.aborted);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves positions past what arrived, sends the next fetch, then builds the records. */
  #accept(outcome: Outcome, response: FetchResponse): SourceRecord[] {
    const got: { p: Partition; from: bigint; batches: NonNullable<FetchResponse['responses'][0]['partitions'][0]['records']> }[] = [];
    for (const t of response.responses) {
      const list = this.#byTopicId.get(t.topicId);
      if (list === undefined) continue;
      for (const r of t.partitions) {
        const p = list[r.partitionIndex];
        // Only what this fetch asked for: an incremental fetch session may add stale partitions.
        if (p === undefined || p.inFetch !== outcome.id || !r.records || r.records.length === 0) continue;
        got.push({ p, from: p.position, batches: r.records });
        p.position = nextOffset(r.records, p.position);
      }
    }
    this.#release(outcome.id);
    this.#pump();
    const out: SourceRecord[] = [];
    for (const { p, from, batches } of got) appendRecords(out, p.topic, p.partition, batches, from);
    return out;
  }

  #release(id: number): void {
    if (id === 0 || this.#partitions === undefined) return;
    for (const p of this.#partitions) if (p.inFetch === id) p.inFetch = 0;
  }

  /** An out-of-range position restarts at the log start, with a warning; anything else is fatal. */
  async #recover(outcome: Outcome): Promise<void> {
    this.#release(outcome.id);
    if (this.#closing.signal.aborted) throw new ProcessorError('SOURCE', 'the reader is closed');
    if (!hasApiError(outcome.error, 'OFFSET_OUT_OF_RANGE')) throw this.#fatal('fetching from', outcome.error);
    const out = outOfRangePartitions(outcome.error);
    const needList = out.filter((o) => o.logStartOffset < 0n);
    const earliest = needList.length > 0 ? await this.#listOffsets(ListOffsetTimestamps.EARLIEST) : new Map<string, bigint>();
    for (const o of out) {
      const p = this.#byTopicId.get(o.topicId)?.[o.partition];
      if (p === undefined || p.inFetch !== 0) continue;
      const start = o.logStartOffset >= 0n ? o.logStartOffset : (earliest.get(p.key) ?? 0n);
      this.#opts.onWarning?.(
        `${p.key}: offset ${p.position} is out of range (the log holds ${start} to ${o.highWatermark}); reading from the earliest offset, ${start}`,
      );
      p.position = start;
    }
    this.#pump();
  }

  #fatal(what: string, err: unknown): ProcessorError {
    const unknown = hasApiError(err, 'UNKNOWN_TOPIC_OR_PARTITION') || /Unknown topic/.test(describe(err));
    const topics = this.#opts.topics.join(', ');
    const message = unknown
      ? `${what} ${topics} on ${this.#opts.bootstrap.join(',')} failed: ${describe(err)} Create the topic first, or check its name.`
      : `${what} ${topics} on ${this.#opts.bootstrap.join(',')} failed: ${describe(err)}`;
    return new ProcessorError('SOURCE', message, { cause: err });
  }
}
