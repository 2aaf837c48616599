// The clickstream job's golden dataset: seeded generator sessions over three partitions and minutes
// of event time, shuffled within the out-of-orderness bound, plus planted edge cases, far-too-late
// records and undecodable values, each record marked with what the job must do with it.
import { Admin, murmur2, Producer } from '@platformatic/kafka';
import { systemClock } from '../../../src/generator/clock.ts';
import { Generator } from '../../../src/generator/generator.ts';
import { seededRandom } from '../../../src/generator/random.ts';
import { CLICK_EVENT_AVSC, type ClickEvent } from '../../../src/generator/schema.ts';
import { discardSink } from '../../../src/generator/sink.ts';
import { AvroEncoder, type Framing, type SchemaSource } from '../../../src/registry/serde/index.ts';
import { type ReferenceClick, SESSION_GAP_MS, WINDOW_MS, windowStart } from './reference.ts';

/** What the job must do with a record: process it, send it to `clickstream.late`, or to `clickstream.dlq`. */
export type GoldenKind = 'ok' | 'late' | 'bad';

export type BadReason = 'unknown-magic-byte' | 'unknown-schema-id' | 'truncated-avro';

export interface GoldenRecord {
  partition: number;
  /** String(userid), UTF-8. */
  key: Buffer;
  value: Buffer;
  /** Kafka record timestamp (CreateTime) = event time, epoch ms. */
  timestamp: number;
  kind: GoldenKind;
  /** The encoded event; absent for `bad` records. */
  event?: ClickEvent;
  /** Why a `bad` record cannot be decoded. */
  reason?: BadReason;
}

export interface GoldenStats {
  /** Sessions the generator made (before users were folded into the pool). */
  generatedSessions: number;
  ok: number;
  late: number;
  bad: number;
  perPartition: number[];
  /** `ok` records that arrive after a later-timed record of their partition. */
  outOfOrder: number;
  /** Largest (partition max so far - timestamp) over `ok` records, ms. */
  maxLagMs: number;
  firstTime: number;
  lastTime: number;
}

export interface GoldenDataset {
  seed: number;
  startTime: number;
  partitions: number;
  /** Every record, each partition's in the order it must be produced (partitions interleaved by arrival). */
  records: GoldenRecord[];
  /** Window-aligned time at which the planted edge cases start (see PLANTED_USERS). */
  plantedBase: number;
  stats: GoldenStats;
}

/** Encodes one event into a framed value the caller may keep (AvroEncoder#encodeCopy). */
export type EncodeClick = (event: ClickEvent) => Buffer;

export interface GoldenOptions {
  /** Default 20240115. */
  seed?: number;
  /** Event time of the first generated event. Default 2024-01-15T09:00:03.250Z. */
  startTime?: number;
  /** Default 500 (4 workers, so 2000 sessions, about 77 000 events over about 6.4 min). */
  sessionsPerWorker?: number;
}

export const GOLDEN_PARTITIONS = 3;
export const GOLDEN_DEFAULT_SEED = 20240115;
export const GOLDEN_DEFAULT_START = Date.UTC(2024, 0, 15, 9, 0, 3, 250);
const WORKERS = 4;
/** Generator `--time-step`: ms between consecutive events (globalseq). */
export const GOLDEN_TIME_STEP_MS = 5;
/**
 * Generated user ids are folded into 1000..1099 (`1000 + userid % 100`) so that users come back:
 * the generator alone never repeats a user, and the job's session merging and splitting would go
 * untested. Other users (500..599) belong to the planted cases.
 */
export const GOLDEN_USER_POOL = 100;
/** Largest in-bound shuffle: every `ok` record is less than 15 s behind its partition's max so far. */
export const MAX_SHUFFLE_MS = 14_999;
/** Every `late` record is at least this far behind (see buildGoldenDataset). */
export const LATE_BEHIND_MS = 180_000;
/** Share of every partition's records after which the late records are late whatever the interleaving. */
export const LATE_PROGRESS = 0.1;
/** The out-of-orderness bound the dataset is built for. */
export const OUT_OF_ORDERNESS_MS = 20_000;

