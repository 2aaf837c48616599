// Live updates: a store commit pushes exactly one `commit` event (tables, maxWindowEnd) to every
// open stream, pipeline snapshots follow on their period, and closing ends the streams.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Dashboard, startDashboard } from '../../src/dashboard/server.ts';
import { FakeStore } from './fake-store.ts';
import { recentWindowEnds, writeWindows } from './fixtures.ts';
import { openEvents } from './sse-client.ts';

describe('server-sent events', () => {
  const store = new FakeStore();
  let dash: Dashboard;
  before(async () => {
    dash = await startDashboard({ port: 0, store, kafka: { bootstrap: ['127.0.0.1:1'] }, pipelineEveryMs: 200 });
  });
  after(() => dash.close());

  test('one commit, one event per stream, with the committed tables and maxWindowEnd', async () => {
    const a = await openEvents(new URL('/api/events', dash.url).href);
    const b = await openEvents(new URL('/api/events', dash.url).href);
    await a.next('hello');
    await b.next('hello');
    const ends = recentWindowEnds(Date.now(), 3);
    await writeWindows(store, ends);
    const got = await a.next('commit');
    await b.next('commit');
    assert.deepEqual(got.data.tables.sort(), ['departments_count', 'user_session_counts', 'user_session_details']);
    assert.equal(got.data.maxWindowEnd, ends.at(-1));
    assert.equal(got.data.rows, 3 * (1 + 2 + 7));
    // An empty flush commits nothing; a second commit is a second event.
    await store.flush();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(a.events.filter((e) => e.event === 'commit').length, 1);
    const [fromA, fromB] = [a.events.length, b.events.length];
    await writeWindows(store, [ends.at(-1)! + 10_000]);
    const second = await a.next('commit', fromA);
    await b.next('commit', fromB);
    assert.equal(second.data.maxWindowEnd, ends.at(-1)! + 10_000);
    assert.equal(a.events.filter((e) => e.event === 'commit').length, 2);
    assert.equal(b.events.filter((e) => e.event === 'commit').length, 2);
    a.close();
    b.close();
  });

  test('pipeline snapshots arrive on their period while a page listens', async () => {
    const s = await openEvents(new URL('/api/events', dash.url).href);
    const first = await s.next('pipeline');
    const i = s.events.indexOf(first);
    const second = await s.next('pipeline', i + 1);
    assert.ok(second.data.at >= first.data.at);
    assert.match(second.data.kafka.error, /cannot read the Kafka cluster/);
    s.close();
  });

  test('close() ends open streams and the server', async () => {
    const extra = await startDashboard({ port: 0, store, kafka: { bootstrap: ['127.0.0.1:1'] } });
    const s = await openEvents(new URL('/api/events', extra.url).href);
    await s.next('hello');
    const started = Date.now();
    await extra.close();
    assert.ok(Date.now() - started < 2000);
    await assert.rejects(fetch(extra.url));
    s.close();
  });
});
