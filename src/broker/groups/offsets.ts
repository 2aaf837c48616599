// Committed offsets: OffsetCommit (acknowledged once the records are flushed to __consumer_offsets),
// OffsetFetch, and the retention sweep that expires old offsets and drops empty groups, writing
// tombstones so compaction forgets them too.
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { CoordinatorContext } from './context.ts';
import { publish } from './events.ts';
import { Group } from './group.ts';
import type { Member } from './member.ts';
import type { Membership } from './membership.ts';
import { validateCurrentMember } from './membership.ts';
import { groupKey, offsetKey, offsetValue } from './records.ts';
import { type StoreEntry, storeErrorCode } from './store.ts';
import {
  type CommitOffsetsRequest,
  type CommitOffsetsResult,
  type FetchedOffset,
  type FetchOffsetsRequest,
  type FetchOffsetsResult,
  GroupState,
} from './types.ts';

const { Empty, PreparingRebalance, CompletingRebalance, Stable, Dead } = GroupState;

const NO_OFFSET = (partition: number, errorCode: number = ErrorCode.NONE): FetchedOffset => ({
  partition,
  offset: -1n,
  leaderEpoch: -1,
  metadata: '',
  errorCode,
});

export class Offsets {
  private readonly ctx: CoordinatorContext;
  private readonly membership: Membership;

  constructor(ctx: CoordinatorContext, membership: Membership) {
    this.ctx = ctx;
    this.membership = membership;
  }

  async commit(req: CommitOffsetsRequest): Promise<CommitOffsetsResult> {
    const results = req.offsets.map((o) => ({ topic: o.topic, partition: o.partition, errorCode: ErrorCode.NONE as number }));
    const all = (errorCode: number): CommitOffsetsResult => ({ partitions: results.map((r) => ({ ...r, errorCode })) });
    let group = this.ctx.groups.get(req.groupId);
    const error = group === undefined ? this.validateWithoutGroup(req) : this.validate(group, req);
    if (error !== null) return all(error);

    const accepted: number[] = [];
    req.offsets.forEach((o, i) => {
      const errorCode = this.checkPartition(o.topic, o.partition, o.metadata);
      if (errorCode === ErrorCode.NONE) accepted.push(i);
      else (results[i] as (typeof results)[number]).errorCode = errorCode;
    });
    if (accepted.length === 0) return { partitions: results };

    if (group === undefined) {
      // A commit outside group management (generation -1): the group exists only for its offsets.
      group = new Group(req.groupId, this.ctx.scheduler);
      this.ctx.groups.set(req.groupId, group);
    }
    const now = this.ctx.scheduler.now();
    const entries: StoreEntry[] = accepted.map((i) => {
      const o = req.offsets[i] as CommitOffsetsRequest['offsets'][number];
      return {
        key: offsetKey(req.groupId, o.topic, o.partition),
        value: offsetValue({ offset: o.offset, leaderEpoch: o.leaderEpoch, metadata: o.metadata ?? '', commitTimestamp: BigInt(now) }),
      };
    });
    const setAccepted = (errorCode: number) => {
      for (const i of accepted) (results[i] as (typeof results)[number]).errorCode = errorCode;
    };
    let baseOffset: bigint;
    let flushed: Promise<void>;
    try {
      ({ baseOffset, flushed } = this.ctx.store.append(req.groupId, entries, now));
    } catch (err) {
      setAccepted(storeErrorCode(err, 'offsets'));
      return { partitions: results };
    }
    for (const i of accepted) {
      const o = req.offsets[i] as CommitOffsetsRequest['offsets'][number];
      group.addPendingCommit(o.topic, o.partition, 1);
    }
    let errorCode: number = ErrorCode.NONE;
    try {
      await this.ctx.track(flushed);
    } catch (err) {
      errorCode = storeErrorCode(err, 'offsets');
      publish({ type: 'store-failed', groupId: req.groupId, errorCode, what: 'offsets' });
    }
    accepted.forEach((i, k) => {
      const o = req.offsets[i] as CommitOffsetsRequest['offsets'][number];
      group.addPendingCommit(o.topic, o.partition, -1);
      // A group deleted while this commit was being flushed: its tombstones come later in the log.
      if (errorCode === ErrorCode.NONE && !group.is(Dead)) {
        group.putOffset(o.topic, o.partition, {
          offset: o.offset,
          leaderEpoch: o.leaderEpoch,
          metadata: o.metadata ?? '',
          commitTimestamp: now,
          expireTimestamp: -1,
          recordOffset: baseOffset + BigInt(k),
        });
      }
    });
    setAccepted(errorCode);
    return { partitions: results };
  }

  /** No such group: only a commit outside group management may create one. */
  private validateWithoutGroup(req: CommitOffsetsRequest): number | null {
    if (req.generationId >= 0) return ErrorCode.ILLEGAL_GENERATION;
    if (req.memberId !== '' || req.groupInstanceId !== null) return ErrorCode.UNKNOWN_MEMBER_ID;
    return null;
  }

