// Metadata: this broker as the only broker, controller and leader of every partition; topics by
// name or (v10+) id; auto-creation only when the broker allows it and the client asks for it;
// authorized operations of the cluster (v8-10) and of each topic (v8+) when asked for (KIP-430).

import type { TopicInfo } from '../../log/types.ts';
import { Metadata } from '../../protocol/apis/metadata.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { type Message, ZERO_UUID } from '../../protocol/schema.ts';
import { CLUSTER_NAME } from '../../security/acl.ts';
import { type Access, access, OPERATIONS_OMITTED, Op, ResourceType } from '../authz.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';
import { errorCodeOf } from './errors.ts';
import { LEADER_EPOCH } from './produce.ts';

/** Metadata v10+ requests may name topics by id. */
const TOPIC_IDS_FROM = 10;

export function metadataHandler(services: BrokerServices): ApiHandler {
  const { nodeId } = services;
  const topicEntry = (info: TopicInfo): Message => ({
    errorCode: ErrorCode.NONE,
    name: info.name,
    topicId: info.id,
    isInternal: info.internal,
    partitions: Array.from({ length: info.partitions }, (_, i) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex: i,
      leaderId: nodeId,
      leaderEpoch: LEADER_EPOCH,
      replicaNodes: [nodeId],
      isrNodes: [nodeId],
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: OPERATIONS_OMITTED,
  });
  const errorEntry = (name: string | null, id: Buffer, code: number): Message => ({
    errorCode: code,
    name,
    topicId: id,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: OPERATIONS_OMITTED,
  });
  const base = (at = services.advertised): Message => ({
    throttleTimeMs: 0,
    // Kafka returns the brokers' endpoints on the listener the request came through.
    brokers: [{ nodeId, host: at.host, port: at.port, rack: null }],
    clusterId: services.clusterId,
    controllerId: nodeId,
    topics: [],
    clusterAuthorizedOperations: OPERATIONS_OMITTED,
  });
  return {
    api: Metadata,
    errorResponse: (req, code) => ({
      ...base(),
      topics: (req.topics ?? []).map((t: Message) => errorEntry(t.name, t.topicId ?? ZERO_UUID, code)),
    }),
    handle(ctx, req) {
      const body = base(ctx.advertised);
      const can = access(services, ctx);
      const describable = (name: string) => can(Op.DESCRIBE, ResourceType.TOPIC, name);
      if (req.includeClusterAuthorizedOperations) {
        // As Kafka: without Describe on the cluster the field says "nothing", not "not asked".
        body.clusterAuthorizedOperations = can.cluster(Op.DESCRIBE) ? can.operations(ResourceType.CLUSTER, CLUSTER_NAME) : 0;
      }
      body.topics = topicEntries(req, ctx.apiVersion, can, describable);
      if (req.includeTopicAuthorizedOperations) {
        // Kafka fills it for the topics the principal may describe (found or not), not for refusals.
        for (const t of body.topics as Message[]) {
          if (t.name !== null && t.errorCode !== ErrorCode.TOPIC_AUTHORIZATION_FAILED) {
            t.topicAuthorizedOperations = can.operations(ResourceType.TOPIC, t.name);
          }
        }
      }
      return body;
    },
  };

  function topicEntries(req: Message, apiVersion: number, can: Access, describable: (name: string) => boolean): Message[] {
    // v0 asks for all topics with an empty list; v1+ with null.
    const all = req.topics === null || (apiVersion === 0 && req.topics.length === 0);
    if (all) {
      // Topics the principal may not describe are left out, not reported as errors.
      return services.logs
        .topics()
        .filter((info) => describable(info.name))
        .map(topicEntry);
    }
    return req.topics.map((t: Message) => {
      const byId = apiVersion >= TOPIC_IDS_FROM && t.name === null;
      const info = byId ? services.logs.topicById(t.topicId) : services.logs.topic(t.name);
      if (info && !describable(info.name)) {
        return errorEntry(byId ? null : info.name, byId ? t.topicId : ZERO_UUID, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
      }
      if (info) return topicEntry(info);
      if (byId) return errorEntry(null, t.topicId, ErrorCode.UNKNOWN_TOPIC_ID);
      if (!describable(t.name)) return errorEntry(t.name, ZERO_UUID, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
      const mayCreate = () => can.cluster(Op.CREATE) || can(Op.CREATE, ResourceType.TOPIC, t.name);
      if (services.config.autoCreateTopics && req.allowAutoTopicCreation !== false) {
        if (!mayCreate()) return errorEntry(t.name, ZERO_UUID, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
        try {
          return topicEntry(services.logs.createTopic(t.name, services.config.numPartitions, {}));
        } catch (err) {
          return errorEntry(t.name, ZERO_UUID, errorCodeOf(err));
        }
      }
      return errorEntry(t.name, ZERO_UUID, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    });
  }
}
