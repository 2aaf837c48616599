// The group coordinator's public vocabulary: group states and the plain arguments and results of
// each operation. Protocol handlers map these to and from the wire messages of every version.

/** Kafka's classic group states, spelled as DescribeGroups and ListGroups report them. */
export const GroupState = {
  Empty: 'Empty',
  PreparingRebalance: 'PreparingRebalance',
  CompletingRebalance: 'CompletingRebalance',
  Stable: 'Stable',
  Dead: 'Dead',
} as const;
export type GroupStateName = (typeof GroupState)[keyof typeof GroupState];

export interface Protocol {
  name: string;
  metadata: Buffer;
}

export interface JoinGroupRequest {
  groupId: string;
  /** '' for a member joining for the first time. */
  memberId: string;
  /** group.instance.id of a static member (JoinGroup v5+), else null. */
  groupInstanceId: string | null;
  protocolType: string;
  protocols: Protocol[];
  sessionTimeoutMs: number;
  /** -1 (JoinGroup v0) means "same as the session timeout". */
  rebalanceTimeoutMs: number;
  clientId: string;
  clientHost: string;
  /** True for JoinGroup v4+: a new dynamic member first gets MEMBER_ID_REQUIRED with its id. */
  requireKnownMemberId: boolean;
  /** True for JoinGroup v9+: a static leader rejoining a stable group may skip the assignment (KIP-814). */
  supportSkipAssignment?: boolean;
  /** KIP-800 reason (JoinGroup v8+), only reported through diagnostics. */
  reason: string | null;
}

export interface JoinGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface JoinGroupResult {
  errorCode: number;
  generationId: number;
  /** Null when there is no group protocol (errors); JoinGroup v0-6 writes ''. */
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  skipAssignment: boolean;
  memberId: string;
  /** Every member's metadata for the chosen protocol, for the leader only; empty for followers. */
  members: JoinGroupMember[];
}

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** SyncGroup v5+ sends these; null skips the check. */
  protocolType: string | null;
  protocolName: string | null;
  /** The leader's assignment; followers send none. */
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface SyncGroupResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface HeartbeatResult {
  errorCode: number;
}

export interface LeavingMember {
  /** '' removes the static member named by groupInstanceId (administrative removal, KIP-345). */
  memberId: string;
  groupInstanceId: string | null;
  reason: string | null;
}

export interface LeaveGroupRequest {
  groupId: string;
  members: LeavingMember[];
}

export interface LeaveGroupResult {
  /** Group-level error. LeaveGroup v0-2 has no member list: answer the member's error when this is 0. */
  errorCode: number;
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}

export interface OffsetToCommit {
  topic: string;
  partition: number;
  offset: bigint;
  /** -1 when the client sends none (OffsetCommit v0-5). */
  leaderEpoch: number;
  /** Null is stored as '' (as Kafka does). */
  metadata: string | null;
}

export interface CommitOffsetsRequest {
  groupId: string;
  /** -1 with memberId '' for a "simple" commit (manual assignment, no group membership). */
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  offsets: OffsetToCommit[];
}

export interface CommitOffsetsResult {
  /** One entry per requested partition, in request order. */
  partitions: { topic: string; partition: number; errorCode: number }[];
}

export interface FetchOffsetsRequest {
  groupId: string;
  /** Null fetches every committed offset of the group (OffsetFetch v2+). */
  topics: { topic: string; partitions: number[] }[] | null;
  /** OffsetFetch v7+: answer UNSTABLE_OFFSET_COMMIT for partitions with a commit still being written. */
  requireStable: boolean;
}

export interface FetchedOffset {
  partition: number;
  /** -1 when nothing is committed. */
  offset: bigint;
  leaderEpoch: number;
  metadata: string;
  errorCode: number;
}

export interface FetchOffsetsResult {
  /** Group-level error (OffsetFetch v2+); v0-1 put it on every partition. */
  errorCode: number;
  topics: { topic: string; partitions: FetchedOffset[] }[];
}

export interface DescribedMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** Only in the Stable state (else empty), as Kafka does. */
  metadata: Buffer;
  assignment: Buffer;
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  state: GroupStateName | '';
  protocolType: string;
  /** The chosen protocol name in the Stable state, else ''. */
  protocolData: string;
  members: DescribedMember[];
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  state: GroupStateName;
  /** ListGroups v5 (KIP-848): Brook only runs classic groups. */
  groupType: 'classic';
}

export interface ListGroupsResult {
  errorCode: number;
  groups: ListedGroup[];
}

export interface DeleteGroupResult {
  groupId: string;
  errorCode: number;
}
