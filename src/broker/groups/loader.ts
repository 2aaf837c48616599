// Rebuilds groups and committed offsets from __consumer_offsets records replayed in log order: the
// last record of a key wins and a tombstone forgets it, as compaction will.
import { ProtocolError } from '../../common/errors.ts';
import { Group } from './group.ts';
import { decodeGroupValue, decodeKey, decodeOffsetValue, type GroupValue, type OffsetValue } from './records.ts';
import type { Scheduler } from './scheduler.ts';

interface LoadedOffset {
  topic: string;
  partition: number;
  value: OffsetValue;
  recordOffset: bigint;
}

export class GroupLoader {
  private readonly offsets = new Map<string, Map<string, LoadedOffset>>();
  private readonly groupValues = new Map<string, GroupValue | null>();

  /** One record; throws for records that cannot be read (the caller skips them). */
  readonly visit = (key: Buffer | null, value: Buffer | null, _partition: number, offset: bigint): void => {
    if (key === null) throw new ProtocolError('record without a key');
    const k = decodeKey(key);
    if (k.type === 'offset') {
      const tp = `${k.partition}:${k.topic}`;
      if (value === null) {
        this.offsets.get(k.groupId)?.delete(tp);
        return;
      }
      const decoded = decodeOffsetValue(value);
      let byPartition = this.offsets.get(k.groupId);
      if (byPartition === undefined) {
        byPartition = new Map();
        this.offsets.set(k.groupId, byPartition);
      }
      byPartition.set(tp, { topic: k.topic, partition: k.partition, value: decoded, recordOffset: offset });
    } else if (k.type === 'group') {
      this.groupValues.set(k.groupId, value === null ? null : decodeGroupValue(value));
    }
  };

  /**
   * The loaded groups, all Empty: members rejoin after a restart (their next heartbeat gets
   * UNKNOWN_MEMBER_ID). The generation carries on, so a pre-restart generation stays fenced.
   */
  groups(scheduler: Scheduler): Map<string, Group> {
    const now = scheduler.now();
    const groups = new Map<string, Group>();
    for (const [groupId, v] of this.groupValues) {
      if (v === null) continue;
      const group = new Group(groupId, scheduler);
      group.generationId = v.generationId;
      group.protocolType = v.protocolType === '' ? null : v.protocolType;
      // A group that had members when the broker stopped becomes empty only now: its offsets'
      // retention counts from here, not from when it last rebalanced.
      group.stateTimestamp = v.members.length > 0 ? now : v.currentStateTimestamp >= 0n ? Number(v.currentStateTimestamp) : null;
      groups.set(groupId, group);
    }
    for (const [groupId, byPartition] of this.offsets) {
      if (byPartition.size === 0) continue;
      let group = groups.get(groupId);
      if (group === undefined) {
        // Offsets without group metadata: a group used only for offset storage.
        group = new Group(groupId, scheduler);
        groups.set(groupId, group);
      }
      for (const o of byPartition.values()) {
        group.putOffset(o.topic, o.partition, {
          offset: o.value.offset,
          leaderEpoch: o.value.leaderEpoch,
          metadata: o.value.metadata,
          commitTimestamp: Number(o.value.commitTimestamp),
          expireTimestamp: Number(o.value.expireTimestamp),
          recordOffset: o.recordOffset,
        });
      }
    }
    return groups;
  }
}
