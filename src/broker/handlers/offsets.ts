// OffsetCommit and OffsetFetch: committed positions of a group, durable before they are
// acknowledged. OffsetFetch v8+ batches several groups (KIP-709). Kafka's checks: Read on the group
// and on each committed topic; Describe on the group to fetch, and on each topic to see it.
import { OffsetCommit } from '../../protocol/apis/offset-commit.ts';
import { OffsetFetch } from '../../protocol/apis/offset-fetch.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { Message } from '../../protocol/schema.ts';
import { access, Op, ResourceType } from '../authz.ts';
import type { FetchOffsetsResult } from '../groups/types.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';

/** OffsetFetch v8+ asks for several groups at once. */
const GROUPS_FROM = 8;
/** OffsetFetch v0-1 has no group-level error: it goes on every partition. */
const GROUP_ERROR_FROM = 2;

export function offsetCommitHandler(services: BrokerServices): ApiHandler {
  const { groups } = services;
  const shape = (req: Message, code: (topic: string, partition: number) => number): Message => ({
    throttleTimeMs: 0,
    topics: (req.topics ?? []).map((t: Message) => ({
      name: t.name,
      partitions: t.partitions.map((p: Message) => ({ partitionIndex: p.partitionIndex, errorCode: code(t.name, p.partitionIndex) })),
    })),
  });
  return {
    api: OffsetCommit,
    errorResponse: (req, code) => shape(req, () => code),
    async handle(ctx, req) {
      const can = access(services, ctx);
      if (!can(Op.READ, ResourceType.GROUP, req.groupId)) return shape(req, () => ErrorCode.GROUP_AUTHORIZATION_FAILED);
      const readable = new Set((req.topics as Message[]).map((t) => t.name as string).filter((n) => can(Op.READ, ResourceType.TOPIC, n)));
      const r = await groups.commitOffsets({
        groupId: req.groupId,
        generationId: req.generationIdOrMemberEpoch,
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId,
        offsets: (req.topics as Message[])
          .filter((t) => readable.has(t.name))
          .flatMap((t) =>
            (t.partitions as Message[]).map((p) => ({
              topic: t.name,
              partition: p.partitionIndex,
              offset: p.committedOffset,
              leaderEpoch: p.committedLeaderEpoch,
              metadata: p.committedMetadata,
            })),
          ),
      });
      const codes = new Map(r.partitions.map((p) => [`${p.topic}\u0000${p.partition}`, p.errorCode]));
      return shape(req, (topic, partition) =>
        readable.has(topic) ? (codes.get(`${topic}\u0000${partition}`) ?? 0) : ErrorCode.TOPIC_AUTHORIZATION_FAILED,
      );
    },
  };
}

function topicsOf(result: FetchOffsetsResult, perPartitionGroupError: boolean): Message[] {
  return result.topics.map((t) => ({
    name: t.topic,
    partitions: t.partitions.map((p) => ({
      partitionIndex: p.partition,
      committedOffset: p.offset,
      committedLeaderEpoch: p.leaderEpoch,
      metadata: p.metadata,
      errorCode: perPartitionGroupError && result.errorCode !== 0 ? result.errorCode : p.errorCode,
    })),
  }));
}

export function offsetFetchHandler(services: BrokerServices): ApiHandler {
  const { groups } = services;
  const fetchAuthorized = (
    describable: (topic: string) => boolean,
    groupId: string,
    topics: Message[] | null,
    requireStable: boolean,
  ): FetchOffsetsResult => {
    const r = groups.fetchOffsets({
      groupId,
      topics: topics === null ? null : topics.map((t) => ({ topic: t.name, partitions: t.partitionIndexes })),
      requireStable,
    });
    // All topics: those the principal may not describe are left out; named ones are refused.
    if (topics === null) return { ...r, topics: r.topics.filter((t) => describable(t.topic)) };
    return {
      ...r,
      topics: r.topics.map((t) =>
        describable(t.topic)
          ? t
          : {
              ...t,
              partitions: t.partitions.map((p) => ({
                ...p,
                offset: -1n,
                leaderEpoch: -1,
                metadata: '',
                errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
              })),
            },
      ),
    };
  };
  const deniedGroup = (topics: Message[] | null): FetchOffsetsResult => ({
    errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
    topics: (topics ?? []).map((t) => ({
      topic: t.name,
      partitions: (t.partitionIndexes as number[]).map((p) => ({
        partition: p,
        offset: -1n,
        leaderEpoch: -1,
        metadata: '',
        errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
      })),
    })),
  });
  const requested = (topics: Message[] | null): Message[] =>
    (topics ?? []).map((t) => ({
      name: t.name,
      partitions: (t.partitionIndexes as number[]).map((p) => ({
        partitionIndex: p,
        committedOffset: -1n,
        committedLeaderEpoch: -1,
        metadata: '',
        errorCode: 0,
      })),
    }));
  return {
    api: OffsetFetch,
    errorResponse: (req, code) => ({
      throttleTimeMs: 0,
      errorCode: code,
      topics: requested(req.topics).map((t) => ({ ...t, partitions: t.partitions.map((p: Message) => ({ ...p, errorCode: code })) })),
      groups: (req.groups ?? []).map((g: Message) => ({ groupId: g.groupId, topics: requested(g.topics), errorCode: code })),
    }),
    handle(ctx, req) {
      const can = access(services, ctx);
      const describable = (topic: string) => can(Op.DESCRIBE, ResourceType.TOPIC, topic);
      const fetchOne = (groupId: string, topics: Message[] | null, requireStable: boolean) =>
        can(Op.DESCRIBE, ResourceType.GROUP, groupId) ? fetchAuthorized(describable, groupId, topics, requireStable) : deniedGroup(topics);
      if (ctx.apiVersion >= GROUPS_FROM) {
        return {
          throttleTimeMs: 0,
          groups: (req.groups as Message[]).map((g) => {
            const r = fetchOne(g.groupId, g.topics, req.requireStable);
            return { groupId: g.groupId, topics: topicsOf(r, false), errorCode: r.errorCode };
          }),
        };
      }
      const r = fetchOne(req.groupId, req.topics, req.requireStable);
      if (r.errorCode !== 0 && ctx.apiVersion < GROUP_ERROR_FROM) {
        // v0-1 have no group-level error: every requested partition carries it.
        const topics = requested(req.topics).map((t) => ({
          ...t,
          partitions: t.partitions.map((p: Message) => ({ ...p, errorCode: r.errorCode })),
        }));
        return { throttleTimeMs: 0, topics, errorCode: r.errorCode };
      }
      return { throttleTimeMs: 0, topics: topicsOf(r, ctx.apiVersion < GROUP_ERROR_FROM), errorCode: r.errorCode };
    },
  };
}
