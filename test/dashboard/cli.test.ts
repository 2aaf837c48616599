// `brook dashboard` as a user runs it: help and flag errors, then standalone against a broker with
// result rows: the "at <url>" line, the rows read from the topics into its own store in the data
// directory, and a clean stop on Ctrl-C. (Run through the command object until main.ts lists it.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Admin, Producer, stringSerializers } from '@platformatic/kafka';
import { parseCommandArgs, renderHelp, UsageError } from '../../src/cli/command.ts';
import { dashboardCommand } from '../../src/cli/dashboard-command.ts';
import { RESULT_TOPICS } from '../../src/jobs/clickstream/rows.ts';
import { openAnalyticsStore } from '../../src/sinks/duckdb/analytics-store.ts';
import { startTempBroker, type TempBroker, tempDir } from '../helpers/temp-broker.ts';
import { windowRows } from './fixtures.ts';

const COMMAND = new URL('../../src/cli/dashboard-command.ts', import.meta.url).href;
const COMMAND_TS = new URL('../../src/cli/command.ts', import.meta.url).href;

/** `brook dashboard ARGS` in a child process (the broker it reads lives in this one). */
function runDashboard(args: string[]) {
  const script =
    `const { dashboardCommand } = await import(${JSON.stringify(COMMAND)});` +
    `const { parseCommandArgs } = await import(${JSON.stringify(COMMAND_TS)});` +
    'process.exitCode = await dashboardCommand.run(parseCommandArgs(dashboardCommand, process.argv.slice(1)).values, []);';
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    url: new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL line: ${stdout} ${stderr}`)), 15_000);
      child.stdout.on('data', () => {
        const m = /brook dashboard at (http:\/\/\S+)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      void exited.then((code) => reject(new Error(`exited early (${code}): ${stderr}`)));
    }),
    async stop() {
      child.kill('SIGINT');
      return { code: await exited, stdout, stderr };
    },
  };
}

test('help names every flag; bad flags are usage errors', async () => {
  const help = renderHelp(dashboardCommand);
  for (const flag of ['--port', '--host', '--bootstrap', '--registry', '--data-dir', '--store-retention', '--properties'])
    assert.ok(help.includes(flag), flag);
  assert.match(help, /default: 8080/);
  const run = (...argv: string[]) => dashboardCommand.run(parseCommandArgs(dashboardCommand, argv).values, []);
  await assert.rejects(
    run('--store-retention', 'forever'),
    (e: unknown) => e instanceof UsageError && /--store-retention/.test((e as Error).message),
  );
  await assert.rejects(run('--port', '99999'), UsageError);
  await assert.rejects(run('--registry', 'localhost:8081'), /http\(s\) URL/);
  assert.throws(() => parseCommandArgs(dashboardCommand, ['--colour']), UsageError);
});

describe('brook dashboard, standalone', () => {
  let tb: TempBroker;
  const dir = tempDir('brook-dashboard-cli-');
  before(async () => {
    tb = await startTempBroker();
    const admin = new Admin({ clientId: 'test', bootstrapBrokers: [tb.bootstrap] });
    await admin.createTopics({ topics: Object.values(RESULT_TOPICS), partitions: 1, replicas: 1 });
    await admin.close();
    const producer = new Producer({ clientId: 'test', bootstrapBrokers: [tb.bootstrap], serializers: stringSerializers });
    const rows = [Date.now() - 60_000, Date.now() - 50_000].flatMap((end, i) => windowRows(end - (end % 10_000), i));
    await producer.send({ messages: rows.map((r) => ({ topic: RESULT_TOPICS[r.table], key: r.key, value: r.json })) });
    await producer.close();
  });
  after(async () => {
    await tb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('prints its URL, fills its own store from the result topics, stops cleanly on Ctrl-C', async () => {
    const dash = runDashboard(['--port', '0', '--bootstrap', tb.bootstrap, '--registry', 'http://127.0.0.1:1', '--data-dir', dir]);
    const url = await dash.url;
    const deadline = Date.now() + 10_000;
    let stats: { rows: number; path: string } = { rows: 0, path: '' };
    while (stats.rows < 20 && Date.now() < deadline) {
      stats = (await (await fetch(new URL('/api/store', url))).json()) as typeof stats;
      if (stats.rows < 20) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(stats.rows, 2 * (1 + 2 + 7));
    const chart = (await (await fetch(new URL('/api/charts/sessionCount', url))).json()) as { series: Array<{ points: unknown[] }> };
    assert.equal(chart.series[0]?.points.length, 2);
    const page = await fetch(url);
    assert.match(await page.text(), /Clickstream Dashboard/);

    const { code, stdout, stderr } = await dash.stop();
    assert.equal(code, 0, stderr);
    assert.match(stdout, /stopped \(20 result rows read into the store\)/);
    assert.ok(existsSync(join(dir, 'dashboard', 'clickstream.duckdb')), 'the store is in <data-dir>/dashboard');

    // A restart reads the topics from the start again: the same ids upsert, nothing doubles.
    const again = runDashboard(['--port', '0', '--bootstrap', tb.bootstrap, '--registry', 'http://127.0.0.1:1', '--data-dir', dir]);
    const url2 = await again.url;
    const before = (await (await fetch(new URL('/api/store', url2))).json()) as { rows: number };
    assert.equal(before.rows, 20, 'the store kept its rows across the restart');
    await new Promise((r) => setTimeout(r, 1500));
    const stopped = await again.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, /stopped \(20 result rows read/);
    const store = await openAnalyticsStore({ path: join(dir, 'dashboard', 'clickstream.duckdb') });
    assert.equal(
      (await store.stats()).reduce((n, t) => n + t.rows, 0),
      20,
    );
    await store.close();
  });
});
