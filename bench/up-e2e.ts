// `brook up` end to end: the whole pipeline in one child process (broker, registry, processor with
// its DuckDB store and dashboard, generator at full speed), measured from outside through the
// dashboard's API and /proc, sustained over --seconds after a warm-up: events/s acknowledged and
// processed, store rows and windows written, RSS (max, last), CPU, and the freshness of the newest
// window (watermark passing a window's end -> that window visible in the dashboard API). Baseline in
// the same run: `brook generate` alone against a `brook broker` child, what the rest costs.
// Usage: npx node bench/up-e2e.ts [--seconds 60] [--warmup 40] [--grace 15] [--threads 2] [--checkpoint-interval S] [--cpu-prof DIR] [--no-baseline]
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { GenerateSummary } from '../src/generator/run.ts';
import { startRegistry } from '../src/registry/server.ts';
import { NODE, runChild } from './lib/child.ts';
import { conditions, printConditions } from './lib/conditions.ts';
import { percentile, table } from './lib/format.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '40' },
    /** Keep sampling this long after the measured window, so windows passed near its end can show up. */
    grace: { type: 'string', default: '15' },
    threads: { type: 'string', default: '2' },
    'sample-ms': { type: 'string', default: '200' },
    'checkpoint-interval': { type: 'string' },
    'cpu-prof': { type: 'string' },
    'no-baseline': { type: 'boolean', default: false },
    dir: { type: 'string', default: os.tmpdir() },
  },
});
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const GRACE = Number(values.grace);
const SAMPLE_MS = Number(values['sample-ms']);
const WINDOW_MS = 10_000;
const AIM = { eventsPerSec: 100_000, rssMB: 500, freshnessMs: 2000 };

const root = new URL('../', import.meta.url).pathname;
const BROOK = path.join(root, 'bin/brook.js');
const work = fs.mkdtempSync(path.join(values.dir, 'brook-bench-up-'));
printConditions(conditions(work));
console.log(
  `load average at start: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (other work on the machine skews every figure)`,
);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (x: number) => Math.round(x).toLocaleString('en');
const mb = (kb: number) => (kb / 1024).toFixed(0);

/** VmRSS of a live process in KiB (0 once it is gone). */
function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** utime + stime of a live process (all threads), in ms (USER_HZ is 100 on Linux). */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return (await res.json()) as T;
}

interface PipelineAnswer {
  topics: { name: string; endOffset: number }[];
  processor: {
    watermark: number | null;
    checkpoints?: number;
    partitions: { lag: number | null }[];
    operators: { kind: string; recordsIn: number }[];
  } | null;
}
interface StoreAnswer {
  rows: number;
  maxWindowEnd: number | null;
}

/** One 200 ms sample of the dashboard API; `at` is the midpoint of the two requests. */
interface Sample {
  at: number;
  watermark: number | null;
  acknowledged: number;
  processed: number;
  lag: number;
  storeRows: number;
  maxWindowEnd: number | null;
  /** When the store answer arrived: a window seen here was visible by then. */
  storeSeenAt: number;
}

async function sampleApi(base: string): Promise<Sample> {
  const sent = Date.now();
  const [p, s] = await Promise.all([getJson<PipelineAnswer>(`${base}api/pipeline`), getJson<StoreAnswer>(`${base}api/store`)]);
  const got = Date.now();
  const proc = p.processor;
  return {
    at: (sent + got) / 2,
    watermark: proc?.watermark ?? null,
    acknowledged: p.topics.find((t) => t.name === 'clickstream')?.endOffset ?? 0,
    processed: proc?.operators.filter((o) => o.kind === 'source').reduce((a, o) => a + o.recordsIn, 0) ?? 0,
    lag: proc?.partitions.reduce((a, x) => a + (x.lag ?? 0), 0) ?? 0,
    storeRows: s.rows,
    maxWindowEnd: s.maxWindowEnd,
    storeSeenAt: got,
  };
}

/** `commit` server-sent events: the moment the dashboard pushes a new window to open pages. */
function followCommits(base: string, signal: AbortSignal, out: { at: number; maxWindowEnd: number }[]): void {
  void (async () => {
    const res = await fetch(`${base}api/events`, { signal });
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const ev = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (!/^event: commit$/m.test(ev)) continue;
        const data = /^data: (.*)$/m.exec(ev);
        const d = data ? (JSON.parse(data[1]!) as { maxWindowEnd: number | null }) : null;
        if (d?.maxWindowEnd != null) out.push({ at: Date.now(), maxWindowEnd: d.maxWindowEnd });
      }
    }
  })().catch(() => undefined);
}

