// Committing a processor's positions to a consumer group from outside group management, so that
// lag tools (kafka-consumer-groups, Brook's dashboard) see how far the job has read.
import type { Admin } from '@platformatic/kafka';
import { ProcessorError } from '../errors.ts';
import { describe, hasApiError, type RetryPolicy, withRetry } from './retry.ts';

/** Commits next offsets per `topic:partition` with generation -1 and no member id. */
export async function commitToGroup(
  admin: Admin,
  groupId: string,
  offsets: Map<string, bigint>,
  policy: RetryPolicy,
  signal: AbortSignal,
): Promise<void> {
  const byTopic = new Map<string, { partition: number; offset: bigint }[]>();
  for (const [key, offset] of offsets) {
    const cut = key.lastIndexOf(':');
    const topic = key.slice(0, cut);
    const list = byTopic.get(topic) ?? [];
    list.push({ partition: Number(key.slice(cut + 1)), offset });
    byTopic.set(topic, list);
  }
  const topics = [...byTopic].map(([name, partitionOffsets]) => ({ name, partitionOffsets }));
  try {
    // What Kafka's own admin tools send; brokers accept it while the group has no active members.
    await withRetry('commit', policy, signal, () => admin.alterConsumerGroupOffsets({ groupId, topics }));
  } catch (err) {
    const members = hasApiError(err, 'UNKNOWN_MEMBER_ID') || hasApiError(err, 'ILLEGAL_GENERATION');
    throw new ProcessorError(
      'SOURCE',
      members
        ? `committing offsets to group '${groupId}' was refused: the group has active members, and the processor commits as a non-member. Use a group id that no consumer joins.`
        : `committing offsets to group '${groupId}' failed: ${describe(err)}`,
      { cause: err },
    );
  }
}
