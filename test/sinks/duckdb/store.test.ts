// The analytics store as a sink: upserts by id across flushes and reopenings, nothing visible before
// a flush and everything after, atomic commits, durability across close and SIGKILL, retention,
// onCommit, and the errors for a locked, unwritable or foreign file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { departmentsCountRow, type ResultRow, sessionCountsRow } from '../../../src/jobs/clickstream/rows.ts';
import { openAnalyticsStore } from '../../../src/sinks/duckdb/analytics-store.ts';
import type { AnalyticsStore, CommitInfo } from '../../../src/sinks/duckdb/analytics-store.types.ts';
import { AnalyticsStoreError } from '../../../src/sinks/duckdb/errors.ts';
import { expectedLatest, lastById, seeded, spawnChild, T0, tempDir, WINDOW_MS, windowRows } from './helpers.ts';

const DAY = 86_400_000;
const write = (store: AnalyticsStore, rows: ResultRow[]) => {
  for (const r of rows) store.write({ value: r, timestamp: r.doc.windowEndTime - 1 });
};
const counts = async (store: AnalyticsStore) => Object.fromEntries((await store.stats()).map((s) => [s.table, s.rows]));
const everything = async (store: AnalyticsStore) => ({
  user_session_details: await store.latest('user_session_details', 1e6),
  user_session_counts: await store.latest('user_session_counts', 1e6),
  departments_count: await store.latest('departments_count', 1e6),
});
const expectedEverything = (rows: Iterable<ResultRow>) => {
  const all = [...rows];
  return {
    user_session_details: expectedLatest(all, 'user_session_details'),
    user_session_counts: expectedLatest(all, 'user_session_counts'),
    departments_count: expectedLatest(all, 'departments_count'),
  };
};
/** The same ids as `rows`, every count changed: a replay with other values must replace. */
const changed = (rows: ResultRow[]): ResultRow[] =>
  rows.map((r) => {
    if (r.table === 'departments_count') return departmentsCountRow({ ...r.doc, departmentCount: r.doc.departmentCount + 100 });
    if (r.table === 'user_session_counts') return sessionCountsRow({ ...r.doc, userSessionCount: r.doc.userSessionCount + 100 });
    return { ...r, doc: { ...r.doc, eventCount: r.doc.eventCount + 100, deptList: [...r.doc.deptList, 'zz'] } };
  });
const errorCode = (code: string, pattern: RegExp) => (err: unknown) =>
  err instanceof AnalyticsStoreError && err.code === code && pattern.test(err.message);

