// Serde throughput on clickstream events: Brook's encoder and decoder (Confluent, Glue, Glue+zlib)
// against avsc's raw toBuffer / encode-into-a-reused-buffer / fromBuffer on the same records, in
// the same run, interleaved. Usage: node bench/serde.ts [--records 200000] [--rounds 7] [--quick]

import * as os from 'node:os';
import { parseArgs } from 'node:util';
import { deflateSync, inflateSync } from 'node:zlib';
import avsc from 'avsc';
import { CLICK_EVENT_SCHEMA } from '../src/generator/schema.ts';
import { AvroDecoder } from '../src/registry/serde/decoder.ts';
import { AvroEncoder } from '../src/registry/serde/encoder.ts';
import { InMemorySchemaSource } from '../src/registry/serde/in-memory-source.ts';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '7' },
    quick: { type: 'boolean', default: false },
  },
});
const N = args.quick ? 50_000 : Number(args.records);
const ROUNDS = args.quick ? 3 : Number(args.rounds);

// The ClickEvent of the clickstream spec, section 1: the producer's namespace for writing, the
// original Flink job's for reading (so decoding resolves across namespaces, as the processor will).
const fields = CLICK_EVENT_SCHEMA.fields;
const WRITER = JSON.stringify({ type: 'record', name: 'ClickEvent', namespace: 'samples.clickstream.avro', fields });
const READER = JSON.stringify({ type: 'record', name: 'ClickEvent', namespace: 'tutorial.buildon.aws.streaming.avro', fields });

// Sessions as the generator makes them (clickstream spec, section 2), from a seeded PRNG.
let seed = 0x2f6b3a1d;
const rand = (n: number) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * n;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand(xs.length))]!;
const NEXT: Record<string, string[]> = {
  home_page: ['product_catalog'],
  product_catalog: ['home_page', 'product_detail'],
  product_detail: ['product_catalog', 'add_to_cart'],
  add_to_cart: ['product_catalog', 'remove_from_cart', 'order'],
  order: ['order_checkout', 'remove_from_cart', 'product_catalog'],
  order_checkout: [''],
  remove_from_cart: ['', 'product_detail', 'product_catalog'],
};
const DEPARTMENTS = ['cell phones', 'laptops', 'ear phones', 'soundbars', 'cd players', 'AirPods', 'video games', 'cameras'];

type ClickEvent = {
  ip: string;
  eventtimestamp: number;
  devicetype: string;
  event_type: string | null;
  product_type: string | null;
  userid: number;
  globalseq: number;
  prevglobalseq: number;
};

function clickstream(n: number): ClickEvent[] {
  const out: ClickEvent[] = [];
  let block = 1000;
  let globalseq = 0;
  let now = 1_700_000_000_000;
  while (out.length < n) {
    const userid = block + Math.floor(rand(1000));
    block += 1000;
    const ip = `66.249.1.${Math.floor(rand(255))}`;
    const devicetype = pick(['mobile', 'computer', 'tablet']);
    let event = 'home_page';
    let product = 'N/A';
    for (;;) {
      const prevglobalseq = globalseq;
      globalseq++;
      out.push({ ip, eventtimestamp: now++, devicetype, event_type: event, product_type: product, userid, globalseq, prevglobalseq });
      if (event === '' || out.length >= n) break;
      const next = pick(NEXT[event]!);
      if (next === '') product = '';
      else if (next === 'home_page' || next === 'product_catalog') product = 'N/A';
      else if (next === 'product_detail') product = pick(DEPARTMENTS);
      event = next;
    }
    now += 50 + Math.floor(rand(500));
  }
  return out;
}

const events = clickstream(N);
const writerType = avsc.Type.forSchema(JSON.parse(WRITER));
const readerType = avsc.Type.forSchema(JSON.parse(READER));
const rawResolver = readerType.createResolver(writerType, { ignoreNamespaces: true });