/**
 * The partition Kafka's Java default partitioner picks for a key among `partitions`:
 * toPositive(murmur2(key)) % partitions. The golden records carry it explicitly, and the job must
 * not depend on how users are spread: it is only one realistic layout.
 */
export function keyPartition(key: Buffer, partitions = GOLDEN_PARTITIONS): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}

/** An encoder of the ClickEvent schema registered (auto) with `source`, in either framing. */
export async function goldenEncoder(source: SchemaSource, framing: Framing, topic = 'clickstream'): Promise<EncodeClick> {
  const encoder = await AvroEncoder.create<ClickEvent>({ schema: CLICK_EVENT_AVSC, topic, framing, source, autoRegister: true });
  return (event) => encoder.encodeCopy(event);
}

/** The on-time events as the reference wants them. */
export function onTimeClicks(records: readonly GoldenRecord[]): ReferenceClick[] {
  return records.filter((r) => r.kind === 'ok').map((r) => ({ timestamp: r.timestamp, event: r.event! }));
}

interface PlantedStep {
  user: number;
  /** ms after the planted base. */
  at: number;
  type: string | null;
  product: string | null;
  /** Arrival delay, ms (default 0). */
  delay?: number;
}

/**
 * Edge cases placed in the middle of the timeline, at `plantedBase` (a window start, W below):
 * 501: sessions 1000 ms apart merge (checkout, then more departments after it), the next one
 *      1001 ms later does not; 502: null event_type / product_type; 503: a department event at the
 *      same time as the order_checkout, which itself arrives 3 s late; 504: last event at
 *      W+10000-999, so the session lands in window W+10000; 505: last event at W+10000-1000, window W;
 *      506: an order_checkout with no department at or before it (not a buy); 507: one department
 *      seen many times (counted once).
 */
export const PLANTED_USERS = [501, 502, 503, 504, 505, 506, 507] as const;

const PLANTED: PlantedStep[] = [
  ...(
    [
      [0, 'home_page', 'N/A'],
      [100, 'product_catalog', 'N/A'],
      [200, 'product_detail', 'laptops'],
      [300, 'add_to_cart', 'laptops'],
      [400, 'order', 'laptops'],
      [500, 'order_checkout', 'laptops'],
      [600, '', ''],
      [1600, 'home_page', 'N/A'],
      [1700, 'product_detail', 'cameras'],
      [1800, 'product_detail', 'laptops'],
      [1900, '', ''],
      [2901, 'home_page', 'N/A'],
      [3000, 'product_detail', 'AirPods'],
      [3100, '', ''],
    ] as const
  ).map(([at, type, product]) => ({ user: 501, at, type, product })),
  ...(
    [
      [5000, 'home_page', 'N/A'],
      [5010, 'product_detail', null],
      [5020, null, null],
      [5030, 'product_detail', 'soundbars'],
      [5040, 'add_to_cart', 'soundbars'],
      [5050, null, 'soundbars'],
      [5060, 'order_checkout', null],
      [5070, '', ''],
    ] as const
  ).map(([at, type, product]) => ({ user: 502, at, type, product })),
  { user: 503, at: 7000, type: 'home_page', product: 'N/A' },
  { user: 503, at: 7100, type: 'product_detail', product: 'video games' },
  { user: 503, at: 7200, type: 'order_checkout', product: 'video games', delay: 3000 },
  { user: 503, at: 7200, type: 'product_detail', product: 'cd players' },
  { user: 503, at: 7300, type: 'product_detail', product: 'ear phones' },
  { user: 503, at: 7400, type: '', product: '' },
  { user: 504, at: 8900, type: 'home_page', product: 'N/A' },
  { user: 504, at: 9000, type: 'product_detail', product: 'cell phones' },
  { user: 504, at: 9001, type: '', product: '' },
  { user: 505, at: 8800, type: 'home_page', product: 'N/A' },
  { user: 505, at: 8900, type: 'product_detail', product: 'cell phones' },
  { user: 505, at: 9000, type: '', product: '' },
  { user: 506, at: 12000, type: 'home_page', product: 'N/A' },
  { user: 506, at: 12050, type: 'order_checkout', product: 'N/A' },
  { user: 506, at: 12080, type: 'product_detail', product: 'cameras' },
  { user: 506, at: 12100, type: '', product: '' },
  { user: 507, at: 14000, type: 'home_page', product: 'N/A' },
  ...[14010, 14020, 14030, 14040, 14050].map((at) => ({ user: 507, at, type: 'product_detail', product: 'laptops' })),
  { user: 507, at: 14060, type: 'product_detail', product: 'cameras' },
  { user: 507, at: 14070, type: '', product: '' },
];

