// A real crash: a child process appends and flushes in a loop and is SIGKILLed mid-way (twice,
// the second run recovering the first's log). Every offset it printed as flushed must be
// readable with its content; nothing partial is served.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openLogManager } from '../../src/log/log-manager.ts';
import { readAll, tempDir } from './helpers.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'append-loop.ts');

interface Acked {
  base: bigint;
  last: bigint;
  tag: string;
}

/** Runs the child until it has acknowledged `atLeast` batches, then SIGKILLs it. */
function runAndKill(dataDir: string, run: string, atLeast: number): Promise<Acked[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture, dataDir, run], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: Acked[] = [];
    let buffered = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child acknowledged only ${acked.length} batches in 60 s; stderr: ${stderr}`));
    }, 60_000);
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('ready')) continue;
        const [base, last, tag] = line.split(' ') as [string, string, string];
        acked.push({ base: BigInt(base), last: BigInt(last), tag });
      }
      if (!killed && acked.length >= atLeast) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited with ${code}/${signal}: ${stderr}`));
      else resolve(acked); // lines printed before the kill are all in `acked` (pipes are synchronous on POSIX)
    });
  });
}

test('records acknowledged after flush survive SIGKILL', { timeout: 180_000 }, async (t) => {
  const tmp = tempDir();
  try {
    const acked = [...(await runAndKill(tmp.dir, 'a', 150 + Math.floor(Math.random() * 300)))];
    acked.push(...(await runAndKill(tmp.dir, 'b', 150 + Math.floor(Math.random() * 300))));
    const logs = await openLogManager({ dataDir: tmp.dir, retentionCheckIntervalMs: 0 });
    try {
      assert.equal(logs.openedClean, false);
      const log = logs.partition('k', 0)!;
      const byOffset = new Map(readAll(log, 0n, 100_000).map((r) => [r.offset, r]));
      let checked = 0;
      for (const a of acked) {
        assert.ok(log.logEndOffset > a.last, `acked offset ${a.last} beyond the log end ${log.logEndOffset}`);
        for (let o = a.base; o <= a.last; o++) {
          const r = byOffset.get(o);
          assert.ok(r, `acked offset ${o} (${a.tag}) is missing`);
          assert.equal(r.key, a.tag);
          assert.ok(r.value?.startsWith(`${a.tag}:${o - a.base}:`), `offset ${o} holds ${r.value?.slice(0, 20)}`);
          checked++;
        }
      }
      assert.ok(checked > 300);
      t.diagnostic(
        `checked ${checked} acked records, log end ${log.logEndOffset}, segments ${log.segments.length}, truncated ${log.recoveredTruncatedBytes}`,
      );
      // Offsets are dense from 0 to the end: nothing partial, nothing skipped.
      assert.equal(byOffset.size, Number(log.logEndOffset));
    } finally {
      await logs.close();
    }
  } finally {
    tmp.cleanup();
  }
});
