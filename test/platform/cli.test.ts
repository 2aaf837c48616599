// `brook up` as users run it (bin/brook.js in a child process): `brook status` on it, a second
// `brook up` refused on the same data directory or port, SIGKILL, a restart that finds every row,
// SIGTERM with exit code 0; then `brook status` against nothing.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../helpers/temp-broker.ts';
import { type CliRun, fastGeneratorArgs, freePortArgs, getJson, runCli, startUpCli, storeIds, waitFor } from './helpers.ts';

const dir = tempDir('brook-up-cli-');
const other = tempDir('brook-up-cli-other-');
const children: CliRun[] = [];
after(async () => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  rmSync(other, { recursive: true, force: true });
});

interface StoreAnswer {
  rows: number;
  tables: Array<{ table: string; rows: number }>;
}

test('brook up: status, refusals, SIGKILL and resume, SIGTERM exits 0', async () => {
  const first = await startUpCli([...freePortArgs(dir), ...fastGeneratorArgs(Date.now() - 4 * 60_000, 100)]);
  children.push(first.run);
  const { ready } = first;
  assert.equal(ready.dataDir, dir);
  assert.ok(ready.startupMs > 0);
  const rowsBefore = await waitFor('rows in the store', 30_000, async () => {
    const s = await getJson<StoreAnswer>(ready.dashboardUrl, '/api/store');
    return s.tables.every((t) => t.rows > 0) ? s.rows : undefined;
  });

  // brook status finds it through the data directory.
  const status = runCli(['status', '--data-dir', dir]);
  assert.equal(await status.exited, 0, status.stderr());
  const screen = status.stdout();
  assert.match(screen, new RegExp(`^Brook at ${ready.dashboardUrl.replace(/[/.]/g, '\\$&')}, up \\d+s \\(pid ${ready.pid}, data `));
  assert.match(
    screen,
    /\n {2}Processor {3}clickstream: [\d,-]+ events\/s, watermark \d\d:\d\d:\d\d \([\d.]+ s behind\), lag [\d,]+, 3 partitions/,
  );
  assert.match(screen, /\n {2}Checkpoint {2}#\d+ at \d\d:\d\d:\d\d/);
  assert.match(screen, /\n {2}Store {7}[\d,]+ rows \(user_session_details [\d,]+, user_session_counts [\d,]+, departments_count [\d,]+\)/);
  assert.match(screen, /\n {2}clickstream +3 +[\d,]+/);
  assert.match(screen, /\n {2}clickstream-processor +\w+ +[\d,]+/);
  const json = runCli(['status', '--url', ready.dashboardUrl, '--json']);
  assert.equal(await json.exited, 0);
  const parsed = JSON.parse(json.stdout()) as { running: boolean; pipeline: { processor: { job: string } }; store: { rows: number } };
  assert.equal(parsed.running, true);
  assert.equal(parsed.pipeline.processor.job, 'clickstream');
  assert.ok(parsed.store.rows >= rowsBefore);

  // A second brook up: refused on the same data directory, and on a port in use; the first runs on.
  const sameDir = runCli(['up', ...freePortArgs(dir)]);
  assert.equal(await sameDir.exited, 1);
  assert.match(
    sameDir.stderr(),
    new RegExp(`data directory: ${dir} is in use by another brook up \\(process ${ready.pid}\\): stop that one first`),
  );
  const port = new URL(ready.dashboardUrl).port;
  const samePort = runCli(['up', ...freePortArgs(other), '--dashboard-port', port]);
  assert.equal(await samePort.exited, 1);
  assert.match(
    samePort.stderr(),
    new RegExp(
      `could not start the dashboard: port ${port} on 127.0.0.1 is already in use .*choose another with --dashboard-port PORT .*Nothing was started`,
    ),
  );
  const still = await getJson<StoreAnswer>(ready.dashboardUrl, '/api/store');
  assert.ok(still.rows >= rowsBefore);

  // SIGKILL: no goodbye. The store and the checkpoints are crash-safe.
  const committed = await waitFor('another commit after the last look', 10_000, async () => {
    const s = await getJson<StoreAnswer>(ready.dashboardUrl, '/api/store');
    return s.rows > rowsBefore ? s.rows : undefined;
  }).catch(() => still.rows);
  // brook up itself (ready.pid: the launcher's child); the launcher then ends the same way.
  process.kill(ready.pid, 'SIGKILL');
  assert.equal(await first.run.exited, 'SIGKILL');
  // The state file is left behind by the kill: status says that brook up is gone.
  const deadPort = new URL(ready.dashboardUrl).port;
  const gone = runCli(['status', '--data-dir', dir], { BROOK_DASHBOARD_PORT: deadPort });
  assert.equal(await gone.exited, 1);
  assert.match(
    gone.stderr(),
    new RegExp(
      `nothing is running at http://127\\.0\\.0\\.1:${deadPort}/ \\(connection refused\\)\\. The brook up that used ${dir} \\(pid ${ready.pid}\\) is no longer running`,
    ),
  );

  const second = await startUpCli([...freePortArgs(dir), '--no-generator']);
  children.push(second.run);
  assert.match(second.run.stderr(), /processor: resuming from checkpoint \d+/);
  const after = await getJson<StoreAnswer>(second.ready.dashboardUrl, '/api/store');
  assert.ok(after.rows >= committed, `${after.rows} rows after SIGKILL and restart, ${committed} before`);
  second.run.child.kill('SIGTERM');
  assert.equal(await second.run.exited, 0, second.run.stderr());
  assert.match(second.run.stderr(), /brook up: stopped cleanly in \d+ ms/);

  const ids = await storeIds(join(dir, 'store', 'clickstream.duckdb'));
  assert.deepEqual(ids.duplicates, { user_session_details: 0, user_session_counts: 0, departments_count: 0 });
  assert.ok(Object.values(ids.ids).reduce((a, x) => a + x.length, 0) >= committed);

  const nothing = runCli(['status', '--data-dir', dir, '--json'], { BROOK_DASHBOARD_PORT: new URL(second.ready.dashboardUrl).port });
  assert.equal(await nothing.exited, 1);
  assert.equal((JSON.parse(nothing.stdout()) as { running: boolean }).running, false);
});
