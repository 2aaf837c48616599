// Kafka's classic group membership protocol: JoinGroup, SyncGroup, Heartbeat and LeaveGroup, the
// rebalance state machine between them, and the session, join and sync timeouts that move groups
// on when members go quiet. Follows Kafka's GroupCoordinator rule for rule; deviations are marked.
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { CoordinatorContext } from './context.ts';
import { type MemberRemoval, publish } from './events.ts';
import { Group } from './group.ts';
import { EMPTY, Member } from './member.ts';
import { groupKey, groupValue } from './records.ts';
import { joinError, syncError } from './results.ts';
import { Timer } from './scheduler.ts';
import { storeErrorCode } from './store.ts';
import {
  GroupState,
  type HeartbeatRequest,
  type HeartbeatResult,
  type JoinGroupRequest,
  type JoinGroupResult,
  type LeaveGroupRequest,
  type LeaveGroupResult,
  type SyncGroupRequest,
  type SyncGroupResult,
} from './types.ts';

const { Empty, PreparingRebalance, CompletingRebalance, Stable, Dead } = GroupState;

type JoinWaiter = (r: JoinGroupResult) => void;

export class Membership {
  private readonly ctx: CoordinatorContext;

  constructor(ctx: CoordinatorContext) {
    this.ctx = ctx;
  }

  private now(): number {
    return this.ctx.scheduler.now();
  }

  // JoinGroup.