const source = new InMemorySchemaSource();
const schemaId = source.addSchema(WRITER);
const versionId = source.addVersion(WRITER);
const confluent = new AvroEncoder<ClickEvent>({ schema: WRITER, topic: 'clickstream', schemaId });
const glue = new AvroEncoder<ClickEvent>({ schema: WRITER, topic: 'clickstream', framing: 'glue', schemaVersionId: versionId });
const glueZlib = new AvroEncoder<ClickEvent>({
  schema: WRITER,
  topic: 'clickstream',
  framing: 'glue',
  compression: 'zlib',
  schemaVersionId: versionId,
});
const plainDecoder = new AvroDecoder<ClickEvent>({ source });
const decoder = new AvroDecoder<ClickEvent>({ source, readerSchema: READER });
for (const d of [plainDecoder, decoder]) {
  await d.prefetch({ schemaId });
  await d.prefetch({ schemaVersionId: versionId });
}

const bodies = events.map((e) => writerType.toBuffer(e));
const deflated = bodies.map((b) => deflateSync(b));
const confluentFrames = events.map((e) => confluent.encodeCopy(e));
const glueFrames = events.map((e) => glue.encodeCopy(e));
const glueZlibFrames = events.map((e) => glueZlib.encodeCopy(e));
const avgBytes = bodies.reduce((s, b) => s + b.length, 0) / N;
const avgZlib = glueZlibFrames.reduce((s, b) => s + b.length, 0) / N;

const target = Buffer.allocUnsafeSlow(64 << 10);
let sink = 0;

type Case = { name: string; run: () => void | Promise<void> };
const encodeCases: Case[] = [
  { name: 'avsc toBuffer (allocates)', run: () => each((e) => writerType.toBuffer(e).length) },
  { name: 'avsc encode into reused buffer', run: () => each((e) => writerType.encode(e, target, 0)) },
  { name: 'confluent encode() view', run: () => each((e) => confluent.encode(e).length) },
  { name: 'confluent encodeInto reused', run: () => each((e) => confluent.encodeInto(e, target, 0)) },
  { name: 'confluent encodeCopy', run: () => each((e) => confluent.encodeCopy(e).length) },
  { name: 'glue encode() view', run: () => each((e) => glue.encode(e).length) },
  { name: 'glue encodeInto reused', run: () => each((e) => glue.encodeInto(e, target, 0)) },
  { name: 'avsc toBuffer + zlib deflate', run: () => each((e) => deflateSync(writerType.toBuffer(e)).length) },
  { name: 'glue zlib encode()', run: () => each((e) => glueZlib.encode(e).length) },
];
const decodeCases: Case[] = [
  { name: 'avsc fromBuffer (writer schema)', run: () => eachBuf(bodies, (b) => writerType.fromBuffer(b).userid) },
  { name: 'avsc fromBuffer via resolver', run: () => eachBuf(bodies, (b) => readerType.fromBuffer(b, rawResolver).userid) },
  { name: 'confluent decodeSync, no reader', run: () => eachBuf(confluentFrames, (b) => plainDecoder.decodeSync(b).userid) },
  { name: 'confluent decodeSync, reader ns', run: () => eachBuf(confluentFrames, (b) => decoder.decodeSync(b).userid) },
  { name: 'confluent await decode(), reader', run: () => eachAsync(confluentFrames, async (b) => (await decoder.decode(b)).userid) },
  { name: 'glue decodeSync, reader ns', run: () => eachBuf(glueFrames, (b) => decoder.decodeSync(b).userid) },
  {
    name: 'zlib inflate + avsc via resolver',
    run: () => eachBuf(deflated, (b) => readerType.fromBuffer(inflateSync(b), rawResolver).userid),
  },
  { name: 'glue zlib decodeSync, reader ns', run: () => eachBuf(glueZlibFrames, (b) => decoder.decodeSync(b).userid) },
];

