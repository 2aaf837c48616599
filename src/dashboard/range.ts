// The time range of a chart request: `last=15m` or `from`/`to` (epoch ms or ISO dates), default the
// last 15 minutes (the original dashboard's), and a bucket width, automatic unless `bucketMs` says.
import { autoBucketMs } from '../jobs/clickstream/charts.ts';
import { HttpError } from './http.ts';

export interface ChartRange {
  from: number;
  to: number;
  bucketMs: number;
}

export const DEFAULT_RANGE_MS = 15 * 60_000;
/** More buckets than this is a query no chart can draw. */
export const MAX_BUCKETS = 10_000;
const MAX_RANGE_MS = 366 * 86_400_000;
const MIN_BUCKET_MS = 1000;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const bad = (message: string) => new HttpError(400, 'bad_range', message);

/** `15m`, `1h`, `24h`, `7d`, `30s` -> milliseconds. */
export function parseDuration(raw: string): number | undefined {
  const m = /^(\d+)(s|m|h|d)$/.exec(raw.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : undefined;
}

function parseTime(name: string, raw: string): number {
  const n = /^-?\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw bad(`${name} must be epoch milliseconds or an ISO date, got '${raw}'`);
  return n;
}

export function parseRange(query: URLSearchParams, now: number): ChartRange {
  const rawFrom = query.get('from');
  const rawTo = query.get('to');
  const rawLast = query.get('last');
  let from: number;
  let to: number;
  if (rawLast !== null) {
    if (rawFrom !== null || rawTo !== null) throw bad('give either last or from/to, not both');
    const span = parseDuration(rawLast);
    if (span === undefined || span <= 0) throw bad(`last must be a duration such as 5m, 15m, 1h or 24h, got '${rawLast}'`);
    to = now;
    from = now - span;
  } else {
    to = rawTo === null ? now : parseTime('to', rawTo);
    from = rawFrom === null ? to - DEFAULT_RANGE_MS : parseTime('from', rawFrom);
  }
  if (from >= to) throw bad(`from (${new Date(from).toISOString()}) must be before to (${new Date(to).toISOString()})`);
  if (to - from > MAX_RANGE_MS) throw bad('the range is longer than 366 days: pick a shorter one');
  const rawBucket = query.get('bucketMs');
  if (rawBucket === null || rawBucket === '' || rawBucket === 'auto') return { from, to, bucketMs: autoBucketMs(from, to) };
  const bucketMs = Number(rawBucket);
  if (!/^\d+$/.test(rawBucket) || !Number.isSafeInteger(bucketMs) || bucketMs < MIN_BUCKET_MS) {
    throw bad(`bucketMs must be a whole number of milliseconds, at least ${MIN_BUCKET_MS}, or 'auto'; got '${rawBucket}'`);
  }
  if ((to - from) / bucketMs > MAX_BUCKETS) {
    throw bad(`bucketMs ${bucketMs} makes more than ${MAX_BUCKETS} buckets over this range: use a larger bucket or leave it automatic`);
  }
  return { from, to, bucketMs };
}
