// Broker throughput with real clients: produce 100-byte records with acks=-1 (kcat, plus a Node
// client that costs nearly nothing per record), fetch them back, and compare with raw loopback TCP,
// raw append + fdatasync and CRC-32C speed on this machine. Usage: node bench/produce-fetch.ts [--records N] [--repeat R]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { startBroker } from '../src/broker/server.ts';
import { crcSpeed, diskAppend, loopback } from './lib/baselines.ts';
import { conditions, printConditions } from './lib/conditions.ts';
import { MB, mbps, pct, table } from './lib/format.ts';
import { writeRecordsFile } from './lib/records-file.ts';
import { type Context, type FetchScenario, type ProduceScenario, type RunResult, runFetch, runProduce } from './lib/scenarios.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '3000000' },
    'value-bytes': { type: 'string', default: '100' },
    repeat: { type: 'string', default: '1' },
    dir: { type: 'string', default: os.tmpdir() },
    'loopback-mib': { type: 'string', default: '2048' },
  },
});
const N = Number(values.records);
const valueBytes = Number(values['value-bytes']);
const repeat = Number(values.repeat);

// Client settings tried. librdkafka 2.0.2 defaults: linger.ms=5, batch.size=1000000,
// batch.num.messages=10000, queue.buffering.max.messages=100000, queue.buffering.max.kbytes=1048576.
// batch.size cannot usefully exceed ~1 MB: Brook's max.message.bytes (Kafka's 1048588) bounds a batch.
const BIG_QUEUE = ['-X', 'queue.buffering.max.messages=10000000', '-X', 'queue.buffering.max.kbytes=2097151'];
const LINGER_20 = ['-X', 'linger.ms=20', '-X', 'batch.num.messages=100000', '-X', 'batch.size=1000000'];
const half = Math.floor(N / 2);
const produceScenarios: ProduceScenario[] = [
  { id: 'kcat-default', client: 'kcat', partitions: 1, records: N, settings: 'acks=all, librdkafka defaults', args: [] },
  { id: 'kcat-bigqueue', client: 'kcat', partitions: 1, records: N, settings: 'acks=all, queue 10M msgs/2 GiB', args: BIG_QUEUE },
  {
    id: 'kcat-linger20',
    client: 'kcat',
    partitions: 1,
    records: N,
    settings: 'acks=all, linger 20 ms, batch 100k msgs/1 MB, queue 10M',
    args: [...BIG_QUEUE, ...LINGER_20],
  },
  {
    id: 'kcat-acks0',
    client: 'kcat',
    partitions: 1,
    records: N,
    settings: 'acks=0 (diagnostic), queue 10M',
    args: [...BIG_QUEUE, '-X', 'acks=0'],
  },
  { id: 'kcat-4p', client: 'kcat', partitions: 4, records: N, settings: 'acks=all, random partitioner, queue 10M', args: BIG_QUEUE },
  {
    id: 'kcat-x2-4p',
    client: 'kcat x2',
    partitions: 4,
    records: half * 2,
    settings: '2 processes x N/2, acks=all, queue 10M',
    args: BIG_QUEUE,
  },
  { id: 'wire-1p', client: 'wire', partitions: 1, records: N, settings: 'acks=-1, 9000-record (991 kB) batches, 4 in flight', args: [] },
  { id: 'wire-4p', client: 'wire', partitions: 4, records: N, settings: 'acks=-1, 9000-record batches, 4 in flight', args: [] },
  {
    id: 'platformatic',
    client: 'platformatic',
    partitions: 1,
    records: Math.min(N, 1_000_000),
    settings: 'acks=-1, send() of 9000 msgs, 4 in flight',
    args: [],
  },
];

const cond = conditions(values.dir);
printConditions(cond);
console.log(
  `records: ${N.toLocaleString('en')} x ${valueBytes}-byte values, no key, no headers, compression none; repeat ${repeat}; MB = 10^6 bytes`,
);

const work = fs.mkdtempSync(path.join(values.dir, 'brook-bench-pf-'));
const recordsFile = path.join(work, 'records.txt');
const halfFile = path.join(work, 'half.txt');
writeRecordsFile(recordsFile, N, valueBytes);
writeRecordsFile(halfFile, half, valueBytes);

