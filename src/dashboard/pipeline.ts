// The Pipeline view's data: topics (partitions, log start/end offsets, records/s from offset
// deltas), consumer groups (committed offsets, lag) through the Kafka Admin API, and the
// processor's JobMetrics when it runs in this process. One snapshot at a time, reused for 1 s.
import { Admin, ListOffsetTimestamps } from '@platformatic/kafka';
import type { KafkaConnectionOptions } from '../processor/kafka/retry.ts';
import { describe } from '../processor/kafka/retry.ts';
import type { JobMetrics } from '../processor/metrics.ts';
import { HttpError } from './http.ts';
import { RateTracker } from './rates.ts';

export interface PartitionInfo {
  partition: number;
  leader: number | null;
  startOffset: number;
  endOffset: number;
  /** Records retained: end - start. */
  records: number;
  /** Records appended per second (null until two samples exist). */
  ratePerSec: number | null;
}

export interface TopicInfo {
  name: string;
  partitions: PartitionInfo[];
  startOffset: number;
  endOffset: number;
  records: number;
  ratePerSec: number | null;
}

export interface GroupPartitionInfo {
  partition: number;
  committed: number | null;
  endOffset: number | null;
  lag: number | null;
}

export interface GroupInfo {
  id: string;
  state: string;
  protocolType: string;
  lag: number;
  topics: Array<{ name: string; lag: number; partitions: GroupPartitionInfo[] }>;
}

export interface ProcessorInfo extends Omit<JobMetrics, 'partitions'> {
  partitions: Array<Omit<JobMetrics['partitions'][number], 'lag'> & { lag: number | null }>;
  /** Source records per second, from the sources' recordsIn over the last seconds. */
  eventsPerSecond: number | null;
  /** When the last checkpoint was written (the processor's clock). */
  lastCheckpointAt: number | null;
}

export interface PipelineSnapshot {
  at: number;
  kafka: { bootstrap: string[]; error: string | null };
  topics: TopicInfo[];
  groups: GroupInfo[];
  /** null when the processor does not run in this process (standalone dashboard). */
  processor: ProcessorInfo | null;
}

export interface PipelineMonitorOptions {
  bootstrap: string[];
  connection?: KafkaConnectionOptions;
  processor?: () => JobMetrics | undefined;
  /** Snapshots younger than this are reused. Default 1000 ms. */
  maxAgeMs?: number;
  now?: () => number;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export class PipelineMonitor {
  readonly #opts: PipelineMonitorOptions;
  readonly #now: () => number;
  #admin: Admin | undefined;
  #last: PipelineSnapshot | undefined;
  #inflight: Promise<PipelineSnapshot> | undefined;
  readonly #offsetRates = new RateTracker();
  readonly #eventRates = new RateTracker();
  #closed = false;

  constructor(opts: PipelineMonitorOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
  }

  snapshot(): Promise<PipelineSnapshot> {
    // A request that races close() must not open a new client that nobody closes.
    if (this.#closed) return Promise.reject(new HttpError(503, 'closing', 'the dashboard is shutting down'));
    if (this.#last && this.#now() - this.#last.at < (this.#opts.maxAgeMs ?? 1000)) return Promise.resolve(this.#last);
    this.#inflight ??= this.#take().finally(() => (this.#inflight = undefined));
    return this.#inflight;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#inflight?.catch(() => undefined);
    const admin = this.#admin;
    this.#admin = undefined;
    await admin?.close().catch(() => undefined);
  }

  get #client(): Admin {
    // Short timeouts and retries: a dashboard shows "unreachable" rather than hanging on a dead broker.
    this.#admin ??= new Admin({
      clientId: 'brook-dashboard',
      bootstrapBrokers: this.#opts.bootstrap,
      retries: 1,
      retryDelay: 200,
      timeout: 5000,
      connectTimeout: 3000,
      ...this.#opts.connection,
    });
    return this.#admin;
  }

