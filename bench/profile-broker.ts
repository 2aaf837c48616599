// V8 profiles (node:inspector, as --cpu-prof) of the broker's main thread, one per phase: kcat and
// the wire client producing and fetching as in produce-fetch.ts, then produce-latency.ts's paced load.
// Usage: node bench/profile-broker.ts [--records N] [--out DIR] [--top 15] [--paced-seconds 5]
import * as fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { startBroker } from '../src/broker/server.ts';
import { NODE, runChild } from './lib/child.ts';
import { conditions, printConditions } from './lib/conditions.ts';
import { busyMs, type CpuProfile, inclusive, topSelf } from './lib/cpuprofile.ts';
import { writeRecordsFile } from './lib/records-file.ts';
import { type Context, type RunResult, runFetch, runProduce } from './lib/scenarios.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '3000000' },
    out: { type: 'string' },
    top: { type: 'string', default: '15' },
    dir: { type: 'string', default: os.tmpdir() },
    'paced-seconds': { type: 'string', default: '5' },
  },
});
const N = Number(values.records);
const LATENCY_CLIENT = new URL('./lib/latency-client.ts', import.meta.url).pathname;
const top = Number(values.top);
const BIG_QUEUE = ['-X', 'queue.buffering.max.messages=10000000', '-X', 'queue.buffering.max.kbytes=2097151'];
const FETCH_TUNED = [
  '-X',
  'fetch.message.max.bytes=16777216',
  '-X',
  'fetch.max.bytes=67108864',
  '-X',
  'queued.min.messages=1000000',
  '-X',
  'fetch.wait.max.ms=10',
];
// The broker functions whose inclusive time splits the produce and fetch paths into stages
// ("name file-prefix"; natives have no file).
const PATH = [
  'onStreamRead node:internal/stream_base_commons',
  'onData src/broker/connection.ts',
  'push src/protocol/framing.ts',
  'onFrame src/broker/connection.ts',
  'readRequestHeader src/protocol/headers.ts',
  'handle src/broker/handlers/produce.ts',
  'validateProducedRecords src/protocol/record-batch.ts',
  'crc32c',
  'append src/log/partition-log.ts',
  'writeSync node:fs',
  'flush src/log/partition-log.ts',
  'handle src/broker/handlers/fetch.ts',
  'read src/log/partition-log.ts',
  'readSync node:fs',
  'encodeResponse src/protocol/headers.ts',
  'flushQueue src/broker/connection.ts',
  'writev',
  '(garbage collector)',
];

printConditions(conditions(values.dir));
const work = fs.mkdtempSync(path.join(values.dir, 'brook-bench-prof-'));
// A fixed default place, overwritten by the next run, so profiles do not pile up in /tmp.
const outDir = values.out ?? path.join(values.dir, 'brook-bench-profiles');
fs.mkdirSync(outDir, { recursive: true });
const recordsFile = path.join(work, 'records.txt');
writeRecordsFile(recordsFile, N, 100);

const broker = await startBroker({ port: 0, dataDir: path.join(work, 'data'), groupInitialRebalanceDelayMs: 0 });
const ctx: Context = { broker, bootstrap: `127.0.0.1:${broker.address.port}`, recordsFile, halfFile: recordsFile, valueBytes: 100 };
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });

/** Profiles `run`, which returns a one-line description of what it did. */
async function profiled<T>(name: string, run: () => Promise<T>, describe: (r: T) => string): Promise<T> {
  await session.post('Profiler.start');
  const cpu0 = process.cpuUsage();
  const r = await run();
  const cpu = process.cpuUsage(cpu0);
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
  const file = path.join(outDir, `${name}.cpuprofile`);
  fs.writeFileSync(file, JSON.stringify(profile));
  console.log(
    `\n== ${name}: ${describe(r)}; broker process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, main thread busy ${(busyMs(profile) / 1000).toFixed(2)} s (profile: ${file})`,
  );
  console.log('top functions by self time on the broker main thread (fdatasync runs on the libuv pool, not here):');
  for (const l of topSelf(profile, top)) console.log(`  ${l}`);
  console.log('inclusive time along the request path:');
  for (const l of inclusive(profile, PATH)) console.log(`  ${l}`);
  return r;
}

const throughput = (r: RunResult) => `${r.records.toLocaleString('en')} records in ${(r.clientMs / 1000).toFixed(2)} s`;

/** The latency benchmark's load (one record per request, paced) for `seconds`, acks=-1. */
async function paced(topic: string, seconds: number): Promise<string> {
  broker.logs.createTopic(topic, 1, {});
  const args = [LATENCY_CLIENT, '--client', 'wire', '--port', String(broker.address.port), '--topic', topic];
  const r = await runChild(NODE, [...args, '--seconds', String(seconds), '--warmup-seconds', '1', '--acks=-1'], {
    timeoutMs: seconds * 1000 + 60_000,
    keepStdout: true,
  });
  if (r.code !== 0) throw new Error(`latency client failed: ${r.stderr.slice(-1500)}`);
  const out = JSON.parse(r.stdout) as { sends: number; warmup: number; fromSchedule: { p50: number; p99: number } };
  return `${out.sends + out.warmup} single-record requests at 10,000/s (p50 ${out.fromSchedule.p50.toFixed(2)} ms, p99 ${out.fromSchedule.p99.toFixed(2)} ms)`;
}

try {
  const kcatRun = await profiled(
    'produce-kcat',
    () => runProduce(ctx, { id: 'prof-kcat', client: 'kcat', partitions: 1, records: N, settings: 'acks=all, queue 10M', args: BIG_QUEUE }),
    throughput,
  );
  await profiled(
    'produce-wire',
    () => runProduce(ctx, { id: 'prof-wire', client: 'wire', partitions: 1, records: N, settings: 'acks=-1', args: [] }),
    throughput,
  );
  const source = { topic: 'produce-prof-kcat', partitions: 1, records: kcatRun.records, logBytes: kcatRun.logBytes };
  await profiled(
    'fetch-kcat',
    () => runFetch(ctx, { id: 'prof-fetch-kcat', client: 'kcat', ...source, settings: 'tuned', args: FETCH_TUNED }),
    throughput,
  );
  await profiled(
    'fetch-wire',
    () => runFetch(ctx, { id: 'prof-fetch-wire', client: 'wire', ...source, settings: '16 MiB', args: [] }),
    throughput,
  );
  await profiled(
    'produce-paced',
    () => paced('prof-paced', Number(values['paced-seconds'])),
    (line) => line,
  );
} finally {
  session.disconnect();
  await broker.close();
  fs.rmSync(work, { recursive: true, force: true });
}
