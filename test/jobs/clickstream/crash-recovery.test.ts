// Exactly-once results across crashes: `brook process --bounded` is killed with SIGKILL at random
// points of the golden run several times and restarted each time. After deduplicating the output
// topics by row id, they equal the batch computation: no row missing, none different, and every
// duplicate identical to its first copy (a replay recomputes the same row).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { ConfluentRestClient, Framing } from '../../../src/registry/serde/index.ts';
import { readTopic } from '../../helpers/read-topic.ts';
import { withBrokerAndRegistry } from '../../helpers/temp-stack.ts';
import { buildGoldenDataset, goldenEncoder, onTimeClicks, produceGoldenDataset } from './golden-data.ts';
import { computeReference, OUTPUT_TOPICS } from './reference.ts';

describe('brook process killed with SIGKILL and restarted', () => {
  const stack = withBrokerAndRegistry('brook-process-crash-');
  const { dir } = stack;

  /** Runs the CLI; kills it after `killAfterMs` if given. Resolves with how it ended. */
  function runCli(killAfterMs?: number): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
    const args = [
      'bin/brook.js',
      'process',
      '--bootstrap',
      stack.tb.bootstrap,
      '--registry',
      stack.registry.url,
      '--bounded',
      '--from',
      'earliest',
    ];
    args.push('--data-dir', dir, '--checkpoint-interval', '0.2', '--quiet', '--json');
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += String(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += String(d);
    });
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    return new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        if (timer) clearTimeout(timer);
        resolve({ code, signal, stdout, stderr });
      });
    });
  }

  test('after dedup by id the outputs equal the uninterrupted result', { timeout: 240_000 }, async () => {
    const source = new ConfluentRestClient({ url: stack.registry.url });
    const ds = await buildGoldenDataset(await goldenEncoder(source, Framing.CONFLUENT), { sessionsPerWorker: 2500 });
    source.close();
    await produceGoldenDataset({ bootstrap: stack.tb.bootstrap, topic: 'clickstream', records: ds.records });

    const kills = [0, 1, 2, 3].map(() => 400 + Math.floor(Math.random() * 1600));
    let killed = 0;
    for (const ms of kills) {
      const r = await runCli(ms);
      if (r.signal === 'SIGKILL') killed++;
      else assert.equal(r.code, 0, `run ended with ${r.code}: ${r.stderr}`);
    }
    const last = await runCli();
    assert.equal(last.code, 0, last.stderr);
    const summary = JSON.parse(last.stdout) as { restoredFrom?: number; records: number };
    if (killed > 0)
      assert.ok(summary.restoredFrom !== undefined || summary.records === ds.records.length, 'the last run resumed from a checkpoint');
    assert.ok(killed >= 1, `at least one run was killed midway (kill points ${kills.join(', ')} ms)`);

    const ref = computeReference(onTimeClicks(ds.records));
    for (const table of ['user_session_details', 'user_session_counts', 'departments_count'] as const) {
      const byId = new Map<string, string>();
      for (const r of await readTopic(stack.tb.bootstrap, OUTPUT_TOPICS[table])) {
        const id = r.headers.get('brook.id') as string;
        const row = `${id} ${r.key} ${r.timestamp} ${r.value.toString('utf8')}`;
        const first = byId.get(id);
        if (first === undefined) byId.set(id, row);
        else assert.equal(row, first, `a replayed row differs from its first copy (kill points ${kills.join(', ')} ms)`);
      }
      const want = ref[table].map((r) => `${r.id} ${r.kafkaKey} ${r.timestamp} ${r.json}`).sort();
      assert.deepEqual([...byId.values()].sort(), want, `${table} (kill points ${kills.join(', ')} ms)`);
    }
    const distinct = async (topic: string) =>
      new Set((await readTopic(stack.tb.bootstrap, topic)).map((r) => r.headers.get('brook.source'))).size;
    assert.equal(await distinct('clickstream.late'), ds.stats.late);
    assert.equal(await distinct('clickstream.dlq'), ds.stats.bad);
  });
});