interface Pending {
  event: ClickEvent;
  partition: number;
  /** Arrival order key: event time + delay. */
  arrival: number;
}

const EMPTY = Buffer.alloc(0);

async function generate(seed: number, startTime: number, sessionsPerWorker: number): Promise<{ events: ClickEvent[]; sessions: number[] }> {
  const events: ClickEvent[] = [];
  /** Index of each event's generated session: a worker's session is made in one go, so its events are consecutive. */
  const sessions: number[] = [];
  let lastUser = -1;
  let session = -1;
  const generator = new Generator({
    workers: WORKERS,
    sessionsPerWorker,
    noDelay: true,
    seed,
    startTime,
    timeStep: GOLDEN_TIME_STEP_MS,
    lastGlobalSeq: 0,
    encode: () => EMPTY,
    sink: discardSink,
    clock: systemClock,
    signal: new AbortController().signal,
    onEvent: (e) => {
      if (e.userid !== lastUser) session++;
      lastUser = e.userid;
      events.push({ ...e, userid: 1000 + (e.userid % GOLDEN_USER_POOL) });
      sessions.push(session);
    },
  });
  await generator.run();
  return { events, sessions };
}

/** A user's events split by the session gap, each group sorted by time. */
function groupSessions(events: readonly ClickEvent[]): Map<number, ClickEvent[][]> {
  const byUser = new Map<number, ClickEvent[]>();
  for (const e of events) {
    const list = byUser.get(e.userid) ?? [];
    list.push(e);
    byUser.set(e.userid, list);
  }
  const out = new Map<number, ClickEvent[][]>();
  for (const [user, list] of byUser) {
    list.sort((a, b) => a.eventtimestamp - b.eventtimestamp);
    const groups: ClickEvent[][] = [];
    for (const e of list) {
      const g = groups[groups.length - 1];
      if (g && e.eventtimestamp - g[g.length - 1]!.eventtimestamp <= SESSION_GAP_MS) g.push(e);
      else groups.push([e]);
    }
    out.set(user, groups);
  }
  return out;
}

/** A value that cannot be decoded, made from a good one of the same framing. */
function badValue(good: Buffer, reason: BadReason, variant: number, event: ClickEvent): Buffer {
  const header = good[0] === 0 ? 5 : good[0] === 3 ? 18 : -1;
  if (header < 0) throw new Error(`golden data: the encoder wrote first byte ${good[0]}; expected Confluent (0) or Glue (3) framing`);
  if (reason === 'unknown-magic-byte') {
    if (variant === 0) return Buffer.from(JSON.stringify(event)); // plain JSON: first byte '{'
    return Buffer.concat([Buffer.from([variant === 1 ? 0x01 : 0xff]), good.subarray(1)]);
  }
  if (reason === 'unknown-schema-id') {
    const out = Buffer.from(good);
    if (header === 5) out.writeInt32BE(0x7fff0000 + variant, 1);
    else Buffer.from(`deadbeef000040008000${String(variant).padStart(12, '0')}`, 'hex').copy(out, 2);
    return out;
  }
  // Truncated: the last byte dropped, only 3 body bytes, or the header alone.
  if (variant === 0) return Buffer.from(good.subarray(0, good.length - 1));
  return Buffer.from(good.subarray(0, header + (variant === 1 ? 3 : 0)));
}

