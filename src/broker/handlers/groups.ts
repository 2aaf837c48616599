// The classic consumer-group APIs: JoinGroup, SyncGroup, Heartbeat, LeaveGroup, DescribeGroups,
// ListGroups, DeleteGroups. Each maps its wire versions to the coordinator's plain calls.
import { DeleteGroups } from '../../protocol/apis/delete-groups.ts';
import { DescribeGroups } from '../../protocol/apis/describe-groups.ts';
import { Heartbeat } from '../../protocol/apis/heartbeat.ts';
import { JoinGroup } from '../../protocol/apis/join-group.ts';
import { LeaveGroup } from '../../protocol/apis/leave-group.ts';
import { ListGroups } from '../../protocol/apis/list-groups.ts';
import { SyncGroup } from '../../protocol/apis/sync-group.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { Message } from '../../protocol/schema.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';

const EMPTY = Buffer.alloc(0);
/** JoinGroup v4+ (KIP-394): a new member first learns its id from MEMBER_ID_REQUIRED. */
const MEMBER_ID_REQUIRED_FROM = 4;
/** JoinGroup v7+ may carry a null protocol name; older versions need ''. */
const NULLABLE_PROTOCOL_FROM = 7;

export function joinGroupHandler({ groups }: BrokerServices): ApiHandler {
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

export function syncGroupHandler({ groups }: BrokerServices): ApiHandler {
  return {
    api: SyncGroup,
    errorResponse: (_req, code) => ({ throttleTimeMs: 0, errorCode: code, protocolType: null, protocolName: null, assignment: EMPTY }),
    async handle(_ctx, req) {
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

export function heartbeatHandler({ groups }: BrokerServices): ApiHandler {
  return {
    api: Heartbeat,
    errorResponse: (_req, code) => ({ throttleTimeMs: 0, errorCode: code }),
    handle: (_ctx, req) => ({
      throttleTimeMs: 0,
      ...groups.heartbeat({
        groupId: req.groupId,
        generationId: req.generationId,
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId,
      }),
    }),
  };
}

/** LeaveGroup v0-2 names one member; v3+ a batch (KIP-345). */
const BATCH_LEAVE_FROM = 3;

export function leaveGroupHandler({ groups }: BrokerServices): ApiHandler {
  return {
    api: LeaveGroup,
    errorResponse: (req, code) => ({
      throttleTimeMs: 0,
      errorCode: code,
      members: (req.members ?? []).map((m: Message) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: code })),
    }),
    handle(ctx, req) {
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

export function describeGroupsHandler({ groups }: BrokerServices): ApiHandler {
  return {
    api: DescribeGroups,
    errorResponse: (req, code) => ({
      throttleTimeMs: 0,
      groups: (req.groups ?? []).map((groupId: string) => ({
        errorCode: code,
        groupId,
        groupState: '',
        protocolType: '',
        protocolData: '',
        members: [],
        authorizedOperations: -2147483648,
      })),
    }),
    handle: (_ctx, req) => ({
      throttleTimeMs: 0,
      groups: groups.describeGroups(req.groups).map((g) => ({
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
      })),
    }),
  };
}

export function listGroupsHandler({ groups }: BrokerServices): ApiHandler {
  return {
    api: ListGroups,
    errorResponse: (_req, code) => ({ throttleTimeMs: 0, errorCode: code, groups: [] }),
    handle(_ctx, req) {
      const types = (req.typesFilter ?? []) as string[];
      if (types.length > 0 && !types.some((t) => t.toLowerCase() === 'classic'))
        return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups: [] };
      const r = groups.listGroups(req.statesFilter ?? []);
      return {
        throttleTimeMs: 0,
        errorCode: r.errorCode,
        groups: r.groups.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.state, groupType: g.groupType })),
      };
    },
  };
}

export function deleteGroupsHandler({ groups }: BrokerServices): ApiHandler {
  return {
    api: DeleteGroups,
    errorResponse: (req, code) => ({
      throttleTimeMs: 0,
      results: (req.groupsNames ?? []).map((groupId: string) => ({ groupId, errorCode: code })),
    }),
    handle: async (_ctx, req) => ({ throttleTimeMs: 0, results: await groups.deleteGroups(req.groupsNames) }),
  };
}
