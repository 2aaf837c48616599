// The authorize step of a handler (habit 3): asks the broker's authorizer on behalf of the
// request's principal and client host, names the error code of each resource type, and builds
// the authorized-operations bitfields of Metadata, DescribeGroups and DescribeCluster (KIP-430).
import { ErrorCode } from '../protocol/error-codes.ts';
import { CLUSTER_NAME, Operation, ResourceType } from '../security/acl.ts';
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
  /** KIP-430: bit i set for each operation code i allowed on the resource, among those valid for its type. */
  operations(resourceType: number, name: string): number;
  /** False when no authorizer runs: callers may skip work that only filters. */
  readonly enforcing: boolean;
}

/** What a response carries when the client did not ask for authorized operations. */
export const OPERATIONS_OMITTED = -2147483648;

/**
 * The operations Kafka lists for each resource type (AclEntry.supportedOperations); only these
 * appear in a bitfield. Groups have DESCRIBE_CONFIGS and ALTER_CONFIGS since KIP-848's group configs.
 */
const VALID_OPERATIONS: Partial<Record<number, readonly number[]>> = {
  [ResourceType.TOPIC]: [
    Operation.READ,
    Operation.WRITE,
    Operation.CREATE,
    Operation.DESCRIBE,
    Operation.DELETE,
    Operation.ALTER,
    Operation.DESCRIBE_CONFIGS,
    Operation.ALTER_CONFIGS,
  ],
  [ResourceType.GROUP]: [Operation.READ, Operation.DESCRIBE, Operation.DELETE, Operation.DESCRIBE_CONFIGS, Operation.ALTER_CONFIGS],
  [ResourceType.CLUSTER]: [
    Operation.CREATE,
    Operation.CLUSTER_ACTION,
    Operation.DESCRIBE_CONFIGS,
    Operation.ALTER_CONFIGS,
    Operation.IDEMPOTENT_WRITE,
    Operation.ALTER,
    Operation.DESCRIBE,
  ],
  [ResourceType.TRANSACTIONAL_ID]: [Operation.DESCRIBE, Operation.WRITE],
};

export function requester(ctx: RequestContext): Requester {
  return { principal: ctx.principal, host: ctx.clientHost };
}

export function access(services: BrokerServices, ctx: RequestContext): Access {
  const who = requester(ctx);
  const a = services.authorizer;
  const fn = ((op: number, type: number, name: string) => a.authorize(who, op, type, name)) as Access;
  fn.cluster = (op) => a.authorize(who, op, ResourceType.CLUSTER, CLUSTER_NAME);
  fn.any = (op, type) => a.authorizeAny(who, op, type);
  // With no authorizer every check passes, so this is every valid operation, as Kafka answers.
  fn.operations = (type, name) =>
    (VALID_OPERATIONS[type] ?? []).reduce((bits, op) => (a.authorize(who, op, type, name) ? bits | (1 << op) : bits), 0);
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
