// The analytics store: fills a DuckDB file with 24 hours of the clickstream job's windows through
// write+flush, then times the five chart queries over the last 24 h, 1 h and 15 min against the same
// averages computed by a plain JavaScript loop over the same rows held in arrays, in the same run.
// Usage: node bench/store-query.ts [--windows 8640] [--users 40] [--reps 200] [--dir /tmp] [--quick]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { autoBucketMs, CHART_IDS, CHARTS, type ChartId } from '../src/jobs/clickstream/charts.ts';
import { departmentsCountRow, type ResultRow, sessionCountsRowOf, sessionDetailsRow } from '../src/jobs/clickstream/rows.ts';
import { openAnalyticsStore } from '../src/sinks/duckdb/analytics-store.ts';
import type { AnalyticsStore, ChartSeries } from '../src/sinks/duckdb/analytics-store.types.ts';
import { conditions, printConditions } from './lib/conditions.ts';
import { percentile, table } from './lib/format.ts';

const { values: args } = parseArgs({
  options: {
    windows: { type: 'string', default: '8640' },
    users: { type: 'string', default: '40' },
    reps: { type: 'string', default: '200' },
    /** Windows per flush while filling: a catch-up after a restart commits many windows per checkpoint. */
    'catchup-windows': { type: 'string', default: '60' },
    /** The last windows are flushed one per flush, as a live job checkpointing every 10 s does. */
    'live-windows': { type: 'string', default: '360' },
    dir: { type: 'string', default: os.tmpdir() },
    quick: { type: 'boolean', default: false },
  },
});
const WINDOWS = args.quick ? 1440 : Number(args.windows);
const USERS = Number(args.users);
const REPS = args.quick ? 30 : Number(args.reps);
const CATCHUP = Number(args['catchup-windows']);
const LIVE = Math.min(WINDOWS, args.quick ? 60 : Number(args['live-windows']));
const WINDOW_MS = 10_000;
const DEPARTMENTS = ['cell phones', 'laptops', 'ear phones', 'soundbars', 'cd players', 'AirPods', 'video games', 'cameras'];

// Seeded, so every run holds the same rows.
let seed = 0x5eed;
const rand = (n: number) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
};

/** One window's rows as the job emits them: one session count, 8 departments, USERS user sessions. */
function windowRows(end: number): ResultRow[] {
  const begin = end - WINDOW_MS;
  const sessions = USERS + rand(USERS);
  const withBuy = rand(sessions + 1);
  const rows: ResultRow[] = [sessionCountsRowOf(sessions, withBuy, begin, end)];
  for (const name of DEPARTMENTS) {
    rows.push(departmentsCountRow({ departmentName: name, departmentCount: 1 + rand(60), windowBeginTime: begin, windowEndTime: end }));
  }
  for (let u = 0; u < USERS; u++) {
    rows.push(
      sessionDetailsRow({
        userId: 1000 * (1 + rand(1_000_000)) + rand(1000),
        eventCount: 1 + rand(30),
        orderCheckoutEventCount: rand(3),
        deptList: DEPARTMENTS.filter(() => rand(4) === 0).sort(),
        eventKey: 1,
        windowBeginTime: begin,
        windowEndTime: end,
      }),
    );
  }
  return rows;
}