function each(f: (e: ClickEvent) => number): void {
  for (let i = 0; i < N; i++) sink += f(events[i]!);
}
function eachBuf(bufs: Buffer[], f: (b: Buffer) => number): void {
  for (let i = 0; i < N; i++) sink += f(bufs[i]!);
}
async function eachAsync(bufs: Buffer[], f: (b: Buffer) => Promise<number>): Promise<void> {
  for (let i = 0; i < N; i++) sink += await f(bufs[i]!);
}

/** Records/s of each case: best of ROUNDS, cases interleaved within each round so drift hits all. */
async function measure(cases: Case[]): Promise<Map<string, number>> {
  const best = new Map<string, number>(cases.map((c) => [c.name, 0]));
  for (const c of cases) await c.run(); // warm-up: let the JIT settle on every path first
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate the order so no case always runs right after the same neighbour (GC debt, caches).
    for (const c of r % 2 === 0 ? cases : [...cases].reverse()) {
      const t = process.hrtime.bigint();
      await c.run();
      const rate = N / (Number(process.hrtime.bigint() - t) / 1e9);
      best.set(c.name, Math.max(best.get(c.name)!, rate));
    }
  }
  return best;
}

function print(title: string, rates: Map<string, number>): void {
  console.log(`\n${title}`);
  for (const [name, rate] of rates) console.log(`  ${name.padEnd(36)} ${(rate / 1e6).toFixed(2).padStart(6)} M records/s`);
}

const cpus = os.cpus();
console.log(
  `serde bench: ${N} clickstream events x ${ROUNDS} rounds (best round reported); avg Avro body ${avgBytes.toFixed(1)} B, ` +
    `Glue+zlib frame ${avgZlib.toFixed(1)} B`,
);
console.log(
  `node ${process.version}; avsc ${avscVersion()}; ${os.type()} ${os.release()} ${os.arch()}; ` +
    `cpu ${os.availableParallelism()} x ${cpus[0]?.model ?? '?'}; ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${new Date().toISOString()}`,
);

const enc = await measure(encodeCases);
print('encode', enc);
const dec = await measure(decodeCases);
print('decode', dec);

const ratio = (a: Map<string, number>, x: string, y: string) => `${(a.get(x)! / a.get(y)!).toFixed(2).padStart(5)}  ${x} / ${y}`;
console.log('\nratios (1.00 = as fast as the raw avsc call):');
for (const line of [
  ratio(enc, 'confluent encode() view', 'avsc encode into reused buffer'),
  ratio(enc, 'confluent encodeInto reused', 'avsc encode into reused buffer'),
  ratio(enc, 'confluent encode() view', 'avsc toBuffer (allocates)'),
  ratio(enc, 'glue encode() view', 'avsc encode into reused buffer'),
  ratio(enc, 'glue encodeInto reused', 'avsc encode into reused buffer'),
  ratio(enc, 'glue zlib encode()', 'avsc toBuffer + zlib deflate'),
  ratio(dec, 'confluent decodeSync, no reader', 'avsc fromBuffer (writer schema)'),
  ratio(dec, 'confluent decodeSync, reader ns', 'avsc fromBuffer via resolver'),
  ratio(dec, 'confluent await decode(), reader', 'avsc fromBuffer via resolver'),
  ratio(dec, 'glue decodeSync, reader ns', 'avsc fromBuffer via resolver'),
  ratio(dec, 'glue zlib decodeSync, reader ns', 'zlib inflate + avsc via resolver'),
]) {
  console.log(`  ${line}`);
}
if (sink === 42) console.log(''); // keeps the results observable so no case is optimized away

function avscVersion(): string {
  try {
    return (process as unknown as { getBuiltinModule: (m: string) => typeof import('node:module') })
      .getBuiltinModule('node:module')
      .createRequire(import.meta.url)('avsc/package.json').version as string;
  } catch {
    return '?';
  }
}