function spawnLogged(args: string[], stderrLines: string[]): ChildProcess {
  const child = spawn(NODE, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
    let i: number;
    while ((i = err.indexOf('\n')) >= 0) {
      stderrLines.push(err.slice(0, i));
      err = err.slice(i + 1);
    }
  });
  return child;
}

function firstJsonLine<T>(child: ChildProcess, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l, i, all) => l.startsWith('{') && i < all.length - 1);
      if (line) resolve(JSON.parse(line) as T);
    });
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code} before it was ready: ${out}`)));
  });
}

// ---------------------------------------------------------------- brook up, measured from outside

interface Ready {
  startupMs: number;
  bootstrap: string[];
  dashboardUrl: string;
  pid: number;
}

const upDir = path.join(work, 'up');
const upArgs = [
  BROOK,
  'up',
  '--data-dir',
  upDir,
  '--broker-port',
  '0',
  '--registry-port',
  '0',
  '--dashboard-port',
  '0',
  '-nd',
  '--generator-threads',
  values.threads!,
  ...(values['checkpoint-interval'] ? ['--checkpoint-interval', values['checkpoint-interval']] : []),
  '--json',
];
const nodeFlags = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] : [];
console.log(`\ncommand: node ${[...nodeFlags, ...upArgs].map((a) => a.replace(root, '')).join(' ')}`);
console.log(`warm-up ${WARMUP} s, then measured for ${SECONDS} s; API sampled every ${SAMPLE_MS} ms, RSS every 1 s`);

const upStderr: string[] = [];
const up = spawnLogged([...nodeFlags, ...upArgs], upStderr);
const upExit = new Promise<number | null>((resolve) => up.once('exit', (code) => resolve(code)));
const ready = await firstJsonLine<Ready>(up, 'brook up');
const base = ready.dashboardUrl;
const pid = ready.pid;
console.log(`ready in ${ready.startupMs} ms; pid ${pid}; dashboard ${base}; kafka ${ready.bootstrap.join(',')}`);

const rss: number[] = [];
const rssTimer = setInterval(() => rss.push(rssKb(pid)), 1000);
const sseAbort = new AbortController();
const commits: { at: number; maxWindowEnd: number }[] = [];
followCommits(base, sseAbort.signal, commits);

const samples: Sample[] = [];
const startedAt = Date.now();
const t0Wall = startedAt + WARMUP * 1000;
const t1Wall = t0Wall + SECONDS * 1000;
let cpu0 = 0;
let cpu1 = 0;
let rssIndex0 = 0;
let rssIndex1 = 0;
let cpuDone = false;
for (let next = Date.now(); Date.now() < t1Wall + GRACE * 1000; next += SAMPLE_MS) {
  if (cpu0 === 0 && Date.now() >= t0Wall) {
    cpu0 = cpuMs(pid);
    rssIndex0 = rss.length;
  }
  if (!cpuDone && Date.now() >= t1Wall) {
    cpu1 = cpuMs(pid);
    rssIndex1 = rss.length;
    cpuDone = true;
  }
  samples.push(await sampleApi(base));
  await sleep(Math.max(0, next + SAMPLE_MS - Date.now()));
}
clearInterval(rssTimer);
// Where the resident memory is: anonymous (JS heap, DuckDB, buffers) or file-backed (mapped files).
const rssParts = (() => {
  try {
    const st = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(st)?.[1] ?? 0);
    return `anon ${mb(kb('RssAnon'))} MB, file ${mb(kb('RssFile'))} MB, shmem ${mb(kb('RssShmem'))} MB`;
  } catch {
    return '?';
  }
})();
const rssRun = rss.slice(rssIndex0, rssIndex1);
sseAbort.abort();
const stopAt = Date.now();
up.kill('SIGTERM');
const upCode = await upExit;
const stopMs = Date.now() - stopAt;

// The measured window: first and last sample inside [t0, t1].
const inRun = samples.filter((s) => s.at >= t0Wall && s.at <= t1Wall);
const a = inRun[0]!;
const b = inRun.at(-1)!;
const secs = (b.at - a.at) / 1000;
const ackRate = (b.acknowledged - a.acknowledged) / secs;
const procRate = (b.processed - a.processed) / secs;
const rowsRate = (b.storeRows - a.storeRows) / secs;
const windowsWritten = a.maxWindowEnd !== null && b.maxWindowEnd !== null ? (b.maxWindowEnd - a.maxWindowEnd) / WINDOW_MS : 0;
const cores = (cpu1 - cpu0) / (t1Wall - t0Wall);

// Freshness. For each 10 s window end W that the watermark passed inside the measured window:
//   passed  = when the processor's watermark reached W, interpolated linearly between the two
//             samples around it (the watermark moves with every record, so it is near continuous);
//   visible = the earliest of: the `commit` event announcing a store maxWindowEnd >= W (what an open
//             dashboard page reacts to) and the arrival of the first /api/store answer showing it.
// freshness = visible - passed. Sampling error: under one sample interval for `passed` (less with
// interpolation), none for `visible` through the event (the event is sent by the commit itself).
interface Fresh {
  end: number;
  passed: number;
  visible: number;
}
const fresh: Fresh[] = [];
const wm = samples.filter((s) => s.watermark !== null);
for (let i = 1; i < wm.length; i++) {
  const p = wm[i - 1]!;
  const q = wm[i]!;
  for (let end = Math.ceil((p.watermark! + 1) / WINDOW_MS) * WINDOW_MS; end <= q.watermark!; end += WINDOW_MS) {
    const passed = p.at + ((end - p.watermark!) / (q.watermark! - p.watermark!)) * (q.at - p.at);
    if (passed < t0Wall || passed > t1Wall) continue;
    const bySse = commits.find((c) => c.maxWindowEnd >= end)?.at ?? Number.POSITIVE_INFINITY;
    const byPoll = samples.find((s) => s.maxWindowEnd !== null && s.maxWindowEnd >= end)?.storeSeenAt ?? Number.POSITIVE_INFINITY;
    fresh.push({ end, passed, visible: Math.min(bySse, byPoll) });
  }
}
const lags = fresh
  .filter((f) => Number.isFinite(f.visible))
  .map((f) => f.visible - f.passed)
  .sort((x, y) => x - y);
const neverVisible = fresh.length - lags.length;

// The generator's own summary (whole run, warm-up included).
const genLine = upStderr.find((l) => l.startsWith('generator:') && l.includes('acknowledged'));
const gen = genLine ? /(\d+) events made, (\d+) acknowledged, (\d+) failed, in ([\d.]+) s \((\d+) events\/s\)/.exec(genLine) : null;

console.log(`\n## brook up, ${secs.toFixed(1)} s measured after ${WARMUP} s of warm-up (generator ${values.threads} threads, -nd)\n`);
console.log(
  table(
    ['figure', 'value'],
    [
      ['events/s acknowledged (clickstream log end offsets)', fmt(ackRate)],
      ['events/s processed (processor source)', fmt(procRate)],
      ['processor lag at start / end of window (records)', `${fmt(a.lag)} / ${fmt(b.lag)}`],
      ['store rows written/s', fmt(rowsRate)],
      ['windows written (10 s windows, newest end advanced by)', windowsWritten.toFixed(1)],
      ['RSS max / last, MB (VmRSS, 1 s samples, measured window)', `${mb(Math.max(...rssRun))} / ${mb(rssRun.at(-1) ?? 0)}`],
      ['RSS max over the whole run incl. warm-up, MB', mb(Math.max(...rss))],
      ['RSS at the end, by kind', rssParts],
      ['CPU, cores busy (utime+stime / wall)', cores.toFixed(2)],
      [
        'freshness: watermark passes window end -> visible, ms p50 / max',
        lags.length ? `${fmt(percentile(lags, 50))} / ${fmt(lags.at(-1)!)}` : 'no window',
      ],
      [
        'freshness: windows measured / within 2 s / never visible',
        `${fresh.length} / ${lags.filter((x) => x <= 2000).length} / ${neverVisible}`,
      ],
      [
        'generator, whole run: made, acknowledged, failed, events/s',
        gen ? `${fmt(Number(gen[1]))}, ${fmt(Number(gen[2]))}, ${gen[3]}, ${fmt(Number(gen[5]))} in ${gen[4]} s` : '?',
      ],
      ['startup to ready / stop (SIGTERM to exit)', `${ready.startupMs} ms / ${stopMs} ms, exit ${upCode}`],
    ],
  ),
);
if (lags.length) console.log(`freshness per window, ms: ${fresh.map((f) => fmt(f.visible - f.passed)).join(' ')}`);
if (values['cpu-prof']) console.log(`CPU profile in ${values['cpu-prof']} (summarize: npx node bench/cpuprofile-top.ts FILE)`);

