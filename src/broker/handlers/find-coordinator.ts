// FindCoordinator: this broker coordinates every group. Transaction coordinators come with
// transactions; until then those lookups answer COORDINATOR_NOT_AVAILABLE.
import { FindCoordinator } from '../../protocol/apis/find-coordinator.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { Message } from '../../protocol/schema.ts';
import { type Access, access, deniedCode, Op, ResourceType } from '../authz.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';

const GROUP = 0;
/** FindCoordinator v4+ batches keys (KIP-699). */
const BATCHED_FROM = 4;

export function findCoordinatorHandler(services: BrokerServices): ApiHandler {
  const one = (key: string, keyType: number, forced?: number, at = services.advertised, can?: Access): Message => {
    let errorCode = forced ?? ErrorCode.NONE;
    let errorMessage: string | null = null;
    // Describe on the group (or transactional id) the key names, as Kafka.
    const resource = keyType === GROUP ? ResourceType.GROUP : ResourceType.TRANSACTIONAL_ID;
    if (forced === undefined && can && !can(Op.DESCRIBE, resource, key)) {
      errorCode = deniedCode(resource);
      errorMessage = `not authorized to describe ${keyType === GROUP ? 'group' : 'transactional id'} '${key}'`;
    } else if (forced === undefined && keyType !== GROUP) {
      errorCode = ErrorCode.COORDINATOR_NOT_AVAILABLE;
      errorMessage = 'Brook does not support transactions yet';
    } else if (forced === undefined && key === '') {
      errorCode = ErrorCode.INVALID_REQUEST;
      errorMessage = 'empty group id';
    }
    const ok = errorCode === ErrorCode.NONE;
    return {
      key,
      nodeId: ok ? services.nodeId : -1,
      host: ok ? at.host : '',
      port: ok ? at.port : -1,
      errorCode,
      errorMessage,
    };
  };
  const shape = (version: number, entries: Message[]): Message => {
    if (version >= BATCHED_FROM) return { throttleTimeMs: 0, coordinators: entries };
    const e = entries[0] as Message;
    return { throttleTimeMs: 0, errorCode: e.errorCode, errorMessage: e.errorMessage, nodeId: e.nodeId, host: e.host, port: e.port };
  };
  const keys = (req: Message): string[] => (req.coordinatorKeys?.length ? req.coordinatorKeys : [req.key ?? '']);
  return {
    api: FindCoordinator,
    errorResponse: (req, code) => ({
      throttleTimeMs: 0,
      errorCode: code,
      errorMessage: null,
      nodeId: -1,
      host: '',
      port: -1,
      coordinators: keys(req).map((k) => one(k, req.keyType, code)),
    }),
    handle: (ctx, req) =>
      shape(
        ctx.apiVersion,
        keys(req).map((k) => one(k, req.keyType, undefined, ctx.advertised, access(services, ctx))),
      ),
  };
}
