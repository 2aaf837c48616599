// Membership of a consumer group through Kafka's classic group protocol (JoinGroup, SyncGroup,
// Heartbeat, LeaveGroup) with @platformatic/kafka's Consumer, which only joins here: the data is
// fetched by KafkaReader. Every member subscribes to the input topic and the exchange topic; the
// group's leader assigns input partitions round robin and the exchange partition (the combiner) to
// a member with the fewest input partitions.
import {
  type ClusterMetadata,
  Consumer,
  type ExtendedGroupProtocolSubscription,
  type GroupAssignment,
  type GroupPartitionsAssignments,
} from '@platformatic/kafka';
import { ProcessorError } from '../errors.ts';
import type { Membership } from '../partitioned/membership.ts';
import type { TopicPartition } from '../types.ts';
import { Wakeup } from '../wakeup.ts';
import { CLIENT_RETRIES, describe, hasApiError, type KafkaConnectionOptions, type RetryPolicy, withRetry } from './retry.ts';

/** The assignment protocol's name: members of one group must all be Brook processors. */
export const BROOK_ASSIGNOR = 'brook-partitioned';

export interface KafkaGroupMembershipOptions extends RetryPolicy {
  bootstrap: string[];
  groupId: string;
  /** The input topic(s) and the exchange topic. */
  topics: string[];
  /** Its partition 0 goes to one member: the one that runs the combiner. */
  exchangeTopic: string;
  /** Default 'brook-processor'. */
  clientId?: string;
  connection?: KafkaConnectionOptions;
  /** Static membership (KIP-345): a restart with the same id takes its partitions back without a rebalance. */
  instanceId?: string;
  /** How long the group waits for a silent member before handing its partitions to the others. Default 10 000 ms. */
  sessionTimeoutMs?: number;
  /** Default 1 000 ms: how soon a member hears of a rebalance. */
  heartbeatIntervalMs?: number;
  /** Told about commits skipped for a reason other than a rebalance. */
  onWarning?(message: string): void;
}

/** Group errors after which a commit is simply skipped: the next checkpoint commits again. */
const REBALANCING = ['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID'];

export class KafkaGroupMembership implements Membership {
  readonly #opts: KafkaGroupMembershipOptions;
  readonly #consumer: Consumer;
  readonly #closing = new AbortController();
  #pending: TopicPartition[] | undefined;
  #failure: ProcessorError | undefined;
  readonly #wakeup = new Wakeup();
  #joining = false;
  #left = false;

