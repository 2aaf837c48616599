// The clickstream job's throughput in bounded mode over events pre-produced to Brook's broker
// (running in a child process, so the job has this process's one thread to itself), against the
// floor measured in the same run: reading the same records with the same reader and decoding
// each one, nothing else. The job runs both ways: partitioned as `brook process` runs it (a
// pipeline per partition, the 10 s windows combined through an exchange topic on the broker) and
// as one pipeline (JobRunner). Usage: npx node bench/clickstream-job.ts [--events 5000000] [--rounds 2]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Admin } from '@platformatic/kafka';
import { systemClock } from '../src/generator/clock.ts';
import { Generator } from '../src/generator/generator.ts';
import { KafkaSink } from '../src/generator/kafka-sink.ts';
import { CLICK_EVENT_AVSC, type ClickEvent } from '../src/generator/schema.ts';
import { clickDecoder } from '../src/jobs/clickstream/decode.ts';
import { clickstreamJob } from '../src/jobs/clickstream/job.ts';
import type { ResultRow } from '../src/jobs/clickstream/rows.ts';
import {
  encodeProgress,
  JobRunner,
  PartitionedJobRunner,
  type ProgressMessage,
  type Sink,
  StaticMembership,
} from '../src/processor/index.ts';
import { KafkaReader } from '../src/processor/kafka/kafka-reader.ts';
import { KafkaWriter } from '../src/processor/kafka/kafka-writer.ts';
import { AvroDecoder, AvroEncoder, InMemorySchemaSource } from '../src/registry/serde/index.ts';
import { conditions, printConditions } from './lib/conditions.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '5000000' },
    rounds: { type: 'string', default: '2' },
    partitions: { type: 'string', default: '3' },
    dir: { type: 'string', default: os.tmpdir() },
  },
});
const EVENTS = Number(values.events);
const ROUNDS = Number(values.rounds);
const PARTITIONS = Number(values.partitions);
const TOPIC = 'clickstream';

const work = fs.mkdtempSync(path.join(values.dir, 'brook-bench-job-'));
printConditions(conditions(work));

