// The group coordinator of a single broker: every classic consumer group, its membership and its
// committed offsets, kept in __consumer_offsets. Plain arguments in, plain results out; the
// protocol handlers translate. Owns lifecycle (load, close) and the checks every API shares.
import { ErrorCode } from '../../protocol/error-codes.ts';
import { type GroupConfig, type GroupCoordinatorOptions, resolveConfig } from './config.ts';
import type { CoordinatorContext } from './context.ts';
import { publish } from './events.ts';
import type { Group } from './group.ts';
import { GroupLoader } from './loader.ts';
import { Membership } from './membership.ts';
import { Offsets } from './offsets.ts';
import { joinError, syncError } from './results.ts';
import { type Scheduler, Timer } from './scheduler.ts';
import { OffsetsStore } from './store.ts';
import {
  type CommitOffsetsRequest,
  type CommitOffsetsResult,
  type DeleteGroupResult,
  type DescribedGroup,
  type FetchOffsetsRequest,
  type FetchOffsetsResult,
  GroupState,
  type HeartbeatRequest,
  type HeartbeatResult,
  type JoinGroupRequest,
  type JoinGroupResult,
  type LeaveGroupRequest,
  type LeaveGroupResult,
  type ListGroupsResult,
  type SyncGroupRequest,
  type SyncGroupResult,
} from './types.ts';

/** created -> loading -> active -> closed; a failed load leaves it `failed`. */
export type CoordinatorStatus = 'created' | 'loading' | 'active' | 'closed' | 'failed';

export class GroupCoordinator {
  private readonly ctx: CoordinatorContext;
  private readonly membership: Membership;
  private readonly offsets: Offsets;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly cleanupTimer: Timer;
  private state: CoordinatorStatus = 'created';

  constructor(options: GroupCoordinatorOptions) {
    const { config, scheduler } = resolveConfig(options);
    this.ctx = {
      groups: new Map(),
      scheduler,
      config,
      store: new OffsetsStore(options.logs, config.offsetsTopic, config.offsetsTopicPartitions),
      logs: options.logs,
      track: (p) => this.track(p),
    };
    this.membership = new Membership(this.ctx);
    this.offsets = new Offsets(this.ctx, this.membership);
    this.cleanupTimer = new Timer(scheduler);
  }

  get status(): CoordinatorStatus {
    return this.state;
  }

  get config(): Readonly<GroupConfig> {
    return this.ctx.config;
  }

  get scheduler(): Scheduler {
    return this.ctx.scheduler;
  }

  /**
   * Creates __consumer_offsets when missing and replays it. Until this resolves, group APIs
   * answer COORDINATOR_LOAD_IN_PROGRESS (clients retry).
   */
  async load(): Promise<void> {
    if (this.state !== 'created') throw new Error(`the group coordinator is ${this.state}: load() runs once`);
    this.state = 'loading';
    const started = this.ctx.scheduler.now();
    try {
      const { store } = this.ctx;
      store.open();
      const loader = new GroupLoader();
      let skipped = 0;
      const records = await store.replay(loader.visit, {
        maxBytes: this.ctx.config.offsetsLoadBufferSize,
        cancelled: () => this.state !== 'loading',
        onSkip: (partition, offset, error) => {
          skipped++;
          publish({ type: 'load-skipped', topic: store.topic, partition, offset: offset.toString(), error: String(error) });
        },
      });
      // Closed while loading: stay closed.
      if (this.state !== 'loading') return;
      for (const [id, group] of loader.groups(this.ctx.scheduler)) this.ctx.groups.set(id, group);
      this.state = 'active';
      this.scheduleCleanup();
      let offsets = 0;
      for (const g of this.ctx.groups.values()) offsets += g.offsetCount;
      publish({ type: 'loaded', groups: this.ctx.groups.size, offsets, records, skipped, ms: this.ctx.scheduler.now() - started });
    } catch (err) {
      if (this.state === 'loading') this.state = 'failed';
      throw err;
    }
  }

