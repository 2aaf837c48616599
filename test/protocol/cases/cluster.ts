// Cluster and offset lookups: ApiVersions, Metadata, FindCoordinator, DescribeCluster, ListOffsets,
// OffsetForLeaderEpoch.
import { ApiVersions } from '../../../src/protocol/apis/api-versions.ts';
import { DescribeCluster } from '../../../src/protocol/apis/describe-cluster.ts';
import { FindCoordinator } from '../../../src/protocol/apis/find-coordinator.ts';
import { ListOffsets } from '../../../src/protocol/apis/list-offsets.ts';
import { Metadata } from '../../../src/protocol/apis/metadata.ts';
import { OffsetForLeaderEpoch } from '../../../src/protocol/apis/offset-for-leader-epoch.ts';
import { ZERO_UUID } from '../../../src/protocol/schema.ts';
import { uuidBuffer } from '../peers.ts';
import { kjsReq, kjsRes, pltReq, pltRes, type RequestCase, type ResponseCase, versions } from './kit.ts';

const CLICKS_ID = '5b6e3a52-8d4f-4c1e-9a7b-2f0c1d9e8a11';
const ORDERS_ID = 'c0ffee00-1234-4abc-8def-001122334455';

// ---- ApiVersions ----

const apiVersionsResponse = {
  errorCode: 0,
  apiKeys: [
    { apiKey: 0, minVersion: 3, maxVersion: 11 },
    { apiKey: 1, minVersion: 4, maxVersion: 17 },
    { apiKey: 18, minVersion: 0, maxVersion: 4 },
  ],
  throttleTimeMs: 0,
  supportedFeatures: [{ name: 'metadata.version', minVersion: 1, maxVersion: 21 }],
  finalizedFeaturesEpoch: 7n,
  finalizedFeatures: [{ name: 'metadata.version', maxVersionLevel: 21, minVersionLevel: 21 }],
  zkMigrationReady: false,
};

const apiVersions = {
  requests: [
    ...versions(0, 4).map((v) =>
      pltReq(ApiVersions, v, ['brook-client', '0.1.0'], { clientSoftwareName: 'brook-client', clientSoftwareVersion: '0.1.0' }),
    ),
    ...versions(0, 2).map((v) => kjsReq(ApiVersions, 'apiVersions', v, undefined, {})),
  ],
  responses: [
    // Platformatic adds each API's name to the entries.
    ...versions(0, 4).map((v) => pltRes(ApiVersions, v, apiVersionsResponse, { ignore: ['/apiKeys/*/name'] })),
    ...versions(0, 2).map((v) =>
      kjsRes(ApiVersions, 'apiVersions', v, apiVersionsResponse, {
        errorCode: 0,
        apiVersions: apiVersionsResponse.apiKeys,
        ...(v === 1 && { throttleTime: 0 }),
        ...(v === 2 && { throttleTime: 0, clientSideThrottleTime: 0 }),
      }),
    ),
  ],
};

// ---- Metadata ----

// Topic ids in requests: v10+ on the wire, but platformatic sends them from v12 only.
function metadataCanonical(v: number) {
  return {
    topics:
      v >= 12
        ? [
            { topicId: uuidBuffer(CLICKS_ID), name: null },
            { topicId: ZERO_UUID, name: 'orders' },
          ]
        : [
            { topicId: ZERO_UUID, name: 'clicks' },
            { topicId: ZERO_UUID, name: 'orders' },
          ],
    allowAutoTopicCreation: false,
    includeClusterAuthorizedOperations: true,
    includeTopicAuthorizedOperations: true,
  };
}

const pltMetadataArgs = (v: number) => [v >= 12 ? [{ topicId: CLICKS_ID }, 'orders'] : ['clicks', 'orders'], false, true, true];