/**
 * Builds the dataset, deterministically for a seed:
 * - the generator (4 workers, `--seed`, `--start-time`, `--time-step 5`, no delay) makes the
 *   sessions; users are folded into a pool of 100 (GOLDEN_USER_POOL) and the planted cases added;
 * - partition = keyPartition(String(userid)) over 3 partitions;
 * - in each partition, records arrive in order of time + delay: 3% of sessions are delayed as a
 *   block and 12% of events alone, by up to 14 999 ms, so every `ok` record is less than 15 s
 *   behind its partition's max so far, hence on time under a 20 s bound whatever the other
 *   partitions do (the watermark is a minimum);
 * - 3 undecodable records per partition (one of each BadReason) at 20%, 45% and 70% of it, with
 *   the partition's max time so far as timestamp (so they move no watermark) and a neighbour's key;
 * - 2 `late` records per partition appended at its end: copies of a user's early session (one an
 *   extra department event inside it, one an order_checkout 500 ms after it). Even merged into
 *   that session, the session would end (a) at least 3 min before its partition's max, so the
 *   record is late whenever the other partitions do not hold the watermark back, and (b) more
 *   than 20 s before the max of the first LATE_PROGRESS (10%) of every partition's records, so it
 *   is late whenever every partition has been read at least that far. (No dataset is late under
 *   every interleaving: a partition not read at all yet holds the minimum watermark back.)
 */