const port = await freePort();
const broker = spawn(process.execPath, ['bin/brook.js', 'broker', '--port', String(port), '--data-dir', path.join(work, 'broker')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((resolve, reject) => {
  broker.stdout.on('data', (d: Buffer) => (String(d).includes('listening') ? resolve() : undefined));
  broker.on('exit', (code) => reject(new Error(`broker exited with ${code}`)));
});
const bootstrap = `127.0.0.1:${port}`;

// One in-memory schema source serves the producer's encoder and the job's decoder: the registry
// is not what is measured here (the decoder fetches a schema once and caches it).
const schemas = new InMemorySchemaSource();

try {
  const produced = await produce();
  console.log(
    `events: ${produced.toLocaleString('en')} clickstream events (seeded generator, Confluent framing, 1 ms apart in event time) in ${PARTITIONS} partitions; broker in a child process`,
  );
  const rows: string[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const floor = await readAndDecode();
    const one = await runJob();
    const parts = await runPartitioned(round);
    if (parts.rows !== one.rows) throw new Error(`the partitioned run wrote ${parts.rows} rows, the single pipeline ${one.rows}`);
    rows.push(
      `| ${round} | ${fmt(floor.records, floor.cpuMs)} | ${fmt(one.records, one.cpuMs)} | ${fmt(one.records, one.wallMs)} | ${fmt(parts.records, parts.cpuMs)} | ${fmt(parts.records, parts.wallMs)} | ${(parts.records / parts.cpuMs / (one.records / one.cpuMs)).toFixed(2)} | ${parts.rows.toLocaleString('en')} |`,
    );
    console.log(
      `round ${round}: floor ${fmt(floor.records, floor.cpuMs)} ev/cpu-s; one pipeline ${fmt(one.records, one.cpuMs)} ev/cpu-s (${fmt(one.records, one.wallMs)} ev/s wall); ` +
        `partitioned ${fmt(parts.records, parts.cpuMs)} ev/cpu-s (${fmt(parts.records, parts.wallMs)} ev/s wall)`,
    );
  }
  console.log(
    '\n| round | read + decode (floor), events per CPU-second | one pipeline, events per CPU-second | one pipeline, events/s wall | partitioned (brook process), events per CPU-second | partitioned, events/s wall | partitioned / one pipeline (CPU) | result rows |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
} finally {
  broker.kill('SIGTERM');
  await new Promise((r) => broker.once('exit', r));
  fs.rmSync(work, { recursive: true, force: true });
}

function fmt(records: number, ms: number): string {
  return Math.round(records / (ms / 1000)).toLocaleString('en');
}

async function produce(): Promise<number> {
  const admin = new Admin({ clientId: 'bench-admin', bootstrapBrokers: [bootstrap] });
  await admin.createTopics({ topics: [TOPIC], partitions: PARTITIONS, replicas: 1 });
  await admin.close();
  const encoder = await AvroEncoder.create<ClickEvent>({ schema: CLICK_EVENT_AVSC, topic: TOPIC, source: schemas });
  const sink = new KafkaSink({ topic: TOPIC, bootstrap: [bootstrap], batchSize: 10_000 });
  const started = performance.now();
  const gen = new Generator({
    workers: 4,
    sessionsPerWorker: Math.ceil(EVENTS / 38.3 / 4),
    noDelay: true,
    seed: 42,
    startTime: Date.UTC(2026, 0, 1),
    timeStep: 1,
    lastGlobalSeq: 0,
    encode: (e) => encoder.encodeCopy(e),
    sink,
    clock: systemClock,
    signal: new AbortController().signal,
  });
  const stats = await gen.run();
  await sink.close();
  console.log(`produced ${stats.acknowledged.toLocaleString('en')} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (stats.failed > 0) throw new Error(`${stats.failed} events failed to produce`);
  return stats.acknowledged;
}

function reader(): KafkaReader {
  return new KafkaReader({ bootstrap: [bootstrap], topics: [TOPIC], groupId: 'bench', from: 'earliest' });
}

function measure<T>(fn: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  return fn().then((value) => {
    const used = process.cpuUsage(cpu);
    return { value, wallMs: performance.now() - t, cpuMs: (used.user + used.system) / 1000 };
  });
}

async function readAndDecode() {
  const decoder = new AvroDecoder<ClickEvent>({ source: schemas, readerSchema: CLICK_EVENT_AVSC });
  const r = reader();
  await r.assignment();
  await r.seek(new Map());
  const ends = await r.endOffsets();
  let remaining = [...ends.values()].reduce((a, b) => a + b, 0n);
  let records = 0;
  let check = 0;
  const m = await measure(async () => {
    while (remaining > 0n) {
      for (const rec of await r.poll()) {
        const value = rec.value as Buffer;
        let e: ClickEvent;
        try {
          e = decoder.decodeSync(value);
        } catch {
          e = await decoder.decode(value);
        }
        check += e.userid;
        records++;
        remaining--;
      }
    }
  });
  await r.close();
  if (check === 0) throw new Error('nothing decoded');
  return { records, wallMs: m.wallMs, cpuMs: m.cpuMs };
}

async function runJob() {
  const decoder = new AvroDecoder<ClickEvent>({ source: schemas, readerSchema: CLICK_EVENT_AVSC });
  let rows = 0;
  const counting: Sink<ResultRow> = {
    name: 'count',
    write: () => void rows++,
    flush: async () => {},
    close: async () => {},
  };
  const discard = { name: 'discard', write: () => {}, flush: async () => {}, close: async () => {} };
  const job = clickstreamJob({ decode: clickDecoder(decoder), results: [counting], deadLetters: discard, late: discard });
  const runner = new JobRunner(job, { readers: { clickstream: reader() }, bounded: true, checkpointIntervalMs: 10_000 });
  const m = await measure(() => runner.run());
  return { records: m.value.records, rows, wallMs: m.wallMs, cpuMs: m.cpuMs };
}

/** As `brook process` runs it: a pipeline per partition, the combiner reading a fresh exchange topic. */
async function runPartitioned(round: number) {
  const decoder = new AvroDecoder<ClickEvent>({ source: schemas, readerSchema: CLICK_EVENT_AVSC });
  let rows = 0;
  const counting: Sink<ResultRow> = {
    name: 'count',
    write: () => void rows++,
    flush: async () => {},
    close: async () => {},
  };
  const discard = { name: 'discard', write: () => {}, flush: async () => {}, close: async () => {} };
  const job = clickstreamJob({ decode: clickDecoder(decoder), results: [counting], deadLetters: discard, late: discard });
  const exchange = `bench-partials-${round}`;
  const sink = new KafkaWriter<ProgressMessage>({
    bootstrap: [bootstrap],
    topic: exchange,
    partitions: 1,
    toMessage: ({ value, timestamp }) => ({ key: value.partition, value: encodeProgress(value), timestamp, partition: 0 }),
  });
  const reader = new KafkaReader({ bootstrap: [bootstrap], topics: [TOPIC, exchange], groupId: 'bench', from: 'earliest' });
  const partitions = Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: TOPIC, partition }));
  const runner = new PartitionedJobRunner(job, {
    reader,
    exchange: { topic: exchange, sink },
    membership: new StaticMembership([...partitions, { topic: exchange, partition: 0 }]),
    bounded: true,
    checkpointIntervalMs: 10_000,
  });
  const m = await measure(() => runner.run());
  return { records: m.value.records, rows, wallMs: m.wallMs, cpuMs: m.cpuMs };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
