// The processor's source read speed: KafkaReader polling N pre-produced small records from a broker
// in this process, against @platformatic/kafka's own consumer stream and its bare fetch() loop on
// the same records. Usage: npx node bench/processor-read.ts [--records N] [--repeat R] [--value-bytes B]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Admin, Consumer, MessagesStreamModes, Producer } from '@platformatic/kafka';
import { startBroker } from '../src/broker/server.ts';
import { KafkaReader } from '../src/processor/kafka/kafka-reader.ts';
import { conditions, printConditions } from './lib/conditions.ts';
import { MB, table } from './lib/format.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '2000000' },
    'value-bytes': { type: 'string', default: '60' },
    partitions: { type: 'string', default: '3' },
    repeat: { type: 'string', default: '2' },
    'partition-bytes': { type: 'string', default: String(1 << 20) },
    dir: { type: 'string', default: os.tmpdir() },
  },
});
const N = Number(values.records);
const valueBytes = Number(values['value-bytes']);
const partitions = Number(values.partitions);
const repeat = Number(values.repeat);
const partitionBytes = Number(values['partition-bytes']);
const total = N;
const countOf = (p: number) => Math.floor(N / partitions) + (p < N % partitions ? 1 : 0);

const work = fs.mkdtempSync(path.join(values.dir, 'brook-bench-pread-'));
printConditions(conditions(work));
const broker = await startBroker({ port: 0, dataDir: path.join(work, 'data'), groupInitialRebalanceDelayMs: 0 });
const bootstrap = `127.0.0.1:${broker.address.port}`;
const topic = 'reads';

interface Run {
  name: string;
  records: number;
  bytes: number;
  ms: number;
  cpuMs: number;
}
const runs: Run[] = [];