// ---------------------------------------------------------------- baseline: generator alone

let baseRate = Number.NaN;
if (!values['no-baseline']) {
  const bDir = path.join(work, 'baseline');
  const brokerStderr: string[] = [];
  const broker = spawnLogged([BROOK, 'broker', '--port', '0', '--data-dir', path.join(bDir, 'broker')], brokerStderr);
  const brokerExit = new Promise<void>((resolve) => broker.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    broker.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on [^ ]*:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    broker.once('exit', (code) => reject(new Error(`brook broker exited with ${code}: ${out}`)));
  });
  const bootstrap = `127.0.0.1:${port}`;
  // The registry lives in this process: the generator asks it once, before producing.
  const registry = await startRegistry({ port: 0, bootstrap });
  const genArgs = [
    BROOK,
    'generate',
    '-nd',
    '-nle',
    '-gar',
    '-nt',
    values.threads!,
    '-rf',
    String(10 + SECONDS),
    '--partitions',
    '3',
    '--bootstrap',
    bootstrap,
    '--registry',
    registry.url,
    '--data-dir',
    bDir,
    '--quiet',
    '--json',
  ];
  console.log(`\n## baseline: the generator alone against a brook broker child\n\ncommand: node ${genArgs.join(' ').replaceAll(root, '')}`);
  const r = await runChild(NODE, genArgs, { timeoutMs: (SECONDS + 90) * 1000, keepStdout: true });
  await registry.close();
  broker.kill('SIGTERM');
  await brokerExit;
  if (r.code !== 0) throw new Error(`brook generate exited with ${r.code}: ${r.stderr}`);
  const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as GenerateSummary;
  baseRate = summary.eventsPerSecond;
  console.log(
    `made ${fmt(summary.produced)}, acknowledged ${fmt(summary.acknowledged)}, failed ${summary.failed}, in ${(summary.elapsedMs / 1000).toFixed(1)} s: ${fmt(baseRate)} events/s; generator CPU ${(r.cpuMs / 1000).toFixed(1)} s`,
  );
}

