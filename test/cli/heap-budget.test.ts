// The launcher's heap budget: `brook up` re-runs itself in a child Node with a capped JS heap; a
// SIGTERM to the launcher stops the child cleanly, a SIGKILL of the launcher takes the child with it
// (so the data directory is free for the next start), and BROOK_HEAP_MB=0 runs in one process.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DEFAULT_HEAP_MB, heapBudgetMb, SEMI_SPACE_MB } from '../../bin/heap-budget.js';
import { freePortArgs, runCli, startUpCli, waitFor } from '../platform/helpers.ts';

const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');

describe('heapBudgetMb', () => {
  test('only `brook up` gets a budget, by default DEFAULT_HEAP_MB', () => {
    assert.equal(heapBudgetMb(['up'], {}, []), DEFAULT_HEAP_MB);
    assert.equal(heapBudgetMb(['up', '--data-dir', 'x'], { BROOK_HEAP_MB: '400' }, []), 400);
    assert.equal(heapBudgetMb(['process'], {}, []), undefined);
    assert.equal(heapBudgetMb(['up', '--help'], {}, []), undefined);
  });

  test('a limit the user chose, the child itself, and 0 run in this process', () => {
    assert.equal(heapBudgetMb(['up'], {}, ['--max-old-space-size=900']), undefined);
    assert.equal(heapBudgetMb(['up'], { NODE_OPTIONS: '--max-old-space-size=900' }, []), undefined);
    assert.equal(heapBudgetMb(['up'], { BROOK_HEAP_CHILD: '1' }, []), undefined);
    assert.equal(heapBudgetMb(['up'], { BROOK_HEAP_MB: '0' }, []), undefined);
  });
});

describe('brook up under the launcher', () => {
  const dir = mkdtempSync(join(tmpdir(), 'brook-heap-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const args = [...freePortArgs(join(dir, 'data')), '--no-generator'];

  test('runs in a child with the heap cap; SIGKILL of the launcher kills the child; SIGTERM stops cleanly', {
    timeout: 90_000,
  }, async () => {
    const first = await startUpCli(args);
    assert.notEqual(first.ready.pid, first.run.child.pid, 'brook up runs in a child of the launcher');
    assert.ok(cmdline(first.ready.pid).includes(`--max-old-space-size=${DEFAULT_HEAP_MB}`), cmdline(first.ready.pid).join(' '));
    assert.ok(cmdline(first.ready.pid).includes(`--max-semi-space-size=${SEMI_SPACE_MB}`), cmdline(first.ready.pid).join(' '));

    first.run.child.kill('SIGKILL');
    await waitFor('the child to die with the launcher', 10_000, async () => (existsSync(`/proc/${first.ready.pid}`) ? undefined : true));

    // The data directory's lock went with the child: a new start works on the same directory.
    const second = await startUpCli(args);
    second.run.child.kill('SIGTERM');
    assert.equal(await second.run.exited, 0, second.run.stderr());
    assert.equal(existsSync(`/proc/${second.ready.pid}`), false);
    assert.match(second.run.stderr(), /stopped cleanly/);
  });

  test('BROOK_HEAP_MB=0 runs brook up in the launcher process itself', { timeout: 60_000 }, async () => {
    const run = runCli(['up', '--json', '--quiet', ...args], { BROOK_HEAP_MB: '0' });
    const line = await waitFor('the ready line', 30_000, async () =>
      run
        .stdout()
        .split('\n')
        .find((l) => l.startsWith('{')),
    );
    assert.equal((JSON.parse(line) as { pid: number }).pid, run.child.pid);
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0, run.stderr());
  });

  test('a bad BROOK_HEAP_MB is refused with the reason', async () => {
    const run = runCli(['up', ...args], { BROOK_HEAP_MB: 'lots' });
    assert.equal(await run.exited, 2);
    assert.match(run.stderr(), /BROOK_HEAP_MB must be a whole number of MiB/);
  });
});
