// THE browser test: headless Chromium opens the dashboard against a running pipeline with data
// (broker, registry, generator, the clickstream job into the analytics store), finds the five
// charts drawn with data points, sees a new window arrive without a reload, switches the time
// range, and opens the Pipeline and Schemas views. Screenshots go to test-artifacts/dashboard/.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type Dashboard, startDashboard } from '../../src/dashboard/server.ts';
import { CHART_IDS, CHARTS } from '../../src/jobs/clickstream/charts.ts';
import { openAnalyticsStore } from '../../src/sinks/duckdb/analytics-store.ts';
import type { AnalyticsStore } from '../../src/sinks/duckdb/analytics-store.types.ts';
import { tempDir } from '../helpers/temp-broker.ts';
import { windowRows } from './fixtures.ts';
import { type RunningPipeline, startPipeline } from './running-pipeline.ts';

const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'dashboard');

interface PageState {
  view: string;
  connected: boolean;
  commits: number;
  chartRenders: number;
  charts: Record<string, { title: string; points: number; series: Array<{ name: string; points: number }> }>;
  range: { from: number; to: number; bucketMs: number };
  pipelineRenders: number;
  subjects: string[] | null;
  schema: { subject: string; version: number } | null;
}

const state = (page: Page) => page.evaluate(() => (globalThis as unknown as { __brook: PageState }).__brook);