const metadataResponse = {
  throttleTimeMs: 10,
  brokers: [
    { nodeId: 1, host: 'broker-1.brook.local', port: 9092, rack: 'eu-west-1a' },
    { nodeId: 2, host: 'broker-2.brook.local', port: 9093, rack: null },
  ],
  clusterId: 'brook-cluster-1',
  controllerId: 1,
  topics: [
    {
      errorCode: 0,
      name: 'clicks',
      topicId: uuidBuffer(CLICKS_ID),
      isInternal: false,
      partitions: [
        { errorCode: 0, partitionIndex: 0, leaderId: 1, leaderEpoch: 7, replicaNodes: [1, 2], isrNodes: [1, 2], offlineReplicas: [] },
        { errorCode: 0, partitionIndex: 1, leaderId: 2, leaderEpoch: 3, replicaNodes: [2, 1], isrNodes: [2], offlineReplicas: [1] },
      ],
      topicAuthorizedOperations: 0b1111_1111_1000,
    },
    {
      errorCode: 0,
      name: '__consumer_offsets',
      topicId: uuidBuffer(ORDERS_ID),
      isInternal: true,
      partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, leaderEpoch: 0, replicaNodes: [1], isrNodes: [1], offlineReplicas: [] }],
      topicAuthorizedOperations: -2147483648,
    },
  ],
  clusterAuthorizedOperations: 0b1100_0000,
};

const kjsMetadataExpect = (v: number) => ({
  brokers: metadataResponse.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, ...(v >= 1 && { rack: b.rack }) })),
  ...(v >= 1 && { controllerId: 1 }),
  ...(v >= 2 && { clusterId: 'brook-cluster-1' }),
  ...(v >= 3 && v <= 5 && { throttleTime: 10 }),
  ...(v >= 6 && { throttleTime: 0, clientSideThrottleTime: 10 }),
  topicMetadata: metadataResponse.topics.map((t) => ({
    topicErrorCode: 0,
    topic: t.name,
    ...(v >= 1 && { isInternal: t.isInternal }),
    partitionMetadata: t.partitions.map((p) => ({
      partitionErrorCode: 0,
      partitionId: p.partitionIndex,
      leader: p.leaderId,
      replicas: p.replicaNodes,
      isr: p.isrNodes,
      ...(v >= 5 && { offlineReplicas: p.offlineReplicas }),
    })),
  })),
});

const metadata = {
  requests: [
    ...versions(0, 12).map((v) => pltReq(Metadata, v, pltMetadataArgs(v), metadataCanonical(v))),
    // A null topics array asks for every topic (v1+).
    ...[1, 9, 12].map((v) => pltReq(Metadata, v, [null, true, false, false], { topics: null, allowAutoTopicCreation: true })),
    ...versions(0, 6).map((v) =>
      kjsReq(Metadata, 'metadata', v, { topics: ['clicks', 'orders'], allowAutoTopicCreation: false }, metadataCanonical(v)),
    ),
  ],
  responses: [
    ...versions(0, 12).map((v) => pltRes(Metadata, v, metadataResponse)),
    ...versions(0, 6).map((v) => kjsRes(Metadata, 'metadata', v, metadataResponse, kjsMetadataExpect(v))),
  ],
};

// ---- FindCoordinator ----

const findCoordinatorCanonical = (v: number) =>
  v >= 4 ? { keyType: 1, coordinatorKeys: ['clickstream-txn', 'audit-txn'] } : { key: 'clickstream-txn', keyType: 1 };

const findCoordinatorResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  errorMessage: null,
  nodeId: 2,
  host: 'broker-2.brook.local',
  port: 9093,
  coordinators: [
    { key: 'clickstream-txn', nodeId: 2, host: 'broker-2.brook.local', port: 9093, errorCode: 0, errorMessage: null },
    { key: 'audit-txn', nodeId: 1, host: 'broker-1.brook.local', port: 9092, errorCode: 0, errorMessage: null },
  ],
};

