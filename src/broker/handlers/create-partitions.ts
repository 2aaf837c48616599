// CreatePartitions: grows a topic's partition count (never shrinks), on this broker only.

import { LogError } from '../../log/log-error.ts';
import { CreatePartitions } from '../../protocol/apis/create-partitions.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { Message } from '../../protocol/schema.ts';
import { access, Op, ResourceType } from '../authz.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';
import { errorMessageOf, expectedErrorCode } from './errors.ts';

export function createPartitionsHandler(services: BrokerServices): ApiHandler {
  return {
    api: CreatePartitions,
    errorResponse: (req, code) => ({
      throttleTimeMs: 0,
      results: (req.topics ?? []).map((t: Message) => ({ name: t.name, errorCode: code, errorMessage: null })),
    }),
    handle(ctx, req) {
      const can = access(services, ctx);
      const results = req.topics.map((t: Message) => {
        if (!can(Op.ALTER, ResourceType.TOPIC, t.name)) {
          return {
            name: t.name,
            errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
            errorMessage: `not authorized to alter topic '${t.name}'`,
          };
        }
        try {
          const info = services.logs.topic(t.name);
          if (!info) throw new LogError('UNKNOWN_TOPIC_OR_PARTITION', `topic '${t.name}' does not exist`);
          if (t.count <= info.partitions) {
            throw new LogError(
              'INVALID_PARTITIONS',
              `topic '${t.name}' has ${info.partitions} partitions; the new count must be larger, got ${t.count}`,
            );
          }
          for (const a of (t.assignments ?? []) as Message[]) {
            if (a.brokerIds.some((id: number) => id !== services.nodeId)) {
              throw new LogError('INVALID_REPLICA_ASSIGNMENT', `Brook is a single broker (id ${services.nodeId})`);
            }
          }
          if (!req.validateOnly) services.logs.createPartitions(t.name, t.count);
          return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
        } catch (err) {
          return { name: t.name, errorCode: expectedErrorCode(err), errorMessage: errorMessageOf(err) };
        }
      });
      return { throttleTimeMs: 0, results };
    },
  };
}
