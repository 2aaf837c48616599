// One classic group's state (Kafka's GroupMetadata): state machine, members and static members,
// protocol choice, leader, generation, and the group's committed offsets. It decides nothing
// about time or storage; membership.ts and offsets.ts drive it.
import { ErrorCode } from '../../protocol/error-codes.ts';
import { CONSUMER_PROTOCOL_TYPE, subscribedTopics } from './consumer-protocol.ts';
import type { Member } from './member.ts';
import { joinError, syncError } from './results.ts';
import type { Scheduler } from './scheduler.ts';
import { Timer } from './scheduler.ts';
import { GroupState, type GroupStateName, type JoinGroupMember, type JoinGroupResult, type Protocol } from './types.ts';

export interface CommittedOffset {
  offset: bigint;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  /** From a v1 value (explicit per-commit retention), else -1. */
  expireTimestamp: number;
  /** Where the commit sits in __consumer_offsets: a later record always wins. */
  recordOffset: bigint;
}

const { Empty, PreparingRebalance, CompletingRebalance, Stable, Dead } = GroupState;

const VALID_PREVIOUS: Record<GroupStateName, readonly GroupStateName[]> = {
  Empty: [PreparingRebalance],
  PreparingRebalance: [Stable, CompletingRebalance, Empty],
  CompletingRebalance: [PreparingRebalance],
  Stable: [CompletingRebalance],
  Dead: [Stable, PreparingRebalance, CompletingRebalance, Empty, Dead],
};

export class Group {
  readonly groupId: string;
  state: GroupStateName = Empty;
  /** When the group entered its state (offset expiry of empty groups counts from it); null if unknown. */
  stateTimestamp: number | null;
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  /** In join order: a new leader is the oldest remaining member. */
  readonly members = new Map<string, Member>();
  /** group.instance.id -> current member id. */
  readonly staticMembers = new Map<string, string>();
  /** Ids handed out with MEMBER_ID_REQUIRED, not yet used to join; each expires after a session timeout. */
  readonly pendingMembers = new Map<string, Timer>();
  /** Members of the current generation that have not sent SyncGroup yet. */
  readonly pendingSync = new Set<string>();
  /** A new member joined during the first rebalance: the initial delay extends once more. */
  newMemberAdded = false;
  /** Topics the members subscribe to ("consumer" groups), null when unknown. */
  subscribedTopics: Set<string> | null = null;
  readonly offsets = new Map<string, Map<number, CommittedOffset>>();
  /** Commits appended but not yet flushed, by topic-partition. */
  private readonly pendingCommits = new Map<string, number>();
  readonly joinTimer: Timer;
  /** The first rebalance of an empty group waits group.initial.rebalance.delay.ms before completing. */
  joinIsInitialDelay = false;
  initialDelayRemainingMs = 0;
  readonly syncTimer: Timer;

  constructor(groupId: string, scheduler: Scheduler) {
    this.groupId = groupId;
    this.stateTimestamp = scheduler.now();
    this.joinTimer = new Timer(scheduler);
    this.syncTimer = new Timer(scheduler);
  }

  is(state: GroupStateName): boolean {
    return this.state === state;
  }

  transitionTo(state: GroupStateName, now: number): void {
    if (!VALID_PREVIOUS[state].includes(this.state)) {
      throw new Error(`group ${this.groupId}: cannot move from ${this.state} to ${state}`);
    }
    this.state = state;
    this.stateTimestamp = now;
  }

  /** Whether Kafka would start a rebalance from this state. */
  get canRebalance(): boolean {
    return this.state === Stable || this.state === CompletingRebalance || this.state === Empty;
  }

