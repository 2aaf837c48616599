// Consumer group cases: JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch,
// ListGroups, DescribeGroups, DeleteGroups, ConsumerGroupHeartbeat.

import { ConsumerGroupHeartbeat } from '../../../src/protocol/apis/consumer-group-heartbeat.ts';
import { encodeAssignment, encodeSubscription } from '../../../src/protocol/apis/consumer-protocol.ts';
import { DeleteGroups } from '../../../src/protocol/apis/delete-groups.ts';
import { DescribeGroups } from '../../../src/protocol/apis/describe-groups.ts';
import { Heartbeat } from '../../../src/protocol/apis/heartbeat.ts';
import { JoinGroup } from '../../../src/protocol/apis/join-group.ts';
import { LeaveGroup } from '../../../src/protocol/apis/leave-group.ts';
import { ListGroups } from '../../../src/protocol/apis/list-groups.ts';
import { OffsetCommit } from '../../../src/protocol/apis/offset-commit.ts';
import { OffsetFetch } from '../../../src/protocol/apis/offset-fetch.ts';
import { SyncGroup } from '../../../src/protocol/apis/sync-group.ts';
import { uuidBuffer } from '../peers.ts';
import { kjsReq, kjsRes, pltReq, pltRes, type RequestCase, type ResponseCase, versions } from './kit.ts';

const GROUP = 'clickstream-processor';
const M1 = 'brook-consumer-1-6a1f0c';
const M2 = 'brook-consumer-2-93b7e1';
const CLICKS_ID = '5b6e3a52-8d4f-4c1e-9a7b-2f0c1d9e8a11';

const sub1 = encodeSubscription({ topics: ['clicks', 'orders'], userData: null }, 1);
const sub2 = encodeSubscription({ topics: ['clicks'], userData: Buffer.from('rack=b') }, 0);
const assign1 = encodeAssignment({ assignedPartitions: [{ topic: 'clicks', partitions: [0, 2] }] }, 0);

/** kafkajs' throttle fields: a plain throttleTime until KIP-219, then reported as client-side. */
function throttle(v: number, since: number, clientSide: number, ms: number) {
  if (v >= clientSide) return { throttleTime: 0, clientSideThrottleTime: ms };
  return v >= since ? { throttleTime: ms } : {};
}

// ---- JoinGroup ----

const joinCanonical = {
  groupId: GROUP,
  sessionTimeoutMs: 45000,
  rebalanceTimeoutMs: 300000,
  memberId: M1,
  groupInstanceId: 'processor-1',
  protocolType: 'consumer',
  protocols: [
    { name: 'range', metadata: sub1 },
    { name: 'roundrobin', metadata: sub1 },
  ],
  reason: 'subscription changed',
};

const joinResponse = {
  throttleTimeMs: 3,
  errorCode: 0,
  generationId: 12,
  protocolType: 'consumer',
  protocolName: 'range',
  leader: M1,
  skipAssignment: false,
  memberId: M1,
  members: [
    { memberId: M1, groupInstanceId: 'processor-1', metadata: sub1 },
    { memberId: M2, groupInstanceId: null, metadata: sub2 },
  ],
};

const joinGroup = {
  requests: [
    ...versions(0, 9).map((v) =>
      pltReq(
        JoinGroup,
        v,
        [GROUP, 45000, 300000, M1, 'processor-1', 'consumer', joinCanonical.protocols, 'subscription changed'],
        joinCanonical,
      ),
    ),
    ...versions(0, 5).map((v) =>
      kjsReq(
        JoinGroup,
        'joinGroup',
        v,
        {
          groupId: GROUP,
          sessionTimeout: 45000,
          rebalanceTimeout: 300000,
          memberId: M1,
          groupInstanceId: 'processor-1',
          protocolType: 'consumer',
          groupProtocols: joinCanonical.protocols,
        },
        joinCanonical,
      ),
    ),
  ],
  responses: [
    ...versions(0, 9).map((v) => pltRes(JoinGroup, v, joinResponse)),
    ...versions(0, 5).map((v) =>
      kjsRes(JoinGroup, 'joinGroup', v, joinResponse, {
        ...throttle(v, 2, 3, 3),
        errorCode: 0,
        generationId: 12,
        groupProtocol: 'range',
        leaderId: M1,
        memberId: M1,
        members: joinResponse.members.map((m) => ({
          memberId: m.memberId,
          ...(v >= 5 && { groupInstanceId: m.groupInstanceId }),
          memberMetadata: m.metadata,
        })),
      }),
    ),
  ],
};

