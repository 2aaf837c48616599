// The store's chart queries against the same charts computed directly in the test: averages per
// epoch-aligned bucket over [from, to), the top-5 departments (ties by name), auto bucket size,
// plus latest() and stats() on random rows.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { autoBucketMs, CHART_IDS } from '../../../src/jobs/clickstream/charts.ts';
import { departmentsCountRow, type ResultRow } from '../../../src/jobs/clickstream/rows.ts';
import { openAnalyticsStore } from '../../../src/sinks/duckdb/analytics-store.ts';
import type { AnalyticsStore } from '../../../src/sinks/duckdb/analytics-store.types.ts';
import { AnalyticsStoreError } from '../../../src/sinks/duckdb/errors.ts';
import { assertSeriesClose, directChart, expectedLatest, lastById, seeded, T0, WINDOW_MS, windowRows } from './helpers.ts';

const WINDOWS = 2000; // about 5.5 hours
const HOUR = 3_600_000;

describe('chart queries over random rows', () => {
  let store: AnalyticsStore;
  let rows: ResultRow[];
  before(async () => {
    const rand = seeded(42);
    // Windows in random order across 7 flushes, some written twice with other values (the first
    // time with other users too): the charts must see the last value of each id.
    const order = Array.from({ length: WINDOWS }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rand(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    store = await openAnalyticsStore({ path: ':memory:', now: () => T0 + WINDOWS * WINDOW_MS });
    const written: ResultRow[] = [];
    let flushedUpTo = 0;
    for (let i = 0; i < order.length; i++) {
      const windowEnd = T0 + order[i]! * WINDOW_MS;
      if (rand(10) === 0) written.push(...windowRows(windowEnd, rand, 3));
      written.push(...windowRows(windowEnd, rand, 1 + rand(8)));
      if (i % 300 === 299 || i === order.length - 1) {
        for (const r of written.slice(flushedUpTo)) store.write({ value: r, timestamp: 0 });
        flushedUpTo = written.length;
        await store.flush();
      }
    }
    rows = [...lastById(written).values()];
  });

  const end = T0 + WINDOWS * WINDOW_MS;
  const ranges: Array<[string, number, number, number | undefined]> = [
    ['everything, auto bucket', T0 - HOUR, end + HOUR, undefined],
    ['last 15 min, auto bucket (10 s)', end - 15 * 60_000, end, undefined],
    ['last hour, 1 min buckets, unaligned ends', end - HOUR - 4321, end - 777, 60_000],
    ['7 s buckets (not a divisor of the window)', T0 + 5 * HOUR, end, 7_000],
    ['from and to exactly on window ends (from included, to excluded)', T0 + 100 * WINDOW_MS, T0 + 400 * WINDOW_MS, 30_000],
    ['one bucket per window', T0 + 10 * WINDOW_MS, T0 + 50 * WINDOW_MS, 10_000],
    ['buckets larger than the range', T0 + HOUR, T0 + 2 * HOUR, 86_400_000],
    ['an empty range', T0 - 10 * HOUR, T0 - 9 * HOUR, 60_000],
  ];
  for (const [what, from, to, bucketMs] of ranges) {
    test(what, async () => {
      for (const chart of CHART_IDS) {
        const got = await store.chart({ chart, from, to, ...(bucketMs ? { bucketMs } : {}) });
        const b = bucketMs ?? autoBucketMs(from, to);
        assert.deepEqual([got.chart, got.from, got.to, got.bucketMs], [chart, from, to, b]);
        assertSeriesClose(got.series, directChart(rows, chart, from, to, b), `${chart} ${what}`);
        for (const s of got.series)
          for (const [start] of s.points) assert.equal(start % b, 0, 'buckets start on multiples of the bucket size');
        if (chart === 'departments' && to - from > HOUR) assert.equal(got.series.length, 5, 'five departments');
      }
    });
  }

  test('latest() and stats() match the rows', async () => {
    for (const table of ['user_session_details', 'user_session_counts', 'departments_count'] as const) {
      assert.deepEqual(await store.latest(table, 25), expectedLatest(rows, table).slice(0, 25));
    }
    const stats = await store.stats();
    for (const s of stats) {
      const mine = rows.filter((r) => r.table === s.table);
      assert.equal(s.rows, mine.length);
      assert.equal(s.minWindowEnd, Math.min(...mine.map((r) => r.doc.windowEndTime)));
      assert.equal(s.maxWindowEnd, Math.max(...mine.map((r) => r.doc.windowEndTime)));
    }
  });

  test('invalid queries say what is wrong', async () => {
    const bad = (pattern: RegExp) => (e: unknown) =>
      e instanceof AnalyticsStoreError && e.code === 'STORE_INVALID_QUERY' && pattern.test(e.message);
    await assert.rejects(store.chart({ chart: 'nope' as 'departments', from: 0, to: 1 }), bad(/unknown chart 'nope': one of departments/));
    await assert.rejects(store.chart({ chart: 'departments', from: 0, to: Number.NaN }), bad(/finite/));
    await assert.rejects(store.chart({ chart: 'departments', from: 0, to: 1, bucketMs: 0 }), bad(/positive integer/));
    await assert.rejects(store.latest('nope' as 'departments_count', 1), bad(/unknown table/));
    await assert.rejects(store.latest('departments_count', -1), bad(/non-negative/));
  });
});

describe('the departments chart: top 5 by average over the range, ties by name', () => {
  test('a tie at fifth place goes to the name first in order; a department outside the range does not count', async (t) => {
    const store = await openAnalyticsStore({ path: ':memory:', now: () => T0 });
    t.after(() => store.close());
    const dept = (name: string, end: number, count: number) =>
      departmentsCountRow({ departmentName: name, departmentCount: count, windowBeginTime: end - WINDOW_MS, windowEndTime: end });
    const rows = [
      // averages over the range: a 10, b 8, c 6, d 4, 'e' and 'E' 3 (tie), f 2; g is 100 but outside.
      dept('a', T0, 10),
      dept('b', T0, 6),
      dept('b', T0 + WINDOW_MS, 10),
      dept('c', T0, 6),
      dept('d', T0, 4),
      dept('e', T0, 1),
      dept('e', T0 + WINDOW_MS, 5),
      dept('E', T0 + WINDOW_MS, 3),
      dept('f', T0, 2),
      dept('g', T0 + 10 * WINDOW_MS, 100),
    ];
    for (const r of rows) store.write({ value: r, timestamp: 0 });
    await store.flush();
    const got = await store.chart({ chart: 'departments', from: T0, to: T0 + 2 * WINDOW_MS, bucketMs: 60_000 });
    const bucket = T0 - (T0 % 60_000);
    assert.deepEqual(got.series, [
      { name: 'a', points: [[bucket, 10]] },
      { name: 'b', points: [[bucket, 8]] },
      { name: 'c', points: [[bucket, 6]] },
      { name: 'd', points: [[bucket, 4]] },
      { name: 'E', points: [[bucket, 3]] },
    ]);
    assert.deepEqual(got.series, directChart(rows, 'departments', T0, T0 + 2 * WINDOW_MS, 60_000));
  });
});