try {
  const produced = await produce();
  console.log(
    `records: ${total.toLocaleString('en')} in ${partitions} partitions, ${valueBytes}-byte values, 8-byte keys, no headers, no compression; ` +
      `produced in ${(produced.ms / 1000).toFixed(1)} s (${produced.batches} produce requests); log ${(produced.logBytes / MB).toFixed(0)} MB; ` +
      `broker in this process (its fetch work counts in every figure); max bytes per partition ${partitionBytes}; MB = 10^6 bytes of key+value`,
  );
  for (let r = 1; r <= repeat; r++) {
    runs.push(await measure(`KafkaReader.poll()${repeat > 1 ? ` #${r}` : ''}`, readWithReader));
    runs.push(await measure(`consumer.consume() stream${repeat > 1 ? ` #${r}` : ''}`, readWithStream));
    runs.push(await measure(`consumer.fetch() loop, no records built${repeat > 1 ? ` #${r}` : ''}`, readWithFetch));
  }
} finally {
  await broker.close();
  fs.rmSync(work, { recursive: true, force: true });
}

const best = (prefix: string) => runs.filter((r) => r.name.startsWith(prefix)).sort((a, b) => a.ms - b.ms)[0]!;
const reader = best('KafkaReader');
const stream = best('consumer.consume');
console.log(
  `\n${table(
    ['read', 'records', 'M records/s', 'MB/s', 'CPU s (process, broker included)', 'CPU s per M records'],
    runs.map((r) => [
      r.name,
      r.records.toLocaleString('en'),
      (rps(r) / 1e6).toFixed(2),
      (r.bytes / MB / (r.ms / 1000)).toFixed(0),
      (r.cpuMs / 1000).toFixed(2),
      ((r.cpuMs / r.records) * 1e3).toFixed(2),
    ]),
  )}`,
);
console.log(
  `\nKafkaReader best ${(rps(reader) / 1e6).toFixed(2)} M records/s vs the library's consumer stream best ${(rps(stream) / 1e6).toFixed(2)} M records/s: x${(rps(reader) / rps(stream)).toFixed(2)}`,
);

function rps(r: Run): number {
  return r.records / (r.ms / 1000);
}

async function produce(): Promise<{ ms: number; batches: number; logBytes: number }> {
  const admin = new Admin({ clientId: 'bench-admin', bootstrapBrokers: [bootstrap] });
  await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
  await admin.close();
  const producer = new Producer({ clientId: 'bench-producer', bootstrapBrokers: [bootstrap], acks: -1 });
  const batch = 10_000;
  // A pool of distinct keys and values, reused: building 2M buffers would dominate the setup time.
  const pool = Array.from({ length: 1000 }, (_, i) => {
    const value = Buffer.alloc(valueBytes, 0x20);
    value.write(`{"user":${i},"page":"/product/${(i * 7919) % 997}","type":"view"`);
    return { key: Buffer.from(`u${String(i).padStart(7, '0')}`), value };
  });
  const started = performance.now();
  let batches = 0;
  const inflight = new Set<Promise<unknown>>();
  for (let p = 0; p < partitions; p++) {
    for (let first = 0; first < countOf(p); first += batch) {
      const messages = [];
      for (let i = first; i < Math.min(countOf(p), first + batch); i++) {
        const { key, value } = pool[(i * 31 + p) % pool.length]!;
        messages.push({ topic, partition: p, key, value, timestamp: BigInt(1_700_000_000_000 + i) });
      }
      const sent = producer.send({ messages });
      inflight.add(sent);
      void sent.finally(() => inflight.delete(sent));
      batches++;
      if (inflight.size >= 4) await Promise.race(inflight);
    }
  }
  await Promise.all(inflight);
  await producer.close();
  let logBytes = 0;
  for (let p = 0; p < partitions; p++) {
    const dir = path.join(work, 'data', `${topic}-${p}`);
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.log')) logBytes += fs.statSync(path.join(dir, f)).size;
  }
  return { ms: performance.now() - started, batches, logBytes };
}

async function measure(name: string, read: () => Promise<{ records: number; bytes: number }>): Promise<Run> {
  global.gc?.();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const got = await read();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (got.records !== total) throw new Error(`${name} read ${got.records} records, expected ${total}`);
  const run = { name, ...got, ms, cpuMs: (used.user + used.system) / 1000 };
  console.log(`${name}: ${got.records} records in ${(ms / 1000).toFixed(2)} s = ${(rps(run) / 1e6).toFixed(2)} M records/s`);
  return run;
}

async function readWithReader(): Promise<{ records: number; bytes: number }> {
  const reader = new KafkaReader({
    bootstrap: [bootstrap],
    topics: [topic],
    groupId: 'bench',
    from: 'earliest',
    maxBytesPerPartition: partitionBytes,
  });
  let records = 0;
  let bytes = 0;
  try {
    await reader.seek(new Map());
    while (records < total) {
      for (const r of await reader.poll()) {
        records++;
        bytes += (r.key?.length ?? 0) + (r.value?.length ?? 0);
      }
    }
  } finally {
    await reader.close();
  }
  return { records, bytes };
}

async function readWithStream(): Promise<{ records: number; bytes: number }> {
  const consumer = new Consumer({ clientId: 'bench-stream', groupId: `bench-stream-${runs.length}`, bootstrapBrokers: [bootstrap] });
  const stream = await consumer.consume({
    topics: [topic],
    mode: MessagesStreamModes.EARLIEST,
    autocommit: false,
    maxBytesPerPartition: partitionBytes,
    maxBytes: 50 * 2 ** 20,
  });
  let records = 0;
  let bytes = 0;
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('data', (m) => {
      records++;
      bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0);
      if (records === total) resolve();
    });
  });
  await stream.close();
  await consumer.close(true);
  return { records, bytes };
}

/** The floor under both: the client's Fetch and batch parsing, offsets advanced, nothing else. */
async function readWithFetch(): Promise<{ records: number; bytes: number }> {
  const consumer = new Consumer({ clientId: 'bench-fetch', groupId: 'bench-fetch', bootstrapBrokers: [bootstrap] });
  const metadata = await consumer.metadata({ topics: [topic] });
  const t = metadata.topics.get(topic)!;
  const positions = Array.from({ length: partitions }, () => 0n);
  let records = 0;
  let bytes = 0;
  try {
    while (records < total) {
      const response = await consumer.fetch({
        node: t.partitions[0]!.leader,
        maxWaitTime: 500,
        maxBytes: 50 * 2 ** 20,
        topics: [
          {
            topicId: t.id,
            partitions: positions.map((fetchOffset, partition) => ({
              partition,
              fetchOffset,
              partitionMaxBytes: partitionBytes,
              currentLeaderEpoch: -1,
              lastFetchedEpoch: -1,
            })),
          },
        ],
      });
      for (const tr of response.responses) {
        for (const pr of tr.partitions) {
          for (const b of pr.records ?? []) {
            for (const r of b.records) bytes += (r.key?.length ?? 0) + (r.value?.length ?? 0);
            records += b.records.length;
            positions[pr.partitionIndex] = b.firstOffset + BigInt(b.lastOffsetDelta) + 1n;
          }
        }
      }
    }
  } finally {
    await consumer.close();
  }
  return { records, bytes };
}