// ---- SyncGroup ----

const syncCanonical = {
  groupId: GROUP,
  generationId: 12,
  memberId: M1,
  groupInstanceId: 'processor-1',
  protocolType: 'consumer',
  protocolName: 'range',
  assignments: [
    { memberId: M1, assignment: assign1 },
    { memberId: M2, assignment: encodeAssignment({ assignedPartitions: [{ topic: 'clicks', partitions: [1] }] }, 0) },
  ],
};

const syncResponse = { throttleTimeMs: 0, errorCode: 0, protocolType: 'consumer', protocolName: 'range', assignment: assign1 };

const syncGroup = {
  requests: [
    ...versions(0, 5).map((v) =>
      pltReq(SyncGroup, v, [GROUP, 12, M1, 'processor-1', 'consumer', 'range', syncCanonical.assignments], syncCanonical),
    ),
    ...versions(0, 3).map((v) =>
      kjsReq(
        SyncGroup,
        'syncGroup',
        v,
        {
          groupId: GROUP,
          generationId: 12,
          memberId: M1,
          groupInstanceId: 'processor-1',
          groupAssignment: syncCanonical.assignments.map((a) => ({ memberId: a.memberId, memberAssignment: a.assignment })),
        },
        syncCanonical,
      ),
    ),
  ],
  responses: [
    ...versions(0, 5).map((v) => pltRes(SyncGroup, v, syncResponse)),
    ...versions(0, 3).map((v) =>
      kjsRes(SyncGroup, 'syncGroup', v, syncResponse, { ...throttle(v, 1, 2, 0), errorCode: 0, memberAssignment: assign1 }),
    ),
  ],
};

// ---- Heartbeat ----

const heartbeatCanonical = { groupId: GROUP, generationId: 12, memberId: M1, groupInstanceId: 'processor-1' };

const heartbeat = {
  requests: [
    ...versions(0, 4).map((v) => pltReq(Heartbeat, v, [GROUP, 12, M1, 'processor-1'], heartbeatCanonical)),
    ...versions(0, 3).map((v) =>
      kjsReq(
        Heartbeat,
        'heartbeat',
        v,
        { groupId: GROUP, groupGenerationId: 12, memberId: M1, groupInstanceId: 'processor-1' },
        heartbeatCanonical,
      ),
    ),
  ],
  responses: [
    // 27 = REBALANCE_IN_PROGRESS: the answer a member gets while the group rebalances.
    ...versions(0, 4).map((v) => pltRes(Heartbeat, v, { throttleTimeMs: 0, errorCode: 27 })),
    ...versions(0, 3).map((v) =>
      kjsRes(Heartbeat, 'heartbeat', v, { throttleTimeMs: 0, errorCode: 27 }, { ...throttle(v, 1, 2, 0), errorCode: 27 }),
    ),
  ],
};

// ---- LeaveGroup ----

const leaveMembers = [
  { memberId: M1, groupInstanceId: 'processor-1', reason: 'shutting down' },
  { memberId: M2, groupInstanceId: null, reason: null },
];
const leaveCanonical = (v: number) => (v <= 2 ? { groupId: GROUP, memberId: M1 } : { groupId: GROUP, members: leaveMembers });
const leaveResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  members: [
    { memberId: M1, groupInstanceId: 'processor-1', errorCode: 0 },
    { memberId: M2, groupInstanceId: null, errorCode: 25 },
  ],
};