  constructor(opts: KafkaGroupMembershipOptions) {
    this.#opts = opts;
    const sessionTimeout = opts.sessionTimeoutMs ?? 10_000;
    // Group settings go to the constructor: the client rejoins by itself (after a heartbeat or a
    // commit hears of a rebalance) with these defaults.
    this.#consumer = new Consumer({
      clientId: opts.clientId ?? 'brook-processor',
      groupId: opts.groupId,
      bootstrapBrokers: opts.bootstrap,
      ...CLIENT_RETRIES,
      ...opts.connection,
      autocommit: false,
      sessionTimeout,
      // A live member rejoins within a heartbeat; waiting longer only delays handing over a dead one's.
      rebalanceTimeout: sessionTimeout,
      heartbeatInterval: Math.min(opts.heartbeatIntervalMs ?? 1000, sessionTimeout),
      protocols: [{ name: BROOK_ASSIGNOR, version: 1 }],
      partitionAssigner: (_current, members, topics, metadata) => assignPartitions(members, topics, metadata, opts.exchangeTopic),
      ...(opts.instanceId ? { groupInstanceId: opts.instanceId } : {}),
    });
    this.#consumer.topics.trackAll(...opts.topics);
    this.#consumer.on('consumer:group:join', (payload) => {
      this.#pending = flatten(payload.assignments ?? []);
      this.#wakeup.wake();
    });
    // A rejoin the client started itself failed (the broker gone for longer than its retries):
    // it no longer heartbeats, so join again. An error while it still does needs nothing.
    this.#consumer.on('error', (err: unknown) => {
      if (this.#consumer.isActive()) this.#opts.onWarning?.(`consumer group '${opts.groupId}': ${describe(err)}`);
      else this.#join();
    });
  }

  /** Sends the first JoinGroup; the assignment comes later (after the broker's initial rebalance delay). */
  async start(): Promise<void> {
    this.#join();
  }

  #join(): void {
    if (this.#joining || this.#left || this.#closing.signal.aborted) return;
    this.#joining = true;
    withRetry(`joining group ${this.#opts.groupId}`, this.#opts, this.#closing.signal, () => this.#consumer.joinGroup({}))
      .catch((err: unknown) => {
        if (this.#closing.signal.aborted || this.#left) return;
        this.#failure = new ProcessorError(
          'SOURCE',
          `joining consumer group '${this.#opts.groupId}' on ${this.#opts.bootstrap.join(',')} failed: ${describe(err)}` +
            (hasApiError(err, 'GROUP_AUTHORIZATION_FAILED') ? ' Grant the processor Read on the group.' : ''),
          { cause: err },
        );
        this.#wakeup.wake();
      })
      .finally(() => {
        this.#joining = false;
      });
  }

  take(): TopicPartition[] | undefined {
    if (this.#failure) throw this.#failure;
    const next = this.#pending;
    this.#pending = undefined;
    return next;
  }

  wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.#pending !== undefined || this.#failure || signal?.aborted) return Promise.resolve();
    return this.#wakeup.sleep(ms, signal);
  }

  /** Commits as a member (a group with members refuses commits from outside it). */
  async commit(offsets: Map<string, bigint>): Promise<void> {
    if (offsets.size === 0 || this.#left || this.#consumer.memberId === null) return;
    const list = [...offsets].map(([key, offset]) => {
      const cut = key.lastIndexOf(':');
      return { topic: key.slice(0, cut), partition: Number(key.slice(cut + 1)), offset, leaderEpoch: -1 };
    });
    try {
      await this.#consumer.commit({ offsets: list });
    } catch (err) {
      if (REBALANCING.some((id) => hasApiError(err, id))) return;
      this.#opts.onWarning?.(
        `committing offsets to group '${this.#opts.groupId}' failed (${describe(err)}); the next checkpoint commits again`,
      );
    }
  }

  async leave(): Promise<void> {
    if (this.#left) return;
    this.#left = true;
    try {
      await this.#consumer.leaveGroup(true);
    } catch (err) {
      // The session timeout hands the partitions over anyway, only later.
      this.#opts.onWarning?.(
        `leaving group '${this.#opts.groupId}' failed (${describe(err)}); the others take over after the session timeout`,
      );
    }
  }

  async close(): Promise<void> {
    this.#closing.abort();
    this.#wakeup.wake();
    await this.#consumer.close(true);
  }
}

function flatten(assignments: GroupAssignment[]): TopicPartition[] {
  return assignments.flatMap((a) => a.partitions.map((partition) => ({ topic: a.topic, partition })));
}

/**
 * The leader's assignment: input partitions round robin over the members in member id order; the
 * exchange partition to the member with the fewest input partitions (the last such one).
 */
export function assignPartitions(
  members: Map<string, ExtendedGroupProtocolSubscription>,
  topics: Set<string>,
  metadata: ClusterMetadata,
  exchangeTopic: string,
): GroupPartitionsAssignments[] {
  const ids = [...members.keys()].sort();
  const byMember = new Map(ids.map((id) => [id, new Map<string, GroupAssignment>()]));
  const load = new Map(ids.map((id) => [id, 0]));
  const add = (id: string, topic: string, partition: number) => {
    const assignments = byMember.get(id) as Map<string, GroupAssignment>;
    let a = assignments.get(topic);
    if (a === undefined) assignments.set(topic, (a = { topic, partitions: [] }));
    a.partitions.push(partition);
  };
  let next = 0;
  for (const topic of [...topics].filter((t) => t !== exchangeTopic).sort()) {
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    for (let p = 0; p < count; p++) {
      const id = ids[next++ % ids.length] as string;
      add(id, topic, p);
      load.set(id, (load.get(id) as number) + 1);
    }
  }
  if (topics.has(exchangeTopic) && ids.length > 0) {
    let best = ids[ids.length - 1] as string;
    for (let i = ids.length - 1; i >= 0; i--) {
      const id = ids[i] as string;
      if ((load.get(id) as number) < (load.get(best) as number)) best = id;
    }
    add(best, exchangeTopic, 0);
  }
  return ids.map((memberId) => ({ memberId, assignments: byMember.get(memberId) as Map<string, GroupAssignment> }));
}