describe('analytics store: upserts, flushes, durability', () => {
  test('a replayed row replaces and never duplicates, within a batch, across flushes and across a reopen', async (t) => {
    const file = path.join(tempDir(t), 'store', 'clickstream.duckdb');
    const rand = seeded(1);
    const first: ResultRow[] = [];
    for (let w = 0; w < 30; w++) first.push(...windowRows(T0 + w * WINDOW_MS, rand));
    let store = await openAnalyticsStore({ path: file, now: () => T0 });
    // Within one batch: the second write of an id wins.
    write(store, first);
    write(store, changed(first.slice(0, 40)));
    await store.flush();
    const afterFirst = lastById([...first, ...changed(first.slice(0, 40))]);
    assert.deepEqual(await everything(store), expectedEverything(afterFirst.values()));

    // Across flushes: the whole set again (a replay), half of it with other values.
    write(store, first);
    await store.flush();
    write(store, changed(first.slice(0, first.length / 2)));
    await store.flush();
    let want = lastById([...first, ...changed(first.slice(0, first.length / 2))]);
    assert.deepEqual(await everything(store), expectedEverything(want.values()));
    await store.close();

    // Across a reopen: the rows come back and replays still replace rows the file already held.
    store = await openAnalyticsStore({ path: file, now: () => T0 });
    assert.deepEqual(await everything(store), expectedEverything(want.values()));
    const more = windowRows(T0 + 30 * WINDOW_MS, rand);
    write(store, [...changed(first.slice(-20)), ...first.slice(0, 10), ...more]);
    await store.flush();
    want = lastById([...want.values(), ...changed(first.slice(-20)), ...first.slice(0, 10), ...more]);
    assert.deepEqual(await everything(store), expectedEverything(want.values()));
    const total = Object.values(await counts(store)).reduce((a, b) => a + b, 0);
    assert.equal(total, want.size, 'one row per id');
    await store.close();
  });

  test('nothing is visible before flush() and everything written before it is after', async (t) => {
    const store = await openAnalyticsStore({ path: path.join(tempDir(t), 'a.duckdb'), now: () => T0 });
    t.after(() => store.close());
    const rand = seeded(2);
    const rows = [...windowRows(T0, rand), ...windowRows(T0 + WINDOW_MS, rand)];
    write(store, rows);
    const empty = { user_session_details: 0, user_session_counts: 0, departments_count: 0 };
    assert.deepEqual(await counts(store), empty);
    assert.deepEqual((await store.chart({ chart: 'sessionCount', from: T0 - DAY, to: T0 + DAY })).series, [{ name: 'all', points: [] }]);
    assert.deepEqual(await store.latest('user_session_details', 100), []);

    // A flush in flight: a second flush() waits for it and then commits the rows written meanwhile.
    const flushing = store.flush();
    const later = windowRows(T0 + 2 * WINDOW_MS, rand);
    write(store, later);
    await Promise.all([flushing, store.flush()]);
    const all = [...rows, ...later];
    assert.deepEqual(await counts(store), {
      user_session_details: all.filter((r) => r.table === 'user_session_details').length,
      user_session_counts: 3,
      departments_count: all.filter((r) => r.table === 'departments_count').length,
    });
    assert.deepEqual(await everything(store), expectedEverything(all));
  });

  test('a failed commit writes nothing of its batch, keeps the rows buffered, and the next flush commits them', async (t) => {
    const store = await openAnalyticsStore({ path: path.join(tempDir(t), 'a.duckdb'), now: () => T0 });
    t.after(() => store.close());
    const rows = windowRows(T0, seeded(3));
    const good = rows.find((r) => r.table === 'departments_count')!;
    // A doc without its count: the NOT NULL column refuses it, after the other tables' rows were staged.
    const bad = { ...good, doc: { ...good.doc, departmentCount: undefined as unknown as number } } as ResultRow;
    write(store, [...rows.filter((r) => r !== good), bad]);
    await assert.rejects(store.flush(), errorCode('STORE_WRITE_FAILED', /departmentCount[\s\S]*stay buffered/));
    assert.deepEqual(await counts(store), { user_session_details: 0, user_session_counts: 0, departments_count: 0 });
    // The same id written again replaces the bad row in the buffer.
    write(store, [good]);
    await store.flush();
    assert.deepEqual(await everything(store), expectedEverything(rows));
  });

  test('rows that do not carry the id the upsert relies on are refused at write()', async (t) => {
    const store = await openAnalyticsStore({ path: ':memory:' });
    t.after(() => store.close());
    const row = sessionCountsRow({
      userSessionCount: 1,
      userSessionCountWithOrderCheckout: 0,
      percentSessionswithBuy: 0,
      windowBeginTime: T0 - WINDOW_MS,
      windowEndTime: T0,
    });
    assert.throws(() => store.write({ value: { ...row, id: 'x:all' }, timestamp: 0 }), errorCode('STORE_INVALID_ROW', /rows\.ts/));
    assert.throws(
      () => store.write({ value: { ...row, doc: { ...row.doc, windowEndTime: 1.5 } } as ResultRow, timestamp: 0 }),
      errorCode('STORE_INVALID_ROW', /epoch-ms/),
    );
    assert.throws(
      () => store.write({ value: { ...row, table: 'nope' } as unknown as ResultRow, timestamp: 0 }),
      errorCode('STORE_INVALID_ROW', /nope/),
    );
  });

  test('rows committed by flush() survive SIGKILL of the writing process; rows only buffered do not', async (t) => {
    const file = path.join(tempDir(t), 'crash.duckdb');
    const child = spawnChild(['crash', file, '25', '3']);
    t.after(() => child.kill('SIGKILL'));
    assert.equal(await child.line(), 'flushed');
    await child.kill('SIGKILL');
    const rand = seeded(7);
    const committed: ResultRow[] = [];
    for (let w = 0; w < 25; w++) committed.push(...windowRows(T0 - w * WINDOW_MS, rand));
    const store = await openAnalyticsStore({ path: file, now: () => T0 });
    t.after(() => store.close());
    assert.deepEqual(await everything(store), expectedEverything(committed));
  });

  test('close() commits what is buffered', async (t) => {
    const file = path.join(tempDir(t), 'a.duckdb');
    const rows = windowRows(T0, seeded(4));
    let store = await openAnalyticsStore({ path: file, now: () => T0 });
    write(store, rows);
    await store.close();
    assert.throws(() => store.write({ value: rows[0]!, timestamp: 0 }), errorCode('STORE_CLOSED', /openAnalyticsStore/));
    await assert.rejects(store.stats(), errorCode('STORE_CLOSED', /closed/));
    store = await openAnalyticsStore({ path: file, now: () => T0 });
    t.after(() => store.close());
    assert.deepEqual(await everything(store), expectedEverything(rows));
  });
});

