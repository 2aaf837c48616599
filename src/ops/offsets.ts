// Log start and end offsets of partitions through ListOffsets (earliest -2, latest -1), read
// uncommitted so the end is the high watermark that lag and "records" are measured against.
import type { Admin } from '@platformatic/kafka';

export interface LogRange {
  start: bigint;
  end: bigint;
}

const EARLIEST = -2n;
const LATEST = -1n;
const READ_UNCOMMITTED = 0;

async function list(admin: Admin, byTopic: Map<string, number[]>, timestamp: bigint): Promise<Map<string, Map<number, bigint>>> {
  const answer = await admin.listOffsets({
    isolationLevel: READ_UNCOMMITTED,
    topics: [...byTopic].map(([name, ps]) => ({ name, partitions: ps.map((partitionIndex) => ({ partitionIndex, timestamp })) })),
  });
  const out = new Map<string, Map<number, bigint>>();
  for (const t of answer) {
    const m = out.get(t.name) ?? new Map<number, bigint>();
    for (const p of t.partitions) m.set(p.partitionIndex, p.offset);
    out.set(t.name, m);
  }
  return out;
}

/** topic -> partition -> {start, end}, for the given partitions of each topic. */
export async function logRanges(admin: Admin, byTopic: Map<string, number[]>): Promise<Map<string, Map<number, LogRange>>> {
  const out = new Map<string, Map<number, LogRange>>();
  if (byTopic.size === 0) return out;
  const [starts, ends] = [await list(admin, byTopic, EARLIEST), await list(admin, byTopic, LATEST)];
  for (const [topic, ps] of byTopic) {
    const m = new Map<number, LogRange>();
    for (const p of ps) {
      const start = starts.get(topic)?.get(p);
      const end = ends.get(topic)?.get(p);
      if (start !== undefined && end !== undefined) m.set(p, { start, end });
    }
    out.set(topic, m);
  }
  return out;
}