  join(request: JoinGroupRequest): Promise<JoinGroupResult> {
    const { config, groups } = this.ctx;
    if (request.sessionTimeoutMs < config.minSessionTimeoutMs || request.sessionTimeoutMs > config.maxSessionTimeoutMs) {
      return Promise.resolve(joinError(ErrorCode.INVALID_SESSION_TIMEOUT, request.memberId));
    }
    // JoinGroup v0 has no rebalance timeout: the session timeout stands in for it.
    const req = { ...request, rebalanceTimeoutMs: request.rebalanceTimeoutMs < 0 ? request.sessionTimeoutMs : request.rebalanceTimeoutMs };
    const isNewMember = req.memberId === '';
    let found = groups.get(req.groupId);
    if (found === undefined) {
      if (!isNewMember) return Promise.resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId));
      // Kafka creates the group before checking the protocols and may leave an empty group behind;
      // creating it only for a join that can succeed keeps ListGroups clean.
      if (req.protocolType === '' || req.protocols.length === 0) {
        return Promise.resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
      }
      found = new Group(req.groupId, this.ctx.scheduler);
      groups.set(req.groupId, found);
    }
    const group = found;
    return new Promise<JoinGroupResult>((resolve) => {
      if (!this.acceptJoiningMember(group, req.memberId)) {
        const existing = group.members.get(req.memberId);
        if (existing !== undefined) this.removeMember(group, existing, 'group-full', null, false);
        resolve(joinError(ErrorCode.GROUP_MAX_SIZE_REACHED, ''));
      } else if (isNewMember) {
        this.newMemberJoin(group, req, resolve);
      } else {
        this.currentMemberJoin(group, req, resolve);
      }
      if (group.is(PreparingRebalance)) this.tryCompleteJoin(group);
    });
  }

  /** group.max.size: awaiting members count in a join phase, so the last to rejoin are the ones turned away. */
  private acceptJoiningMember(group: Group, memberId: string): boolean {
    const max = this.ctx.config.maxGroupSize;
    switch (group.state) {
      case Empty:
      case Dead:
        return true;
      case PreparingRebalance:
        return group.members.get(memberId)?.isAwaitingJoin === true || group.awaitingJoinCount < max;
      default:
        return group.members.has(memberId) || group.members.size < max;
    }
  }

  private newMemberJoin(group: Group, req: JoinGroupRequest, resolve: JoinWaiter): void {
    if (group.is(Dead)) {
      resolve(joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, ''));
      return;
    }
    if (!group.supportsProtocols(req.protocolType, req.protocols)) {
      resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, ''));
      return;
    }
    const newMemberId = `${req.groupInstanceId ?? req.clientId}-${randomUUID()}`;
    if (req.groupInstanceId !== null) {
      this.staticMemberJoin(group, req, newMemberId, resolve);
    } else if (req.requireKnownMemberId) {
      // KIP-394: hand out the id first, so a client that times out on its first JoinGroup
      // rejoins as the same member instead of piling up ghost members.
      this.addPendingMember(group, newMemberId, req.sessionTimeoutMs);
      resolve(joinError(ErrorCode.MEMBER_ID_REQUIRED, newMemberId));
    } else {
      this.addMemberAndRebalance(group, req, newMemberId, resolve);
    }
  }

  private currentMemberJoin(group: Group, req: JoinGroupRequest, resolve: JoinWaiter): void {
    const { memberId } = req;
    if (group.is(Dead)) {
      resolve(joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, memberId));
      return;
    }
    if (!group.supportsProtocols(req.protocolType, req.protocols)) {
      resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, memberId));
      return;
    }
    if (group.pendingMembers.has(memberId)) {
      // Pending ids are only handed to dynamic members; Kafka fails hard on a static one, Brook
      // sends it back to join afresh.
      if (req.groupInstanceId !== null) {
        resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
        return;
      }
      this.addMemberAndRebalance(group, req, memberId, resolve);
      return;
    }
    const error = validateCurrentMember(group, memberId, req.groupInstanceId);
    if (error !== null) {
      resolve(joinError(error, memberId));
      return;
    }
    const member = group.members.get(memberId) as Member;
    const why = (what: string) => `${what} ${memberId} rejoined during ${group.state} (${req.reason ?? 'no reason given'})`;
    switch (group.state) {
      case PreparingRebalance:
        this.updateMemberAndRebalance(group, member, req, resolve, why('member'));
        return;
      case CompletingRebalance:
        // Same metadata: it most likely lost the JoinGroup response; answer it again.
        if (member.matches(req.protocols)) {
          resolve(this.generationResult(group, memberId, group.isLeader(memberId)));
          return;
        }
        this.updateMemberAndRebalance(group, member, req, resolve, why('member with new metadata'));
        return;
      case Stable:
        // A leader's rejoin always rebalances: that is how it asks for a new assignment after
        // metadata changes that its subscription does not show (new partitions, say).
        if (group.isLeader(memberId)) {
          this.updateMemberAndRebalance(group, member, req, resolve, why('leader'));
          return;
        }
        if (!member.matches(req.protocols)) {
          this.updateMemberAndRebalance(group, member, req, resolve, why('member with new metadata'));
          return;
        }
        resolve(this.generationResult(group, memberId, false));
        return;
      default:
        resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
        return;
    }
  }

  private staticMemberJoin(group: Group, req: JoinGroupRequest, newMemberId: string, resolve: JoinWaiter): void {
    const instanceId = req.groupInstanceId as string;
    const oldMemberId = group.staticMembers.get(instanceId);
    if (oldMemberId === undefined) {
      this.addMemberAndRebalance(group, req, newMemberId, resolve);
      return;
    }
    this.replaceStaticMember(group, instanceId, oldMemberId, newMemberId, req, resolve);
  }

  /**
   * KIP-345: a known group.instance.id joining with no member id is the same consumer restarted.
   * It takes over the old member's place; a stable group whose protocol choice stays the same does
   * not rebalance, the member just gets its old assignment back through SyncGroup.
   */
  private replaceStaticMember(
    group: Group,
    instanceId: string,
    oldMemberId: string,
    newMemberId: string,
    req: JoinGroupRequest,
    resolve: JoinWaiter,
  ): void {
    const previousLeader = group.leaderId;
    const member = group.replaceStaticMember(instanceId, oldMemberId, newMemberId);
    publish({ type: 'static-member-replaced', groupId: group.groupId, groupInstanceId: instanceId, oldMemberId, newMemberId });
    this.scheduleSession(group, member);
    const previous = {
      protocols: member.protocols,
      rebalanceTimeoutMs: member.rebalanceTimeoutMs,
      sessionTimeoutMs: member.sessionTimeoutMs,
    };
    group.updateMember(
      member,
      req.protocols,
      req.rebalanceTimeoutMs,
      req.sessionTimeoutMs,
      resolve,
      joinError(ErrorCode.REBALANCE_IN_PROGRESS, oldMemberId),
    );
    const reason = `static member ${instanceId} rejoined as ${newMemberId} (${req.reason ?? 'no reason given'})`;
    switch (group.state) {
      case Stable: {
        if (group.protocolName !== group.selectProtocol()) {
          this.maybePrepareRebalance(group, `${reason} with protocols that change the group's choice`);
          return;
        }
        const generation = group.generationId;
        const assignment = new Map([...group.members.values()].map((m) => [m.memberId, m.assignment]));
        void this.storeGroup(group, assignment).then((code) => {
          // Answered meanwhile (fenced again, unloaded) or swept into a rebalance that will answer it.
          if (member.joinWaiter !== resolve || !group.is(Stable) || group.generationId !== generation) return;
          if (code !== ErrorCode.NONE) {
            group.updateMember(
              member,
              previous.protocols,
              previous.rebalanceTimeoutMs,
              previous.sessionTimeoutMs,
              null,
              joinError(code, ''),
            );
            group.replaceStaticMember(instanceId, newMemberId, oldMemberId);
            this.scheduleSession(group, member);
            resolve({ ...this.generationResult(group, '', false, previousLeader), errorCode: code });
          } else if (req.supportSkipAssignment === true) {
            // KIP-814 (JoinGroup v9+): a returning static leader learns it leads, so it keeps
            // watching metadata, but must not assign: a stable group would not pass it on.
            const isLeader = group.isLeader(newMemberId);
            member.completeJoin({ ...this.generationResult(group, newMemberId, isLeader), skipAssignment: isLeader });
          } else {
            // Before v9 the old leader id is returned, so a returning leader does not think it leads.
            member.completeJoin(this.generationResult(group, newMemberId, false, previousLeader));
          }
          // Its session timer stood still while the JoinGroup waited for the write.
          this.scheduleSession(group, member);
        });
        return;
      }
      case CompletingRebalance:
        // The leader may already be assigning to the old member id: start over.
        this.prepareRebalance(group, reason);
        return;
      default:
        // PreparingRebalance: the member waits for the join phase like the others.
        return;
    }
  }

  private addPendingMember(group: Group, memberId: string, sessionTimeoutMs: number): void {
    const timer = new Timer(this.ctx.scheduler);
    group.pendingMembers.set(memberId, timer);
    timer.arm(sessionTimeoutMs, () => {
      if (group.removePendingMember(memberId) && group.is(PreparingRebalance)) this.tryCompleteJoin(group);
    });
  }

  private addMemberAndRebalance(group: Group, req: JoinGroupRequest, memberId: string, resolve: JoinWaiter): void {
    const member = new Member(
      {
        memberId,
        groupInstanceId: req.groupInstanceId,
        clientId: req.clientId,
        clientHost: req.clientHost,
        rebalanceTimeoutMs: req.rebalanceTimeoutMs,
        sessionTimeoutMs: req.sessionTimeoutMs,
        protocolType: req.protocolType,
        protocols: req.protocols,
      },
      this.ctx.scheduler,
    );
    member.isNew = true;
    if (group.is(PreparingRebalance) && group.generationId === 0) group.newMemberAdded = true;
    group.add(member);
    member.joinWaiter = resolve;
    // A new member that disconnects while the join phase waits must not hold it up forever.
    this.scheduleSession(group, member, this.ctx.config.newMemberJoinTimeoutMs);
    publish({ type: 'member-joined', groupId: group.groupId, memberId, groupInstanceId: req.groupInstanceId, reason: req.reason });
    this.maybePrepareRebalance(group, `member ${memberId} joined (${req.reason ?? 'no reason given'})`);
  }

  private updateMemberAndRebalance(group: Group, member: Member, req: JoinGroupRequest, resolve: JoinWaiter, reason: string): void {
    group.updateMember(
      member,
      req.protocols,
      req.rebalanceTimeoutMs,
      req.sessionTimeoutMs,
      resolve,
      joinError(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId),
    );
    this.maybePrepareRebalance(group, reason);
  }

  /** The current generation as a JoinGroup answer; the leader also gets every member's metadata. */
  private generationResult(group: Group, memberId: string, withMembers: boolean, leader = group.leaderId): JoinGroupResult {
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: leader ?? '',
      skipAssignment: false,
      memberId,
      members: withMembers ? group.currentMemberMetadata() : [],
    };
  }

  // The rebalance state machine.

  private maybePrepareRebalance(group: Group, reason: string): void {
    if (group.canRebalance) this.prepareRebalance(group, reason);
  }

  private prepareRebalance(group: Group, reason: string): void {
    // Members waiting for an assignment will not get one: send them back to rejoin.
    if (group.is(CompletingRebalance)) this.resetAndPropagateAssignmentError(group, ErrorCode.REBALANCE_IN_PROGRESS);
    group.syncTimer.cancel();
    group.pendingSync.clear();
    const fromEmpty = group.is(Empty);
    group.transitionTo(PreparingRebalance, this.now());
    publish({ type: 'rebalance-started', groupId: group.groupId, generationId: group.generationId, reason });
    const delay = this.ctx.config.initialRebalanceDelayMs;
    if (fromEmpty && delay > 0) {
      group.joinIsInitialDelay = true;
      group.initialDelayRemainingMs = Math.max(group.rebalanceTimeoutMs - delay, 0);
      group.joinTimer.arm(delay, () => this.onInitialDelayExpired(group));
    } else {
      group.joinIsInitialDelay = false;
      group.joinTimer.arm(group.rebalanceTimeoutMs, () => this.completeJoin(group));
      this.tryCompleteJoin(group);
    }
  }

  /** Kafka's InitialDelayedJoin: each newcomer during the first rebalance buys one more delay, within the rebalance timeout. */
  private onInitialDelayExpired(group: Group): void {
    if (!group.is(PreparingRebalance)) return;
    const delay = this.ctx.config.initialRebalanceDelayMs;
    if (group.newMemberAdded && group.initialDelayRemainingMs !== 0) {
      group.newMemberAdded = false;
      const next = Math.min(delay, group.initialDelayRemainingMs);
      group.initialDelayRemainingMs = Math.max(group.initialDelayRemainingMs - delay, 0);
      group.joinTimer.arm(next, () => this.onInitialDelayExpired(group));
    } else {
      this.completeJoin(group);
    }
  }

  private tryCompleteJoin(group: Group): void {
    if (group.is(PreparingRebalance) && !group.joinIsInitialDelay && group.hasAllMembersJoined()) this.completeJoin(group);
  }

  /**
   * Ends the join phase: dynamic members that did not rejoin are dropped (static ones keep their
   * place until their session expires), the next generation starts and every waiting JoinGroup
   * is answered; then each member has a rebalance timeout to send SyncGroup.
   */
  private completeJoin(group: Group): void {
    group.joinTimer.cancel();
    if (!group.is(PreparingRebalance)) return;
    for (const member of [...group.members.values()]) {
      if (!member.isAwaitingJoin && !member.isStatic) this.removeMember(group, member, 'rebalance-timeout', null, false);
    }
    if (!group.maybeElectNewJoinedLeader() && group.members.size > 0) {
      // Nobody rejoined: wait again, until sessions expire the silent members.
      group.joinIsInitialDelay = false;
      group.joinTimer.arm(group.rebalanceTimeoutMs, () => this.completeJoin(group));
      return;
    }
    group.initNextGeneration(this.now());
    publish({
      type: 'rebalance-completed',
      groupId: group.groupId,
      generationId: group.generationId,
      protocolName: group.protocolName,
      leader: group.leaderId,
      members: group.members.size,
    });
    if (group.is(Empty)) {
      void this.storeGroup(group, new Map());
      return;
    }
    for (const member of group.members.values()) {
      member.completeJoin(this.generationResult(group, member.memberId, group.isLeader(member.memberId)));
      this.scheduleSession(group, member);
      member.isNew = false;
      group.pendingSync.add(member.memberId);
    }
    const generation = group.generationId;
    group.syncTimer.arm(group.rebalanceTimeoutMs, () => this.onSyncExpired(group, generation));
  }

  /** Members (the leader above all) that never sent SyncGroup are dropped and the group rebalances. */
  private onSyncExpired(group: Group, generation: number): void {
    if (group.generationId !== generation || !(group.is(CompletingRebalance) || group.is(Stable)) || group.pendingSync.size === 0) return;
    const late = [...group.pendingSync];
    for (const id of late) {
      const member = group.members.get(id);
      if (member !== undefined) this.removeMember(group, member, 'sync-timeout', null, false);
    }
    this.prepareRebalance(group, `no SyncGroup from ${late.join(', ')} within the rebalance timeout`);
  }

  // SyncGroup.

  sync(req: SyncGroupRequest): Promise<SyncGroupResult> {
    const group = this.ctx.groups.get(req.groupId);
    if (group === undefined) return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (group.is(Dead)) return Promise.resolve(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    const error =
      validateCurrentMember(group, req.memberId, req.groupInstanceId) ??
      (req.generationId !== group.generationId ? ErrorCode.ILLEGAL_GENERATION : null) ??
      (req.protocolType !== null && req.protocolType !== group.protocolType ? ErrorCode.INCONSISTENT_GROUP_PROTOCOL : null) ??
      (req.protocolName !== null && req.protocolName !== group.protocolName ? ErrorCode.INCONSISTENT_GROUP_PROTOCOL : null);
    if (error !== null) return Promise.resolve(syncError(error));
    const member = group.members.get(req.memberId) as Member;
    switch (group.state) {
      case PreparingRebalance:
        return Promise.resolve(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      case Stable:
        this.removePendingSync(group, req.memberId);
        this.scheduleSession(group, member);
        return Promise.resolve({
          errorCode: ErrorCode.NONE,
          protocolType: group.protocolType,
          protocolName: group.protocolName,
          assignment: member.assignment,
        });
      case CompletingRebalance:
        return new Promise<SyncGroupResult>((resolve) => {
          member.completeSync(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
          member.syncWaiter = resolve;
          this.removePendingSync(group, req.memberId);
          if (group.isLeader(req.memberId)) this.acceptAssignment(group, req.assignments);
        });
      default:
        return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  /** Stores the leader's assignment, then hands each member its part and the group is Stable. */
  private acceptAssignment(group: Group, assignments: SyncGroupRequest['assignments']): void {
    const assignment = new Map<string, Buffer>();
    for (const id of group.members.keys()) assignment.set(id, EMPTY);
    for (const a of assignments) if (group.members.has(a.memberId)) assignment.set(a.memberId, a.assignment);
    const generation = group.generationId;
    void this.storeGroup(group, assignment).then((code) => {
      // A member joined or left while the write was in flight: that rebalance supersedes this one.
      if (!group.is(CompletingRebalance) || group.generationId !== generation) return;
      if (code !== ErrorCode.NONE) {
        this.resetAndPropagateAssignmentError(group, code);
        this.maybePrepareRebalance(group, 'storing the assignment failed');
        return;
      }
      for (const m of group.members.values()) m.assignment = assignment.get(m.memberId) ?? EMPTY;
      this.propagateAssignment(group, ErrorCode.NONE);
      group.transitionTo(Stable, this.now());
    });
  }

  private resetAndPropagateAssignmentError(group: Group, errorCode: number): void {
    for (const m of group.members.values()) m.assignment = EMPTY;
    this.propagateAssignment(group, errorCode);
  }

  private propagateAssignment(group: Group, errorCode: number): void {
    const ok = errorCode === ErrorCode.NONE;
    for (const m of group.members.values()) {
      const answered = m.completeSync({
        errorCode,
        protocolType: ok ? group.protocolType : null,
        protocolName: ok ? group.protocolName : null,
        assignment: m.assignment,
      });
      // Its session timer stood still while it waited.
      if (answered) this.scheduleSession(group, m);
    }
  }

  private removePendingSync(group: Group, memberId: string): void {
    group.pendingSync.delete(memberId);
    if (group.pendingSync.size === 0) group.syncTimer.cancel();
  }

  // Heartbeat and LeaveGroup.

  heartbeat(req: HeartbeatRequest): HeartbeatResult {
    const group = this.ctx.groups.get(req.groupId);
    if (group === undefined) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
    if (group.is(Dead)) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE };
    const error =
      validateCurrentMember(group, req.memberId, req.groupInstanceId) ??
      (req.generationId !== group.generationId ? ErrorCode.ILLEGAL_GENERATION : null);
    if (error !== null) return { errorCode: error };
    const member = group.members.get(req.memberId) as Member;
    switch (group.state) {
      case PreparingRebalance:
        this.scheduleSession(group, member);
        return { errorCode: ErrorCode.REBALANCE_IN_PROGRESS };
      case CompletingRebalance:
      case Stable:
        this.scheduleSession(group, member);
        return { errorCode: ErrorCode.NONE };
      default:
        return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
    }
  }

  /** An offset commit from a member counts as a sign of life. */
  touch(group: Group, member: Member): void {
    this.scheduleSession(group, member);
  }

  leave(req: LeaveGroupRequest): LeaveGroupResult {
    const group = this.ctx.groups.get(req.groupId);
    const answer = (m: (typeof req.members)[number], errorCode: number) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      errorCode,
    });
    if (group === undefined) return { errorCode: ErrorCode.NONE, members: req.members.map((m) => answer(m, ErrorCode.UNKNOWN_MEMBER_ID)) };
    if (group.is(Dead)) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    const members = req.members.map((leaving) => {
      if (leaving.memberId === '') {
        // KIP-345 administrative removal by group.instance.id.
        const current = leaving.groupInstanceId === null ? undefined : group.staticMembers.get(leaving.groupInstanceId);
        const member = current === undefined ? undefined : group.members.get(current);
        if (member === undefined) return answer(leaving, ErrorCode.UNKNOWN_MEMBER_ID);
        this.removeMember(group, member, 'left', leaving.reason, true);
        return answer(leaving, ErrorCode.NONE);
      }
      if (group.removePendingMember(leaving.memberId)) {
        if (group.is(PreparingRebalance)) this.tryCompleteJoin(group);
        return answer(leaving, ErrorCode.NONE);
      }
      const error = validateCurrentMember(group, leaving.memberId, leaving.groupInstanceId);
      if (error !== null) return answer(leaving, error);
      this.removeMember(group, group.members.get(leaving.memberId) as Member, 'left', leaving.reason, true);
      return answer(leaving, ErrorCode.NONE);
    });
    return { errorCode: ErrorCode.NONE, members };
  }

  /**
   * Takes a member out; its waiting requests get UNKNOWN_MEMBER_ID so the client rejoins if it
   * is still alive. With `updateGroup` the group reacts: rebalance, or finish a join phase.
   */
  private removeMember(group: Group, member: Member, cause: MemberRemoval, reason: string | null, updateGroup: boolean): void {
    member.completeJoin(joinError(ErrorCode.UNKNOWN_MEMBER_ID, ''));
    member.completeSync(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    group.remove(member.memberId);
    publish({
      type: 'member-removed',
      groupId: group.groupId,
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId,
      cause,
      reason,
    });
    if (!updateGroup) return;
    if (group.is(Stable) || group.is(CompletingRebalance)) this.maybePrepareRebalance(group, `member ${member.memberId} ${cause}`);
    else if (group.is(PreparingRebalance)) this.tryCompleteJoin(group);
  }

  // Sessions.

  private scheduleSession(group: Group, member: Member, timeoutMs = member.sessionTimeoutMs): void {
    member.sessionTimer.arm(timeoutMs, () => this.onSessionExpired(group, member));
  }

  private onSessionExpired(group: Group, member: Member): void {
    if (group.members.get(member.memberId) !== member) return;
    // A waiting JoinGroup or SyncGroup stands in for heartbeats; the timer restarts when it is
    // answered. A new member waiting to join is the exception (its timer is the join timeout).
    if (!member.isNew && (member.isAwaitingJoin || member.isAwaitingSync)) return;
    this.removeMember(group, member, member.isNew ? 'join-timeout' : 'session-expired', null, true);
  }

  // Storage.

  /** Writes the group's metadata record; resolves with the error code a client should see. */
  storeGroup(group: Group, assignment: Map<string, Buffer>): Promise<number> {
    const value = groupValue({
      protocolType: group.protocolType ?? '',
      generationId: group.generationId,
      protocolName: group.protocolName,
      leader: group.leaderId,
      currentStateTimestamp: BigInt(group.stateTimestamp ?? -1),
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        sessionTimeoutMs: m.sessionTimeoutMs,
        subscription: m.metadataFor(group.protocolName),
        assignment: assignment.get(m.memberId) ?? EMPTY,
      })),
    });
    const failed = (err: unknown) => {
      const errorCode = storeErrorCode(err, 'group');
      publish({ type: 'store-failed', groupId: group.groupId, errorCode, what: 'group metadata' });
      return errorCode;
    };
    try {
      const appended = this.ctx.store.append(group.groupId, [{ key: groupKey(group.groupId), value }], this.now());
      return this.ctx.track(appended.flushed.then(() => ErrorCode.NONE, failed));
    } catch (err) {
      return Promise.resolve(failed(err));
    }
  }

  /** Takes a group out of service: waiting requests get `errorCode`, timers stop. */
  unload(group: Group, errorCode: number): void {
    group.transitionTo(Dead, this.now());
    for (const m of group.members.values()) {
      m.completeJoin(joinError(errorCode, m.memberId));
      m.completeSync(syncError(errorCode));
      m.sessionTimer.cancel();
    }
    for (const timer of group.pendingMembers.values()) timer.cancel();
    group.pendingMembers.clear();
    group.joinTimer.cancel();
    group.syncTimer.cancel();
    if (this.ctx.groups.get(group.groupId) === group) this.ctx.groups.delete(group.groupId);
  }
}

/**
 * The member is in the group, and a static member's instance id maps to this member id: an older
 * incarnation of a static member is fenced (KIP-345).
 */
export function validateCurrentMember(group: Group, memberId: string, groupInstanceId: string | null): number | null {
  if (groupInstanceId !== null) {
    const current = group.staticMembers.get(groupInstanceId);
    if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (current !== memberId) return ErrorCode.FENCED_INSTANCE_ID;
    return null;
  }
  return group.members.has(memberId) ? null : ErrorCode.UNKNOWN_MEMBER_ID;
}
