// Retention for cleanup.policy=delete: whole segments go when their largest timestamp is older
// than retention.ms, and oldest first while the partition is larger than retention.bytes. When
// every segment has expired, the active one is rolled first and deleted too (as Kafka does), so
// an idle topic empties; the log start offset then equals the log end offset.
import type { Partition } from './partition-log.ts';

export interface RetentionStats {
  segmentsDeleted: number;
  bytesDeleted: number;
}

export function applyRetention(p: Partition, now: number): RetentionStats {
  const cfg = p.config;
  const stats: RetentionStats = { segmentsDeleted: 0, bytesDeleted: 0 };
  const del = (n: number) => {
    for (let i = 0; i < n; i++) stats.bytesDeleted += p.segments[i]!.size;
    stats.segmentsDeleted += n;
    p.deleteOldestSegments(n);
  };
  const retentionMs = cfg['retention.ms'];
  if (retentionMs >= 0) {
    const horizon = BigInt(now) - BigInt(retentionMs);
    let n = 0;
    while (n < p.segments.length && p.segments[n]!.maxTimestamp < horizon) n++;
    if (n === p.segments.length && p.active.size > 0) p.roll(now);
    if (n > 0) del(Math.min(n, p.segments.length - 1));
  }
  const retentionBytes = cfg['retention.bytes'];
  if (retentionBytes >= 0) {
    let excess = p.size - retentionBytes;
    let n = 0;
    while (n < p.segments.length - 1 && excess - p.segments[n]!.size >= 0) {
      excess -= p.segments[n]!.size;
      n++;
    }
    if (n > 0) del(n);
  }
  return stats;
}