describe('analytics store: retention', () => {
  test('deletes rows older than now - retention only, at open and at most once a minute in flushes', async (t) => {
    const file = path.join(tempDir(t), 'a.duckdb');
    let now = T0;
    const retentionMs = 7 * DAY;
    const counts1 = (end: number) =>
      sessionCountsRow({
        userSessionCount: 1,
        userSessionCountWithOrderCheckout: 0,
        percentSessionswithBuy: 0,
        windowBeginTime: end - WINDOW_MS,
        windowEndTime: end,
      });
    let store = await openAnalyticsStore({ path: file, now: () => now });
    // Ends relative to the retention cutoff at T0 + 60 s (when the next retention is due).
    const cutoff = T0 + 60_000 - retentionMs;
    const ends = [cutoff - 8 * DAY, cutoff - WINDOW_MS, cutoff - 1, cutoff, cutoff + 1, T0];
    write(store, ends.map(counts1));
    await store.flush();
    const endsIn = async () => (await store.latest('user_session_counts', 100)).map((d) => d.windowEndTime).reverse();
    assert.deepEqual(await endsIn(), ends, 'retention ran at open; the next is not due yet');

    now = T0 + 59_999;
    await store.flush();
    assert.deepEqual(await endsIn(), ends, 'less than a minute after the last retention');
    now = T0 + 60_000;
    await store.flush(); // nothing buffered: the retention alone
    assert.deepEqual(await endsIn(), [cutoff, cutoff + 1, T0], 'windowEndTime < now - retention deleted, the rest kept');

    // An old row written now stays until the next retention is due, a minute later.
    write(store, [counts1(cutoff - DAY)]);
    now = T0 + 90_000;
    await store.flush();
    assert.deepEqual(await endsIn(), [cutoff - DAY, cutoff, cutoff + 1, T0]);
    now = T0 + 120_000;
    await store.flush();
    assert.deepEqual(await endsIn(), [T0], 'the cutoff moved on by a minute');
    await store.close();

    // At open: a store reopened a week later starts without the rows that expired meanwhile.
    now = T0 + retentionMs + 1;
    store = await openAnalyticsStore({ path: file, now: () => now });
    t.after(() => store.close());
    assert.deepEqual(await endsIn(), []);
    assert.deepEqual(
      (await store.stats()).map((s) => s.rows),
      [0, 0, 0],
    );
  });

  test('retentionMs: Infinity keeps everything', async (t) => {
    const store = await openAnalyticsStore({
      path: path.join(tempDir(t), 'a.duckdb'),
      retentionMs: Number.POSITIVE_INFINITY,
      now: () => T0,
    });
    t.after(() => store.close());
    write(store, windowRows(1_000_000, seeded(5)));
    await store.flush();
    assert.equal((await store.stats()).find((s) => s.table === 'user_session_counts')?.rows, 1);
  });
});