const leaveGroup = {
  requests: [
    ...versions(0, 5).map((v) => pltReq(LeaveGroup, v, [GROUP, v <= 2 ? leaveMembers.slice(0, 1) : leaveMembers], leaveCanonical(v))),
    ...versions(0, 2).map((v) => kjsReq(LeaveGroup, 'leaveGroup', v, { groupId: GROUP, memberId: M1 }, leaveCanonical(v))),
    kjsReq(LeaveGroup, 'leaveGroup', 3, { groupId: GROUP, members: leaveMembers }, { groupId: GROUP, members: leaveMembers }),
  ],
  responses: [
    ...versions(0, 5).map((v) => pltRes(LeaveGroup, v, leaveResponse)),
    ...versions(0, 3).map((v) =>
      kjsRes(LeaveGroup, 'leaveGroup', v, leaveResponse, {
        ...throttle(v, 1, 2, 0),
        errorCode: 0,
        ...(v >= 3 && { members: leaveResponse.members }),
      }),
    ),
  ],
};

// ---- OffsetCommit ----

const commitCanonical = {
  groupId: GROUP,
  generationIdOrMemberEpoch: 12,
  memberId: M1,
  groupInstanceId: 'processor-1',
  retentionTimeMs: -1n,
  topics: [
    {
      name: 'clicks',
      partitions: [
        { partitionIndex: 0, committedOffset: 1202n, committedLeaderEpoch: 7, commitTimestamp: -1n, committedMetadata: 'host-a' },
        { partitionIndex: 2, committedOffset: 77n, committedLeaderEpoch: 7, commitTimestamp: -1n, committedMetadata: null },
      ],
    },
  ],
};

const pltCommitTopics = commitCanonical.topics.map((t) => ({
  name: t.name,
  partitions: t.partitions.map(({ partitionIndex, committedOffset, committedLeaderEpoch, committedMetadata }) => ({
    partitionIndex,
    committedOffset,
    committedLeaderEpoch,
    committedMetadata,
  })),
}));

const kjsCommitArgs = {
  groupId: GROUP,
  groupGenerationId: 12,
  memberId: M1,
  retentionTime: -1,
  topics: commitCanonical.topics.map((t) => ({
    topic: t.name,
    partitions: t.partitions.map((p) => ({
      partition: p.partitionIndex,
      offset: String(p.committedOffset),
      timestamp: -1,
      metadata: p.committedMetadata,
    })),
  })),
};

const commitResponse = {
  throttleTimeMs: 0,
  topics: [
    {
      name: 'clicks',
      partitions: [
        { partitionIndex: 0, errorCode: 0 },
        { partitionIndex: 2, errorCode: 0 },
      ],
    },
  ],
};

const offsetCommit = {
  requests: [
    ...versions(0, 9).map((v) => pltReq(OffsetCommit, v, [GROUP, 12, M1, 'processor-1', pltCommitTopics], commitCanonical)),
    // kafkajs sends no leader epoch or instance id at its versions.
    ...versions(0, 5).map((v) => kjsReq(OffsetCommit, 'offsetCommit', v, kjsCommitArgs, commitCanonical)),
  ],
  responses: [
    ...versions(0, 9).map((v) => pltRes(OffsetCommit, v, commitResponse)),
    ...versions(0, 5).map((v) =>
      kjsRes(OffsetCommit, 'offsetCommit', v, commitResponse, {
        ...throttle(v, 3, 4, 0),
        responses: [
          {
            topic: 'clicks',
            partitions: [
              { partition: 0, errorCode: 0 },
              { partition: 2, errorCode: 0 },
            ],
          },
        ],
      }),
    ),
  ],
};

// ---- OffsetFetch ----

const fetchTopics = [
  { name: 'clicks', partitionIndexes: [0, 2] },
  { name: 'orders', partitionIndexes: [1] },
];

const offsetFetchCanonical = (v: number) =>
  v <= 7
    ? { groupId: GROUP, topics: fetchTopics, requireStable: true }
    : {
        groups: [
          { groupId: GROUP, memberId: M1, memberEpoch: 12, topics: fetchTopics },
          { groupId: 'audit', memberId: null, memberEpoch: -1, topics: null },
        ],
        requireStable: true,
      };

