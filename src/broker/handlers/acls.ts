// CreateAcls, DescribeAcls and DeleteAcls over the broker's ACL store: Alter on the cluster to
// change ACLs, Describe to read them, as Kafka; SECURITY_DISABLED when no authorizer runs.
import { CreateAcls } from '../../protocol/apis/create-acls.ts';
import { DeleteAcls } from '../../protocol/apis/delete-acls.ts';
import { DescribeAcls } from '../../protocol/apis/describe-acls.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { Message } from '../../protocol/schema.ts';
import { type AclBinding, type AclFilter, invalidBinding, invalidFilter } from '../../security/acl.ts';
import { access, Op } from '../authz.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';

const DISABLED = 'no authorizer is configured on the broker: start it with --authorizer';

const bindingOf = (c: Message): AclBinding => ({
  resourceType: c.resourceType,
  resourceName: c.resourceName,
  patternType: c.resourcePatternType,
  principal: c.principal,
  host: c.host,
  operation: c.operation,
  permission: c.permissionType,
});

const filterOf = (f: Message): AclFilter => ({
  resourceType: f.resourceTypeFilter,
  resourceName: f.resourceNameFilter,
  patternType: f.patternTypeFilter,
  principal: f.principalFilter,
  host: f.hostFilter,
  operation: f.operation,
  permission: f.permissionType,
});

/** Null when the request may go on, else the error code and message for every entry. */
function refusal(services: BrokerServices, allowed: boolean): [number, string] | null {
  if (!services.authorizer.enabled) return [ErrorCode.SECURITY_DISABLED, DISABLED];
  if (!allowed) return [ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'not authorized on the cluster'];
  return null;
}

export function createAclsHandler(services: BrokerServices): ApiHandler {
  const errorResponse = (req: Message, code: number, message: string | null = null): Message => ({
    throttleTimeMs: 0,
    results: (req.creations ?? []).map(() => ({ errorCode: code, errorMessage: message })),
  });
  return {
    api: CreateAcls,
    errorResponse,
    handle(ctx, req) {
      const refused = refusal(services, access(services, ctx).cluster(Op.ALTER));
      if (refused) return errorResponse(req, ...refused);
      const bindings = (req.creations as Message[]).map(bindingOf);
      const problems = bindings.map(invalidBinding);
      services.authorizer.store.add(bindings.filter((_, i) => problems[i] === null));
      return {
        throttleTimeMs: 0,
        results: problems.map((p) =>
          p === null ? { errorCode: 0, errorMessage: null } : { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: p },
        ),
      };
    },
  };
}

export function describeAclsHandler(services: BrokerServices): ApiHandler {
  const errorResponse = (_req: Message, code: number, message: string | null = null): Message => ({
    throttleTimeMs: 0,
    errorCode: code,
    errorMessage: message,
    resources: [],
  });
  return {
    api: DescribeAcls,
    errorResponse,
    handle(ctx, req) {
      const refused = refusal(services, access(services, ctx).cluster(Op.DESCRIBE));
      if (refused) return errorResponse(req, ...refused);
      const filter = filterOf(req);
      const problem = invalidFilter(filter);
      if (problem) return errorResponse(req, ErrorCode.INVALID_REQUEST, problem);
      // The response groups ACLs by resource pattern.
      const resources = new Map<string, Message>();
      for (const b of services.authorizer.store.describe(filter)) {
        const key = `${b.resourceType}\u0000${b.patternType}\u0000${b.resourceName}`;
        let r = resources.get(key);
        if (!r) {
          r = { resourceType: b.resourceType, resourceName: b.resourceName, patternType: b.patternType, acls: [] };
          resources.set(key, r);
        }
        r.acls.push({ principal: b.principal, host: b.host, operation: b.operation, permissionType: b.permission });
      }
      return { throttleTimeMs: 0, errorCode: 0, errorMessage: null, resources: [...resources.values()] };
    },
  };
}

export function deleteAclsHandler(services: BrokerServices): ApiHandler {
  const errorResponse = (req: Message, code: number, message: string | null = null): Message => ({
    throttleTimeMs: 0,
    filterResults: (req.filters ?? []).map(() => ({ errorCode: code, errorMessage: message, matchingAcls: [] })),
  });
  return {
    api: DeleteAcls,
    errorResponse,
    handle(ctx, req) {
      const refused = refusal(services, access(services, ctx).cluster(Op.ALTER));
      if (refused) return errorResponse(req, ...refused);
      const filters = (req.filters as Message[]).map(filterOf);
      const problems = filters.map(invalidFilter);
      const removed = services.authorizer.store.remove(filters.filter((_, i) => problems[i] === null));
      let next = 0;
      return {
        throttleTimeMs: 0,
        filterResults: problems.map((p) => {
          if (p !== null) return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: p, matchingAcls: [] };
          const gone = removed[next++] ?? [];
          return {
            errorCode: 0,
            errorMessage: null,
            matchingAcls: gone.map((b) => ({
              errorCode: 0,
              errorMessage: null,
              resourceType: b.resourceType,
              resourceName: b.resourceName,
              patternType: b.patternType,
              principal: b.principal,
              host: b.host,
              operation: b.operation,
              permissionType: b.permission,
            })),
          };
        }),
      };
    },
  };
}
