// InitProducerId for idempotent producers: a fresh producer id, or (KIP-360, v3+) the same id with
// a bumped epoch when the client asks to re-initialise. Transactional ids wait for transactions.
import { InitProducerId } from '../../protocol/apis/init-producer-id.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';

const MAX_EPOCH = 32767;

export function initProducerIdHandler(services: BrokerServices): ApiHandler {
  const errorResponse = (_req: unknown, code: number) => ({ throttleTimeMs: 0, errorCode: code, producerId: -1n, producerEpoch: -1 });
  return {
    api: InitProducerId,
    errorResponse,
    handle(_ctx, req) {
      if (req.transactionalId !== null) return errorResponse(req, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
      const reuse = req.producerId >= 0n && req.producerEpoch >= 0 && req.producerEpoch < MAX_EPOCH - 1;
      if (reuse) return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: req.producerId, producerEpoch: req.producerEpoch + 1 };
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: services.logs.allocateProducerId(), producerEpoch: 0 };
    },
  };
}