describe('the dashboard in a real browser, against a running pipeline', { timeout: 60_000 }, () => {
  const dir = tempDir('brook-dashboard-browser-');
  let store: AnalyticsStore;
  let pipeline: RunningPipeline;
  let dash: Dashboard;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    store = await openAnalyticsStore({ path: join(dir, 'clickstream.duckdb') });
    const committed = new Promise<void>((resolve) => {
      const off = store.onCommit((info) => {
        if (info.tables.includes('user_session_counts')) {
          off();
          resolve();
        }
      });
    });
    // About 2,000 events 100 ms apart from 7 minutes ago: about 4 minutes of windows, all but the last few closed at once.
    pipeline = await startPipeline(store, { sessions: 50, startTime: Date.now() - 7 * 60_000, timeStepMs: 100 });
    dash = await startDashboard({
      port: 0,
      store,
      kafka: { bootstrap: [pipeline.tb.bootstrap] },
      registryUrl: pipeline.registry.url,
      processor: () => pipeline.runner.metrics(),
    });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await committed;
  });

  after(async () => {
    await browser?.close();
    await dash?.close();
    await pipeline?.stop();
    await store?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the five charts are drawn with data points, in the original layout, with the original titles', async () => {
    await page.goto(dash.url);
    await page.waitForFunction(
      (ids) => {
        const s = (globalThis as unknown as { __brook: PageState }).__brook;
        return ids.every((id) => (s.charts[id]?.points ?? 0) > 0);
      },
      CHART_IDS,
      { timeout: 15_000 },
    );
    const s = await state(page);
    assert.equal(s.view, 'dashboard');
    assert.equal(s.range.to - s.range.from, 15 * 60_000, 'the default range is the last 15 minutes');
    assert.equal(s.range.bucketMs, 10_000, 'automatic bucket');
    const cards = await page.$$eval('[data-chart]', (els) =>
      // The page's elements (no DOM types in this Node project).
      els.map((el: any) => ({
        id: el.dataset.chart as string,
        title: el.querySelector('h2')?.textContent as string,
        points: Number(el.dataset.points),
        series: Number(el.dataset.series),
        canvases: el.querySelectorAll('.uplot canvas').length as number,
      })),
    );
    assert.deepEqual(
      cards.map((c) => [c.id, c.title]),
      CHART_IDS.map((id) => [id, CHARTS[id].title]),
    );
    for (const c of cards) {
      assert.equal(c.canvases, 1, `${c.id} has a uPlot canvas`);
      assert.ok(c.points > 1, `${c.id} has points (${c.points})`);
    }
    const departments = s.charts.departments!;
    assert.ok(departments.series.length > 1 && departments.series.length <= 5, `${departments.series.length} department series`);
    const legend = await page.$$eval('[data-chart="departments"] .u-legend .u-series', (els) => els.length);
    assert.equal(legend, departments.series.length + 1, 'a legend entry per department (and the time)');

    // uPlot drew: every canvas has colored pixels beyond the background.
    const inked = await page.$$eval('.uplot canvas', (canvases) =>
      canvases.map((canvas: any) => {
        const data: Uint8ClampedArray = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let colored = 0;
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
          if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 40) colored++;
        }
        return colored;
      }),
    );
    for (const [i, n] of inked.entries()) assert.ok(n > 200, `chart ${CHART_IDS[i]} has ${n} colored pixels`);
    await page.screenshot({ path: join(ARTIFACTS, '1-dashboard.png'), fullPage: true });
  });

  test('a new window arrives without a reload', async () => {
    await page.evaluate(() => {
      (globalThis as unknown as { __noReload: boolean }).__noReload = true;
    });
    await page.waitForFunction(() => (globalThis as unknown as { __brook: PageState }).__brook.connected);
    const before = await state(page);
    const end = Math.floor((Date.now() - 10_000) / 10_000) * 10_000;
    for (const row of windowRows(end, 1).filter((r) => r.table !== 'departments_count')) store.write({ value: row, timestamp: end - 1 });
    await store.flush();
    await page.waitForFunction(
      (n) => (globalThis as unknown as { __brook: PageState }).__brook.charts.sessionCount!.points > n,
      before.charts.sessionCount!.points,
      { timeout: 5000 },
    );
    const after = await state(page);
    assert.ok(after.commits > before.commits, 'told by a server-sent event');
    assert.equal(
      await page.evaluate(() => (globalThis as unknown as { __noReload?: boolean }).__noReload),
      true,
      'the page was not reloaded',
    );
    assert.match((await page.textContent('#chart-meta')) ?? '', /latest window/);
    await page.screenshot({ path: join(ARTIFACTS, '2-new-window.png'), fullPage: true });
  });

  test('switching the time range: presets and a custom range', async () => {
    await page.click('button[data-range="1h"]');
    await page.waitForFunction(() => (globalThis as unknown as { __brook: PageState }).__brook.range.bucketMs === 60_000);
    let s = await state(page);
    assert.equal(s.range.to - s.range.from, 3_600_000);
    assert.match(page.url(), /#\/dashboard\?last=1h$/);
    assert.equal(await page.getAttribute('button[data-range="1h"]', 'aria-pressed'), 'true');
    assert.ok(s.charts.sessionCount!.points > 0);

    await page.click('button[data-range="5m"]');
    await page.waitForFunction(() => {
      const r = (globalThis as unknown as { __brook: PageState }).__brook.range;
      return r.to - r.from === 300_000;
    });

    // Custom: the 10 minutes that hold the generated data.
    await page.click('button[data-range="custom"]');
    const from = Math.floor((Date.now() - 8 * 60_000) / 1000) * 1000;
    const to = from + 10 * 60_000;
    const local = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
    await page.fill('#custom-range input[name="from"]', local(from));
    await page.fill('#custom-range input[name="to"]', local(to));
    await page.click('#custom-range button[type="submit"]');
    await page.waitForFunction((f) => (globalThis as unknown as { __brook: PageState }).__brook.range.from === f, from);
    s = await state(page);
    assert.equal(s.range.to, to);
    assert.ok(s.charts.departments!.points > 0 && s.charts.sessionCount!.points > 0);
    await page.screenshot({ path: join(ARTIFACTS, '3-custom-range.png'), fullPage: true });
  });

  test('the Pipeline view: topics, partitions, offsets, rates, the group with lag, the processor', async () => {
    await page.click('nav.tabs a[data-view="pipeline"]');
    await page.waitForSelector('#topics tr[data-topic="clickstream"]');
    await page.waitForSelector('#groups tr[data-group="clickstream-processor"]', { timeout: 10_000 });
    const topics = await page.$$eval('#topics tr.group-row', (rows) => rows.map((r: any) => r.dataset.topic as string));
    for (const t of ['clickstream', 'Departments_Agg', 'ClickEvents_UserId_Agg_Result', 'User_Sessions_Aggregates_With_Order_Checkout']) {
      assert.ok(topics.includes(t), `topic ${t} listed: ${topics.join(', ')}`);
    }
    const clickstream = await page.$eval('#topics tr[data-topic="clickstream"]', (r) => [...r.children].map((td) => td.textContent));
    assert.equal(clickstream[1], '3', 'three partitions');
    assert.equal(Number(clickstream[3]!.replaceAll(',', '')), pipeline.events, 'end offsets add up to the events produced');
    const processor = (await page.textContent('#processor')) ?? '';
    for (const label of ['Events/s', 'Freshness', 'Watermark', 'Lag', 'Late', 'Dead letters', 'Last checkpoint']) {
      assert.ok(processor.includes(label), `processor shows ${label}`);
    }
    assert.equal(await page.$$eval('#processor-partitions tbody tr', (rows) => rows.length), 3, 'a watermark row per input partition');
    await page.screenshot({ path: join(ARTIFACTS, '4-pipeline.png'), fullPage: true });
  });

  test('the Schemas view: the clickstream subject, its versions, compatibility and schema text', async () => {
    await page.click('nav.tabs a[data-view="schemas"]');
    await page.waitForSelector('#schema-text');
    const s = await state(page);
    assert.ok(s.subjects?.includes('clickstream-value'), `subjects: ${s.subjects}`);
    assert.equal(s.schema?.subject, 'clickstream-value');
    const text = (await page.textContent('#schema-text')) ?? '';
    assert.match(text, /"name": "ClickEvent"/);
    assert.match((await page.textContent('#subjects')) ?? '', /BACKWARD/);
    await page.screenshot({ path: join(ARTIFACTS, '5-schemas.png'), fullPage: true });
    assert.deepEqual(problems, [], 'no console errors or page errors');
  });
});