console.log('\n== baselines');
const crc = crcSpeed();
console.log(
  `CRC-32C over 1 MB: native ${crc.nativeMbps.toFixed(0)} MB/s, software ${crc.softwareMbps.toFixed(0)} MB/s (x${(crc.nativeMbps / crc.softwareMbps).toFixed(1)}; in use: ${crc.implementation})`,
);
// Best of two: this VM's first touches of fresh memory make single runs noisy.
const loops = [
  await loopback(Number(values['loopback-mib']) * 2 ** 20, 2 ** 20),
  await loopback(Number(values['loopback-mib']) * 2 ** 20, 2 ** 20),
];
const loop = loops.sort((a, b) => b.mbps - a.mbps)[0]!;
console.log(
  `loopback TCP, two Node processes, ${(loop.bytes / 2 ** 30).toFixed(2)} GiB in 1 MiB writes: ${loop.mbps.toFixed(0)} MB/s (runs: ${loops.map((l) => l.mbps.toFixed(0)).join(', ')}; receiver CPU ${loop.sinkCpuMs.toFixed(0)} ms, sender ${loop.sourceCpuMs.toFixed(0)} ms incl. Node start)`,
);

const dataDir = path.join(work, 'data');
const broker = await startBroker({ port: 0, dataDir, groupInitialRebalanceDelayMs: 0 });
const ctx: Context = { broker, bootstrap: `127.0.0.1:${broker.address.port}`, recordsFile, halfFile, valueBytes };
const produced: RunResult[] = [];
const fetched: RunResult[] = [];
try {
  console.log('\n== produce (broker in this process, clients in child processes)');
  for (let r = 0; r < repeat; r++) {
    for (const s of produceScenarios) {
      const res = await runProduce(ctx, { ...s, id: repeat > 1 ? `${s.id}-r${r + 1}` : s.id });
      produced.push(res);
      console.log(line(res));
    }
  }

  console.log('\n== fetch (everything from offset 0; kcat prints one byte per record)');
  const source1 = produced.find((p) => p.id.startsWith('kcat-bigqueue'))!;
  const source4 = produced.find((p) => p.id.startsWith('kcat-4p'))!;
  // fetch.wait.max.ms=10: kcat -e notices the end only from an empty fetch, which the broker holds
  // for fetch.wait.max.ms (500 by default): half a second of every default run is that wait.
  const fetchTuned = [
    '-X',
    'fetch.message.max.bytes=16777216',
    '-X',
    'fetch.max.bytes=67108864',
    '-X',
    'queued.min.messages=1000000',
    '-X',
    'fetch.wait.max.ms=10',
  ];
  const fetchTunedQ = [...fetchTuned, '-X', 'queued.max.messages.kbytes=1048576'];
  const from = (p: RunResult) => ({ topic: `produce-${p.id}`, partitions: p.partitions, records: p.records, logBytes: p.logBytes });
  const fetchScenarios: FetchScenario[] = [
    { id: 'kcat-default', client: 'kcat', ...from(source1), settings: 'librdkafka defaults (1 MiB per partition)', args: [] },
    {
      id: 'kcat-tuned',
      client: 'kcat',
      ...from(source1),
      settings: '16 MiB per partition, 64 MiB per fetch, queue 1M/1 GiB, max wait 10 ms',
      args: fetchTunedQ,
    },
    { id: 'kcat-4p', client: 'kcat', ...from(source4), settings: '4 partitions, same tuning', args: fetchTunedQ },
    { id: 'wire-1p', client: 'wire', ...from(source1), settings: '16 MiB per partition, 50 MiB per fetch', args: [] },
    { id: 'wire-4p', client: 'wire', ...from(source4), settings: '4 partitions, same', args: [] },
  ];
  for (let r = 0; r < repeat; r++) {
    for (const s of fetchScenarios) {
      const res = await runFetch(ctx, { ...s, id: repeat > 1 ? `${s.id}-r${r + 1}` : s.id });
      fetched.push(res);
      console.log(line(res));
    }
  }
} finally {
  await broker.close();
  fs.rmSync(work, { recursive: true, force: true });
}

// The raw disk baseline writes what the best kcat run made the broker write: its mean append
// size, with an fdatasync after as many appends as the broker's group commit covered per round.
const bestOf = (rs: RunResult[], client: string, partitions: number, exclude = 'acks0') =>
  rs
    .filter((r) => r.client === client && r.partitions === partitions && !r.id.includes(exclude))
    .sort((a, b) => b.logBytes / b.clientMs - a.logBytes / a.clientMs)[0]!;
const bestKcat = bestOf(produced, 'kcat', 1);
const perRound = Math.max(1, Math.round(bestKcat.requests / bestKcat.syncRounds));
const chunk = Math.round(bestKcat.meanRequestBytes);
const diskBest = (every: number) => {
  const runs = [0, 1, 2].map(() => diskAppend(values.dir, bestKcat.logBytes, chunk, every));
  return { best: runs.sort((a, b) => b.mbps - a.mbps)[0]!, all: runs.map((r) => r.mbps.toFixed(0)).join(', ') };
};
const diskEach = diskBest(1);
const diskRound = perRound === 1 ? diskEach : diskBest(perRound);
const diskOnce = diskBest(Number.MAX_SAFE_INTEGER);
const disk = diskRound.best;
console.log(
  `\nraw disk, ${fmtBytes(bestKcat.logBytes)} in ${fmtBytes(chunk)} writeSync calls (the broker's mean append in ${bestKcat.id}), best of 3:`,
);
console.log(`  fdatasync after every write: ${diskEach.best.mbps.toFixed(0)} MB/s (${diskEach.all})`);
if (perRound > 1)
  console.log(
    `  fdatasync every ${perRound} writes, as the broker's rounds did: ${diskRound.best.mbps.toFixed(0)} MB/s (${diskRound.all})`,
  );
