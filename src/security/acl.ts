// Kafka's ACL model: resource types, pattern types, operations and permissions with Kafka's wire
// ids, an ACL binding, and the filters of DescribeAcls/DeleteAcls (which bindings they select).

export const ResourceType = { UNKNOWN: 0, ANY: 1, TOPIC: 2, GROUP: 3, CLUSTER: 4, TRANSACTIONAL_ID: 5 } as const;
export const PatternType = { UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 } as const;
export const Operation = {
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
} as const;
export const Permission = { UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 } as const;

/** The one cluster resource's name, as Kafka spells it. */
export const CLUSTER_NAME = 'kafka-cluster';
/** A literal ACL on this name matches every resource of its type; as principal or host, everyone. */
export const WILDCARD = '*';

export interface AclBinding {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly patternType: number;
  readonly principal: string;
  readonly host: string;
  readonly operation: number;
  readonly permission: number;
}

/** Null fields match anything; ANY (and, for patterns, MATCH) as Kafka defines them. */
export interface AclFilter {
  readonly resourceType: number;
  readonly resourceName: string | null;
  readonly patternType: number;
  readonly principal: string | null;
  readonly host: string | null;
  readonly operation: number;
  readonly permission: number;
}

const nameOf = (table: Record<string, number>, id: number) => Object.keys(table).find((k) => table[k] === id) ?? `UNKNOWN(${id})`;
export const resourceTypeName = (id: number) => nameOf(ResourceType, id);
export const patternTypeName = (id: number) => nameOf(PatternType, id);
export const operationName = (id: number) => nameOf(Operation, id);
export const permissionName = (id: number) => nameOf(Permission, id);

/** Parses a name such as `Read`, `read`, `IdempotentWrite`, `idempotent-write`, `CLUSTER_ACTION`. */
export function parseEnum(table: Record<string, number>, what: string, s: string): number {
  const key = s
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/[-\s]/g, '_')
    .toUpperCase();
  const id = table[key];
  if (id === undefined) throw new Error(`unknown ${what} '${s}'; one of: ${Object.keys(table).join(', ')}`);
  return id;
}

/** Why a binding cannot be stored (CreateAcls answers INVALID_REQUEST with it), or null. */
export function invalidBinding(b: AclBinding): string | null {
  if (![ResourceType.TOPIC, ResourceType.GROUP, ResourceType.CLUSTER, ResourceType.TRANSACTIONAL_ID].includes(b.resourceType as 2)) {
    return `resource type ${resourceTypeName(b.resourceType)} cannot hold ACLs (TOPIC, GROUP, CLUSTER or TRANSACTIONAL_ID)`;
  }
  if (b.patternType !== PatternType.LITERAL && b.patternType !== PatternType.PREFIXED) {
    return `pattern type ${patternTypeName(b.patternType)} is for filters; an ACL is LITERAL or PREFIXED`;
  }
  if (b.resourceName === '') return 'resource name must not be empty';
  if (b.resourceType === ResourceType.CLUSTER && (b.resourceName !== CLUSTER_NAME || b.patternType !== PatternType.LITERAL)) {
    return `the cluster resource is the literal '${CLUSTER_NAME}'`;
  }
  if (b.operation < Operation.ALL || b.operation > Operation.IDEMPOTENT_WRITE) {
    return `operation ${operationName(b.operation)} cannot be granted or denied`;
  }
  if (b.permission !== Permission.ALLOW && b.permission !== Permission.DENY) return 'permission must be ALLOW or DENY';
  if (!/^User:.+/.test(b.principal)) return `principal '${b.principal}' must look like User:<name> (or User:*)`;
  if (b.host === '') return "host must be '*' or an IP address";
  return null;
}

/** Does a binding's resource pattern cover this one resource name? */
export function patternMatches(b: Pick<AclBinding, 'resourceName' | 'patternType'>, name: string): boolean {
  if (b.patternType === PatternType.PREFIXED) return name.startsWith(b.resourceName);
  return b.resourceName === WILDCARD || b.resourceName === name;
}

/** Kafka's AclBindingFilter.matches: which stored bindings a DescribeAcls/DeleteAcls filter selects. */
export function filterMatches(f: AclFilter, b: AclBinding): boolean {
  if (f.resourceType !== ResourceType.ANY && f.resourceType !== b.resourceType) return false;
  if (f.patternType === PatternType.MATCH) {
    // MATCH: every binding that would apply to the named resource (literal, wildcard and prefixes).
    if (f.resourceName !== null && !patternMatches(b, f.resourceName)) return false;
  } else {
    if (f.patternType !== PatternType.ANY && f.patternType !== b.patternType) return false;
    if (f.resourceName !== null && f.resourceName !== b.resourceName) return false;
  }
  if (f.principal !== null && f.principal !== b.principal) return false;
  if (f.host !== null && f.host !== b.host) return false;
  if (f.operation !== Operation.ANY && f.operation !== b.operation) return false;
  if (f.permission !== Permission.ANY && f.permission !== b.permission) return false;
  return true;
}

/** Why a filter cannot select anything (DescribeAcls/DeleteAcls answer INVALID_REQUEST), or null. */
export function invalidFilter(f: AclFilter): string | null {
  if (f.resourceType === ResourceType.UNKNOWN || f.resourceType > ResourceType.TRANSACTIONAL_ID) {
    return `unknown resource type ${f.resourceType}`;
  }
  if (f.patternType === PatternType.UNKNOWN || f.patternType > PatternType.PREFIXED) return `unknown pattern type ${f.patternType}`;
  if (f.operation === Operation.UNKNOWN || f.operation > Operation.IDEMPOTENT_WRITE) return `unknown operation ${f.operation}`;
  if (f.permission === Permission.UNKNOWN || f.permission > Permission.ALLOW) return `unknown permission type ${f.permission}`;
  return null;
}

export function sameBinding(a: AclBinding, b: AclBinding): boolean {
  return (
    a.resourceType === b.resourceType &&
    a.resourceName === b.resourceName &&
    a.patternType === b.patternType &&
    a.principal === b.principal &&
    a.host === b.host &&
    a.operation === b.operation &&
    a.permission === b.permission
  );
}
