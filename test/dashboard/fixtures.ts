// Known result rows for the dashboard tests: one 10 s window of each table, deterministic values,
// and helpers to write them into a store and to read JSON from the dashboard.
import { departmentsCountRow, type ResultRow, sessionCountsRowOf, sessionDetailsRow } from '../../src/jobs/clickstream/rows.ts';
import type { AnalyticsStore } from '../../src/sinks/duckdb/analytics-store.types.ts';

export const DEPARTMENTS = ['books', 'electronics', 'garden', 'home', 'music', 'sports', 'toys'];

/** The rows of the window [end - 10 s, end): counts derived from `i` so each window differs. */
export function windowRows(end: number, i: number): ResultRow[] {
  const begin = end - 10_000;
  const sessions = 10 + (i % 5);
  const withBuy = 2 + (i % 3);
  return [
    sessionCountsRowOf(sessions, withBuy, begin, end),
    ...[1, 2].map((u) =>
      sessionDetailsRow({
        userId: 1000 + u,
        eventCount: 5 + u,
        orderCheckoutEventCount: (i + u) % 3,
        deptList: ['books'],
        eventKey: 1,
        windowBeginTime: begin,
        windowEndTime: end,
      }),
    ),
    ...DEPARTMENTS.map((name, d) =>
      departmentsCountRow({ departmentName: name, departmentCount: d + 1 + (i % 2), windowBeginTime: begin, windowEndTime: end }),
    ),
  ];
}

export async function writeWindows(store: AnalyticsStore, ends: number[], offset = 0): Promise<void> {
  ends.forEach((end, i) => {
    for (const row of windowRows(end, i + offset)) store.write({ value: row, timestamp: end - 1 });
  });
  await store.flush();
}

/** Window ends (multiples of 10 s) over the last `minutes`, newest one `ageMs` before now. */
export function recentWindowEnds(now: number, count: number, ageMs = 20_000): number[] {
  const last = Math.floor((now - ageMs) / 10_000) * 10_000;
  return Array.from({ length: count }, (_, i) => last - (count - 1 - i) * 10_000);
}

export async function getJson(base: string, path: string): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(new URL(path, base));
  return { status: res.status, body: await res.json(), headers: res.headers };
}
