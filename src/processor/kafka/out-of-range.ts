// Which partitions a failed Fetch reported OFFSET_OUT_OF_RANGE for, and where their logs start
// and end, read from the response the client attaches to its error.
import type { fetchV17 } from '@platformatic/kafka';
import { errorTree } from './retry.ts';

const OFFSET_OUT_OF_RANGE = 1;

export interface OutOfRange {
  topicId: string;
  partition: number;
  /** -1 when the broker did not say (Fetch v4): list the earliest offset instead. */
  logStartOffset: bigint;
  highWatermark: bigint;
}

export function outOfRangePartitions(err: unknown): OutOfRange[] {
  for (const e of errorTree(err)) {
    const response = (e as { response?: fetchV17.FetchResponse }).response;
    if (!response || !Array.isArray(response.responses)) continue;
    const out: OutOfRange[] = [];
    for (const t of response.responses) {
      for (const p of t.partitions) {
        if (p.errorCode !== OFFSET_OUT_OF_RANGE) continue;
        out.push({
          topicId: t.topicId,
          partition: p.partitionIndex,
          logStartOffset: p.logStartOffset ?? -1n,
          highWatermark: p.highWatermark,
        });
      }
    }
    return out;
  }
  return [];
}
