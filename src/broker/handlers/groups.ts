// The classic consumer-group APIs: JoinGroup, SyncGroup, Heartbeat, LeaveGroup, DescribeGroups,
// ListGroups, DeleteGroups. Each maps its wire versions to the coordinator's plain calls, after
// Kafka's checks: Read on the group to be a member, Describe to see it, Delete to delete it.
import { DeleteGroups } from '../../protocol/apis/delete-groups.ts';
import { DescribeGroups } from '../../protocol/apis/describe-groups.ts';
import { Heartbeat } from '../../protocol/apis/heartbeat.ts';
import { JoinGroup } from '../../protocol/apis/join-group.ts';
import { LeaveGroup } from '../../protocol/apis/leave-group.ts';
import { ListGroups } from '../../protocol/apis/list-groups.ts';
import { SyncGroup } from '../../protocol/apis/sync-group.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { Message } from '../../protocol/schema.ts';
import { access, Op, ResourceType } from '../authz.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';

const EMPTY = Buffer.alloc(0);
/** JoinGroup v4+ (KIP-394): a new member first learns its id from MEMBER_ID_REQUIRED. */
const MEMBER_ID_REQUIRED_FROM = 4;
/** JoinGroup v7+ may carry a null protocol name; older versions need ''. */
const NULLABLE_PROTOCOL_FROM = 7;

export function joinGroupHandler(services: BrokerServices): ApiHandler {
  const { groups } = services;
  const errorResponse = (_req: Message, code: number): Message => ({
    throttleTimeMs: 0,
    errorCode: code,
    generationId: -1,
    protocolType: null,
    protocolName: '',
    leader: '',
    skipAssignment: false,
    memberId: '',
    members: [],
  });
  return {
    api: JoinGroup,
    errorResponse,
    async handle(ctx, req) {
      if (!access(services, ctx)(Op.READ, ResourceType.GROUP, req.groupId)) {
        return errorResponse(req, ErrorCode.GROUP_AUTHORIZATION_FAILED);
      }
      const r = await groups.joinGroup({
        groupId: req.groupId,
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId,
        protocolType: req.protocolType,
        protocols: req.protocols,
        sessionTimeoutMs: req.sessionTimeoutMs,
        rebalanceTimeoutMs: req.rebalanceTimeoutMs,
        clientId: ctx.header.clientId ?? '',
        clientHost: `/${ctx.clientHost}`,
        requireKnownMemberId: ctx.apiVersion >= MEMBER_ID_REQUIRED_FROM,
        supportSkipAssignment: ctx.apiVersion >= 9,
        reason: req.reason,
      });
      const oldNames = ctx.apiVersion < NULLABLE_PROTOCOL_FROM;
      return {
        throttleTimeMs: 0,
        errorCode: r.errorCode,
        generationId: r.generationId,
        protocolType: r.protocolType,
        protocolName: r.protocolName ?? (oldNames ? '' : null),
        leader: r.leader,
        skipAssignment: r.skipAssignment,
        memberId: r.memberId,
        members: r.members,
      };
    },
  };
}

export function syncGroupHandler(services: BrokerServices): ApiHandler {
  const { groups } = services;
  return {
    api: SyncGroup,
    errorResponse: (_req, code) => ({ throttleTimeMs: 0, errorCode: code, protocolType: null, protocolName: null, assignment: EMPTY }),
    async handle(ctx, req) {
      if (!access(services, ctx)(Op.READ, ResourceType.GROUP, req.groupId))
        return this.errorResponse(req, ErrorCode.GROUP_AUTHORIZATION_FAILED);
      const r = await groups.syncGroup({
        groupId: req.groupId,
        generationId: req.generationId,
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId,
        protocolType: req.protocolType,
        protocolName: req.protocolName,
        assignments: req.assignments,
      });
      return { throttleTimeMs: 0, ...r };
    },
  };
}

export function heartbeatHandler(services: BrokerServices): ApiHandler {
  const { groups } = services;
  return {
    api: Heartbeat,
    errorResponse: (_req, code) => ({ throttleTimeMs: 0, errorCode: code }),
    handle(ctx, req) {
      if (!access(services, ctx)(Op.READ, ResourceType.GROUP, req.groupId))
        return this.errorResponse(req, ErrorCode.GROUP_AUTHORIZATION_FAILED);
      return {
        throttleTimeMs: 0,
        ...groups.heartbeat({
          groupId: req.groupId,
          generationId: req.generationId,
          memberId: req.memberId,
          groupInstanceId: req.groupInstanceId,
        }),
      };
    },
  };
}

/** LeaveGroup v0-2 names one member; v3+ a batch (KIP-345). */
const BATCH_LEAVE_FROM = 3;

