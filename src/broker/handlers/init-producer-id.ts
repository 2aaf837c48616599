// InitProducerId for idempotent producers: every call without a transactional id gets a fresh
// producer id, as Kafka does (clients such as @platformatic/kafka send id 0 / epoch 0 on their
// first call; the KIP-360 epoch bump applies to transactional ids only). Transactional ids wait
// for transactions.
import { InitProducerId } from '../../protocol/apis/init-producer-id.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { access, Op, ResourceType } from '../authz.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';

export function initProducerIdHandler(services: BrokerServices): ApiHandler {
  const errorResponse = (_req: unknown, code: number) => ({ throttleTimeMs: 0, errorCode: code, producerId: -1n, producerEpoch: -1 });
  return {
    api: InitProducerId,
    errorResponse,
    handle(ctx, req) {
      if (req.transactionalId !== null) return errorResponse(req, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
      // Kafka (KIP-679): IdempotentWrite on the cluster, or Write on any topic.
      const can = access(services, ctx);
      if (!can.cluster(Op.IDEMPOTENT_WRITE) && !can.any(Op.WRITE, ResourceType.TOPIC)) {
        return errorResponse(req, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
      }
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: services.logs.allocateProducerId(), producerEpoch: 0 };
    },
  };
}
