// Produce latency, one record per request at a fixed rate, acks=-1: Brook's wire client (the broker),
// @platformatic/kafka (+ client), acks=1 (no fsync), the same pattern without a broker (the floor).
// Usage: node bench/produce-latency.ts [--rate 10000] [--seconds 20] [--warmup-seconds 2] [--floor-seconds 10]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startBroker } from '../src/broker/server.ts';
import { probe } from './lib/broker-probe.ts';
import { NODE, runChild } from './lib/child.ts';
import { coalesceFlushes } from './lib/coalesce.ts';
import { conditions, printConditions } from './lib/conditions.ts';
import { table } from './lib/format.ts';
import { type Dist, dist, groupCommitFloor } from './lib/fsync-floor.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '20' },
    'warmup-seconds': { type: 'string', default: '2' },
    'floor-seconds': { type: 'string', default: '10' },
    dir: { type: 'string', default: os.tmpdir() },
  },
});
const CLIENT = new URL('./lib/latency-client.ts', import.meta.url).pathname;

interface LatencyResult {
  sends: number;
  achievedRate: number;
  fromSchedule: Dist;
  fromSend: Dist;
  lateness: Dist;
  cpuMs: number;
}

printConditions(conditions(values.dir));
console.log(
  `rate ${values.rate} records/s for ${values.seconds} s (after ${values['warmup-seconds']} s warm-up, not counted); one 100-byte record per Produce request (v9), 1 partition, compression none; latency in ms`,
);

const rate = Number(values.rate);
const floorSeconds = Number(values['floor-seconds']);
const f = (x: number) => x.toFixed(2);
const describe = (d: Dist) => `p50 ${f(d.p50)}, p99 ${f(d.p99)}, p99.9 ${f(d.p999)}, max ${f(d.max)}`;
async function floorRun(when: string, windowMs = 0) {
  const r = await groupCommitFloor(values.dir, rate, floorSeconds, windowMs);
  console.log(
    `raw floor (${when}): latency ${describe(r.latency)}; ${r.rounds} fdatasync rounds: ${describe(r.syncs)}; process CPU ${(r.cpuMs / 1000).toFixed(1)} s`,
  );
  return r;
}
// Dirty pages and journal work left by earlier benchmarks (GBs written and deleted) would land in
// this run's fsync tail: flush them and let the disk settle first.
execFileSync('sync', { timeout: 60_000 });
await new Promise((r) => setTimeout(r, 2000));
const floorBefore = await floorRun('before the broker runs');
const work = fs.mkdtempSync(path.join(values.dir, 'brook-bench-lat-'));
const broker = await startBroker({ port: 0, dataDir: work, groupInitialRebalanceDelayMs: 0 });
const runs: [string, LatencyResult, string][] = [];
try {
  // The wire client runs twice (first and last) to show how much the tail moves between runs.
  // The last run emulates a 1 ms group-commit delay (bench/lib/coalesce.ts) in this broker.
  const clients: [string, string, string, number][] = [
    ['wire client, acks=-1', 'wire', '-1', -1],
    ['@platformatic/kafka, acks=-1', 'platformatic', '-1', -1],
    ['wire client, acks=1', 'wire', '1', -1],
    ['wire client, acks=-1 (again)', 'wire', '-1', -1],
    ['wire client, acks=-1, 1 ms commit delay', 'wire', '-1', 1],
  ];
  for (const [index, [name, client, acks, windowMs]] of clients.entries()) {
    const topic = `lat-${index}-${client}-${acks === '-1' ? 'all' : acks}`;
    broker.logs.createTopic(topic, 1, {});
    const undoWindow = windowMs >= 0 ? coalesceFlushes(broker.logs.partition(topic, 0)!, windowMs) : () => {};
    const pr = probe(broker.logs, topic, 1);
    // Stalls of the broker's event loop (this process) delay every request behind them.
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    const cpu0 = process.cpuUsage();
    const args = [CLIENT, '--client', client, '--port', String(broker.address.port), '--topic', topic, `--acks=${acks}`];
    args.push('--rate', values.rate, '--seconds', values.seconds, '--warmup-seconds', values['warmup-seconds']);
    const r = await runChild(NODE, args, {
      timeoutMs: (Number(values.seconds) + Number(values['warmup-seconds'])) * 1000 + 60_000,
      keepStdout: true,
    });
    pr.stop();
    undoWindow();
    loopDelay.disable();
    if (r.code !== 0) throw new Error(`${name} failed: ${r.stderr.slice(-1500)}`);
    const res = JSON.parse(r.stdout) as LatencyResult;
    const cpu = process.cpuUsage(cpu0);
    const st = pr.stats;
    const rounds = dist(Float64Array.from(st.syncDurations));
    const slowRounds = st.syncDurations.filter((d) => d > 5).length;
    const note =
      `achieved ${res.achievedRate.toFixed(0)}/s; send lateness p99 ${res.lateness.p99.toFixed(3)} ms; client CPU ${(res.cpuMs / 1000).toFixed(1)} s, ` +
      `broker CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; ${st.syncRounds} fsync rounds (${st.syncRounds > 0 ? (st.appends / st.syncRounds).toFixed(1) : '-'} requests each, ${st.syncRounds > 0 ? `${describe(rounds)} ms; ${slowRounds} over 5 ms` : ''}); slowest append ${st.appendMaxMs.toFixed(1)} ms; broker event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`;
    runs.push([name, res, note]);
    console.log(
      `${name}: p50 ${res.fromSchedule.p50.toFixed(2)}, p99 ${res.fromSchedule.p99.toFixed(2)}, max ${res.fromSchedule.max.toFixed(2)}; ${note}`,
    );
  }
} finally {
  await broker.close();
  fs.rmSync(work, { recursive: true, force: true });
}
const floorAfter = await floorRun('after the broker runs');
// What a group-commit delay would trade: rounds start at most every 1 ms (a timer), so each covers
// ~10 requests at this rate instead of ~2; fewer fdatasync calls, each request waits a little longer.
const floorWindow = await floorRun('1 ms coalescing window', 1);

const row = (name: string, d: Dist) => [name, f(d.p50), f(d.p90), f(d.p99), f(d.p999), f(d.max), f(d.mean)];
console.log('');
console.log(
  table(
    ['latency (ms)', 'p50', 'p90', 'p99', 'p99.9', 'max', 'mean'],
    [
      ...runs.flatMap(([name, r]) => [row(`${name}, from schedule`, r.fromSchedule), row(`${name}, from send()`, r.fromSend)]),
      row('raw floor before: 170 B writeSync + group-commit fdatasync', floorBefore.latency),
      row('raw floor after', floorAfter.latency),
      row('raw floor, rounds at most every 1 ms', floorWindow.latency),
    ],
  ),
);
const wireP99 = runs
  .filter(([name]) => name.startsWith('wire client, acks=-1') && !name.includes('delay'))
  .map(([, r]) => r.fromSchedule.p99);
console.log(
  `\naim p99 < 5 ms at ${values.rate}/s with acks=-1: wire client p99 ${wireP99.map(f).join(' / ')} ms -> ${wireP99.every((x) => x < 5) ? 'met' : 'NOT met'}; ` +
    `the same write + group-commit pattern without a broker gave p99 ${f(floorBefore.latency.p99)} / ${f(floorAfter.latency.p99)} ms`,
);
