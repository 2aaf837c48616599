// The authorize step of a handler (habit 3): asks the broker's authorizer on behalf of the
// request's principal and client host, and names the error code of each resource type.
import { ErrorCode } from '../protocol/error-codes.ts';
import { CLUSTER_NAME, ResourceType } from '../security/acl.ts';
import type { Requester } from '../security/authorizer.ts';
import type { RequestContext } from './handler.ts';
import type { BrokerServices } from './services.ts';

export { Operation as Op, ResourceType } from '../security/acl.ts';

export interface Access {
  /** May this request perform `op` on the resource? */
  (op: number, resourceType: number, name: string): boolean;
  /** On the cluster resource. */
  cluster(op: number): boolean;
  /** On at least one resource of the type (Kafka's authorizeByResourceType, KIP-679). */
  any(op: number, resourceType: number): boolean;
  /** False when no authorizer runs: callers may skip work that only filters. */
  readonly enforcing: boolean;
}

export function requester(ctx: RequestContext): Requester {
  return { principal: ctx.principal, host: ctx.clientHost };
}

export function access(services: BrokerServices, ctx: RequestContext): Access {
  const who = requester(ctx);
  const a = services.authorizer;
  const fn = ((op: number, type: number, name: string) => a.authorize(who, op, type, name)) as Access;
  fn.cluster = (op) => a.authorize(who, op, ResourceType.CLUSTER, CLUSTER_NAME);
  fn.any = (op, type) => a.authorizeAny(who, op, type);
  Object.defineProperty(fn, 'enforcing', { value: a.enabled });
  return fn;
}

/** The error a denied request gets for a resource of this type. */
export function deniedCode(resourceType: number): number {
  switch (resourceType) {
    case ResourceType.TOPIC:
      return ErrorCode.TOPIC_AUTHORIZATION_FAILED;
    case ResourceType.GROUP:
      return ErrorCode.GROUP_AUTHORIZATION_FAILED;
    case ResourceType.TRANSACTIONAL_ID:
      return ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
    default:
      return ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
  }
}