console.log(`  one fdatasync at the end: ${diskOnce.best.mbps.toFixed(0)} MB/s (${diskOnce.all})`);

console.log('\n== summary (MB/s of stored batch bytes, which is what crosses the socket and reaches the disk)');
const bestFetch = fetched.filter((f) => f.client === 'kcat').sort((a, b) => a.clientMs - b.clientMs)[0]!;
// One row per configuration: every run's rate (runs differ by 10-20% on this VM), ratios of the best.
const configs = new Map<string, RunResult[]>();
for (const r of [...produced, ...fetched]) {
  const key = `${r.kind} ${r.id.replace(/-r\d+$/, '')}`;
  configs.set(key, [...(configs.get(key) ?? []), r]);
}
const mrps = (r: RunResult) => ((r.records / r.clientMs) * 1000) / 1e6;
console.log(
  table(
    ['configuration', 'M records/s (each run)', 'best MB/s', 'vs loopback', 'vs disk'],
    [...configs].map(([key, rs]) => {
      const best = rs.sort((a, b) => mrps(b) - mrps(a))[0]!;
      const m = mbps(best.logBytes, best.clientMs);
      return [
        `${key} (${best.partitions}p)`,
        rs
          .sort((a, b) => a.id.localeCompare(b.id))
          .map((r) => mrps(r).toFixed(2))
          .join(', '),
        m.toFixed(0),
        pct(m / loop.mbps),
        best.kind === 'produce' ? pct(m / disk.mbps) : '',
      ];
    }),
  ),
);
console.log(
  `baselines: loopback ${loop.mbps.toFixed(0)} MB/s; disk append+fdatasync as the broker's rounds ${disk.mbps.toFixed(0)} MB/s; CRC-32C native ${crc.nativeMbps.toFixed(0)} MB/s, software ${crc.softwareMbps.toFixed(0)} MB/s`,
);
// kcat and the broker share the machine's cores: their CPU per record bounds the rate.
for (const r of [bestKcat, bestFetch]) {
  const perM = (ms: number) => (ms / r.records) * 1e6;
  const bound = (cond.cores * 1000) / ((r.clientCpuMs + r.brokerCpuMs) / r.records);
  console.log(
    `CPU: kcat ${r.kind} [${r.id}] used ${(perM(r.clientCpuMs) / 1000).toFixed(2)} CPU-s per million records, the broker ${(perM(r.brokerCpuMs) / 1000).toFixed(2)}; ` +
      `with both on ${cond.cores} cores the rate cannot exceed ${(bound / 1e6).toFixed(2)} M records/s (measured ${(((r.records / r.clientMs) * 1000) / 1e6).toFixed(2)})`,
  );
}

function fmtBytes(n: number): string {
  return n >= MB ? `${(n / MB).toFixed(n >= 100 * MB ? 0 : 2)} MB` : `${(n / 1000).toFixed(0)} kB`;
}

function line(r: RunResult): string {
  const rps = (r.records / r.clientMs) * 1000;
  const brokerRps = (r.records / r.brokerMs) * 1000;
  const sync = r.syncRounds > 0 ? `, ${r.syncRounds} fsync rounds (mean ${r.meanSyncMs.toFixed(2)} ms)` : '';
  const cores = (r.clientCpuMs + r.brokerCpuMs) / r.clientMs;
  return [
    `${r.id.padEnd(18)} ${r.partitions}p ${(rps / 1e6).toFixed(2)} M rec/s, ${mbps(r.logBytes, r.clientMs).toFixed(0)} MB/s (payload ${mbps(r.payloadBytes, r.clientMs).toFixed(0)}) in ${(r.clientMs / 1000).toFixed(2)} s [${r.settings}]`,
    `${''.padEnd(21)} broker window ${(r.brokerMs / 1000).toFixed(2)} s = ${(brokerRps / 1e6).toFixed(2)} M rec/s; CPU client ${(r.clientCpuMs / 1000).toFixed(2)} s, broker ${(r.brokerCpuMs / 1000).toFixed(2)} s (${cores.toFixed(2)} cores); ${r.requests} log ${r.kind === 'produce' ? 'appends' : 'reads'} of ${fmtBytes(r.meanRequestBytes)} mean${sync}`,
  ].join('\n');
}