export function leaveGroupHandler(services: BrokerServices): ApiHandler {
  const { groups } = services;
  return {
    api: LeaveGroup,
    errorResponse: (req, code) => ({
      throttleTimeMs: 0,
      errorCode: code,
      members: (req.members ?? []).map((m: Message) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: code })),
    }),
    handle(ctx, req) {
      if (!access(services, ctx)(Op.READ, ResourceType.GROUP, req.groupId))
        return this.errorResponse(req, ErrorCode.GROUP_AUTHORIZATION_FAILED);
      const batch = ctx.apiVersion >= BATCH_LEAVE_FROM;
      const members = batch ? req.members : [{ memberId: req.memberId, groupInstanceId: null, reason: null }];
      const r = groups.leaveGroup({ groupId: req.groupId, members });
      const single = r.members[0]?.errorCode ?? ErrorCode.NONE;
      return {
        throttleTimeMs: 0,
        errorCode: batch || r.errorCode !== ErrorCode.NONE ? r.errorCode : single,
        members: r.members,
      };
    },
  };
}

export function describeGroupsHandler(services: BrokerServices): ApiHandler {
  const { groups } = services;
  const failed = (groupId: string, code: number): Message => ({
    errorCode: code,
    groupId,
    groupState: '',
    protocolType: '',
    protocolData: '',
    members: [],
    authorizedOperations: -2147483648,
  });
  return {
    api: DescribeGroups,
    errorResponse: (req, code) => ({
      throttleTimeMs: 0,
      groups: (req.groups ?? []).map((groupId: string) => failed(groupId, code)),
    }),
    handle(ctx, req) {
      const can = access(services, ctx);
      const allowed = (id: string) => can(Op.DESCRIBE, ResourceType.GROUP, id);
      const described = new Map(
        groups.describeGroups((req.groups as string[]).filter(allowed)).map((g) => [g.groupId, describedGroup(g)] as const),
      );
      if (req.includeAuthorizedOperations) {
        // KIP-430, as Kafka: only groups described without error (an unknown group is Dead, no error).
        for (const g of described.values()) {
          if (g.errorCode === ErrorCode.NONE) g.authorizedOperations = can.operations(ResourceType.GROUP, g.groupId);
        }
      }
      return {
        throttleTimeMs: 0,
        groups: (req.groups as string[]).map((id) => described.get(id) ?? failed(id, ErrorCode.GROUP_AUTHORIZATION_FAILED)),
      };
    },
  };
}

function describedGroup(g: ReturnType<BrokerServices['groups']['describeGroups']>[number]): Message {
  return {
    errorCode: g.errorCode,
    groupId: g.groupId,
    groupState: g.state,
    protocolType: g.protocolType,
    protocolData: g.protocolData,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: m.metadata,
      memberAssignment: m.assignment,
    })),
    authorizedOperations: -2147483648,
  };
}

export function listGroupsHandler(services: BrokerServices): ApiHandler {
  const { groups } = services;
  return {
    api: ListGroups,
    errorResponse: (_req, code) => ({ throttleTimeMs: 0, errorCode: code, groups: [] }),
    handle(ctx, req) {
      const can = access(services, ctx);
      // Describe on the cluster lists every group; otherwise only those the principal may describe.
      const visible = can.cluster(Op.DESCRIBE) ? () => true : (id: string) => can(Op.DESCRIBE, ResourceType.GROUP, id);
      const types = (req.typesFilter ?? []) as string[];
      if (types.length > 0 && !types.some((t) => t.toLowerCase() === 'classic'))
        return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups: [] };
      const r = groups.listGroups(req.statesFilter ?? []);
      return {
        throttleTimeMs: 0,
        errorCode: r.errorCode,
        groups: r.groups
          .filter((g) => visible(g.groupId))
          .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.state, groupType: g.groupType })),
      };
    },
  };
}

export function deleteGroupsHandler(services: BrokerServices): ApiHandler {
  const { groups } = services;
  return {
    api: DeleteGroups,
    errorResponse: (req, code) => ({
      throttleTimeMs: 0,
      results: (req.groupsNames ?? []).map((groupId: string) => ({ groupId, errorCode: code })),
    }),
    async handle(ctx, req) {
      const can = access(services, ctx);
      const names = req.groupsNames as string[];
      const allowed = names.filter((id) => can(Op.DELETE, ResourceType.GROUP, id));
      const results = new Map((await groups.deleteGroups(allowed)).map((r) => [r.groupId, r] as const));
      return {
        throttleTimeMs: 0,
        results: names.map((groupId) => results.get(groupId) ?? { groupId, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED }),
      };
    },
  };
}