const pltOffsetFetchGroups = [
  { groupId: GROUP, memberId: M1, memberEpoch: 12, topics: fetchTopics },
  { groupId: 'audit', memberId: null, memberEpoch: -1, topics: null },
];

const fetchedPartitions = [
  { partitionIndex: 0, committedOffset: 1202n, committedLeaderEpoch: 7, metadata: 'host-a', errorCode: 0 },
  { partitionIndex: 2, committedOffset: -1n, committedLeaderEpoch: -1, metadata: null, errorCode: 0 },
];

const offsetFetchResponse = {
  throttleTimeMs: 0,
  topics: [{ name: 'clicks', partitions: fetchedPartitions }],
  errorCode: 0,
  groups: [
    { groupId: GROUP, topics: [{ name: 'clicks', partitions: fetchedPartitions }], errorCode: 0 },
    { groupId: 'audit', topics: [], errorCode: 69 },
  ],
};

const offsetFetch = {
  requests: [
    ...versions(0, 9).map((v) => pltReq(OffsetFetch, v, [pltOffsetFetchGroups, true], offsetFetchCanonical(v))),
    // A null topics array (v2+) asks for every committed offset of the group.
    ...[2, 7].map((v) => pltReq(OffsetFetch, v, [[{ groupId: GROUP, topics: null }], false], { groupId: GROUP, topics: null })),
    ...versions(1, 4).map((v) =>
      kjsReq(
        OffsetFetch,
        'offsetFetch',
        v,
        {
          groupId: GROUP,
          topics: fetchTopics.map((t) => ({ topic: t.name, partitions: t.partitionIndexes.map((partition) => ({ partition })) })),
        },
        { groupId: GROUP, topics: fetchTopics },
      ),
    ),
  ],
  responses: [
    ...versions(0, 9).map((v) => pltRes(OffsetFetch, v, offsetFetchResponse)),
    ...versions(1, 4).map((v) =>
      kjsRes(OffsetFetch, 'offsetFetch', v, offsetFetchResponse, {
        ...throttle(v, 3, 4, 0),
        responses: [
          {
            topic: 'clicks',
            partitions: [
              { partition: 0, offset: '1202', metadata: 'host-a', errorCode: 0 },
              { partition: 2, offset: '-1', metadata: null, errorCode: 0 },
            ],
          },
        ],
        ...(v >= 2 && { errorCode: 0 }),
      }),
    ),
  ],
};

// ---- ListGroups ----

const listGroupsResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  groups: [
    { groupId: GROUP, protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' },
    { groupId: 'audit', protocolType: 'consumer', groupState: 'Empty', groupType: 'classic' },
  ],
};

const listGroups = {
  requests: [
    ...versions(0, 5).map((v) =>
      pltReq(ListGroups, v, [['STABLE', 'Empty'], ['classic']], { statesFilter: ['Stable', 'Empty'], typesFilter: ['classic'] }),
    ),
    ...versions(0, 2).map((v) => kjsReq(ListGroups, 'listGroups', v, undefined, {})),
  ],
  responses: [
    ...versions(0, 5).map((v) => pltRes(ListGroups, v, listGroupsResponse)),
    ...versions(0, 2).map((v) =>
      kjsRes(ListGroups, 'listGroups', v, listGroupsResponse, {
        ...throttle(v, 1, 2, 0),
        errorCode: 0,
        groups: listGroupsResponse.groups.map(({ groupId, protocolType }) => ({ groupId, protocolType })),
      }),
    ),
  ],
};

// ---- DescribeGroups ----

const describeGroupsResponse = {
  throttleTimeMs: 0,
  groups: [
    {
      errorCode: 0,
      groupId: GROUP,
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
      members: [
        {
          memberId: M1,
          groupInstanceId: 'processor-1',
          clientId: 'processor',
          clientHost: '/10.0.0.7',
          memberMetadata: sub1,
          memberAssignment: assign1,
        },
      ],
      authorizedOperations: 0b1_1000_0000,
    },
    {
      errorCode: 69,
      groupId: 'gone',
      groupState: 'Dead',
      protocolType: '',
      protocolData: '',
      members: [],
      authorizedOperations: -2147483648,
    },
  ],
};