const findCoordinator = {
  requests: [
    ...versions(0, 6).map((v) => pltReq(FindCoordinator, v, [1, ['clickstream-txn', 'audit-txn']], findCoordinatorCanonical(v))),
    kjsReq(FindCoordinator, 'findCoordinator', 0, { groupId: 'clickstream-txn' }, findCoordinatorCanonical(0)),
    ...versions(1, 2).map((v) =>
      kjsReq(FindCoordinator, 'findCoordinator', v, { coordinatorKey: 'clickstream-txn', coordinatorType: 1 }, findCoordinatorCanonical(v)),
    ),
  ],
  responses: [
    // Before v4 platformatic folds the single answer into a one-element coordinators list.
    ...versions(0, 3).map((v) => ({
      ...pltRes(FindCoordinator, v, findCoordinatorResponse),
      expect: { throttleTimeMs: 0, coordinators: [{ errorCode: 0, nodeId: 2, host: 'broker-2.brook.local', port: 9093 }] },
    })),
    ...versions(4, 6).map((v) => pltRes(FindCoordinator, v, findCoordinatorResponse)),
    kjsRes(FindCoordinator, 'findCoordinator', 0, findCoordinatorResponse, {
      errorCode: 0,
      coordinator: { nodeId: 2, host: 'broker-2.brook.local', port: 9093 },
    }),
    kjsRes(FindCoordinator, 'findCoordinator', 1, findCoordinatorResponse, {
      throttleTime: 0,
      errorCode: 0,
      errorMessage: null,
      coordinator: { nodeId: 2, host: 'broker-2.brook.local', port: 9093 },
    }),
    kjsRes(FindCoordinator, 'findCoordinator', 2, findCoordinatorResponse, {
      throttleTime: 0,
      clientSideThrottleTime: 0,
      errorCode: 0,
      coordinator: { nodeId: 2, host: 'broker-2.brook.local', port: 9093 },
    }),
  ],
};

// ---- DescribeCluster ----

const describeClusterResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  errorMessage: null,
  endpointType: 1,
  clusterId: 'brook-cluster-1',
  controllerId: 1,
  brokers: [
    { brokerId: 1, host: 'broker-1.brook.local', port: 9092, rack: 'eu-west-1a' },
    { brokerId: 2, host: 'broker-2.brook.local', port: 9093, rack: null },
  ],
  clusterAuthorizedOperations: 0b1100_0000,
};

const describeCluster = {
  requests: versions(0, 1).map((v) => pltReq(DescribeCluster, v, [true, 1], { includeClusterAuthorizedOperations: true, endpointType: 1 })),
  responses: versions(0, 1).map((v) => pltRes(DescribeCluster, v, describeClusterResponse)),
};

// ---- ListOffsets ----

const listOffsetsCanonical = {
  replicaId: -1,
  isolationLevel: 1,
  topics: [
    {
      name: 'clicks',
      partitions: [
        { partitionIndex: 0, currentLeaderEpoch: 7, timestamp: -1n, maxNumOffsets: 1 },
        { partitionIndex: 2, currentLeaderEpoch: 7, timestamp: 1_700_000_000_000n, maxNumOffsets: 1 },
      ],
    },
  ],
  timeoutMs: 0,
};

const pltListOffsetsArgs = [
  -1,
  1,
  [
    {
      name: 'clicks',
      partitions: [
        { partitionIndex: 0, currentLeaderEpoch: 7, timestamp: -1n },
        { partitionIndex: 2, currentLeaderEpoch: 7, timestamp: 1_700_000_000_000n },
      ],
    },
  ],
];

const kjsListOffsetsArgs = {
  replicaId: -1,
  isolationLevel: 1,
  topics: [
    {
      topic: 'clicks',
      partitions: [
        { partition: 0, timestamp: -1 },
        { partition: 2, timestamp: 1_700_000_000_000 },
      ],
    },
  ],
};

const listOffsetsResponse = {
  throttleTimeMs: 5,
  topics: [
    {
      name: 'clicks',
      partitions: [
        { partitionIndex: 0, errorCode: 0, oldStyleOffsets: [1202n], timestamp: -1n, offset: 1202n, leaderEpoch: 7 },
        { partitionIndex: 2, errorCode: 0, oldStyleOffsets: [77n], timestamp: 1_700_000_000_004n, offset: 77n, leaderEpoch: 7 },
      ],
    },
  ],
};

