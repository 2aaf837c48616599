// Produce: validate each partition's batches, append them (offsets assigned in place), and for
// acks=-1 answer only after the log's group-commit fsync covers them. acks=0 gets no response.
import { Produce } from '../../protocol/apis/produce.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { PARTITION_LEADER_EPOCH, validateProducedRecords } from '../../protocol/record-batch.ts';
import type { Message } from '../../protocol/schema.ts';
import { access, Op, ResourceType } from '../authz.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';
import { errorCodeOf, errorMessageOf, expectedErrorCode } from './errors.ts';

/** Brook is its own only replica: leader epoch 0 forever (stamped into stored batches, KIP-101). */
export const LEADER_EPOCH = 0;

function partitionResult(index: number, errorCode: number, errorMessage: string | null = null): Message {
  return { index, errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n, recordErrors: [], errorMessage };
}

export function produceHandler(services: BrokerServices): ApiHandler {
  const errorResponse = (req: Message, code: number): Message => ({
    responses: (req.topicData ?? []).map((t: Message) => ({
      name: t.name,
      partitionResponses: t.partitionData.map((p: Message) => partitionResult(p.index, code)),
    })),
    throttleTimeMs: 0,
  });
  return {
    api: Produce,
    errorResponse,
    handle(ctx, req) {
      const acks = req.acks as number;
      if (acks !== 0 && acks !== 1 && acks !== -1) return errorResponse(req, ErrorCode.INVALID_REQUIRED_ACKS);
      if (req.transactionalId !== null) {
        // Transactions are a later issue; say so instead of half-supporting them.
        return errorResponse(req, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
      }
      const toFlush = new Set<{ flush(): Promise<void> }>();
      const can = access(services, ctx);
      const responses = req.topicData.map((t: Message) => ({
        name: t.name,
        partitionResponses: t.partitionData.map((p: Message) => {
          if (!can(Op.WRITE, ResourceType.TOPIC, t.name)) return partitionResult(p.index, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
          const log = services.logs.partition(t.name, p.index);
          if (!log) return partitionResult(p.index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          if (services.logs.topic(t.name)?.internal) {
            // Only the broker writes its internal topics: a client record would corrupt group state.
            return partitionResult(p.index, ErrorCode.INVALID_TOPIC_EXCEPTION, `cannot produce to internal topic '${t.name}'`);
          }
          const records = p.records as Buffer | null;
          if (records === null || records.length === 0) {
            return partitionResult(p.index, ErrorCode.INVALID_RECORD, 'empty record set');
          }
          try {
            const batches = validateProducedRecords(records);
            for (const b of batches) records.writeInt32BE(LEADER_EPOCH, b.position + PARTITION_LEADER_EPOCH);
            const result = log.append(records, batches);
            toFlush.add(log);
            return {
              ...partitionResult(p.index, ErrorCode.NONE),
              baseOffset: result.baseOffset,
              logAppendTimeMs: result.logAppendTime,
              logStartOffset: result.logStartOffset,
            };
          } catch (err) {
            return partitionResult(p.index, expectedErrorCode(err), errorMessageOf(err));
          }
        }),
      }));
      if (acks === 0) return null;
      const body = { responses, throttleTimeMs: 0 };
      if (acks === 1 || toFlush.size === 0) return body;
      // A failed fsync means nothing is known to be durable: every partition gets the storage error.
      return Promise.all([...toFlush].map((log) => log.flush())).then(
        () => body,
        (err) => errorResponse(req, errorCodeOf(err)),
      );
    },
  };
}
