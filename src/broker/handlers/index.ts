// The broker's handler table: one handler per implemented API. ApiVersions advertises exactly
// these APIs and versions.
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';
import { createAclsHandler, deleteAclsHandler, describeAclsHandler } from './acls.ts';
import { alterConfigsHandler, incrementalAlterConfigsHandler } from './alter-configs.ts';
import { apiVersionsHandler } from './api-versions.ts';
import { createPartitionsHandler } from './create-partitions.ts';
import { createTopicsHandler } from './create-topics.ts';
import { deleteTopicsHandler } from './delete-topics.ts';
import { describeClusterHandler } from './describe-cluster.ts';
import { describeConfigsHandler } from './describe-configs.ts';
import { fetchHandler } from './fetch.ts';
import { findCoordinatorHandler } from './find-coordinator.ts';
import {
  deleteGroupsHandler,
  describeGroupsHandler,
  heartbeatHandler,
  joinGroupHandler,
  leaveGroupHandler,
  listGroupsHandler,
  syncGroupHandler,
} from './groups.ts';
import { initProducerIdHandler } from './init-producer-id.ts';
import { listOffsetsHandler } from './list-offsets.ts';
import { metadataHandler } from './metadata.ts';
import { offsetForLeaderEpochHandler } from './offset-for-leader-epoch.ts';
import { offsetCommitHandler, offsetFetchHandler } from './offsets.ts';
import { produceHandler } from './produce.ts';
import { saslAuthenticateHandler, saslHandshakeHandler } from './sasl.ts';
import { alterUserScramCredentialsHandler, describeUserScramCredentialsHandler } from './scram-credentials.ts';

export function createHandlers(services: BrokerServices): Map<number, ApiHandler> {
  const handlers = new Map<number, ApiHandler>();
  const add = (h: ApiHandler) => handlers.set(h.api.key, h);
  const makers = [
    produceHandler,
    fetchHandler,
    listOffsetsHandler,
    metadataHandler,
    offsetCommitHandler,
    offsetFetchHandler,
    findCoordinatorHandler,
    joinGroupHandler,
    heartbeatHandler,
    leaveGroupHandler,
    syncGroupHandler,
    describeGroupsHandler,
    listGroupsHandler,
    createTopicsHandler,
    deleteTopicsHandler,
    initProducerIdHandler,
    offsetForLeaderEpochHandler,
    describeAclsHandler,
    createAclsHandler,
    deleteAclsHandler,
    describeConfigsHandler,
    alterConfigsHandler,
    createPartitionsHandler,
    deleteGroupsHandler,
    incrementalAlterConfigsHandler,
    describeClusterHandler,
    saslHandshakeHandler,
    saslAuthenticateHandler,
    describeUserScramCredentialsHandler,
    alterUserScramCredentialsHandler,
  ];
  for (const make of makers) add(make(services));
  add(
    apiVersionsHandler(() =>
      [...handlers.values()]
        .map((h) => ({ apiKey: h.api.key, minVersion: h.api.minVersion, maxVersion: h.api.maxVersion }))
        .sort((a, b) => a.apiKey - b.apiKey),
    ),
  );
  return handlers;
}