  async #take(): Promise<PipelineSnapshot> {
    const at = this.#now();
    const processor = this.#processor(at);
    let snapshot: PipelineSnapshot;
    try {
      const { topics, groups } = await this.#kafka(at);
      snapshot = { at, kafka: { bootstrap: this.#opts.bootstrap, error: null }, topics, groups, processor };
    } catch (err) {
      // A failed client may hold broken connections: start afresh next time.
      const admin = this.#admin;
      this.#admin = undefined;
      void admin?.close().catch(() => undefined);
      const error = `cannot read the Kafka cluster at ${this.#opts.bootstrap.join(',')}: ${describe(err)}`;
      snapshot = { at, kafka: { bootstrap: this.#opts.bootstrap, error }, topics: [], groups: [], processor };
    }
    if (!this.#closed) this.#last = snapshot;
    return snapshot;
  }

  async #kafka(at: number): Promise<{ topics: TopicInfo[]; groups: GroupInfo[] }> {
    const admin = this.#client;
    // People look for their own topics first: internal ones (`_schemas`, `__consumer_offsets`) go last.
    const names = (await admin.listTopics()).sort((a, b) => Number(a.startsWith('_')) - Number(b.startsWith('_')) || a.localeCompare(b));
    const metadata = names.length > 0 ? await admin.metadata({ topics: names, forceUpdate: true }) : undefined;
    const request = names.map((name) => ({
      name,
      partitions: Array.from({ length: metadata?.topics.get(name)?.partitionsCount ?? 0 }, (_, partitionIndex) => ({ partitionIndex })),
    }));
    const offsets = async (timestamp: bigint) => {
      const out = new Map<string, number>();
      if (request.length === 0) return out;
      const listed = await admin.listOffsets({
        topics: request.map((t) => ({ ...t, partitions: t.partitions.map((p) => ({ ...p, timestamp })) })),
      });
      for (const t of listed) for (const p of t.partitions) out.set(`${t.name}:${p.partitionIndex}`, Number(p.offset));
      return out;
    };
    const [ends, starts, groupList] = await Promise.all([
      offsets(ListOffsetTimestamps.LATEST),
      offsets(ListOffsetTimestamps.EARLIEST),
      admin.listGroups(),
    ]);
    const rates = this.#offsetRates.sample(at, ends);

    const topics: TopicInfo[] = request.map(({ name, partitions }) => {
      const leaders = metadata?.topics.get(name)?.partitions ?? [];
      const parts: PartitionInfo[] = partitions.map(({ partitionIndex: partition }) => {
        const key = `${name}:${partition}`;
        const endOffset = ends.get(key) ?? 0;
        const startOffset = starts.get(key) ?? 0;
        const leader = leaders[partition]?.leader;
        return {
          partition,
          leader: leader === undefined || leader < 0 ? null : leader,
          startOffset,
          endOffset,
          records: Math.max(0, endOffset - startOffset),
          ratePerSec: rates.get(key) ?? null,
        };
      });
      const partRates = parts.map((p) => p.ratePerSec);
      return {
        name,
        partitions: parts,
        startOffset: sum(parts.map((p) => p.startOffset)),
        endOffset: sum(parts.map((p) => p.endOffset)),
        records: sum(parts.map((p) => p.records)),
        ratePerSec: partRates.length > 0 && partRates.every((r) => r !== null) ? sum(partRates as number[]) : null,
      };
    });

    const ids = [...groupList.keys()].sort();
    const committed = ids.length > 0 ? await admin.listConsumerGroupOffsets({ groups: ids }) : [];
    const byGroup = new Map(committed.map((g) => [g.groupId, g]));
    const groups: GroupInfo[] = ids.map((id) => {
      const base = groupList.get(id)!;
      const groupTopics = (byGroup.get(id)?.topics ?? [])
        .map((t) => {
          const partitions: GroupPartitionInfo[] = t.partitions
            .map((p) => {
              const c = Number(p.committedOffset);
              const end = ends.get(`${t.name}:${p.partitionIndex}`);
              const has = c >= 0;
              return {
                partition: p.partitionIndex,
                committed: has ? c : null,
                endOffset: end ?? null,
                lag: has && end !== undefined ? Math.max(0, end - c) : null,
              };
            })
            .sort((a, b) => a.partition - b.partition);
          return { name: t.name, lag: sum(partitions.map((p) => p.lag ?? 0)), partitions };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
      return {
        id,
        state: String(base.state),
        protocolType: base.protocolType,
        lag: sum(groupTopics.map((t) => t.lag)),
        topics: groupTopics,
      };
    });
    return { topics, groups };
  }

  #processor(at: number): ProcessorInfo | null {
    const m = this.#opts.processor?.();
    if (!m) return null;
    const read = sum(m.operators.filter((o) => o.kind === 'source').map((o) => o.recordsIn));
    const rate = this.#eventRates.sample(at, new Map([['events', read]])).get('events') ?? null;
    const cp = m.lastCheckpoint;
    return {
      ...m,
      partitions: m.partitions.map((p) => ({ ...p, lag: p.lag ?? null })),
      eventsPerSecond: rate,
      lastCheckpointAt: cp ? cp.at : null,
    };
  }
}