// ---------------------------------------------------------------- verdict

const upWhole = gen ? Number(gen[5]) : Number.NaN;
console.log('\n## summary\n');
console.log(
  table(
    ['measure', 'brook up', 'baseline (generator alone)', 'ratio'],
    [
      [
        'generator events/s acknowledged, whole run (its own summary)',
        fmt(upWhole),
        // --no-baseline: no generator-alone run to compare with.
        Number.isFinite(baseRate) ? fmt(baseRate) : 'not run',
        Number.isFinite(baseRate) ? (upWhole / baseRate).toFixed(2) : '',
      ],
      ['events/s through the pipeline (min of acknowledged, processed)', fmt(Math.min(ackRate, procRate)), '', ''],
    ],
  ),
);
const rssMax = Math.max(...rss) / 1024;
const p = (ok: boolean) => (ok ? 'met' : 'NOT met');
const through = Math.min(ackRate, procRate);
console.log(
  `\naim ${fmt(AIM.eventsPerSec)} events/s through the whole pipeline on ${os.availableParallelism()} cores: ${p(through >= AIM.eventsPerSec && b.lag < AIM.eventsPerSec)} (${fmt(through)}, end lag ${fmt(b.lag)})`,
);
console.log(`aim RSS under ${AIM.rssMB} MB: ${p(rssMax < AIM.rssMB)} (max ${rssMax.toFixed(0)} MB over the whole run)`);
const worst = lags.at(-1) ?? Number.POSITIVE_INFINITY;
console.log(
  `aim newest window visible within ${AIM.freshnessMs} ms of the watermark: ${p(worst <= AIM.freshnessMs && neverVisible === 0)} (p50 ${fmt(percentile(lags, 50))} ms, max ${fmt(worst)} ms over ${fresh.length} windows)`,
);
fs.rmSync(work, { recursive: true, force: true });
