// Shared by the analytics store tests: temp directories, seeded random result rows built with the
// job's own row helpers, and the charts computed directly from those rows in plain JavaScript.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { CHARTS, type ChartId } from '../../../src/jobs/clickstream/charts.ts';
import { departmentsCountRow, type ResultRow, sessionCountsRowOf, sessionDetailsRow } from '../../../src/jobs/clickstream/rows.ts';
import type { ChartSeries } from '../../../src/sinks/duckdb/analytics-store.types.ts';

export const WINDOW_MS = 10_000;
/** A window end well after 2026, aligned to 10 s. */
export const T0 = 1_790_000_000_000;
export const DEPARTMENTS = ['cell phones', 'laptops', 'ear phones', 'soundbars', 'cd players', 'AirPods', 'video games', 'cameras'];

export function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brook-store-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function seeded(seed: number): (n: number) => number {
  let s = seed | 0;
  return (n) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** The rows the job emits for one window ending at `end`: one count row, some departments, some users. */
export function windowRows(end: number, rand: (n: number) => number, users = 5): ResultRow[] {
  const begin = end - WINDOW_MS;
  const sessions = 1 + rand(50);
  const withBuy = rand(sessions + 1);
  const rows: ResultRow[] = [sessionCountsRowOf(sessions, withBuy, begin, end)];
  for (const name of DEPARTMENTS) {
    if (rand(4) === 0) continue;
    rows.push(departmentsCountRow({ departmentName: name, departmentCount: 1 + rand(20), windowBeginTime: begin, windowEndTime: end }));
  }
  for (let u = 0; u < users; u++) {
    const deptList = DEPARTMENTS.filter(() => rand(3) === 0).sort();
    rows.push(
      sessionDetailsRow({
        userId: 1000 + rand(100_000) * 1000 + u,
        eventCount: 1 + rand(30),
        orderCheckoutEventCount: rand(3),
        deptList,
        eventKey: 1,
        windowBeginTime: begin,
        windowEndTime: end,
      }),
    );
  }
  return rows;
}

/** The chart computed directly: average per epoch-aligned bucket; departments top N by average, ties by name. */
export function directChart(rows: ResultRow[], chart: ChartId, from: number, to: number, bucketMs: number): ChartSeries[] {
  const spec = CHARTS[chart];
  const inRange = rows.filter((r) => r.table === spec.table && r.doc.windowEndTime >= from && r.doc.windowEndTime < to);
  const field = (r: ResultRow) => (r.doc as unknown as Record<string, number>)[spec.field]!;
  const perBucket = (rs: ResultRow[]): Array<[number, number]> => {
    const acc = new Map<number, { sum: number; n: number }>();
    for (const r of rs) {
      const t = r.doc.windowEndTime;
      const b = t - (((t % bucketMs) + bucketMs) % bucketMs);
      const a = acc.get(b) ?? { sum: 0, n: 0 };
      a.sum += field(r);
      a.n++;
      acc.set(b, a);
    }
    return [...acc].sort((x, y) => x[0] - y[0]).map(([b, a]) => [b, a.sum / a.n]);
  };
  if (!spec.seriesBy) return [{ name: 'all', points: perBucket(inRange) }];
  const byName = new Map<string, ResultRow[]>();
  for (const r of inRange) {
    const name = (r.doc as unknown as Record<string, string>)[spec.seriesBy]!;
    const list = byName.get(name);
    if (list) list.push(r);
    else byName.set(name, [r]);
  }
  const avg = (rs: ResultRow[]) => rs.reduce((s, r) => s + field(r), 0) / rs.length;
  return [...byName]
    .map(([name, rs]) => ({ name, rs, overall: avg(rs) }))
    .sort((a, b) => b.overall - a.overall || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, spec.top ?? 5)
    .map(({ name, rs }) => ({ name, points: perBucket(rs) }));
}

/** Equal series, averages within floating-point noise (DuckDB may add in another order). */
export function assertSeriesClose(actual: ChartSeries[], expected: ChartSeries[], what: string): void {
  assert.deepEqual(
    actual.map((s) => [s.name, s.points.map((p) => p[0])]),
    expected.map((s) => [s.name, s.points.map((p) => p[0])]),
    `${what}: series and buckets`,
  );
  for (const [i, s] of actual.entries()) {
    for (const [j, [b, v]] of s.points.entries()) {
      const want = expected[i]!.points[j]![1];
      assert.ok(Math.abs(v - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${what}: ${s.name} at ${b}: ${v} != ${want}`);
    }
  }
}

/** Last write per id, as the store must hold them. */
export function lastById(rows: ResultRow[]): Map<string, ResultRow> {
  const m = new Map<string, ResultRow>();
  for (const r of rows) m.set(`${r.table}/${r.id}`, r);
  return m;
}

/** Docs of one table as latest() returns them: newest windowEndTime first, then by id. */
export function expectedLatest(rows: Iterable<ResultRow>, table: ResultRow['table']): unknown[] {
  return [...rows]
    .filter((r) => r.table === table)
    .sort((a, b) => b.doc.windowEndTime - a.doc.windowEndTime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => r.doc);
}

export interface Child {
  pid: number;
  /** Resolves with the next line the child prints. */
  line(): Promise<string>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Runs child-store.ts in another Node process (DuckDB's file lock is per process). */
export function spawnChild(args: string[]): Child {
  const script = new URL('./child-store.ts', import.meta.url).pathname;
  const proc = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiting: Array<(l: string) => void> = [];
  createInterface({ input: proc.stdout! }).on('line', (l) => {
    const w = waiting.shift();
    if (w) w(l);
    else lines.push(l);
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    pid: proc.pid!,
    line: () => {
      const l = lines.shift();
      if (l !== undefined) return Promise.resolve(l);
      return Promise.race([
        new Promise<string>((resolve) => waiting.push(resolve)),
        exited.then(() => Promise.reject(new Error(`child-store.ts ${args.join(' ')} exited before printing a line`))),
      ]);
    },
    kill: (signal) => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}
