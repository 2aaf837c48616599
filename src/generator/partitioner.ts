// Where a record goes: Kafka's default partitioner for keyed records, as the Java client computes
// it, so a user's events land in the partition a Java producer would pick for the same key.
import { murmur2 } from '@platformatic/kafka';

/**
 * Java's `Utils.toPositive(Utils.murmur2(key))`; the partition is this modulo the partition count.
 * @platformatic/kafka's default partitioner keeps the sign bit instead (`>>> 0`), which picks
 * another partition for about half the keys whenever the count is not a power of two.
 */
export function javaPartitionHash(key: Buffer): number {
  return murmur2(key) & 0x7fffffff;
}