const describeGroups = {
  requests: [
    ...versions(0, 5).map((v) =>
      pltReq(DescribeGroups, v, [[GROUP, 'gone'], true], { groups: [GROUP, 'gone'], includeAuthorizedOperations: true }),
    ),
    ...versions(0, 2).map((v) => kjsReq(DescribeGroups, 'describeGroups', v, { groupIds: [GROUP, 'gone'] }, { groups: [GROUP, 'gone'] })),
  ],
  responses: [
    ...versions(0, 5).map((v) => pltRes(DescribeGroups, v, describeGroupsResponse)),
    ...versions(0, 2).map((v) =>
      kjsRes(DescribeGroups, 'describeGroups', v, describeGroupsResponse, {
        ...throttle(v, 1, 2, 0),
        groups: describeGroupsResponse.groups.map((g) => ({
          errorCode: g.errorCode,
          groupId: g.groupId,
          state: g.groupState,
          protocolType: g.protocolType,
          protocol: g.protocolData,
          members: g.members.map(({ memberId, clientId, clientHost, memberMetadata, memberAssignment }) => ({
            memberId,
            clientId,
            clientHost,
            memberMetadata,
            memberAssignment,
          })),
        })),
      }),
    ),
  ],
};

// ---- DeleteGroups ----

const deleteGroupsResponse = {
  throttleTimeMs: 0,
  results: [
    { groupId: 'audit', errorCode: 0 },
    { groupId: GROUP, errorCode: 68 },
  ],
};

const deleteGroups = {
  requests: [
    ...versions(0, 2).map((v) => pltReq(DeleteGroups, v, [['audit', GROUP]], { groupsNames: ['audit', GROUP] })),
    ...versions(0, 1).map((v) => kjsReq(DeleteGroups, 'deleteGroups', v, ['audit', GROUP], { groupsNames: ['audit', GROUP] })),
  ],
  responses: [
    ...versions(0, 2).map((v) => pltRes(DeleteGroups, v, deleteGroupsResponse)),
    // kafkajs attaches an error object to failed results.
    ...versions(0, 1).map((v) => kjsRes(DeleteGroups, 'deleteGroups', v, deleteGroupsResponse, deleteGroupsResponse)),
  ],
};

// ---- ConsumerGroupHeartbeat (KIP-848) ----

const cghCanonical = {
  groupId: GROUP,
  memberId: M1,
  memberEpoch: 4,
  instanceId: null,
  rackId: 'eu-west-1a',
  rebalanceTimeoutMs: 300000,
  subscribedTopicNames: ['clicks', 'orders'],
  serverAssignor: 'uniform',
  topicPartitions: [{ topicId: uuidBuffer(CLICKS_ID), partitions: [0, 2] }],
};

const cghResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  errorMessage: null,
  memberId: M1,
  memberEpoch: 5,
  heartbeatIntervalMs: 5000,
  assignment: { topicPartitions: [{ topicId: uuidBuffer(CLICKS_ID), partitions: [0, 1, 2] }] },
};

const consumerGroupHeartbeat = {
  requests: [
    pltReq(
      ConsumerGroupHeartbeat,
      0,
      [GROUP, M1, 4, null, 'eu-west-1a', 300000, ['clicks', 'orders'], null, 'uniform', [{ topicId: CLICKS_ID, partitions: [0, 2] }]],
      cghCanonical,
    ),
  ],
  responses: [pltRes(ConsumerGroupHeartbeat, 0, cghResponse), pltRes(ConsumerGroupHeartbeat, 0, { ...cghResponse, assignment: null })],
};

const all = [
  joinGroup,
  syncGroup,
  heartbeat,
  leaveGroup,
  offsetCommit,
  offsetFetch,
  listGroups,
  describeGroups,
  deleteGroups,
  consumerGroupHeartbeat,
];
export const requestCases: RequestCase[] = all.flatMap((a) => a.requests);
export const responseCases: ResponseCase[] = all.flatMap((a) => a.responses);