  /** The longest rebalance timeout of the members: how long a join phase may wait. */
  get rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  add(member: Member): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.members.set(member.memberId, member);
    this.pendingMembers.get(member.memberId)?.cancel();
    this.pendingMembers.delete(member.memberId);
  }

  /** Takes a member out of every collection; its waiters are the caller's to answer. */
  remove(memberId: string): Member | undefined {
    const member = this.members.get(memberId);
    if (member === undefined) return undefined;
    this.members.delete(memberId);
    member.sessionTimer.cancel();
    if (member.groupInstanceId !== null && this.staticMembers.get(member.groupInstanceId) === memberId) {
      this.staticMembers.delete(member.groupInstanceId);
    }
    this.pendingSync.delete(memberId);
    if (this.isLeader(memberId)) {
      const next = this.members.keys().next();
      this.leaderId = next.done ? null : next.value;
    }
    return member;
  }

  removePendingMember(memberId: string): boolean {
    const timer = this.pendingMembers.get(memberId);
    if (timer === undefined) return false;
    timer.cancel();
    this.pendingMembers.delete(memberId);
    return true;
  }

  /**
   * A static member came back with a new member id: the old id is fenced (its waiting requests
   * get FENCED_INSTANCE_ID) and the member keeps its place, assignment and leadership.
   */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): Member {
    const member = this.members.get(oldMemberId);
    if (member === undefined) throw new Error(`group ${this.groupId}: static member ${oldMemberId} is not in the group`);
    member.completeJoin(joinError(ErrorCode.FENCED_INSTANCE_ID, oldMemberId));
    member.completeSync(syncError(ErrorCode.FENCED_INSTANCE_ID));
    this.members.delete(oldMemberId);
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId;
    this.staticMembers.set(groupInstanceId, newMemberId);
    if (this.pendingSync.delete(oldMemberId)) this.pendingSync.add(newMemberId);
    return member;
  }

  /** New protocols and timeouts from a rejoin; `waiter` replaces any JoinGroup already waiting. */
  updateMember(
    member: Member,
    protocols: Protocol[],
    rebalanceTimeoutMs: number,
    sessionTimeoutMs: number,
    waiter: ((r: JoinGroupResult) => void) | null,
    displaced: JoinGroupResult,
  ): void {
    member.protocols = protocols;
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
    // A client only re-sends JoinGroup after giving up on the first one; answer it anyway so no
    // promise is left behind.
    if (waiter !== null) member.completeJoin(displaced);
    member.joinWaiter = waiter;
  }

  /** Protocol names every member supports. */
  candidateProtocols(): Set<string> {
    const candidates = new Set<string>();
    let first = true;
    for (const m of this.members.values()) {
      const names = new Set(m.protocols.map((p) => p.name));
      if (first) for (const n of names) candidates.add(n);
      else for (const n of [...candidates]) if (!names.has(n)) candidates.delete(n);
      first = false;
    }
    return candidates;
  }

  supportsProtocols(protocolType: string, protocols: Protocol[]): boolean {
    if (this.members.size === 0) return protocolType !== '' && protocols.length > 0;
    if (protocolType !== this.protocolType) return false;
    const candidates = this.candidateProtocols();
    return protocols.some((p) => candidates.has(p.name));
  }

  /** Each member votes for its most preferred protocol that all support; most votes wins. */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const choice = m.protocols.find((p) => candidates.has(p.name));
      if (choice !== undefined) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
    }
    let best: string | null = null;
    let bestVotes = -1;
    for (const [name, n] of votes) {
      if (n > bestVotes) {
        best = name;
        bestVotes = n;
      }
    }
    if (best === null) throw new Error(`group ${this.groupId}: no protocol is supported by every member`);
    return best;
  }

  get awaitingJoinCount(): number {
    let n = 0;
    for (const m of this.members.values()) if (m.isAwaitingJoin) n++;
    return n;
  }

  hasAllMembersJoined(): boolean {
    return this.awaitingJoinCount === this.members.size && this.pendingMembers.size === 0;
  }

  /** Keeps the leader if it rejoined, else picks a member that did; false when none rejoined. */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    if (this.members.get(this.leaderId)?.isAwaitingJoin) return true;
    for (const m of this.members.values()) {
      if (m.isAwaitingJoin) {
        this.leaderId = m.memberId;
        return true;
      }
    }
    return false;
  }

  initNextGeneration(now: number): void {
    this.generationId++;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.transitionTo(CompletingRebalance, now);
    } else {
      this.protocolName = null;
      this.transitionTo(Empty, now);
    }
    this.subscribedTopics = this.computeSubscribedTopics();
    this.pendingSync.clear();
  }

  private computeSubscribedTopics(): Set<string> | null {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE) return null;
    const topics = new Set<string>();
    for (const m of this.members.values()) {
      const list = subscribedTopics(m.metadataFor(this.protocolName));
      if (list === null) return null;
      for (const t of list) topics.add(t);
    }
    return topics;
  }

  /** Every member's metadata for the chosen protocol: what the leader assigns from. */
  currentMemberMetadata(): JoinGroupMember[] {
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadataFor(this.protocolName),
    }));
  }

  // Offsets.

  offset(topic: string, partition: number): CommittedOffset | undefined {
    return this.offsets.get(topic)?.get(partition);
  }

  /** Records a commit unless a later one (by log position) is already there. */
  putOffset(topic: string, partition: number, committed: CommittedOffset): void {
    let byPartition = this.offsets.get(topic);
    if (byPartition === undefined) {
      byPartition = new Map();
      this.offsets.set(topic, byPartition);
    }
    const current = byPartition.get(partition);
    if (current === undefined || current.recordOffset < committed.recordOffset) byPartition.set(partition, committed);
  }

  removeOffset(topic: string, partition: number): void {
    const byPartition = this.offsets.get(topic);
    if (byPartition === undefined) return;
    byPartition.delete(partition);
    if (byPartition.size === 0) this.offsets.delete(topic);
  }

  get offsetCount(): number {
    let n = 0;
    for (const byPartition of this.offsets.values()) n += byPartition.size;
    return n;
  }

  hasOffsets(): boolean {
    return this.offsets.size > 0 || this.pendingCommits.size > 0;
  }

  addPendingCommit(topic: string, partition: number, delta: 1 | -1): void {
    const key = `${partition}:${topic}`;
    const n = (this.pendingCommits.get(key) ?? 0) + delta;
    if (n > 0) this.pendingCommits.set(key, n);
    else this.pendingCommits.delete(key);
  }

  hasPendingCommit(topic: string, partition: number): boolean {
    return this.pendingCommits.has(`${partition}:${topic}`);
  }

  /**
   * Offsets past retention (KIP-211): in an empty group, counted from when it became empty; in a
   * group without a protocol (manual assignment), from each commit; in a stable consumer group,
   * only for topics it no longer subscribes to. Never a partition with a commit in flight.
   */
  expiredOffsets(now: number, retentionMs: number): { topic: string; partition: number }[] {
    let base: ((o: CommittedOffset) => number) | null = null;
    let keep: Set<string> = new Set();
    if (this.protocolType !== null && this.is(Empty)) {
      const since = this.stateTimestamp;
      base = (o) => since ?? o.commitTimestamp;
    } else if (this.protocolType === CONSUMER_PROTOCOL_TYPE && this.is(Stable) && this.subscribedTopics !== null) {
      base = (o) => o.commitTimestamp;
      keep = this.subscribedTopics;
    } else if (this.protocolType === null) {
      base = (o) => o.commitTimestamp;
    }
    if (base === null) return [];
    const expired: { topic: string; partition: number }[] = [];
    for (const [topic, byPartition] of this.offsets) {
      if (keep.has(topic)) continue;
      for (const [partition, o] of byPartition) {
        if (this.hasPendingCommit(topic, partition)) continue;
        const due = o.expireTimestamp >= 0 ? now >= o.expireTimestamp : now - base(o) >= retentionMs;
        if (due) expired.push({ topic, partition });
      }
    }
    return expired;
  }
}