const listOffsets = {
  requests: [
    ...versions(0, 9).map((v) => pltReq(ListOffsets, v, pltListOffsetsArgs, listOffsetsCanonical)),
    ...versions(0, 3).map((v) =>
      kjsReq(ListOffsets, 'listOffsets', v, kjsListOffsetsArgs, { ...listOffsetsCanonical, topics: kjsTopics() }),
    ),
  ],
  responses: [
    // v0 answers with an array of old-style offsets; platformatic reports the first as `offset`.
    {
      ...pltRes(ListOffsets, 0, listOffsetsResponse),
      expect: {
        topics: [
          {
            name: 'clicks',
            partitions: [
              { partitionIndex: 0, errorCode: 0, offset: 1202n },
              { partitionIndex: 2, errorCode: 0, offset: 77n },
            ],
          },
        ],
      },
    },
    ...versions(1, 9).map((v) => pltRes(ListOffsets, v, listOffsetsResponse)),
    kjsRes(ListOffsets, 'listOffsets', 0, listOffsetsResponse, {
      responses: [
        {
          topic: 'clicks',
          partitions: [
            { partition: 0, errorCode: 0, offsets: ['1202'] },
            { partition: 2, errorCode: 0, offsets: ['77'] },
          ],
        },
      ],
    }),
    ...versions(1, 3).map((v) =>
      kjsRes(ListOffsets, 'listOffsets', v, listOffsetsResponse, {
        ...(v === 2 && { throttleTime: 5 }),
        ...(v === 3 && { throttleTime: 0, clientSideThrottleTime: 5 }),
        responses: [
          {
            topic: 'clicks',
            partitions: [
              { partition: 0, errorCode: 0, timestamp: '-1', offset: '1202' },
              { partition: 2, errorCode: 0, timestamp: '1700000000004', offset: '77' },
            ],
          },
        ],
      }),
    ),
  ],
};

// kafkajs sends no leader epoch (its versions predate v4).
function kjsTopics() {
  return listOffsetsCanonical.topics.map((t) => ({ ...t, partitions: t.partitions.map((p) => ({ ...p, currentLeaderEpoch: -1 })) }));
}

// ---- OffsetForLeaderEpoch ----

const offsetForLeaderEpochCanonical = {
  replicaId: -1,
  topics: [
    {
      topic: 'clicks',
      partitions: [
        { partition: 0, currentLeaderEpoch: 7, leaderEpoch: 6 },
        { partition: 2, currentLeaderEpoch: 7, leaderEpoch: 7 },
      ],
    },
  ],
};

const offsetForLeaderEpochResponse = {
  throttleTimeMs: 0,
  topics: [
    {
      topic: 'clicks',
      partitions: [
        { errorCode: 0, partition: 0, leaderEpoch: 6, endOffset: 1100n },
        { errorCode: 0, partition: 2, leaderEpoch: 7, endOffset: 77n },
      ],
    },
  ],
};

const offsetForLeaderEpoch = {
  requests: versions(0, 4).map((v) =>
    pltReq(
      OffsetForLeaderEpoch,
      v,
      [
        -1,
        [
          {
            name: 'clicks',
            partitions: [
              { partitionIndex: 0, currentLeaderEpoch: 7, leaderEpoch: 6 },
              { partitionIndex: 2, currentLeaderEpoch: 7, leaderEpoch: 7 },
            ],
          },
        ],
      ],
      offsetForLeaderEpochCanonical,
    ),
  ),
  responses: versions(0, 4).map((v) => pltRes(OffsetForLeaderEpoch, v, offsetForLeaderEpochResponse)),
};

const all = [apiVersions, metadata, findCoordinator, describeCluster, listOffsets, offsetForLeaderEpoch];
export const requestCases: RequestCase[] = all.flatMap((a) => a.requests);
export const responseCases: ResponseCase[] = all.flatMap((a) => a.responses);
