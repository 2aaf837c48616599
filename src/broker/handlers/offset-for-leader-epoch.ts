// OffsetForLeaderEpoch (KIP-101/320): Brook's only leader epoch is 0, so epoch 0 ends at the log
// end and any later epoch is unknown.
import { OffsetForLeaderEpoch } from '../../protocol/apis/offset-for-leader-epoch.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { Message } from '../../protocol/schema.ts';
import { access, Op, ResourceType } from '../authz.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';
import { LEADER_EPOCH } from './produce.ts';

const entry = (partition: number, errorCode: number, leaderEpoch = -1, endOffset = -1n): Message => ({
  errorCode,
  partition,
  leaderEpoch,
  endOffset,
});

export function offsetForLeaderEpochHandler(services: BrokerServices): ApiHandler {
  return {
    api: OffsetForLeaderEpoch,
    errorResponse: (req, code) => ({
      throttleTimeMs: 0,
      topics: (req.topics ?? []).map((t: Message) => ({
        topic: t.topic,
        partitions: t.partitions.map((p: Message) => entry(p.partition, code)),
      })),
    }),
    handle(ctx, req) {
      const can = access(services, ctx);
      const topics = req.topics.map((t: Message) => ({
        topic: t.topic,
        partitions: t.partitions.map((p: Message) => {
          if (!can(Op.DESCRIBE, ResourceType.TOPIC, t.topic)) return entry(p.partition, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
          const log = services.logs.partition(t.topic, p.partition);
          if (!log) return entry(p.partition, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          if (p.currentLeaderEpoch > LEADER_EPOCH) return entry(p.partition, ErrorCode.UNKNOWN_LEADER_EPOCH);
          if (p.leaderEpoch > LEADER_EPOCH) return entry(p.partition, ErrorCode.NONE);
          return entry(p.partition, ErrorCode.NONE, LEADER_EPOCH, log.logEndOffset);
        }),
      }));
      return { throttleTimeMs: 0, topics };
    },
  };
}
