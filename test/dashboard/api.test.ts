// The dashboard's HTTP API against a store with known rows: chart JSON (values, buckets, the top 5
// departments), ranges and their 400s, 404s and 405s, the store endpoints and the static files.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Dashboard, startDashboard } from '../../src/dashboard/server.ts';
import { CHART_IDS, CHARTS } from '../../src/jobs/clickstream/charts.ts';
import { FakeStore } from './fake-store.ts';
import { DEPARTMENTS, getJson, recentWindowEnds, windowRows, writeWindows } from './fixtures.ts';

describe('dashboard API', () => {
  const store = new FakeStore();
  let dash: Dashboard;
  const now = Date.now();
  const ends = recentWindowEnds(now, 12);
  const from = ends[0]! - 10_000;
  const to = ends.at(-1)! + 10_000;

  before(async () => {
    await writeWindows(store, ends);
    // Nothing listens there: the pipeline endpoint is tested against a real broker elsewhere.
    dash = await startDashboard({ port: 0, store, kafka: { bootstrap: ['127.0.0.1:1'] } });
  });
  after(() => dash.close());

  test('a chart: the average of its field per bucket, with its title', async () => {
    const { status, body, headers } = await getJson(dash.url, `/api/charts/sessionCount?from=${from}&to=${to}&bucketMs=10000`);
    assert.equal(status, 200);
    assert.match(headers.get('content-type')!, /^application\/json/);
    assert.equal(headers.get('cache-control'), 'no-store');
    assert.equal(body.chart, 'sessionCount');
    assert.equal(body.title, 'Average User Session Count');
    assert.equal(body.field, 'userSessionCount');
    assert.equal(body.bucketMs, 10_000);
    assert.deepEqual(body.series, [
      { name: 'all', points: ends.map((end, i) => [end, (windowRows(end, i)[0]!.doc as { userSessionCount: number }).userSessionCount]) },
    ]);

    // Two windows per 20 s bucket: their average.
    const wide = await getJson(dash.url, `/api/charts/orderCheckout?from=${from}&to=${to}&bucketMs=20000`);
    const expected = new Map<number, number[]>();
    ends.forEach((end, i) => {
      const b = Math.floor(end / 20_000) * 20_000;
      for (const r of windowRows(end, i).filter((r) => r.table === 'user_session_details')) {
        expected.set(b, [...(expected.get(b) ?? []), (r.doc as { orderCheckoutEventCount: number }).orderCheckoutEventCount]);
      }
    });
    assert.deepEqual(
      wide.body.series[0].points,
      [...expected].sort((a, b) => a[0] - b[0]).map(([b, xs]) => [b, xs.reduce((s, x) => s + x, 0) / xs.length]),
    );
  });

  test('departments: one series per department, the top 5', async () => {
    const { body } = await getJson(dash.url, `/api/charts/departments?from=${from}&to=${to}`);
    assert.equal(body.title, 'Average Department Count');
    assert.equal(body.seriesBy, 'departmentName');
    assert.equal(body.series.length, 5);
    // Counts grow with the department's index, so the last five are the top five.
    assert.deepEqual(body.series.map((s: { name: string }) => s.name).sort(), DEPARTMENTS.slice(-5).sort());
    for (const s of body.series) assert.ok(s.points.length > 0);
  });

  test('all five charts at once share a range and bucket; the default range is the last 15 minutes', async () => {
    const { status, body } = await getJson(dash.url, '/api/charts');
    assert.equal(status, 200);
    assert.ok(Math.abs(body.to - body.from - 15 * 60_000) < 1000);
    assert.equal(body.bucketMs, 10_000, 'automatic: 15 min / 100 buckets rounds up to the 10 s window');
    assert.deepEqual(
      body.charts.map((c: { chart: string; title: string }) => [c.chart, c.title]),
      CHART_IDS.map((id) => [id, CHARTS[id].title]),
    );
    for (const c of body.charts) assert.ok(c.series.length > 0 && c.series[0].points.length > 0, c.chart);
    const hour = await getJson(dash.url, '/api/charts?last=1h');
    assert.equal(hour.body.bucketMs, 60_000);
    const iso = await getJson(dash.url, `/api/charts/sessionCount?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`);
    assert.equal(iso.body.from, from);
  });

  test('bad ranges get 400 with a message that says what is wrong', async () => {
    const cases: Array<[string, RegExp]> = [
      [`from=${to}&to=${from}`, /must be before/],
      ['from=yesterday', /from must be epoch milliseconds or an ISO date/],
      ['to=12abc', /to must be/],
      ['last=forever', /last must be a duration/],
      [`last=15m&from=${from}`, /either last or from\/to/],
      ['bucketMs=5', /at least 1000/],
      ['bucketMs=1.5e4', /whole number/],
      ['last=24h&bucketMs=1000', /more than 10000 buckets/],
      ['from=0&to=99999999999999', /366 days/],
    ];
    for (const [query, message] of cases) {
      for (const path of [`/api/charts?${query}`, `/api/charts/sessionCount?${query}`]) {
        const { status, body } = await getJson(dash.url, path);
        assert.equal(status, 400, path);
        assert.equal(body.error, 'bad_range', path);
        assert.match(body.message, message, path);
      }
    }
  });

  test('unknown charts, routes and tables are 404; other methods 405; a broken path 400', async () => {
    const chart = await getJson(dash.url, '/api/charts/revenue');
    assert.equal(chart.status, 404);
    assert.equal(chart.body.error, 'unknown_chart');
    assert.match(chart.body.message, /departments, orderCheckout/);
    for (const path of ['/api/nothing', '/api/charts/sessionCount/extra', '/api/pipeline/x', '/nothing.html']) {
      const { status, body } = await getJson(dash.url, path);
      assert.equal(status, 404, path);
      assert.equal(body.error, 'not_found', path);
    }
    const table = await getJson(dash.url, '/api/store/orders/latest');
    assert.equal(table.status, 404);
    assert.match(table.body.message, /departments_count/);
    const post = await fetch(new URL('/api/charts', dash.url), { method: 'POST', body: '{}' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    assert.equal(((await post.json()) as { error: string }).error, 'method_not_allowed');
    const broken = await getJson(dash.url, '/api/charts/%E0%A4%A');
    assert.equal(broken.status, 400);
    const index = await getJson(dash.url, '/api');
    assert.ok(index.body.endpoints.some((e: string) => e.startsWith('GET /api/pipeline')));
  });

  test('the store: row counts per table and the latest rows', async () => {
    const { body } = await getJson(dash.url, '/api/store');
    assert.equal(body.rows, ends.length * (1 + 2 + DEPARTMENTS.length));
    assert.equal(body.maxWindowEnd, ends.at(-1));
    assert.deepEqual(body.tables.map((t: { table: string; rows: number }) => [t.table, t.rows]).sort(), [
      ['departments_count', ends.length * DEPARTMENTS.length],
      ['user_session_counts', ends.length],
      ['user_session_details', ends.length * 2],
    ]);
    const latest = await getJson(dash.url, '/api/store/user_session_counts/latest?limit=3');
    assert.deepEqual(
      latest.body.rows.map((r: { windowEndTime: number }) => r.windowEndTime),
      ends.slice(-3).reverse(),
    );
    assert.equal((await getJson(dash.url, '/api/store/user_session_counts/latest?limit=0')).status, 400);
  });

  test('schemas without a registry: 503 that says how to configure one', async () => {
    const { status, body } = await getJson(dash.url, '/api/schemas');
    assert.equal(status, 503);
    assert.match(body.message, /--registry/);
  });

  test('static files: content types, ETag revalidation, gzip, CSP on the page, uPlot from node_modules', async () => {
    const page = await fetch(dash.url);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    assert.match(page.headers.get('content-security-policy')!, /script-src 'self'/);
    const html = await page.text();
    assert.match(html, /Clickstream Dashboard/);
    const again = await fetch(dash.url, { headers: { 'if-none-match': page.headers.get('etag')! } });
    assert.equal(again.status, 304);

    for (const [path, type] of [
      ['/app.js', 'text/javascript; charset=utf-8'],
      ['/style.css', 'text/css; charset=utf-8'],
      ['/vendor/uPlot.min.css', 'text/css; charset=utf-8'],
    ] as const) {
      const res = await fetch(new URL(path, dash.url));
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-type'), type, path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    }
    const uplot = await fetch(new URL('/vendor/uPlot.iife.min.js', dash.url));
    assert.equal(uplot.headers.get('cache-control'), 'public, max-age=86400');
    assert.equal(uplot.headers.get('content-encoding'), 'gzip', 'fetch asks for gzip');
    assert.match(await uplot.text(), /uPlot/);
    const head = await fetch(new URL('/app.js', dash.url), { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  });
});