describe('analytics store: onCommit and stats', () => {
  test('listeners get the tables, the row count and the largest windowEndTime of each committed flush', async (t) => {
    const file = path.join(tempDir(t), 'a.duckdb');
    let store = await openAnalyticsStore({ path: file, now: () => T0 });
    const seen: CommitInfo[] = [];
    const other: CommitInfo[] = [];
    const off = store.onCommit((info) => seen.push(info));
    store.onCommit(() => {
      throw new Error('a broken listener does not fail the flush');
    });
    store.onCommit((info) => other.push(info));
    await store.flush();
    assert.deepEqual(seen, [], 'no commit without rows');

    const rows = windowRows(T0, seeded(6));
    write(store, [...rows, ...rows]);
    await store.flush();
    assert.deepEqual(seen, [
      { tables: ['user_session_details', 'user_session_counts', 'departments_count'], rows: rows.length, maxWindowEnd: T0 },
    ]);
    // Only counts, and an older window: maxWindowEnd is the largest committed so far.
    write(store, [rows.find((r) => r.table === 'user_session_counts')!, ...windowRows(T0 - WINDOW_MS, seeded(6)).slice(0, 1)]);
    await store.flush();
    assert.deepEqual(seen.at(-1), { tables: ['user_session_counts'], rows: 2, maxWindowEnd: T0 });
    off();
    write(store, windowRows(T0 + WINDOW_MS, seeded(6)));
    await store.flush();
    assert.equal(seen.length, 2, 'unsubscribed');
    assert.equal(other.length, 3);
    assert.equal(other.at(-1)?.maxWindowEnd, T0 + WINDOW_MS);
    await store.close();

    // After a reopen, maxWindowEnd continues from what the file holds.
    store = await openAnalyticsStore({ path: file, now: () => T0 });
    t.after(() => store.close());
    const after: CommitInfo[] = [];
    store.onCommit((info) => after.push(info));
    write(store, windowRows(T0 - 5 * WINDOW_MS, seeded(6)).slice(0, 1));
    await store.flush();
    assert.deepEqual(after, [{ tables: ['user_session_counts'], rows: 1, maxWindowEnd: T0 + WINDOW_MS }]);
    assert.deepEqual(
      (await store.stats()).map((s) => [s.table, s.minWindowEnd, s.maxWindowEnd]),
      [
        ['user_session_details', T0, T0 + WINDOW_MS],
        ['user_session_counts', T0 - 5 * WINDOW_MS, T0 + WINDOW_MS],
        ['departments_count', T0, T0 + WINDOW_MS],
      ],
    );
  });
});

describe('analytics store: stats stay current', () => {
  test('after a reopen, stats() follows every later commit (no answer cached from when it was first asked)', async (t) => {
    const file = path.join(tempDir(t), 's.duckdb');
    let store = await openAnalyticsStore({ path: file, now: () => T0 });
    write(store, windowRows(T0, seeded(3)));
    await store.close();
    store = await openAnalyticsStore({ path: file, now: () => T0 });
    t.after(() => store.close());
    const counts = async () => (await store.stats()).find((s) => s.table === 'user_session_counts');
    assert.deepEqual(await counts(), { table: 'user_session_counts', rows: 1, minWindowEnd: T0, maxWindowEnd: T0 });
    for (let i = 1; i <= 3; i++) {
      write(store, windowRows(T0 + i * WINDOW_MS, seeded(3)));
      await store.flush();
      assert.deepEqual(await counts(), { table: 'user_session_counts', rows: 1 + i, minWindowEnd: T0, maxWindowEnd: T0 + i * WINDOW_MS });
    }
  });
});

