// Runs every benchmark (broker, log, registry serde, generator, processor, store, dashboard, brook up) in sequence, each in its own Node process (so one's heap and page
// cache habits do not leak into the next), and prints everything. About 14 minutes; --quick: ~3.
// Usage: node bench/run-all.ts [--quick]   (also: npm run bench)
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick;
const dir = new URL('./', import.meta.url).pathname;

const benches: [string, string[]][] = [
  // Latency first: the throughput runs write and delete GBs, and the disk's fsync tail stays worse
  // for a while after that.
  [
    'produce-latency.ts',
    quick ? ['--seconds', '3', '--warmup-seconds', '1', '--floor-seconds', '2'] : ['--seconds', '20', '--floor-seconds', '10'],
  ],
  ['produce-fetch.ts', quick ? ['--records', '300000', '--loopback-mib', '512'] : ['--records', '3000000', '--repeat', '2']],
  ['profile-broker.ts', quick ? ['--records', '300000', '--top', '10', '--paced-seconds', '2'] : ['--records', '3000000']],
  ['buffers.ts', quick ? ['--mb', '64'] : []],
  ['log-append.ts', ['--mb', quick ? '128' : '1024']],
  ['serde.ts', quick ? ['--rounds', '1'] : ['--rounds', '5']],
  ['generate.ts', []],
  ['processor-read.ts', quick ? ['--records', '300000', '--repeat', '1'] : []],
  ['store-query.ts', quick ? ['--quick'] : []],
  ['dashboard-api.ts', quick ? ['--hours', '2', '--requests', '10'] : []],
  ['clickstream-job.ts', quick ? ['--events', '500000', '--rounds', '1'] : ['--events', '5000000', '--rounds', '3']],
  // brook up end to end: warm-up until windows close, then measured; baseline = the generator alone.
  ['up-e2e.ts', quick ? ['--warmup', '32', '--seconds', '10', '--grace', '12'] : []],
];

const started = Date.now();
let failed = 0;
for (const [file, args] of benches) {
  console.log(`\n######## node bench/${file} ${args.join(' ')}\n`);
  const t = Date.now();
  // Each benchmark bounds its own clients; this limit only catches a benchmark that hangs.
  const r = spawnSync(process.execPath, [dir + file, ...args], { stdio: 'inherit', timeout: 8 * 60_000 });
  const status = r.error ? `error: ${r.error.message}` : r.status === 0 ? 'ok' : `exit ${r.status ?? r.signal}`;
  if (status !== 'ok') failed++;
  console.log(`\n######## ${file}: ${status} in ${((Date.now() - t) / 1000).toFixed(0)} s`);
}
console.log(`\nall benchmarks: ${((Date.now() - started) / 1000).toFixed(0)} s, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
