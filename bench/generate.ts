// `brook generate -nd` throughput, each run a fresh process as a user starts it: events/s
// acknowledged by Brook's broker (acks=all, idempotent) in its own process and in the generator's,
// the previous sink, and the same-run baseline of generation and Avro encoding with output discarded.
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Admin } from '@platformatic/kafka';
import { startBroker } from '../src/broker/server.ts';
import type { GenerateSummary } from '../src/generator/run.ts';
import { startRegistry } from '../src/registry/server.ts';
import { NODE, runChild } from './lib/child.ts';
import { conditions, printConditions } from './lib/conditions.ts';
import { median } from './lib/format.ts';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '32000' },
    workers: { type: 'string', default: '4' },
    'batch-size': { type: 'string', default: '5000' },
    'linger-ms': { type: 'string', default: '5' },
    partitions: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    /** Skip the previous sink's row (it takes the longest). */
    'no-previous': { type: 'boolean', default: false },
    dir: { type: 'string', default: os.tmpdir() },
  },
});
const workers = Number(values.workers);
const perWorker = Math.ceil(Number(values.sessions) / workers);
const partitions = Number(values.partitions);
const runs = Number(values.runs);
const AIM = 200_000;

const root = new URL('../', import.meta.url).pathname;
const dataDir = fs.mkdtempSync(path.join(values.dir, 'brook-bench-generate-'));
printConditions(conditions(dataDir));
console.log(
  `load average at start: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (other work on the machine skews every figure)`,
);

/** utime + stime of a live process from /proc, in ms (USER_HZ is 100 on Linux). */
function procCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** `brook broker --port 0` as its own process; its first stdout line names the port. */
async function brokerProcess(dir: string): Promise<{ child: ChildProcess; bootstrap: string; close(): Promise<void> }> {
  const child = spawn(NODE, [path.join(root, 'bin/brook.js'), 'broker', '--port', '0', '--data-dir', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on [^ ]*:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`brook broker exited with ${code} before listening: ${out}`)));
  });
  const closed = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    bootstrap: `127.0.0.1:${port}`,
    close: () => {
      child.kill('SIGTERM');
      return closed;
    },
  };
}

async function createTopic(bootstrap: string): Promise<void> {
  const admin = new Admin({ clientId: 'bench-admin', bootstrapBrokers: [bootstrap] });
  await admin.createTopics({ topics: ['clickstream'], partitions, replicas: 1 });
  await admin.close();
}

// The registry (and the broker holding its _schemas topic) lives in this process: the generator
// asks it once per run, before the clock starts.
const registryBroker = await startBroker({ port: 0, dataDir: path.join(dataDir, 'registry-broker') });
const registry = await startRegistry({ port: 0, bootstrap: `127.0.0.1:${registryBroker.address.port}` });
let runNo = 0;
let shownCommand = false;
const generateArgs = (bootstrap: string) => [
  '-t',
  'clickstream',
  '-nt',
  String(workers),
  '-nou',
  String(perWorker),
  '-nd',
  '-nle',
  '--bootstrap',
  bootstrap,
  '--registry',
  registry.url,
  '-gar',
  '--seed',
  '1',
  '--batch-size',
  values['batch-size']!,
  '--linger-ms',
  values['linger-ms']!,
  '--bookmark',
  path.join(dataDir, `bookmark-${runNo++}`),
  '--quiet',
  '--json',
];

interface Row {
  key: string;
  label: string;
}
const ROWS: Row[] = [
  { key: 'discard', label: 'output discarded (baseline)' },
  { key: 'separate', label: 'Brook broker in its own process' },
  { key: 'in-process', label: 'Brook broker in the same process' },
  ...(values['no-previous'] ? [] : [{ key: 'previous', label: 'previous sink (Producer.send), own process' }]),
];
const results = new Map<string, number[]>(ROWS.map((r) => [r.key, []]));

async function measure(row: Row): Promise<void> {
  const dir = path.join(dataDir, `run-${runNo}`);
  fs.mkdirSync(dir);
  const broker = row.key === 'separate' || row.key === 'previous' ? await brokerProcess(path.join(dir, 'broker')) : undefined;
  try {
    if (broker) await createTopic(broker.bootstrap);
    const args = generateArgs(broker?.bootstrap ?? '127.0.0.1:1');
    const child = path.join(root, 'bench/lib/generate-child.ts');
    const [cmd, argv] =
      row.key === 'separate'
        ? [NODE, [path.join(root, 'bin/brook.js'), 'generate', ...args]]
        : [
            NODE,
            [
              child,
              row.key === 'discard' ? 'discard' : row.key === 'previous' ? 'previous-sink' : 'in-process-broker',
              String(partitions),
              dir,
              '--',
              ...args,
            ],
          ];
    if (row.key === 'separate' && !shownCommand) {
      shownCommand = true;
      console.log(`  the command: brook generate ${args.join(' ')}`);
    }
    const brokerCpu0 = broker ? procCpuMs(broker.child.pid!) : 0;
    const r = await runChild(cmd, argv as string[], { timeoutMs: 300_000, keepStdout: true });
    const brokerCpu = broker ? procCpuMs(broker.child.pid!) - brokerCpu0 : Number.NaN;
    if (r.code !== 0) throw new Error(`${row.label}: exit ${r.code}: ${r.stderr.slice(-2000)}`);
    const s = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as GenerateSummary;
    if (s.failed > 0 || s.acknowledged !== s.produced) throw new Error(`${row.label}: ${s.failed} failed of ${s.produced}`);
    results.get(row.key)!.push(s.eventsPerSecond);
    const perM = (ms: number) => (Number.isNaN(ms) ? '-' : ((ms / s.produced) * 1000).toFixed(2));
    console.log(
      `  ${row.label.padEnd(44)} ${String(s.eventsPerSecond).padStart(8)} events/s  ` +
        `(${s.acknowledged} events in ${s.elapsedMs} ms; CPU-s per M events: generator process ${perM(r.cpuMs)} incl. start-up, broker process ${perM(brokerCpu)})`,
    );
  } finally {
    await broker?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `\nbrook generate -nd, a fresh process per run: ${workers} workers x ${perWorker} sessions (~${Math.round(workers * perWorker * 38.3)} events), ` +
    `Confluent framing, --batch-size ${values['batch-size']}, --linger-ms ${values['linger-ms']}, ${partitions} partition(s), acks=all, idempotent, ${runs} runs\n`,
);
try {
  for (let r = 1; r <= runs; r++) {
    console.log(`run ${r} (load average ${os.loadavg()[0]!.toFixed(2)})`);
    // Alternate the order, so no setup always runs first on a quiet (or a warmed-up) machine.
    for (const row of r % 2 === 1 ? ROWS : [...ROWS].reverse()) await measure(row);
  }
} finally {
  await registry.close();
  await registryBroker.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const base = median(results.get('discard')!);
console.log(`\nmedian of ${runs} runs [range], ratio to the output-discarded baseline of the same runs; aim ${AIM} events/s acknowledged`);
for (const row of ROWS) {
  const xs = results.get(row.key)!;
  const m = median(xs);
  const verdict = row.key === 'discard' ? '' : m >= AIM ? '  aim met' : '  aim NOT met';
  console.log(
    `  ${row.label.padEnd(44)} ${String(m).padStart(8)} events/s  [${Math.min(...xs)}-${Math.max(...xs)}]  x${(m / base).toFixed(2)}${verdict}`,
  );
}
const prev = results.get('previous');
if (prev?.length) {
  console.log(`  new sink vs previous sink, broker in its own process: x${(median(results.get('separate')!) / median(prev)).toFixed(2)}`);
}
