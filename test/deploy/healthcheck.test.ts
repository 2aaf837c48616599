// The container health check (deploy/container/): it passes its limits to the dashboard's
// /api/health and reports its verdict; unhealthy on 503, on another status, or when the dashboard
// does not answer; and the script's exit code, which Docker and ECS act on. (The rule itself is
// tested in test/dashboard/health.test.ts, and against a real `brook up` in container.test.ts.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkHealth, healthOptionsFromEnv } from '../../deploy/container/health.ts';
import { REPO } from './hcl.ts';

let answer: { status: number; body: unknown };
let asked: URL | undefined;
let server: Server;
let url: string;

before(async () => {
  server = createServer((req, res) => {
    asked = new URL(req.url ?? '/', 'http://x');
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/health`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const opts = () => ({ url, maxCheckpointAgeMs: 60_000, startupGraceMs: 120_000, timeoutMs: 2000 });
const verdict = (healthy: boolean, reason: string) => ({ status: healthy ? 200 : 503, body: { healthy, reason, at: 1 } });

describe('checkHealth', () => {
  test("passes its limits in seconds and reports the endpoint's verdict and reason", async () => {
    answer = verdict(true, 'last checkpoint 5 s ago');
    assert.deepEqual(await checkHealth(opts()), { healthy: true, reason: 'last checkpoint 5 s ago' });
    assert.equal(asked?.pathname, '/api/health');
    assert.equal(asked?.searchParams.get('maxCheckpointAge'), '60');
    assert.equal(asked?.searchParams.get('startupGrace'), '120');
    answer = verdict(false, 'last checkpoint 61 s ago (limit 60 s)');
    assert.deepEqual(await checkHealth(opts()), { healthy: false, reason: 'last checkpoint 61 s ago (limit 60 s)' });
  });

  test('another status, a body that is not JSON, or no answer is unhealthy', async () => {
    answer = { status: 404, body: { error: 'not_found' } };
    assert.deepEqual(await checkHealth(opts()), { healthy: false, reason: `${url} answered HTTP 404` });
    answer = { status: 200, body: 'x' };
    assert.equal((await checkHealth(opts())).healthy, false, 'a 200 must say healthy: true');
    const closed = { ...opts(), url: 'http://127.0.0.1:1/api/health' };
    assert.match((await checkHealth(closed)).reason, /did not answer/);
  });
});

describe('healthOptionsFromEnv', () => {
  test('follows the dashboard port brook up uses, and takes limits in seconds', () => {
    assert.equal(healthOptionsFromEnv({}).url, 'http://127.0.0.1:8080/api/health');
    assert.equal(healthOptionsFromEnv({ BROOK_DASHBOARD_PORT: '9000' }).url, 'http://127.0.0.1:9000/api/health');
    const o = healthOptionsFromEnv({ BROOK_HEALTH_MAX_CHECKPOINT_AGE_SECONDS: '30', BROOK_HEALTH_STARTUP_GRACE_SECONDS: 'soon' });
    assert.equal(o.maxCheckpointAgeMs, 30_000);
    assert.equal(o.startupGraceMs, 180_000, 'an unreadable value keeps the default');
  });
});

describe('deploy/container/healthcheck.ts', () => {
  // The server runs in this process, so the script runs as an asynchronous child.
  const run = () =>
    new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [join(REPO, 'deploy/container/healthcheck.ts')], {
        env: { PATH: process.env.PATH, BROOK_HEALTH_URL: url, BROOK_HEALTH_MAX_CHECKPOINT_AGE_SECONDS: '60' },
      });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('close', (code) => resolve({ code, stdout }));
    });

  test('exits 0 with the reason when healthy, 1 when not', async () => {
    answer = verdict(true, 'last checkpoint 1 s ago');
    const healthy = await run();
    assert.equal(healthy.code, 0);
    assert.equal(healthy.stdout, 'healthy: last checkpoint 1 s ago\n');
    answer = verdict(false, 'last checkpoint 3600 s ago (limit 60 s)');
    const stale = await run();
    assert.equal(stale.code, 1);
    assert.equal(stale.stdout, 'unhealthy: last checkpoint 3600 s ago (limit 60 s)\n');
  });
});
