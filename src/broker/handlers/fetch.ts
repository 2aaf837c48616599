// Fetch: read whole stored batches per partition within the per-partition and per-response byte
// limits, and long-poll (max wait / min bytes) on appends. Sessionless (KIP-227 sessions are
// answered with session id 0, which makes clients send full fetches).

import type { PartitionLog } from '../../log/types.ts';
import { Fetch } from '../../protocol/apis/fetch.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { Message } from '../../protocol/schema.ts';
import { access, Op, ResourceType } from '../authz.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';
import { expectedErrorCode } from './errors.ts';
import { LEADER_EPOCH } from './produce.ts';

const EMPTY = Buffer.alloc(0);
/** Topic ids name topics from Fetch v13 on. */
const TOPIC_IDS_FROM = 13;

interface Wanted {
  topic: Message;
  partition: Message;
  log: PartitionLog | undefined;
  unknownCode: number;
}

function partitionData(index: number, errorCode: number): Message {
  return {
    partitionIndex: index,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    abortedTransactions: [],
    preferredReadReplica: -1,
    // librdkafka expects an empty, not null, record set.
    records: EMPTY,
  };
}

export function fetchHandler(services: BrokerServices): ApiHandler {
  const errorResponse = (req: Message, code: number): Message => ({
    throttleTimeMs: 0,
    errorCode: code,
    sessionId: 0,
    responses: (req.topics ?? []).map((t: Message) => ({
      topic: t.topic,
      topicId: t.topicId,
      partitions: t.partitions.map((p: Message) => partitionData(p.partition, code)),
    })),
  });

  return {
    api: Fetch,
    errorResponse,
    async handle(ctx, req) {
      if (req.sessionEpoch > 0 && req.sessionId !== 0) {
        return { ...errorResponse({ topics: [] }, ErrorCode.FETCH_SESSION_ID_NOT_FOUND), responses: [] };
      }
      const byId = ctx.apiVersion >= TOPIC_IDS_FROM;
      const can = access(services, ctx);
      const wanted: Wanted[] = [];
      for (const t of req.topics as Message[]) {
        const info = byId ? services.logs.topicById(t.topicId) : services.logs.topic(t.topic);
        // Kafka checks Read before existence, so a denied name reveals nothing.
        const name = info?.name ?? (byId ? null : (t.topic as string));
        const denied = name !== null && !can(Op.READ, ResourceType.TOPIC, name);
        for (const p of t.partitions as Message[]) {
          wanted.push({
            topic: t,
            partition: p,
            log: info && !denied ? services.logs.partition(info.name, p.partition) : undefined,
            unknownCode: denied
              ? ErrorCode.TOPIC_AUTHORIZATION_FAILED
              : byId && !info
                ? ErrorCode.UNKNOWN_TOPIC_ID
                : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          });
        }
      }
      const maxBytes = Math.max(0, req.maxBytes as number);
      const deadline = Date.now() + Math.max(0, req.maxWaitMs as number);
      for (;;) {
        const { body, bytes, releases } = readAll(wanted, maxBytes);
        const remaining = deadline - Date.now();
        if (bytes >= req.minBytes || remaining <= 0 || ctx.signal.aborted || body.errors) {
          if (releases.length > 0) ctx.onResponseSent(() => releaseAll(releases));
          return body.response;
        }
        releaseAll(releases);
        await waitForAppend(wanted, remaining, ctx.signal);
      }
    },
  };
}

function releaseAll(releases: (() => void)[]): void {
  for (const r of releases) r();
}

function readAll(
  wanted: Wanted[],
  maxBytes: number,
): { body: { response: Message; errors: boolean }; bytes: number; releases: (() => void)[] } {
  const releases: (() => void)[] = [];
  let total = 0;
  let errors = false;
  const topics = new Map<Message, Message[]>();
  for (const w of wanted) {
    const p = w.partition;
    let data: Message;
    if (!w.log) {
      data = partitionData(p.partition, w.unknownCode);
      errors = true;
    } else if (p.currentLeaderEpoch > LEADER_EPOCH) {
      data = partitionData(p.partition, ErrorCode.UNKNOWN_LEADER_EPOCH);
    } else {
      try {
        const budget = Math.min(p.partitionMaxBytes as number, maxBytes - total);
        // KIP-74: the first batch of the response is returned even when it exceeds the limits.
        const read = budget > 0 || total === 0 ? w.log.read(p.fetchOffset, Math.max(budget, 0), total === 0) : null;
        if (read && read.bytes > 0) releases.push(read.release);
        const chunks = read ? read.chunks : [];
        const bytes = read ? read.bytes : 0;
        total += bytes;
        data = {
          ...partitionData(p.partition, ErrorCode.NONE),
          highWatermark: read ? read.highWatermark : w.log.logEndOffset,
          lastStableOffset: read ? read.highWatermark : w.log.logEndOffset,
          logStartOffset: read ? read.logStartOffset : w.log.logStartOffset,
          records: chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0] : chunks,
        };
      } catch (err) {
        data = partitionData(p.partition, expectedErrorCode(err));
        if (w.log) {
          data.highWatermark = w.log.logEndOffset;
          data.lastStableOffset = w.log.logEndOffset;
          data.logStartOffset = w.log.logStartOffset;
        }
        errors = true;
      }
    }
    let list = topics.get(w.topic);
    if (!list) topics.set(w.topic, (list = []));
    list.push(data);
  }
  const responses = [...topics].map(([t, partitions]) => ({ topic: t.topic, topicId: t.topicId, partitions }));
  return { body: { response: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses }, errors }, bytes: total, releases };
}

function waitForAppend(wanted: Wanted[], ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribers: (() => void)[] = [];
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      for (const u of unsubscribers) u();
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
    const seen = new Set<PartitionLog>();
    for (const w of wanted) {
      if (w.log && !seen.has(w.log)) {
        seen.add(w.log);
        unsubscribers.push(w.log.onAppend(done));
      }
    }
  });
}
