// Where `brook consume` starts in each partition (earliest, latest, an offset, N before the end, a
// time, or a group's commit) and where it stops without --follow: the end when reading began.
import type { Consumer } from '@platformatic/kafka';
import { UsageError } from '../cli/command.ts';
import { str, time, type Values } from './args.ts';
import type { Cursor } from './partition-reader.ts';

export type Start =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'offset'; offset: bigint }
  | { kind: 'back'; count: bigint }
  | { kind: 'time'; ms: number };

const EARLIEST = -2n;
const LATEST = -1n;
const READ_UNCOMMITTED = 0;

type KafkaConsumer = Consumer<Buffer, Buffer, Buffer, Buffer>;

/** --offset earliest|beginning|latest|end|N|-N, or --from-time. */
export function startOf(values: Values): Start {
  const offset = str(values, 'offset');
  const from = time(values, 'from-time');
  if (offset !== undefined && from !== undefined) throw new UsageError('give --offset or --from-time, not both');
  if (from !== undefined) return { kind: 'time', ms: from };
  const o = (offset ?? 'earliest').toLowerCase();
  if (o === 'earliest' || o === 'beginning') return { kind: 'earliest' };
  if (o === 'latest' || o === 'end') return { kind: 'latest' };
  if (/^\d+$/.test(o)) return { kind: 'offset', offset: BigInt(o) };
  if (/^-\d+$/.test(o)) return { kind: 'back', count: -BigInt(o) };
  throw new UsageError(`--offset takes earliest, latest, an offset N or -N (N before the end: write --offset=-N), got '${offset}'`);
}

/** ListOffsets for a timestamp (or -2 earliest, -1 latest): partition -> offset (-1: none at or after it). */
async function offsetsAt(consumer: KafkaConsumer, topic: string, partitions: number[], timestamp: bigint): Promise<Map<number, bigint>> {
  const answer = await consumer.listOffsetsWithTimestamps({
    topics: [topic],
    partitions: { [topic]: partitions },
    timestamp,
    isolationLevel: READ_UNCOMMITTED,
  });
  const out = new Map<number, bigint>();
  for (const [p, { offset }] of answer.get(topic) ?? []) out.set(p, offset);
  return out;
}

/** A cursor per partition; an offset outside the log is moved into it, with a warning. */
export async function cursorsFor(
  consumer: KafkaConsumer,
  topic: string,
  partitions: number[],
  start: (partition: number) => Start,
  follow: boolean,
  warn: (s: string) => void,
): Promise<Cursor[]> {
  if (partitions.length === 0) return [];
  const first = await offsetsAt(consumer, topic, partitions, EARLIEST);
  const last = await offsetsAt(consumer, topic, partitions, LATEST);
  const cursors: Cursor[] = [];
  for (const p of partitions) {
    const lo = first.get(p) ?? 0n;
    const hi = last.get(p) ?? 0n;
    const s = start(p);
    let position: bigint;
    if (s.kind === 'earliest') position = lo;
    else if (s.kind === 'latest') position = hi;
    else if (s.kind === 'back') position = hi - s.count > lo ? hi - s.count : lo;
    else if (s.kind === 'offset') {
      position = s.offset;
      if (position < lo || position > hi) {
        const clamped = position < lo ? lo : hi;
        warn(`partition ${p}: offset ${position} is outside the log (${lo}-${hi}); starting at ${clamped}`);
        position = clamped;
      }
    } else {
      const at = (await offsetsAt(consumer, topic, [p], BigInt(s.ms))).get(p);
      position = at === undefined || at < 0n ? hi : at;
    }
    cursors.push({ partition: p, position, end: follow ? undefined : hi, endAtStart: hi });
  }
  return cursors;
}

/** After OFFSET_OUT_OF_RANGE (retention deleted records under a reader): moves cursors back into the log. */
export async function clampCursors(consumer: KafkaConsumer, topic: string, cursors: Cursor[], warn: (s: string) => void): Promise<void> {
  const partitions = cursors.map((c) => c.partition);
  const first = await offsetsAt(consumer, topic, partitions, EARLIEST);
  const last = await offsetsAt(consumer, topic, partitions, LATEST);
  for (const c of cursors) {
    const lo = first.get(c.partition) ?? 0n;
    const hi = last.get(c.partition) ?? 0n;
    if (c.position < lo) {
      warn(`partition ${c.partition}: offsets ${c.position}-${lo - 1n} were deleted (retention) before they were read; going on at ${lo}`);
      c.position = lo;
    } else if (c.position > hi) {
      warn(`partition ${c.partition}: the log now ends at ${hi}, before offset ${c.position} (truncated); going on at ${hi}`);
      c.position = hi;
    }
    if (c.end !== undefined && c.end < c.position) c.end = c.position;
  }
}
