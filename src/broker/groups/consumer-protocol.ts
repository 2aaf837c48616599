// Reads the topic list out of a "consumer" protocol subscription (ConsumerProtocolSubscription,
// any version: newer versions only append fields), so offsets of topics a stable group no longer
// subscribes to can expire (KIP-211) while the group is alive.
import { ByteReader } from '../../common/bytes.ts';

export const CONSUMER_PROTOCOL_TYPE = 'consumer';

/** The subscribed topics, or null when the bytes are not a consumer subscription. */
export function subscribedTopics(metadata: Buffer): string[] | null {
  try {
    const r = new ByteReader(metadata);
    if (r.int16() < 0) return null;
    const count = r.int32();
    if (count < 0 || count * 2 > r.remaining) return null;
    const topics: string[] = [];
    for (let i = 0; i < count; i++) {
      const n = r.int16();
      if (n < 0) return null;
      topics.push(r.utf8(n));
    }
    return topics;
  } catch {
    return null;
  }
}
