// The container health check (deploy/container/): healthy while the processor in the process
// checkpoints, unhealthy when its checkpoints stop, when no processor runs there, or when the
// dashboard does not answer; and the script's exit code, which Docker and ECS act on.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkHealth, healthOptionsFromEnv } from '../../deploy/container/health.ts';
import { REPO } from './hcl.ts';

const NOW = 1_700_000_000_000;
let answer: { status: number; body: unknown };
let server: Server;
let url: string;

before(async () => {
  server = createServer((_req, res) => {
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/pipeline`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const opts = () => ({ url, maxCheckpointAgeMs: 60_000, startupGraceMs: 120_000, timeoutMs: 2000 });
const pipeline = (processor: unknown) => ({ status: 200, body: { at: NOW, kafka: { error: null }, topics: [], groups: [], processor } });

describe('checkHealth', () => {
  test('a recent checkpoint is healthy, an old one is not', async () => {
    answer = pipeline({ uptimeMs: 600_000, lastCheckpointAt: NOW - 5_000 });
    assert.deepEqual(await checkHealth(opts()), { healthy: true, reason: 'last checkpoint 5 s ago' });
    answer = pipeline({ uptimeMs: 600_000, lastCheckpointAt: NOW - 61_000 });
    assert.deepEqual(await checkHealth(opts()), { healthy: false, reason: 'last checkpoint 61 s ago (limit 60 s)' });
  });

  test('no checkpoint yet is healthy during the startup grace only', async () => {
    answer = pipeline({ uptimeMs: 30_000, lastCheckpointAt: null });
    assert.equal((await checkHealth(opts())).healthy, true);
    answer = pipeline({ uptimeMs: 121_000, lastCheckpointAt: null });
    assert.deepEqual(await checkHealth(opts()), { healthy: false, reason: 'no checkpoint after 121 s' });
  });

  test('a dashboard without a processor, an error status or no answer is unhealthy', async () => {
    answer = pipeline(null);
    assert.match((await checkHealth(opts())).reason, /no processor runs/);
    answer = { status: 503, body: { error: 'closing' } };
    assert.deepEqual(await checkHealth(opts()), { healthy: false, reason: `${url} answered HTTP 503` });
    const closed = { ...opts(), url: 'http://127.0.0.1:1/api/pipeline' };
    assert.match((await checkHealth(closed)).reason, /did not answer/);
  });
});

describe('healthOptionsFromEnv', () => {
  test('follows the dashboard port brook up uses, and takes limits in seconds', () => {
    assert.equal(healthOptionsFromEnv({}).url, 'http://127.0.0.1:8080/api/pipeline');
    assert.equal(healthOptionsFromEnv({ BROOK_DASHBOARD_PORT: '9000' }).url, 'http://127.0.0.1:9000/api/pipeline');
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
    answer = pipeline({ uptimeMs: 600_000, lastCheckpointAt: NOW - 1000 });
    const healthy = await run();
    assert.equal(healthy.code, 0);
    assert.equal(healthy.stdout, 'healthy: last checkpoint 1 s ago\n');
    answer = pipeline({ uptimeMs: 600_000, lastCheckpointAt: NOW - 3_600_000 });
    const stale = await run();
    assert.equal(stale.code, 1);
    assert.equal(stale.stdout, 'unhealthy: last checkpoint 3600 s ago (limit 60 s)\n');
  });
});
