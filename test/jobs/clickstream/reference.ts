// The clickstream job's expected output computed the plain way (sort, group, loop) from section 3
// of the clickstream spec, independently of src/processor and src/jobs: the golden test's oracle.
// Input: the on-time click events only; late and undecodable records are the caller's to drop.

/** The decoded fields the job reads; any ClickEvent fits. */
export interface ClickFields {
  userid: number;
  event_type: string | null;
  product_type: string | null;
}

export interface ReferenceClick {
  /** Event time: the Kafka record timestamp, epoch ms. */
  timestamp: number;
  event: ClickFields;
}

/** Stage 1: one user session. */
export interface ReferenceSession {
  userId: number;
  eventCount: number;
  orderCheckoutEventCount: number;
  /** Distinct departments, sorted ascending by UTF-16 code units (Array#sort, Java's String#compareTo). */
  deptList: string[];
  eventKey: 1;
  windowBeginTime: number;
  /** Exclusive: last event time + the gap. */
  windowEndTime: number;
}

/**
 * One output row: `id` is the sink's upsert id `<windowBeginTime>:<key>`, `kafkaKey` the output
 * record's key, `timestamp` its timestamp (window end - 1), `json` its exact value text.
 */
export interface ReferenceRow {
  id: string;
  kafkaKey: string;
  timestamp: number;
  json: string;
}

export interface ReferenceOutput {
  /** Stage 1, every session, sorted by windowBeginTime then userId. */
  sessions: ReferenceSession[];
  /** Stage 2, sorted by windowBeginTime then userId. */
  user_session_details: ReferenceRow[];
  /** Stage 3, sorted by windowBeginTime. */
  user_session_counts: ReferenceRow[];
  /** Stage 4, sorted by windowBeginTime then departmentName (code units). */
  departments_count: ReferenceRow[];
}

export const SESSION_GAP_MS = 1000;
export const WINDOW_MS = 10_000;

/** The Kafka topic of each output (spec section 3). */
export const OUTPUT_TOPICS = {
  user_session_details: 'User_Sessions_Aggregates_With_Order_Checkout',
  user_session_counts: 'ClickEvents_UserId_Agg_Result',
  departments_count: 'Departments_Agg',
} as const;

/** A product type that names a department: neither `""` nor `N/A` (null counts as `""`). */
export function isDepartment(productType: string | null): productType is string {
  return productType !== null && productType !== '' && productType !== 'N/A';
}

/** Start of the epoch-aligned 10 s window holding `time`. */
export function windowStart(time: number): number {
  return Math.floor(time / WINDOW_MS) * WINDOW_MS;
}

/** A double as the JVM writes it: always with a fraction (37 -> `37.0`). */
function double(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function sessionOf(userId: number, clicks: ReferenceClick[]): ReferenceSession {
  let lastCheckout = Number.NEGATIVE_INFINITY;
  for (const c of clicks) if (c.event.event_type === 'order_checkout') lastCheckout = Math.max(lastCheckout, c.timestamp);
  let eventCount = 0;
  let orderCheckoutEventCount = 0;
  const depts = new Set<string>();
  for (const c of clicks) {
    if (!isDepartment(c.event.product_type)) continue;
    eventCount++;
    depts.add(c.event.product_type);
    if (c.timestamp <= lastCheckout) orderCheckoutEventCount++;
  }
  return {
    userId,
    eventCount,
    orderCheckoutEventCount,
    deptList: [...depts].sort(byCodeUnits),
    eventKey: 1,
    windowBeginTime: clicks[0]!.timestamp,
    windowEndTime: clicks[clicks.length - 1]!.timestamp + SESSION_GAP_MS,
  };
}

/** Stage 1: per user, events sorted by time, a new session when the gap exceeds 1000 ms. */
export function sessionize(clicks: readonly ReferenceClick[]): ReferenceSession[] {
  const byUser = new Map<number, ReferenceClick[]>();
  for (const c of clicks) {
    const list = byUser.get(c.event.userid);
    if (list) list.push(c);
    else byUser.set(c.event.userid, [c]);
  }
  const sessions: ReferenceSession[] = [];
  for (const [userId, list] of byUser) {
    list.sort((a, b) => a.timestamp - b.timestamp);
    let current: ReferenceClick[] = [];
    for (const c of list) {
      const last = current[current.length - 1];
      if (last !== undefined && c.timestamp - last.timestamp > SESSION_GAP_MS) {
        sessions.push(sessionOf(userId, current));
        current = [];
      }
      current.push(c);
    }
    if (current.length > 0) sessions.push(sessionOf(userId, current));
  }
  return sessions.sort((a, b) => a.windowBeginTime - b.windowBeginTime || a.userId - b.userId);
}

/** The stage 2 value, fields in the spec's order. */
export function sessionJson(s: ReferenceSession): string {
  return (
    `{"userId":${s.userId},"eventCount":${s.eventCount},"orderCheckoutEventCount":${s.orderCheckoutEventCount},` +
    `"deptList":${JSON.stringify(s.deptList)},"eventKey":${s.eventKey},"windowBeginTime":${s.windowBeginTime},"windowEndTime":${s.windowEndTime}}`
  );
}

/** Stages 1 to 4 over the on-time events. */
export function computeReference(clicks: readonly ReferenceClick[]): ReferenceOutput {
  const sessions = sessionize(clicks);

  const user_session_details: ReferenceRow[] = sessions
    .filter((s) => s.orderCheckoutEventCount !== 0)
    .map((s) => ({
      id: `${s.windowBeginTime}:${s.userId}`,
      kafkaKey: String(s.userId),
      timestamp: s.windowEndTime - 1,
      json: sessionJson(s),
    }));

  // A session lands in the 10 s window holding its own event time, windowEndTime - 1.
  const windows = new Map<number, { sessions: number; withBuy: number; depts: Map<string, number> }>();
  for (const s of sessions) {
    const begin = windowStart(s.windowEndTime - 1);
    let w = windows.get(begin);
    if (!w) windows.set(begin, (w = { sessions: 0, withBuy: 0, depts: new Map() }));
    w.sessions++;
    if (s.orderCheckoutEventCount !== 0) w.withBuy++;
    for (const d of s.deptList) w.depts.set(d, (w.depts.get(d) ?? 0) + 1);
  }
  const begins = [...windows.keys()].sort((a, b) => a - b);

  const user_session_counts: ReferenceRow[] = [];
  const departments_count: ReferenceRow[] = [];
  for (const begin of begins) {
    const w = windows.get(begin)!;
    const end = begin + WINDOW_MS;
    const percent = Math.floor((w.withBuy * 100) / w.sessions);
    user_session_counts.push({
      id: `${begin}:all`,
      kafkaKey: String(begin),
      timestamp: end - 1,
      json:
        `{"userSessionCount":${w.sessions},"userSessionCountWithOrderCheckout":${w.withBuy},` +
        `"percentSessionswithBuy":${double(percent)},"windowBeginTime":${begin},"windowEndTime":${end}}`,
    });
    for (const name of [...w.depts.keys()].sort(byCodeUnits)) {
      departments_count.push({
        id: `${begin}:${name}`,
        kafkaKey: name,
        timestamp: end - 1,
        json: `{"departmentName":${JSON.stringify(name)},"departmentCount":${w.depts.get(name)},"windowBeginTime":${begin},"windowEndTime":${end}}`,
      });
    }
  }
  return { sessions, user_session_details, user_session_counts, departments_count };
}