  private validate(group: Group, req: CommitOffsetsRequest): number | null {
    if (group.is(Dead)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (req.generationId >= 0 || req.memberId !== '' || req.groupInstanceId !== null) {
      const error =
        validateCurrentMember(group, req.memberId, req.groupInstanceId) ??
        (req.generationId !== group.generationId ? ErrorCode.ILLEGAL_GENERATION : null);
      if (error !== null) return error;
    } else if (!group.is(Empty)) {
      // Once a group has members, only they may commit.
      return ErrorCode.UNKNOWN_MEMBER_ID;
    }
    switch (group.state) {
      case Stable:
      case PreparingRebalance: {
        // Still allowed while rebalancing: the member learns of the rebalance from its heartbeat.
        this.membership.touch(group, group.members.get(req.memberId) as Member);
        return null;
      }
      case CompletingRebalance:
        // The member knows the new generation but has no assignment yet.
        return ErrorCode.REBALANCE_IN_PROGRESS;
      default:
        return null;
    }
  }

  private checkPartition(topic: string, partition: number, metadata: string | null): number {
    if (this.ctx.config.checkCommittedTopics) {
      const info = this.ctx.logs.topic(topic);
      if (info === undefined || partition < 0 || partition >= info.partitions) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    }
    if (metadata !== null && (metadata.length > this.ctx.config.offsetMetadataMaxBytes || Buffer.byteLength(metadata) > 0x7fff)) {
      return ErrorCode.OFFSET_METADATA_TOO_LARGE;
    }
    return ErrorCode.NONE;
  }

  fetch(req: FetchOffsetsRequest): FetchOffsetsResult {
    const group = this.ctx.groups.get(req.groupId);
    if (group === undefined || group.is(Dead)) {
      const topics = (req.topics ?? []).map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => NO_OFFSET(p)) }));
      return { errorCode: ErrorCode.NONE, topics };
    }
    const wanted = req.topics ?? [...group.offsets].map(([topic, byPartition]) => ({ topic, partitions: [...byPartition.keys()] }));
    const topics = wanted.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((partition): FetchedOffset => {
        if (req.requireStable && group.hasPendingCommit(t.topic, partition)) return NO_OFFSET(partition, ErrorCode.UNSTABLE_OFFSET_COMMIT);
        const o = group.offset(t.topic, partition);
        if (o === undefined) return NO_OFFSET(partition);
        return { partition, offset: o.offset, leaderEpoch: o.leaderEpoch, metadata: o.metadata, errorCode: ErrorCode.NONE };
      }),
    }));
    return { errorCode: ErrorCode.NONE, topics };
  }

  /**
   * The retention sweep (offsets.retention.ms): expires offsets, then removes groups left empty
   * with no offsets. Resolves once the tombstones are flushed.
   */
  async expire(): Promise<void> {
    const now = this.ctx.scheduler.now();
    const writes: Promise<unknown>[] = [];
    for (const group of [...this.ctx.groups.values()]) {
      const expired = group.expiredOffsets(now, this.ctx.config.offsetsRetentionMs);
      for (const { topic, partition } of expired) group.removeOffset(topic, partition);
      const entries: StoreEntry[] = expired.map(({ topic, partition }) => ({
        key: offsetKey(group.groupId, topic, partition),
        value: null,
      }));
      if (expired.length > 0) publish({ type: 'offsets-expired', groupId: group.groupId, partitions: expired.length });
      // A group still handing out member ids (MEMBER_ID_REQUIRED) is about to be joined: keep it.
      if (group.is(Empty) && !group.hasOffsets() && group.pendingMembers.size === 0) {
        // Generation 0 never had a metadata record (it only ever stored offsets).
        if (group.generationId > 0) entries.push({ key: groupKey(group.groupId), value: null });
        this.membership.unload(group, ErrorCode.COORDINATOR_NOT_AVAILABLE);
        publish({ type: 'group-removed', groupId: group.groupId, cause: 'expired' });
      }
      if (entries.length > 0) writes.push(this.writeTombstones(group.groupId, entries));
    }
    await Promise.all(writes);
  }

  /**
   * Deletes empty groups with their offsets (DeleteGroups), durably: each answer waits for its
   * tombstones to be flushed.
   */
  async deleteGroup(group: Group): Promise<number> {
    const entries: StoreEntry[] = [];
    for (const [topic, byPartition] of group.offsets) {
      for (const partition of byPartition.keys()) entries.push({ key: offsetKey(group.groupId, topic, partition), value: null });
    }
    if (group.generationId > 0) entries.push({ key: groupKey(group.groupId), value: null });
    let flushed: Promise<void> | null = null;
    if (entries.length > 0) {
      try {
        flushed = this.ctx.store.append(group.groupId, entries, this.ctx.scheduler.now()).flushed;
      } catch (err) {
        return storeErrorCode(err, 'group');
      }
    }
    this.membership.unload(group, ErrorCode.COORDINATOR_NOT_AVAILABLE);
    publish({ type: 'group-removed', groupId: group.groupId, cause: 'deleted' });
    if (flushed === null) return ErrorCode.NONE;
    try {
      await this.ctx.track(flushed);
      return ErrorCode.NONE;
    } catch (err) {
      return storeErrorCode(err, 'group');
    }
  }

  private async writeTombstones(groupId: string, entries: StoreEntry[]): Promise<void> {
    try {
      await this.ctx.track(this.ctx.store.append(groupId, entries, this.ctx.scheduler.now()).flushed);
    } catch (err) {
      // Best effort, as in Kafka: the next sweep after a restart expires them again.
      publish({ type: 'store-failed', groupId, errorCode: storeErrorCode(err, 'group'), what: 'tombstones' });
    }
  }
}
