// The dashboard over HTTPS with users: 401 and 403 for each role and way in (password, client
// certificate), trust through the test CA, the Schemas view reading an HTTPS registry with a login,
// and headless Chromium logging in with basic auth and drawing the charts (and getting 401 without).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { type Dashboard, startDashboard } from '../../src/dashboard/server.ts';
import { CHART_IDS } from '../../src/jobs/clickstream/charts.ts';
import { ConfluentRestClient } from '../../src/registry/serde/index.ts';
import { type Registry, startRegistry } from '../../src/registry/server.ts';
import { startTempBroker, type TempBroker, tempDir } from '../helpers/temp-broker.ts';
import { ADMIN, basic, httpsCall, makeWebAuthFixture, READER, type WebAuthFixture } from '../security/http-fixtures.ts';
import { FakeStore } from './fake-store.ts';
import { recentWindowEnds, writeWindows } from './fixtures.ts';

const SCHEMA = JSON.stringify({ type: 'record', name: 'Ping', fields: [{ name: 'n', type: 'int' }] });

describe('the dashboard over HTTPS with basic auth and client certificates', { timeout: 60_000 }, () => {
  const dir = tempDir('brook-dashboard-auth-');
  const store = new FakeStore();
  let fx: WebAuthFixture;
  let tb: TempBroker;
  let registry: Registry;
  let dash: Dashboard;
  let browser: Browser;

  before(async () => {
    fx = await makeWebAuthFixture(dir);
    await writeWindows(store, recentWindowEnds(Date.now(), 12));
    tb = await startTempBroker();
    const tls = { cert: fx.pki.server.cert, key: fx.pki.server.key, ca: fx.pki.ca.ca, clientAuth: 'requested' as const };
    registry = await startRegistry({ port: 0, bootstrap: tb.bootstrap, tls, auth: { usersFile: fx.usersFile } });
    const admin = new ConfluentRestClient({ url: registry.url, auth: ADMIN, tls: { ca: fx.pki.ca.ca } });
    await admin.getOrRegisterId('ping-value', SCHEMA, true);
    admin.close();
    // The dashboard reads the registry as the read-only user: the credentials ride in the URL.
    const registryUrl = new URL(registry.url);
    registryUrl.username = READER.username;
    registryUrl.password = READER.password;
    dash = await startDashboard({
      port: 0,
      store,
      kafka: { bootstrap: [tb.bootstrap] },
      registryUrl: registryUrl.href,
      registryTls: { ca: fx.pki.ca.ca },
      tls,
      auth: { usersFile: fx.usersFile },
    });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
  });
  after(async () => {
    await browser?.close();
    await dash?.close();
    await registry?.close();
    await tb?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, opts: Parameters<typeof httpsCall>[2] = {}) => httpsCall(dash.url, path, { ca: fx.pki.ca.ca, ...opts });

  test('served over HTTPS that the test CA makes trusted (and nothing else does)', async () => {
    assert.match(dash.url, /^https:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal((await get('/api', { headers: { authorization: basic(READER) } })).status, 200);
    await assert.rejects(httpsCall(dash.url, '/api'), /self-signed certificate|unable to (get|verify)/i);
  });

  test('/api/health answers probes without a login (and says only healthy or not); the rest still needs one', async () => {
    const health = await get('/api/health');
    assert.equal(health.status, 200, health.text);
    assert.deepEqual(Object.keys(health.json as object).sort(), ['at', 'healthy', 'reason']);
    assert.equal((await get('/api/pipeline')).status, 401);
    assert.equal((await get('/api/health/x')).status, 401, 'only the exact path is open');
  });

  test('no credentials, a wrong password, an unknown user: 401 with the challenge, on the page, the API and the events', async () => {
    const cases: [string, Record<string, string>][] = [
      ['no credentials', {}],
      ['wrong password', { authorization: basic({ username: READER.username, password: 'guess' }) }],
      ['unknown user', { authorization: basic({ username: 'mallory', password: 'guess' }) }],
    ];
    for (const path of ['/', '/app.js', '/api/charts', '/api/events']) {
      for (const [what, headers] of cases) {
        const a = await get(path, { headers });
        assert.equal(a.status, 401, `${what} ${path}`);
        assert.equal(a.headers['www-authenticate'], 'Basic realm="brook-dashboard", charset="UTF-8"');
        assert.equal(a.json.error, 'unauthorized');
      }
    }
    const head = await get('/api/store', { method: 'HEAD' });
    assert.equal(head.status, 401);
    assert.equal(head.text, '');
  });

  test('read-only and admin both view everything; only admin gets past a request that would change something', async () => {
    for (const who of [READER, ADMIN]) {
      for (const path of ['/', '/api/charts?last=15m', '/api/store', '/api/schemas']) {
        const a = await get(path, { headers: { authorization: basic(who) } });
        assert.equal(a.status, 200, `${who.username} ${path}: ${a.text.slice(0, 200)}`);
      }
    }
    const reader = await get('/api/charts', { method: 'POST', headers: { authorization: basic(READER) } });
    assert.equal(reader.status, 403);
    assert.equal(reader.json.error, 'forbidden');
    assert.match(reader.json.message, /user reader is read-only; this request needs the admin role/);
    // Admin passes the role check; the dashboard itself has no such endpoint.
    assert.equal((await get('/api/charts', { method: 'POST', headers: { authorization: basic(ADMIN) } })).status, 405);
  });

  test('client certificates: a known one is let in, an unknown one gets 403', async () => {
    assert.equal((await get('/api/store', { cert: fx.readerCert })).status, 200);
    assert.equal((await get('/api/store', { cert: fx.aliceCert })).status, 200);
    const nobody = await get('/api/store', { cert: fx.nobodyCert });
    assert.equal(nobody.status, 403);
    assert.match(nobody.json.message, /CN=nobody,O=Brook belongs to no user/);
  });

  test('the Schemas view reads the HTTPS registry with its login, and never shows the password', async () => {
    const a = await get('/api/schemas', { headers: { authorization: basic(READER) } });
    assert.equal(a.status, 200, a.text);
    assert.deepEqual(
      a.json.subjects.map((s: { subject: string }) => s.subject),
      ['ping-value'],
    );
    assert.equal(a.json.registryUrl, registry.url);
    assert.ok(!a.text.includes(READER.password));
  });

  test('headless Chromium logs in with basic auth and draws the charts with live updates; without a login, 401', async () => {
    // Without a login the browser gets the 401 and, having nothing to answer the challenge with, gives up.
    const anonymous = await browser.newContext({ ignoreHTTPSErrors: true });
    const anonymousPage = await anonymous.newPage();
    const statuses: number[] = [];
    anonymousPage.on('response', (r) => statuses.push(r.status()));
    await assert.rejects(anonymousPage.goto(dash.url), /ERR_INVALID_AUTH_CREDENTIALS/);
    assert.deepEqual(statuses, [401]);
    await anonymous.close();
    const wrong = await browser.newContext({ ignoreHTTPSErrors: true, httpCredentials: { username: READER.username, password: 'guess' } });
    assert.equal((await (await wrong.newPage()).goto(dash.url))?.status(), 401);
    await wrong.close();

    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      httpCredentials: { username: READER.username, password: READER.password },
      viewport: { width: 1400, height: 1000 },
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    const answer = await page.goto(dash.url);
    assert.equal(answer?.status(), 200);
    await page.waitForFunction(
      (ids) => {
        const s = (globalThis as unknown as { __brook: { charts: Record<string, { points: number }>; connected: boolean } }).__brook;
        return s.connected && ids.every((id) => (s.charts[id]?.points ?? 0) > 0);
      },
      CHART_IDS,
      { timeout: 15_000 },
    );
    assert.equal(await page.$$eval('.uplot canvas', (c) => c.length), CHART_IDS.length);
    // A commit reaches the page through the event stream, which the login covers too.
    const commits = () => (globalThis as unknown as { __brook: { commits: number } }).__brook.commits;
    const before = await page.evaluate(commits);
    await writeWindows(store, [Math.floor(Date.now() / 10_000) * 10_000], 99);
    await page.waitForFunction((n) => (globalThis as unknown as { __brook: { commits: number } }).__brook.commits > n, before, {
      timeout: 5000,
    });
    assert.deepEqual(problems, [], 'no console errors: scripts, styles, the API and the event stream all passed the login');
    await context.close();
  });
});
