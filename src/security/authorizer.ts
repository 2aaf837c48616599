// Decides whether a principal on a host may perform an operation on a resource, with Kafka's
// AclAuthorizer rules: super users may do all; a matching DENY wins over any ALLOW; with no
// matching ALLOW the answer is no. Switched off (the default), everything is allowed.
import { type AclBinding, Operation, PatternType, Permission, patternMatches, WILDCARD } from './acl.ts';
import type { AclStore } from './acl-store.ts';

/** Who is asking: `User:alice` and the client's IP address. */
export interface Requester {
  readonly principal: string;
  readonly host: string;
}

/** Kafka: READ, WRITE, DELETE and ALTER imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS. */
const IMPLIED_BY: Partial<Record<number, number[]>> = {
  [Operation.DESCRIBE]: [Operation.DESCRIBE, Operation.READ, Operation.WRITE, Operation.DELETE, Operation.ALTER],
  [Operation.DESCRIBE_CONFIGS]: [Operation.DESCRIBE_CONFIGS, Operation.ALTER_CONFIGS],
};

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is 10.0.0.1 to an ACL. */
export function normalizeHost(host: string): string {
  return host.startsWith('::ffff:') && host.includes('.') ? host.slice(7) : host;
}

export class Authorizer {
  readonly enabled: boolean;
  readonly store: AclStore;
  private readonly superUsers: ReadonlySet<string>;

  constructor(opts: { enabled: boolean; superUsers: readonly string[]; store: AclStore }) {
    this.enabled = opts.enabled;
    this.store = opts.store;
    this.superUsers = new Set(opts.superUsers);
  }

  isSuperUser(principal: string): boolean {
    return this.superUsers.has(principal);
  }

  authorize(who: Requester, operation: number, resourceType: number, resourceName: string): boolean {
    if (!this.enabled || this.isSuperUser(who.principal)) return true;
    const applicable = this.applicable(who, resourceType).filter((b) => patternMatches(b, resourceName));
    const deny = applicable.some((b) => b.permission === Permission.DENY && (b.operation === operation || b.operation === Operation.ALL));
    if (deny) return false;
    const allowing = IMPLIED_BY[operation] ?? [operation];
    return applicable.some((b) => b.permission === Permission.ALLOW && (b.operation === Operation.ALL || allowing.includes(b.operation)));
  }

  /**
   * Kafka's authorizeByResourceType (KIP-679): may the requester perform `operation` on at least one
   * resource of this type? Yes if some ALLOW pattern is not wholly covered by DENY patterns.
   */
  authorizeAny(who: Requester, operation: number, resourceType: number): boolean {
    if (!this.enabled || this.isSuperUser(who.principal)) return true;
    const relevant = this.applicable(who, resourceType).filter((b) => b.operation === operation || b.operation === Operation.ALL);
    const deny = relevant.filter((b) => b.permission === Permission.DENY);
    const allow = relevant.filter((b) => b.permission === Permission.ALLOW);
    const deniedLiterals = new Set(deny.filter((b) => b.patternType === PatternType.LITERAL).map((b) => b.resourceName));
    if (deniedLiterals.has(WILDCARD)) return false;
    const deniedPrefixes = deny.filter((b) => b.patternType === PatternType.PREFIXED).map((b) => b.resourceName);
    const coveredByPrefix = (name: string) => deniedPrefixes.some((p) => name.startsWith(p));
    return allow.some((b) =>
      b.patternType === PatternType.PREFIXED
        ? !coveredByPrefix(b.resourceName)
        : b.resourceName === WILDCARD || (!deniedLiterals.has(b.resourceName) && !coveredByPrefix(b.resourceName)),
    );
  }

  /** Bindings of this resource type that name the requester (or User:*) and its host (or *). */
  private applicable(who: Requester, resourceType: number): AclBinding[] {
    const host = normalizeHost(who.host);
    return this.store
      .ofType(resourceType)
      .filter(
        (b) =>
          (b.principal === who.principal || b.principal === `User:${WILDCARD}`) &&
          (b.host === WILDCARD || b.host === host || b.host === who.host),
      );
  }
}
