// The health rule behind GET /api/health: a processor must have checkpointed within the allowed
// age, after a start-up grace; a dashboard without a processor is healthy when its store answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maxCheckpointAgeOf, processorHealth } from '../../src/dashboard/health.ts';
import { HttpError } from '../../src/dashboard/http.ts';
import { startDashboard } from '../../src/dashboard/server.ts';
import type { JobMetrics } from '../../src/processor/metrics.ts';
import { FakeStore } from './fake-store.ts';

const NOW = 1_800_000_000_000;
const metrics = (uptimeMs: number, lastAt?: number) =>
  ({ uptimeMs, lastCheckpoint: lastAt === undefined ? undefined : { id: 1, at: lastAt, bytes: 10, durationMs: 1 } }) as JobMetrics;

test('a recent checkpoint is healthy, an old one is not, with the age in the reason', () => {
  assert.deepEqual(processorHealth(metrics(600_000, NOW - 4_000), NOW, 300_000, 120_000), {
    healthy: true,
    reason: 'last checkpoint 4 s ago',
    at: NOW,
  });
  const old = processorHealth(metrics(600_000, NOW - 301_000), NOW, 300_000, 120_000);
  assert.equal(old.healthy, false);
  assert.equal(old.reason, 'last checkpoint 301 s ago (limit 300 s)');
});

test('no checkpoint yet: healthy within the start-up grace, unhealthy after it', () => {
  assert.equal(processorHealth(metrics(60_000), NOW, 300_000, 120_000).healthy, true);
  const late = processorHealth(metrics(121_000), NOW, 300_000, 120_000);
  assert.equal(late.healthy, false);
  assert.equal(late.reason, 'no checkpoint after 121 s');
});

test('without a processor the dashboard alone is healthy', () => {
  assert.equal(processorHealth(undefined, NOW, 300_000, 120_000).healthy, true);
});

test('maxCheckpointAge: seconds from the query, refused when not positive', () => {
  assert.equal(maxCheckpointAgeOf(new URLSearchParams('')), 300_000);
  assert.equal(maxCheckpointAgeOf(new URLSearchParams('maxCheckpointAge=30')), 30_000);
  assert.throws(() => maxCheckpointAgeOf(new URLSearchParams('maxCheckpointAge=-1')), HttpError);
  assert.throws(() => maxCheckpointAgeOf(new URLSearchParams('maxCheckpointAge=x')), /positive number of seconds/);
});

test('over HTTP: 200 while the processor checkpoints, 503 with the reason once it stops, no Kafka needed', async () => {
  let last = Date.now();
  const dash = await startDashboard({
    port: 0,
    store: new FakeStore(),
    // Nothing listens there: the health check must not need Kafka.
    kafka: { bootstrap: ['127.0.0.1:1'] },
    processor: () => metrics(600_000, last),
  });
  try {
    const ok = await fetch(new URL('/api/health', dash.url));
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { healthy: boolean }).healthy, true);
    last = Date.now() - 400_000;
    const stale = await fetch(new URL('/api/health', dash.url));
    assert.equal(stale.status, 503);
    assert.match(((await stale.json()) as { reason: string }).reason, /last checkpoint 400 s ago \(limit 300 s\)/);
    assert.equal((await fetch(new URL('/api/health?maxCheckpointAge=500', dash.url))).status, 200);
  } finally {
    await dash.close();
  }
});