export async function buildGoldenDataset(encode: EncodeClick, options: GoldenOptions = {}): Promise<GoldenDataset> {
  const seed = options.seed ?? GOLDEN_DEFAULT_SEED;
  const startTime = options.startTime ?? GOLDEN_DEFAULT_START;
  const { events: generated, sessions } = await generate(seed, startTime, options.sessionsPerWorker ?? 500);
  const rng = seededRandom((seed ^ 0x60d1e7a5) >>> 0);
  let nextSeq = generated.reduce((m, e) => Math.max(m, e.globalseq), 0) + 1;

  const partitionOf = new Map<number, number>();
  const partition = (user: number): number => {
    let p = partitionOf.get(user);
    if (p === undefined) partitionOf.set(user, (p = keyPartition(Buffer.from(String(user)))));
    return p;
  };

  // Delays: per generated session (a slow worker), then per event.
  const sessionDelay = new Map<number, number>();
  const pending: Pending[] = generated.map((event, i) => {
    const s = sessions[i]!;
    if (!sessionDelay.has(s)) sessionDelay.set(s, rng.next() < 0.03 ? 1000 + rng.int(MAX_SHUFFLE_MS - 999) : 0);
    const own = rng.next() < 0.12 ? 1 + rng.int(MAX_SHUFFLE_MS) : 0;
    return { event, partition: partition(event.userid), arrival: event.eventtimestamp + Math.max(sessionDelay.get(s)!, own) };
  });

  const plantedBase = windowStart(startTime + 120_000) + WINDOW_MS;
  const plantedPrev = new Map<number, number>();
  for (const step of PLANTED) {
    const time = plantedBase + step.at;
    const globalseq = nextSeq++;
    const event: ClickEvent = {
      ip: `66.249.1.${step.user - 400}`,
      eventtimestamp: time,
      devicetype: 'computer',
      event_type: step.type,
      product_type: step.product,
      userid: step.user,
      globalseq,
      prevglobalseq: plantedPrev.get(step.user) ?? 0,
    };
    plantedPrev.set(step.user, globalseq);
    pending.push({ event, partition: partition(step.user), arrival: time + (step.delay ?? 0) });
  }

  // Arrival order per partition.
  const lanes: GoldenRecord[][] = Array.from({ length: GOLDEN_PARTITIONS }, () => []);
  const arrivals: number[][] = Array.from({ length: GOLDEN_PARTITIONS }, () => []);
  pending.sort((a, b) => a.arrival - b.arrival || a.event.globalseq - b.event.globalseq);
  for (const p of pending) {
    const key = Buffer.from(String(p.event.userid));
    lanes[p.partition]!.push({
      partition: p.partition,
      key,
      value: encode(p.event),
      timestamp: p.event.eventtimestamp,
      kind: 'ok',
      event: p.event,
    });
    arrivals[p.partition]!.push(p.arrival);
  }

  // Late records, chosen from the on-time events before anything else is added.
  const progressMax = Math.min(
    ...lanes.map((lane) => lane.slice(0, Math.floor(lane.length * LATE_PROGRESS)).reduce((m, r) => Math.max(m, r.timestamp), -Infinity)),
  );
  const partitionMax = lanes.map((lane) => lane.reduce((m, r) => Math.max(m, r.timestamp), -Infinity));
  const groups = groupSessions(pending.map((p) => p.event));
  const candidates = [...groups.entries()]
    .flatMap(([user, list]) => list.map((g, i) => ({ user, g, next: list[i + 1] })))
    .filter(({ user }) => user >= 1000)
    .sort((a, b) => a.g[0]!.eventtimestamp - b.g[0]!.eventtimestamp || a.user - b.user);
  const lateRecords: GoldenRecord[] = [];
  const usedUsers = new Set<number>();
  for (let p = 0; p < GOLDEN_PARTITIONS; p++) {
    let made = 0;
    for (const { user, g, next } of candidates) {
      if (made === 2) break;
      if (partition(user) !== p || usedUsers.has(user)) continue;
      const first = g[0]!;
      const last = g[g.length - 1]!;
      const checkout = made === 1;
      const time = checkout ? last.eventtimestamp + 500 : first.eventtimestamp;
      if (next && next[0]!.eventtimestamp - time <= SESSION_GAP_MS) continue;
      const mergedEnd = Math.max(last.eventtimestamp, time) + SESSION_GAP_MS;
      if (mergedEnd - 1 + LATE_BEHIND_MS > partitionMax[p]! || mergedEnd - 1 + OUT_OF_ORDERNESS_MS + 1 > progressMax) continue;
      const lastDept = [...g].reverse().find((e) => e.product_type !== '' && e.product_type !== 'N/A' && e.product_type !== null);
      const event: ClickEvent = {
        ...first,
        eventtimestamp: time,
        event_type: checkout ? 'order_checkout' : 'product_detail',
        product_type: checkout ? (lastDept?.product_type ?? 'laptops') : 'cameras',
        globalseq: nextSeq++,
        prevglobalseq: 0,
      };
      lateRecords.push({ partition: p, key: Buffer.from(String(user)), value: encode(event), timestamp: time, kind: 'late', event });
      usedUsers.add(user);
      made++;
    }
    if (made < 2)
      throw new Error(`golden data: no early session in partition ${p} is ${LATE_BEHIND_MS} ms behind; make the dataset longer`);
  }

  // Undecodable records, inserted back to front so earlier positions stay valid.
  const reasons: BadReason[] = ['unknown-magic-byte', 'unknown-schema-id', 'truncated-avro'];
  for (let p = 0; p < GOLDEN_PARTITIONS; p++) {
    const lane = lanes[p]!;
    const spots = [0.7, 0.45, 0.2].map((f) => Math.floor(lane.length * f));
    spots.forEach((at, i) => {
      const reason = reasons[(p + 2 - i) % 3]!;
      const before = lane.slice(0, at);
      const neighbour = before[before.length - 1]!;
      const max = before.reduce((m, r) => Math.max(m, r.timestamp), -Infinity);
      const bad: GoldenRecord = {
        partition: p,
        key: neighbour.key,
        value: badValue(neighbour.value, reason, p, neighbour.event!),
        timestamp: max,
        kind: 'bad',
        reason,
      };
      lane.splice(at, 0, bad);
      arrivals[p]!.splice(at, 0, arrivals[p]![at - 1]!);
    });
  }

  // Interleave the partitions by arrival; the late records go last.
  const records: GoldenRecord[] = [];
  const heads = lanes.map(() => 0);
  for (;;) {
    let best = -1;
    for (let p = 0; p < GOLDEN_PARTITIONS; p++) {
      if (heads[p]! < lanes[p]!.length && (best < 0 || arrivals[p]![heads[p]!]! < arrivals[best]![heads[best]!]!)) best = p;
    }
    if (best < 0) break;
    records.push(lanes[best]![heads[best]!++]!);
  }
  records.push(...lateRecords);

  return { seed, startTime, partitions: GOLDEN_PARTITIONS, records, plantedBase, stats: statsOf(records, sessions) };
}

