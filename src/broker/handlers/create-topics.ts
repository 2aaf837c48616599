// CreateTopics: one partition leader (this broker), replication factor 1 only, configs validated
// by the log; validateOnly checks everything and creates nothing.

import { LogError } from '../../log/log-error.ts';
import { CreateTopics } from '../../protocol/apis/create-topics.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { Message } from '../../protocol/schema.ts';
import { ZERO_UUID } from '../../protocol/schema.ts';
import { access, Op, ResourceType } from '../authz.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';
import { describeTopicConfigs } from './config-entries.ts';
import { errorMessageOf, expectedErrorCode } from './errors.ts';

const failed = (name: string, errorCode: number, errorMessage: string | null): Message => ({
  name,
  topicId: ZERO_UUID,
  errorCode,
  errorMessage,
  numPartitions: -1,
  replicationFactor: -1,
  configs: null,
});

export function createTopicsHandler(services: BrokerServices): ApiHandler {
  return {
    api: CreateTopics,
    errorResponse: (req, code) => ({
      throttleTimeMs: 0,
      topics: (req.topics ?? []).map((t: Message) => failed(t.name, code, null)),
    }),
    handle(ctx, req) {
      const can = access(services, ctx);
      const onCluster = can.cluster(Op.CREATE);
      const seen = new Map<string, number>();
      for (const t of req.topics as Message[]) seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
      const topics = req.topics.map((t: Message) => {
        if ((seen.get(t.name) ?? 0) > 1) return failed(t.name, ErrorCode.INVALID_REQUEST, `topic '${t.name}' appears more than once`);
        if (!onCluster && !can(Op.CREATE, ResourceType.TOPIC, t.name)) {
          return failed(t.name, ErrorCode.TOPIC_AUTHORIZATION_FAILED, `not authorized to create topic '${t.name}'`);
        }
        try {
          const partitions = planPartitions(t, services.config.numPartitions, services.nodeId);
          const overrides: Record<string, string> = {};
          for (const c of t.configs as Message[]) {
            if (c.value !== null) overrides[c.name] = c.value;
          }
          let info = services.logs.topic(t.name);
          if (info) throw new LogError('TOPIC_ALREADY_EXISTS', `topic '${t.name}' already exists`);
          if (req.validateOnly) {
            services.logs.validateTopic(t.name, partitions, overrides);
            return { ...failed(t.name, ErrorCode.NONE, null), numPartitions: partitions, replicationFactor: 1, configs: [] };
          }
          info = services.logs.createTopic(t.name, partitions, overrides);
          return {
            name: info.name,
            topicId: info.id,
            errorCode: ErrorCode.NONE,
            errorMessage: null,
            numPartitions: info.partitions,
            replicationFactor: 1,
            configs: describeTopicConfigs(info, null, false).map((e) => ({
              name: e.name,
              value: e.value,
              readOnly: e.readOnly,
              configSource: e.configSource,
              isSensitive: false,
            })),
          };
        } catch (err) {
          return failed(t.name, expectedErrorCode(err), errorMessageOf(err));
        }
      });
      return { throttleTimeMs: 0, topics };
    },
  };
}

/** Partition count from numPartitions or an explicit assignment; replicas other than this broker are refused. */
function planPartitions(t: Message, defaultPartitions: number, nodeId: number): number {
  const assignments = t.assignments as Message[];
  if (assignments.length > 0) {
    if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
      throw new LogError('INVALID_REQUEST', 'give either numPartitions/replicationFactor or a replica assignment, not both');
    }
    for (const a of assignments) {
      if (a.brokerIds.length !== 1 || a.brokerIds[0] !== nodeId) {
        throw new LogError(
          'INVALID_REPLICA_ASSIGNMENT',
          `Brook is a single broker (id ${nodeId}): each partition's replicas must be [${nodeId}]`,
        );
      }
    }
    return assignments.length;
  }
  if (t.replicationFactor !== -1 && t.replicationFactor !== 1) {
    throw new LogError('INVALID_REPLICATION_FACTOR', `replication factor ${t.replicationFactor} is larger than the 1 broker available`);
  }
  const n = t.numPartitions === -1 ? defaultPartitions : t.numPartitions;
  if (n < 1) throw new LogError('INVALID_PARTITIONS', `number of partitions must be at least 1, got ${n}`);
  return n;
}