describe('analytics store: opening errors', () => {
  test('a second store on the same file in this process is refused until the first is closed', async (t) => {
    const file = path.join(tempDir(t), 'a.duckdb');
    const first = await openAnalyticsStore({ path: file });
    await assert.rejects(openAnalyticsStore({ path: file }), errorCode('STORE_LOCKED', /already open in this process: close the other/));
    // Another spelling of the same file is the same file.
    await assert.rejects(
      openAnalyticsStore({ path: path.join(path.dirname(file), '.', 'x', '..', 'a.duckdb') }),
      errorCode('STORE_LOCKED', /already open/),
    );
    await first.close();
    const second = await openAnalyticsStore({ path: file });
    await second.close();
  });

  test('a file held by another process is refused with its PID and what to do', async (t) => {
    const file = path.join(tempDir(t), 'a.duckdb');
    const child = spawnChild(['hold', file]);
    t.after(() => child.kill('SIGKILL'));
    assert.equal(await child.line(), 'open');
    await assert.rejects(
      openAnalyticsStore({ path: file }),
      errorCode('STORE_LOCKED', new RegExp(`in use by another process \\(PID ${child.pid}.*stop that process.*own data directory`)),
    );
    await child.kill('SIGTERM');
    const store = await openAnalyticsStore({ path: file });
    await store.close();
  });

  test('an unwritable directory, a file that is not DuckDB, and a file with other tables', async (t) => {
    const dir = tempDir(t);
    fs.writeFileSync(path.join(dir, 'plain'), 'not a directory');
    await assert.rejects(
      openAnalyticsStore({ path: path.join(dir, 'plain', 'store', 'a.duckdb') }),
      errorCode('STORE_UNWRITABLE', /cannot create or write .*choose another data directory/),
    );
    fs.writeFileSync(path.join(dir, 'text.duckdb'), 'hello '.repeat(1000));
    await assert.rejects(
      openAnalyticsStore({ path: path.join(dir, 'text.duckdb') }),
      errorCode('STORE_INVALID_FILE', /not a DuckDB database: move it away/),
    );

    const foreign = path.join(dir, 'foreign.duckdb');
    const db = await DuckDBInstance.create(foreign);
    const conn = await db.connect();
    await conn.run('CREATE TABLE departments_count (id VARCHAR PRIMARY KEY, departmentName VARCHAR)');
    conn.closeSync();
    db.closeSync();
    await assert.rejects(
      openAnalyticsStore({ path: foreign }),
      errorCode('STORE_SCHEMA_MISMATCH', /departments_count.*move the file away/),
    );
    // The refused file is released: opening it again gives the same answer, not "already open".
    await assert.rejects(openAnalyticsStore({ path: foreign }), errorCode('STORE_SCHEMA_MISMATCH', /departments_count/));
  });
});

describe('timed commits (commitEveryMs)', () => {
  test('buffered rows are committed on the timer, without a flush, and are readable', async () => {
    const store = await openAnalyticsStore({ path: ':memory:', now: () => T0, commitEveryMs: 20 });
    try {
      const rows = windowRows(T0, seeded(3));
      const committed = new Promise<CommitInfo>((resolve) => store.onCommit(resolve));
      write(store, rows);
      const info = await committed;
      assert.equal(info.rows, rows.length);
      const total = Object.values(await counts(store)).reduce((a, n) => a + n, 0);
      assert.equal(total, rows.length);
    } finally {
      await store.close();
    }
  });

  test('a non-positive interval is refused', async () => {
    await assert.rejects(openAnalyticsStore({ path: ':memory:', commitEveryMs: 0 }), /commitEveryMs must be positive/);
  });
});