function statsOf(records: readonly GoldenRecord[], sessions: readonly number[]): GoldenStats {
  const max = new Map<number, number>();
  const stats: GoldenStats = {
    generatedSessions: (sessions[sessions.length - 1] ?? -1) + 1,
    ok: 0,
    late: 0,
    bad: 0,
    perPartition: Array.from({ length: GOLDEN_PARTITIONS }, () => 0),
    outOfOrder: 0,
    maxLagMs: 0,
    firstTime: Infinity,
    lastTime: -Infinity,
  };
  for (const r of records) {
    stats[r.kind]++;
    stats.perPartition[r.partition]!++;
    const m = max.get(r.partition) ?? -Infinity;
    if (r.kind === 'ok') {
      if (r.timestamp < m) stats.outOfOrder++;
      stats.maxLagMs = Math.max(stats.maxLagMs, m - r.timestamp);
      stats.firstTime = Math.min(stats.firstTime, r.timestamp);
      stats.lastTime = Math.max(stats.lastTime, r.timestamp);
    }
    max.set(r.partition, Math.max(m, r.timestamp));
  }
  return stats;
}

export interface ProduceGoldenOptions {
  bootstrap: string | string[];
  topic: string;
  records: readonly GoldenRecord[];
  /** Create the topic with GOLDEN_PARTITIONS partitions first. Default true. */
  createTopic?: boolean;
  /** Records per produce request, sent one after another. Default 5000. */
  chunk?: number;
}

/**
 * Produces the records to `topic` with their explicit partitions and timestamps (acks -1,
 * idempotent), one request after another, so each partition holds them in the dataset's order.
 * Returns the number of records written per partition.
 */
export async function produceGoldenDataset(opts: ProduceGoldenOptions): Promise<number[]> {
  const bootstrapBrokers = typeof opts.bootstrap === 'string' ? opts.bootstrap.split(',') : opts.bootstrap;
  if (opts.createTopic ?? true) {
    const admin = new Admin({ clientId: 'golden-admin', bootstrapBrokers });
    try {
      await admin.createTopics({ topics: [opts.topic], partitions: GOLDEN_PARTITIONS, replicas: 1 });
    } finally {
      await admin.close();
    }
  }
  const producer = new Producer<Buffer, Buffer, Buffer, Buffer>({
    clientId: 'golden-producer',
    bootstrapBrokers,
    acks: -1,
    idempotent: true,
    autocreateTopics: false,
  });
  const counts = Array.from({ length: GOLDEN_PARTITIONS }, () => 0);
  try {
    const chunk = opts.chunk ?? 5000;
    for (let i = 0; i < opts.records.length; i += chunk) {
      const messages = opts.records.slice(i, i + chunk).map((r) => {
        counts[r.partition]!++;
        return { topic: opts.topic, partition: r.partition, key: r.key, value: r.value, timestamp: BigInt(r.timestamp) };
      });
      await producer.send({ messages });
    }
  } finally {
    await producer.close();
  }
  return counts;
}
