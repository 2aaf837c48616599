// What goes wrong around `brook up`, and what it says: a port in use and an unusable data directory
// (refused before anything starts), a corrupt checkpoint (the parts already started are stopped
// again, the files are kept), and a part failing while running (named; the others stop cleanly).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PlatformError } from '../../src/platform/errors.ts';
import { startPlatform } from '../../src/platform.ts';
import { tempDir } from '../helpers/temp-broker.ts';
import { fastGeneratorArgs, testConfig, waitFor } from './helpers.ts';

const dirs: string[] = [];
const dir = (prefix: string) => {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<PlatformError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof PlatformError, String(err));
    return err;
  }
  assert.fail('expected startPlatform to fail');
}

function portRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

test('a port in use is refused before anything starts, naming the flag that changes it', async () => {
  const holder: Server = createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
  const port = (holder.address() as { port: number }).port;
  try {
    const d = join(dir('brook-up-port-'), 'data');
    const err = await rejection(startPlatform({ config: testConfig(d, ['--broker-port', String(port)]), log: () => {} }));
    assert.equal(err.part, 'broker');
    assert.equal(
      err.message,
      `broker: port ${port} on 127.0.0.1 is already in use (another brook up, a Kafka broker or another server?): stop what holds it, ` +
        'or choose another with --broker-port PORT (broker.port in brook.config.json; 0 picks a free port). Nothing was started.',
    );
    assert.equal(existsSync(d), false, 'the data directory was not even created');
  } finally {
    holder.close();
  }
});

test('a data directory that cannot be written is refused, with what to do', async () => {
  const file = join(dir('brook-up-dir-'), 'a-file');
  writeFileSync(file, 'not a directory');
  const err = await rejection(startPlatform({ config: testConfig(join(file, 'data')), log: () => {} }));
  assert.equal(err.part, 'data directory');
  assert.match(
    err.message,
    /^data directory: cannot write to .*a-file\/data \(ENOTDIR\): .*--data-dir DIR .*Nothing was started or changed\.$/,
  );
});

test('a corrupt checkpoint stops the start with what to do; the parts already up are stopped and the files kept', async () => {
  const d = dir('brook-up-ckpt-');
  const logs: string[] = [];
  const p = await startPlatform({ config: testConfig(d, ['--no-generator']), log: (l) => logs.push(l) });
  await waitFor('a checkpoint', 10_000, async () => (p.metrics().checkpoints >= 2 ? true : undefined));
  assert.deepEqual(await p.stop(), { ok: true });
  const ckpts = join(d, 'processor', 'clickstream', 'checkpoints');
  const files = readdirSync(ckpts);
  assert.ok(files.length > 0);
  for (const f of files) writeFileSync(join(ckpts, f), 'garbage');

  const err = await rejection(startPlatform({ config: testConfig(d, ['--no-generator']), log: () => {} }));
  assert.equal(err.part, 'processor');
  assert.match(err.message, new RegExp(`^processor: none of the ${files.length} checkpoint files in .* is valid; move them aside`));
  assert.deepEqual(readdirSync(ckpts).sort(), files.sort(), 'nothing deleted');
  // Everything that had started was stopped again: the data directory is free for the next start.
  renameSync(ckpts, `${ckpts}.corrupt`);
  const again = await startPlatform({ config: testConfig(d, ['--no-generator']), log: () => {} });
  assert.deepEqual(await again.stop(), { ok: true });
});

test('a part that fails while running is named, and the others stop cleanly', async () => {
  const d = dir('brook-up-crash-');
  // A state bound of one window entry: the job stops with an error at the first sessions.
  const config = testConfig(d, [...fastGeneratorArgs(Date.now() - 60_000, 20), '--set', 'processor.maxStateEntries=1']);
  const p = await startPlatform({ config, log: () => {} });
  const brokerPort = Number(p.bootstrap[0]!.split(':')[1]);
  const exit = await Promise.race([p.done, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 30_000).unref())]);
  assert.notEqual(exit, 'hung');
  assert.ok(exit !== 'hung' && !exit.ok);
  assert.equal(exit.part, 'processor');
  assert.match(exit.error.message, /^processor: .*state/i, exit.error.message);
  assert.ok(await portRefused(brokerPort), 'the broker was closed');
  assert.ok(await portRefused(Number(new URL(p.dashboardUrl).port)), 'the dashboard was closed');
  assert.deepEqual(await p.stop(), exit, 'stop() after a failure answers the same');
});