const dir = fs.mkdtempSync(path.join(args.dir, 'brook-store-bench-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, 'store', 'clickstream.duckdb');
const lastEnd = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS;
const windows: ResultRow[][] = [];
for (let w = WINDOWS - 1; w >= 0; w--) windows.push(windowRows(lastEnd - w * WINDOW_MS));
const allRows = windows.flat();

console.log(`store-query bench: ${WINDOWS} windows of 10 s, ${USERS} user_session_details rows per window, ${REPS} repetitions per query`);
printConditions(conditions(dir));
console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

// ---- inserts: write() then flush(), one flush per checkpoint
const store = await openAnalyticsStore({ path: file });
async function fill(from: number, to: number, perFlush: number): Promise<{ rows: number; ms: number; flushMs: number[] }> {
  const flushMs: number[] = [];
  let rows = 0;
  const started = performance.now();
  for (let w = from; w < to; w += perFlush) {
    const t = performance.now();
    for (const ws of windows.slice(w, Math.min(to, w + perFlush))) {
      for (const r of ws) store.write({ value: r, timestamp: r.doc.windowEndTime - 1 });
      rows += ws.length;
    }
    await store.flush();
    flushMs.push(performance.now() - t);
  }
  return { rows, ms: performance.now() - started, flushMs: flushMs.sort((a, b) => a - b) };
}
const catchup = await fill(0, WINDOWS - LIVE, CATCHUP);
const live = await fill(WINDOWS - LIVE, WINDOWS, 1);
// A replay after a crash: the last hour again, same ids, one commit.
const replayFrom = Math.max(0, WINDOWS - 360);
const replay = await fill(replayFrom, WINDOWS, WINDOWS - replayFrom);
const stats = await store.stats();
const stored = stats.reduce((n, s) => n + s.rows, 0);
if (stored !== allRows.length) throw new Error(`the store holds ${stored} rows, ${allRows.length} were written: a duplicate or a loss`);

const insertRows = [
  ['catch-up', `${CATCHUP} windows (${(catchup.rows / Math.ceil((WINDOWS - LIVE) / CATCHUP)) | 0} rows)`, catchup],
  ['live', `1 window (${windows[0]!.length} rows)`, live],
  ['replay (same ids)', `${WINDOWS - replayFrom} windows (${replay.rows} rows)`, replay],
] as const;
console.log('\ninserts (write + flush; each flush one transaction, committed to the WAL)');
console.log(
  table(
    ['phase', 'per flush', 'flushes', 'rows/s', 'flush p50 ms', 'flush p99 ms', 'flush max ms'],
    insertRows.map(([name, per, r]) => [
      name,
      per,
      String(r.flushMs.length),
      ((r.rows / r.ms) * 1000).toFixed(0),
      percentile(r.flushMs, 50).toFixed(1),
      percentile(r.flushMs, 99).toFixed(1),
      r.flushMs.at(-1)!.toFixed(1),
    ]),
  ),
);
console.log(`rows: ${stats.map((s) => `${s.table} ${s.rows}`).join(', ')}`);

// ---- the baseline: the same averages by a plain loop over arrays of the same rows
const byTable = new Map<string, ResultRow[]>();
for (const r of allRows) {
  const list = byTable.get(r.table);
  if (list) list.push(r);
  else byTable.set(r.table, [r]);
}
function jsChart(chart: ChartId, from: number, to: number, bucketMs: number): ChartSeries[] {
  const spec = CHARTS[chart];
  const rows = byTable.get(spec.table)!;
  const sums = new Map<string, Map<number, [number, number]>>();
  for (let i = 0; i < rows.length; i++) {
    const doc = rows[i]!.doc as unknown as Record<string, number | string>;
    const t = doc.windowEndTime as number;
    if (t < from || t >= to) continue;
    const name = spec.seriesBy ? (doc[spec.seriesBy] as string) : 'all';
    let buckets = sums.get(name);
    if (!buckets) sums.set(name, (buckets = new Map()));
    const b = t - (((t % bucketMs) + bucketMs) % bucketMs);
    const acc = buckets.get(b);
    if (acc) {
      acc[0] += doc[spec.field] as number;
      acc[1]++;
    } else buckets.set(b, [doc[spec.field] as number, 1]);
  }
  const series = [...sums].map(([name, buckets]) => {
    let s = 0;
    let n = 0;
    for (const [sum, count] of buckets.values()) {
      s += sum;
      n += count;
    }
    const points = [...buckets].sort((x, y) => x[0] - y[0]).map(([b, [sum, count]]): [number, number] => [b, sum / count]);
    return { name, points, overall: s / n };
  });
  if (!spec.seriesBy) return series.map(({ name, points }) => ({ name, points }));
  return series
    .sort((a, b) => b.overall - a.overall || (a.name < b.name ? -1 : 1))
    .slice(0, spec.top ?? 5)
    .map(({ name, points }) => ({ name, points }));
}

function same(a: ChartSeries[], b: ChartSeries[]): boolean {
  if (a.length !== b.length) return false;
  return a.every(
    (s, i) =>
      s.name === b[i]!.name &&
      s.points.length === b[i]!.points.length &&
      s.points.every(([t, v], j) => t === b[i]!.points[j]![0] && Math.abs(v - b[i]!.points[j]![1]) <= 1e-9 * Math.max(1, Math.abs(v))),
  );
}

// ---- queries: charts round-robin, so drift and GC hit every chart alike
const to = lastEnd + 1;
const ranges = [
  ['24 h', 86_400_000],
  ['1 h', 3_600_000],
  ['15 min', 900_000],
] as const;
async function timeChart(s: AnalyticsStore, chart: ChartId, from: number): Promise<number> {
  const t = performance.now();
  await s.chart({ chart, from, to });
  return performance.now() - t;
}
const rows: string[][] = [];
let slowest = 0;
for (const [label, span] of ranges) {
  const from = to - span;
  const bucketMs = autoBucketMs(from, to);
  for (const chart of CHART_IDS) {
    const got = await store.chart({ chart, from, to });
    if (!same(got.series, jsChart(chart, from, to, bucketMs))) throw new Error(`${chart} over ${label}: the store and the loop disagree`);
  }
  const db = new Map<ChartId, number[]>(CHART_IDS.map((c) => [c, []]));
  const js = new Map<ChartId, number[]>(CHART_IDS.map((c) => [c, []]));
  const parallel: number[] = [];
  for (let r = 0; r < REPS; r++) {
    for (const chart of r % 2 ? CHART_IDS : [...CHART_IDS].reverse()) {
      db.get(chart)!.push(await timeChart(store, chart, from));
      const t = performance.now();
      jsChart(chart, from, to, bucketMs);
      js.get(chart)!.push(performance.now() - t);
    }
    // A dashboard load: the five charts at once.
    const t = performance.now();
    await Promise.all(CHART_IDS.map((chart) => store.chart({ chart, from, to })));
    parallel.push(performance.now() - t);
  }
  for (const chart of CHART_IDS) {
    const d = db.get(chart)!.sort((a, b) => a - b);
    const j = js.get(chart)!.sort((a, b) => a - b);
    slowest = Math.max(slowest, percentile(d, 99));
    const points = (await store.chart({ chart, from, to })).series.reduce((n, s) => n + s.points.length, 0);
    rows.push([
      label,
      chart,
      `${bucketMs / 1000} s`,
      String(points),
      percentile(d, 50).toFixed(2),
      percentile(d, 99).toFixed(2),
      percentile(j, 50).toFixed(2),
      (percentile(j, 50) / percentile(d, 50)).toFixed(1),
    ]);
  }
  parallel.sort((a, b) => a - b);
  rows.push([label, 'all five at once', '', '', percentile(parallel, 50).toFixed(2), percentile(parallel, 99).toFixed(2), '', '']);
}
console.log(`\nchart queries (to = last window end + 1 ms; auto bucket; the loop's answers checked equal to the store's)`);
console.log(table(['range', 'chart', 'bucket', 'points', 'store p50 ms', 'store p99 ms', 'JS loop p50 ms', 'loop p50 / store p50'], rows));
console.log(
  `\naim: every chart query under 50 ms over 24 h of windows: ${slowest < 50 ? 'met' : 'NOT met'} (slowest p99 ${slowest.toFixed(2)} ms)`,
);

await store.close();
const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
console.log(`file ${(size(file) / 1e6).toFixed(1)} MB after close (WAL ${size(`${file}.wal`)} B); ${stored} rows`);
