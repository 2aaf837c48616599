// ListOffsets: earliest (-2), latest (-1), max timestamp (-3, KIP-734) or the first offset at or
// after a timestamp. A single node's last stable offset is its log end, so isolation changes nothing.

import type { PartitionLog } from '../../log/types.ts';
import { ListOffsets } from '../../protocol/apis/list-offsets.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { Message } from '../../protocol/schema.ts';
import { access, Op, ResourceType } from '../authz.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';
import { expectedErrorCode } from './errors.ts';
import { LEADER_EPOCH } from './produce.ts';

const LATEST = -1n;
const EARLIEST = -2n;
const MAX_TIMESTAMP = -3n;

const result = (partitionIndex: number, errorCode: number, offset = -1n, timestamp = -1n): Message => ({
  partitionIndex,
  errorCode,
  oldStyleOffsets: offset >= 0n ? [offset] : [],
  timestamp,
  offset,
  leaderEpoch: offset >= 0n ? LEADER_EPOCH : -1,
});

function lookup(log: PartitionLog, ts: bigint): { offset: bigint; timestamp: bigint } | null {
  if (ts === LATEST) return { offset: log.logEndOffset, timestamp: -1n };
  if (ts === EARLIEST) return { offset: log.logStartOffset, timestamp: -1n };
  if (ts === MAX_TIMESTAMP) return log.maxTimestampOffset(); // KIP-734
  return log.offsetForTimestamp(ts);
}

export function listOffsetsHandler(services: BrokerServices): ApiHandler {
  const errorResponse = (req: Message, code: number): Message => ({
    throttleTimeMs: 0,
    topics: (req.topics ?? []).map((t: Message) => ({
      name: t.name,
      partitions: t.partitions.map((p: Message) => result(p.partitionIndex, code)),
    })),
  });
  return {
    api: ListOffsets,
    errorResponse,
    handle(ctx, req) {
      const can = access(services, ctx);
      return {
        throttleTimeMs: 0,
        topics: req.topics.map((t: Message) => ({
          name: t.name,
          partitions: t.partitions.map((p: Message) => {
            if (!can(Op.DESCRIBE, ResourceType.TOPIC, t.name)) return result(p.partitionIndex, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
            const log = services.logs.partition(t.name, p.partitionIndex);
            if (!log) return result(p.partitionIndex, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
            if (p.currentLeaderEpoch > LEADER_EPOCH) return result(p.partitionIndex, ErrorCode.UNKNOWN_LEADER_EPOCH);
            try {
              const found = lookup(log, p.timestamp);
              return found
                ? result(p.partitionIndex, ErrorCode.NONE, found.offset, found.timestamp)
                : result(p.partitionIndex, ErrorCode.NONE);
            } catch (err) {
              return result(p.partitionIndex, expectedErrorCode(err));
            }
          }),
        })),
      };
    },
  };
}