  /**
   * Stops: waiting JoinGroup and SyncGroup requests are answered NOT_COORDINATOR (clients look
   * the coordinator up again), timers stop, and in-flight writes are waited for. The LogManager
   * stays open: it is not ours.
   */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.cleanupTimer.cancel();
    for (const group of [...this.ctx.groups.values()]) this.membership.unload(group, ErrorCode.NOT_COORDINATOR);
    this.ctx.groups.clear();
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    const done = () => this.inflight.delete(p);
    p.then(done, done);
    return p;
  }

  private scheduleCleanup(): void {
    this.cleanupTimer.arm(this.ctx.config.offsetsRetentionCheckIntervalMs, () => {
      void this.expireOffsets();
      this.scheduleCleanup();
    });
  }

  /**
   * Kafka's validateGroupStatus. Offset APIs, DescribeGroups and DeleteGroups accept the empty
   * group id (old clients commit under it); group management needs a real one.
   */
  private check(groupId: string, allowEmptyId: boolean): number | null {
    if (!allowEmptyId && groupId === '') return ErrorCode.INVALID_GROUP_ID;
    if (this.state === 'closed' || this.state === 'failed') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (this.state !== 'active') return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    return null;
  }

  /** JoinGroup: resolves when the join phase ends (or at once with an error or MEMBER_ID_REQUIRED). */
  joinGroup(req: JoinGroupRequest): Promise<JoinGroupResult> {
    const error = this.check(req.groupId, false);
    if (error !== null) return Promise.resolve(joinError(error, req.memberId));
    return this.membership.join(req);
  }

  /** SyncGroup: a follower waits for the leader's assignment; the leader waits for it to be stored. */
  syncGroup(req: SyncGroupRequest): Promise<SyncGroupResult> {
    const error = this.check(req.groupId, false);
    if (error !== null) return Promise.resolve(syncError(error));
    return this.membership.sync(req);
  }

  heartbeat(req: HeartbeatRequest): HeartbeatResult {
    const error = this.check(req.groupId, false);
    // As Kafka: a heartbeat during loading is simply accepted; the member learns the rest later.
    if (error === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return { errorCode: ErrorCode.NONE };
    if (error !== null) return { errorCode: error };
    return this.membership.heartbeat(req);
  }

  leaveGroup(req: LeaveGroupRequest): LeaveGroupResult {
    const error = this.check(req.groupId, false);
    if (error !== null) return { errorCode: error, members: [] };
    return this.membership.leave(req);
  }

  /** OffsetCommit: resolves once the commit is flushed to __consumer_offsets. */
  commitOffsets(req: CommitOffsetsRequest): Promise<CommitOffsetsResult> {
    const error = this.check(req.groupId, true);
    if (error !== null)
      return Promise.resolve({ partitions: req.offsets.map((o) => ({ topic: o.topic, partition: o.partition, errorCode: error })) });
    return this.offsets.commit(req);
  }

  fetchOffsets(req: FetchOffsetsRequest): FetchOffsetsResult {
    const error = this.check(req.groupId, true);
    if (error !== null) return { errorCode: error, topics: [] };
    return this.offsets.fetch(req);
  }

  describeGroups(groupIds: string[]): DescribedGroup[] {
    return groupIds.map((groupId): DescribedGroup => {
      const error = this.check(groupId, true);
      if (error !== null) return { errorCode: error, groupId, state: '', protocolType: '', protocolData: '', members: [] };
      const group = this.ctx.groups.get(groupId);
      // Kafka answers an unknown group as Dead with no error (DescribeGroups v0-5).
      if (group === undefined)
        return { errorCode: ErrorCode.NONE, groupId, state: GroupState.Dead, protocolType: '', protocolData: '', members: [] };
      const stable = group.is(GroupState.Stable);
      return {
        errorCode: ErrorCode.NONE,
        groupId,
        state: group.state,
        protocolType: group.protocolType ?? '',
        protocolData: stable ? (group.protocolName ?? '') : '',
        members: [...group.members.values()].map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          metadata: stable ? m.metadataFor(group.protocolName) : Buffer.alloc(0),
          assignment: stable ? m.assignment : Buffer.alloc(0),
        })),
      };
    });
  }

  /** ListGroups; `statesFilter` (v4+, KIP-518) matches state names case-insensitively, empty = all. */
  listGroups(statesFilter: string[] = []): ListGroupsResult {
    if (this.state === 'closed' || this.state === 'failed') return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: [] };
    const wanted = new Set(statesFilter.map((s) => s.toLowerCase()));
    const groups = [...this.ctx.groups.values()]
      .filter((g) => wanted.size === 0 || wanted.has(g.state.toLowerCase()))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', state: g.state, groupType: 'classic' as const }));
    return { errorCode: this.state === 'active' ? ErrorCode.NONE : ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, groups };
  }

  /** DeleteGroups: only empty groups go (NON_EMPTY_GROUP otherwise), with their offsets. One answer per distinct id. */
  async deleteGroups(groupIds: string[]): Promise<DeleteGroupResult[]> {
    const answers = [...new Set(groupIds)].map(async (groupId): Promise<DeleteGroupResult> => {
      const error = this.check(groupId, true);
      if (error !== null) return { groupId, errorCode: error };
      const group = this.ctx.groups.get(groupId);
      if (group === undefined) return { groupId, errorCode: ErrorCode.GROUP_ID_NOT_FOUND };
      if (!group.is(GroupState.Empty)) return { groupId, errorCode: ErrorCode.NON_EMPTY_GROUP };
      return { groupId, errorCode: await this.offsets.deleteGroup(group) };
    });
    return Promise.all(answers);
  }

  /** Runs the offsets retention sweep now (it also runs every offsetsRetentionCheckIntervalMs). */
  async expireOffsets(): Promise<void> {
    if (this.state !== 'active') return;
    await this.offsets.expire();
  }

  /** A group's current state, for tests and diagnostics; undefined when there is no such group. */
  groupState(groupId: string): Group['state'] | undefined {
    return this.ctx.groups.get(groupId)?.state;
  }
}
