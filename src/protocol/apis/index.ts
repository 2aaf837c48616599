// Every API Brook implements, in api-key order, and API_BY_KEY, the lookup used to decode a request
// header and body. An API missing from this table is one Brook does not speak.
import type { ApiDefinition } from '../api.ts';
import { AddOffsetsToTxn } from './add-offsets-to-txn.ts';
import { AddPartitionsToTxn } from './add-partitions-to-txn.ts';
import { AlterConfigs } from './alter-configs.ts';
import { AlterUserScramCredentials } from './alter-user-scram-credentials.ts';
import { ApiVersions } from './api-versions.ts';
import { ConsumerGroupHeartbeat } from './consumer-group-heartbeat.ts';
import { CreateAcls } from './create-acls.ts';
import { CreatePartitions } from './create-partitions.ts';
import { CreateTopics } from './create-topics.ts';
import { DeleteAcls } from './delete-acls.ts';
import { DeleteGroups } from './delete-groups.ts';
import { DeleteRecords } from './delete-records.ts';
import { DeleteTopics } from './delete-topics.ts';
import { DescribeAcls } from './describe-acls.ts';
import { DescribeCluster } from './describe-cluster.ts';
import { DescribeConfigs } from './describe-configs.ts';
import { DescribeGroups } from './describe-groups.ts';
import { DescribeUserScramCredentials } from './describe-user-scram-credentials.ts';
import { EndTxn } from './end-txn.ts';
import { Fetch } from './fetch.ts';
import { FindCoordinator } from './find-coordinator.ts';
import { Heartbeat } from './heartbeat.ts';
import { IncrementalAlterConfigs } from './incremental-alter-configs.ts';
import { InitProducerId } from './init-producer-id.ts';
import { JoinGroup } from './join-group.ts';
import { LeaveGroup } from './leave-group.ts';
import { ListGroups } from './list-groups.ts';
import { ListOffsets } from './list-offsets.ts';
import { Metadata } from './metadata.ts';
import { OffsetCommit } from './offset-commit.ts';
import { OffsetFetch } from './offset-fetch.ts';
import { OffsetForLeaderEpoch } from './offset-for-leader-epoch.ts';
import { Produce } from './produce.ts';
import { SaslAuthenticate } from './sasl-authenticate.ts';
import { SaslHandshake } from './sasl-handshake.ts';
import { SyncGroup } from './sync-group.ts';
import { TxnOffsetCommit } from './txn-offset-commit.ts';
import { WriteTxnMarkers } from './write-txn-markers.ts';

export * from './consumer-protocol.ts';
export {
  AddOffsetsToTxn,
  AddPartitionsToTxn,
  AlterConfigs,
  AlterUserScramCredentials,
  ApiVersions,
  ConsumerGroupHeartbeat,
  CreateAcls,
  CreatePartitions,
  CreateTopics,
  DeleteAcls,
  DeleteGroups,
  DeleteRecords,
  DeleteTopics,
  DescribeAcls,
  DescribeCluster,
  DescribeConfigs,
  DescribeGroups,
  DescribeUserScramCredentials,
  EndTxn,
  Fetch,
  FindCoordinator,
  Heartbeat,
  IncrementalAlterConfigs,
  InitProducerId,
  JoinGroup,
  LeaveGroup,
  ListGroups,
  ListOffsets,
  Metadata,
  OffsetCommit,
  OffsetFetch,
  OffsetForLeaderEpoch,
  Produce,
  SaslAuthenticate,
  SaslHandshake,
  SyncGroup,
  TxnOffsetCommit,
  WriteTxnMarkers,
};

/** Every implemented API, in api-key order. */
export const ALL_APIS: readonly ApiDefinition[] = [
  Produce,
  Fetch,
  ListOffsets,
  Metadata,
  OffsetCommit,
  OffsetFetch,
  FindCoordinator,
  JoinGroup,
  Heartbeat,
  LeaveGroup,
  SyncGroup,
  DescribeGroups,
  ListGroups,
  SaslHandshake,
  ApiVersions,
  CreateTopics,
  DeleteTopics,
  DeleteRecords,
  InitProducerId,
  OffsetForLeaderEpoch,
  AddPartitionsToTxn,
  AddOffsetsToTxn,
  EndTxn,
  WriteTxnMarkers,
  TxnOffsetCommit,
  DescribeAcls,
  CreateAcls,
  DeleteAcls,
  DescribeConfigs,
  AlterConfigs,
  SaslAuthenticate,
  CreatePartitions,
  DeleteGroups,
  IncrementalAlterConfigs,
  DescribeUserScramCredentials,
  AlterUserScramCredentials,
  DescribeCluster,
  ConsumerGroupHeartbeat,
];

export const API_BY_KEY: ReadonlyMap<number, ApiDefinition> = new Map(ALL_APIS.map((api) => [api.key, api]));
