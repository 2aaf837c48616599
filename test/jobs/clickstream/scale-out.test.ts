// Scale-out against a real broker and registry: `brook process` instances in one consumer group on
// a 4-partition input. One instance alone gives rows A; two instances started together (bounded,
// a fresh group) each read a proper subset of the partitions and together write exactly A; an
// unbounded instance joined later by a second one hands partitions and their state over mid-stream,
// and the union of what both wrote is again A (rows deduplicated by id, every copy identical).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { channel } from 'node:diagnostics_channel';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Admin, ListOffsetTimestamps, murmur2 } from '@platformatic/kafka';
import { parseCommandArgs } from '../../../src/cli/command.ts';
import { processCommand } from '../../../src/cli/process-command.ts';
import { systemClock } from '../../../src/generator/clock.ts';
import { Generator } from '../../../src/generator/generator.ts';
import { KafkaSink } from '../../../src/generator/kafka-sink.ts';
import { CLICK_EVENT_AVSC, type ClickEvent } from '../../../src/generator/schema.ts';
import type { Sink as GeneratorSink, OutRecord } from '../../../src/generator/sink.ts';
import { parseProcessConfig } from '../../../src/jobs/clickstream/options.ts';
import { RESULT_TABLES, RESULT_TOPICS, type ResultRow } from '../../../src/jobs/clickstream/rows.ts';
import { type ProcessSummary, runProcess } from '../../../src/jobs/clickstream/run.ts';
import type { CheckpointInfo, Sink } from '../../../src/processor/index.ts';
import { AvroEncoder, ConfluentRestClient } from '../../../src/registry/serde/index.ts';
import { type Registry, startRegistry } from '../../../src/registry/server.ts';
import { readTopic } from '../../helpers/read-topic.ts';
import { startTempBroker, type TempBroker, tempDir } from '../../helpers/temp-broker.ts';

const PARTITIONS = 4;
const START = Date.UTC(2024, 2, 1, 8, 0, 0);
/** Event time of the last record of each partition: an hour after the rest, it closes every window before it. */
const FLUSH_TIME = START + 3_600_000;

let tb: TempBroker;
let registry: Registry;
const dir = tempDir('brook-scale-out-');
let records: OutRecord[] = [];

before(async () => {
  // Instances started together join the group's first generation within the initial rebalance delay.
  tb = await startTempBroker({ groupInitialRebalanceDelayMs: 1000 });
  registry = await startRegistry({ port: 0, bootstrap: tb.bootstrap });
  records = await clickstreamRecords();
});

after(async () => {
  await registry.close();
  await tb.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Seeded generator sessions keyed by userid, then one record per partition an hour later. */
async function clickstreamRecords(): Promise<OutRecord[]> {
  const source = new ConfluentRestClient({ url: registry.url });
  const encoder = await AvroEncoder.create<ClickEvent>({ schema: CLICK_EVENT_AVSC, topic: 'clicks', source, autoRegister: true });
  const out: OutRecord[] = [];
  const collect: GeneratorSink = {
    send: async (batch) => void out.push(...batch),
    flush: async () => {},
    close: async () => {},
  };
  await new Generator({
    workers: 4,
    sessionsPerWorker: 150,
    noDelay: true,
    seed: 4242,
    startTime: START,
    timeStep: 7,
    lastGlobalSeq: 0,
    encode: (e) => encoder.encodeCopy(e),
    sink: collect,
    clock: systemClock,
    signal: new AbortController().signal,
  }).run();
  const flushUsers = new Map<number, number>();
  for (let user = 900; flushUsers.size < PARTITIONS; user++) {
    const p = (murmur2(Buffer.from(String(user))) & 0x7fffffff) % PARTITIONS;
    if (!flushUsers.has(p)) flushUsers.set(p, user);
  }
  for (const user of flushUsers.values()) {
    const event: ClickEvent = {
      ip: '66.249.1.9',
      eventtimestamp: FLUSH_TIME,
      devicetype: 'computer',
      event_type: 'home_page',
      product_type: 'N/A',
      userid: user,
      globalseq: 10_000_000 + user,
      prevglobalseq: 0,
    };
    out.push({ key: Buffer.from(String(user)), value: encoder.encodeCopy(event), timestamp: FLUSH_TIME });
  }
  source.close();
  return out;
}

async function createTopic(topic: string): Promise<void> {
  const admin = new Admin({ clientId: 'scale-out-admin', bootstrapBrokers: [tb.bootstrap] });
  try {
    await admin.createTopics({ topics: [topic], partitions: PARTITIONS, replicas: 1 });
  } finally {
    await admin.close();
  }
}

/** Produces as the generator does: keyed by userid, Java's partitioner. */
async function produce(topic: string, batch: OutRecord[]): Promise<void> {
  const sink = new KafkaSink({ topic, bootstrap: [tb.bootstrap] });
  try {
    await sink.send(batch);
  } finally {
    await sink.close();
  }
}

function config(argv: string[]) {
  const base = ['--bootstrap', tb.bootstrap, '--registry', registry.url, '--from', 'earliest', '--no-store'];
  return parseProcessConfig(parseCommandArgs(processCommand, [...base, ...argv]).values);
}

/** Every row of the three result topics from the given offsets on: `table id -> row`, failing on a copy that differs. */
async function rowsFrom(start: Map<string, number>): Promise<Map<string, string>> {
  const rows = new Map<string, string>();
  for (const table of RESULT_TABLES) {
    for (const r of await readTopic(tb.bootstrap, RESULT_TOPICS[table])) {
      if (Number(r.offset) < (start.get(table) ?? 0)) continue;
      const id = `${table} ${r.headers.get('brook.id')}`;
      const row = `${r.key} ${r.timestamp} ${r.value.toString('utf8')}`;
      const first = rows.get(id);
      if (first !== undefined) assert.equal(row, first, `a replayed row of ${id} differs from its first copy`);
      rows.set(id, row);
    }
  }
  return rows;
}

/** The next offset of each result topic (single partition): where the next scenario's rows start. */
async function resultEnds(): Promise<Map<string, number>> {
  const admin = new Admin({ clientId: 'scale-out-ends', bootstrapBrokers: [tb.bootstrap] });
  try {
    const topics = RESULT_TABLES.map((table) => ({
      name: RESULT_TOPICS[table],
      partitions: [{ partitionIndex: 0, timestamp: ListOffsetTimestamps.LATEST }],
    }));
    const listed = await admin.listOffsets({ topics });
    const byTopic = new Map(listed.map((t) => [t.name, Number(t.partitions[0]?.offset ?? 0)]));
    return new Map(RESULT_TABLES.map((table) => [table, byTopic.get(RESULT_TOPICS[table]) ?? 0]));
  } finally {
    await admin.close();
  }
}

/** A result sink that resolves `reached` once `want` distinct row ids have been written (by any instance sharing `ids`). */
function countingSink(ids: Set<string>, want: () => number, reached: () => void): Sink<ResultRow> {
  return {
    name: 'count',
    write: (r) => {
      ids.add(`${r.value.table} ${r.value.id}`);
      if (ids.size >= want()) reached();
    },
    flush: async () => {},
    close: async () => {},
  };
}

describe('brook process instances sharing one consumer group', () => {
  let alone: Map<string, string>;

  test('one instance alone, then two started together (bounded): each reads a proper subset, together exactly the same rows', async () => {
    await createTopic('clicks');
    await produce('clicks', records);
    const solo = await runProcess(
      config(['--topic', 'clicks', '--group', 'solo', '--bounded', '--quiet', '--data-dir', join(dir, 'solo')]),
    );
    assert.equal(solo.stoppedBy, 'end-of-input');
    assert.equal(solo.records, records.length);
    assert.deepEqual(solo.partitionsRead, ['clicks:0', 'clicks:1', 'clicks:2', 'clicks:3']);
    alone = await rowsFrom(new Map());
    assert.ok(alone.size > 300, `${alone.size} rows`);
    for (const table of RESULT_TABLES)
      assert.ok(
        [...alone.keys()].some((id) => id.startsWith(table)),
        table,
      );
    const afterSolo = await resultEnds();

    // Two instances of a fresh group, one shared checkpoint directory.
    const duo = (n: number) =>
      runProcess(
        config([
          '--topic',
          'clicks',
          '--group',
          'duo',
          '--bounded',
          '--quiet',
          '--checkpoint-dir',
          join(dir, 'duo'),
          '--data-dir',
          join(dir, `duo-${n}`),
        ]),
      );
    const [a, b] = (await Promise.all([duo(1), duo(2)])) as [ProcessSummary, ProcessSummary];
    for (const s of [a, b]) {
      assert.equal(s.stoppedBy, 'end-of-input');
      assert.ok(s.partitionsRead.length > 0 && s.partitionsRead.length < PARTITIONS, `read ${s.partitionsRead.join(', ')}`);
    }
    assert.deepEqual([...a.partitionsRead, ...b.partitionsRead].sort(), ['clicks:0', 'clicks:1', 'clicks:2', 'clicks:3']);
    assert.equal(a.records + b.records, records.length);
    const together = await rowsFrom(afterSolo);
    assert.deepEqual([...together].sort(), [...alone].sort());
  });

  test('an unbounded instance joined later by a second: partitions and state handed over mid-stream, the union is the same rows', {
    timeout: 120_000,
  }, async () => {
    assert.ok(alone, 'needs the rows of one instance alone (previous test)');
    await createTopic('clicks-live');
    const start = await resultEnds();
    const half = Math.floor((records.length - PARTITIONS) / 2);
    await produce('clicks-live', records.slice(0, half));

    // Unbounded, the last windows close when the flush records come; the flush sessions themselves never do.
    const flushWindow = FLUSH_TIME - (FLUSH_TIME % 10_000);
    const want = new Map([...alone].filter(([, row]) => !row.includes(`"windowBeginTime":${flushWindow}`)));
    assert.equal(alone.size - want.size, 1, 'only the flush window row is left out');

    const ids = new Set<string>();
    let allWritten = () => {};
    const written = new Promise<void>((resolve) => {
      allWritten = resolve;
    });
    const logs: string[][] = [[], []];
    // The rebalance as the instances report it: the second owns partitions, the first handed them over.
    const joined = Promise.withResolvers<void>();
    const log = (n: 0 | 1, text: string) => {
      logs[n]!.push(text);
      if (/owns clicks-live:/.test(logs[1]!.join('')) && /handed over/.test(logs[0]!.join(''))) joined.resolve();
    };
    const stops = [Promise.withResolvers<void>(), Promise.withResolvers<void>()];
    const live = (n: 0 | 1) =>
      runProcess(
        config([
          '--topic',
          'clicks-live',
          '--group',
          'live',
          '--checkpoint-topic',
          '_brook_checkpoints_live',
          '--checkpoint-interval',
          '0.3',
          '--idle-timeout',
          '0',
        ]),
        {
          stop: stops[n]!.promise,
          out: () => {},
          err: (t) => log(n, t),
          statusEveryMs: 0,
          results: [countingSink(ids, () => want.size, allWritten)],
        },
      );

    // The first instance reads the first half and checkpoints it.
    const firstHalfCheckpointed = new Promise<void>((resolve) => {
      const onCheckpoint = (m: unknown) => {
        const info = m as CheckpointInfo;
        let read = 0n;
        for (const [k, v] of info.offsets) if (k.startsWith('clicks-live:')) read += v;
        if (read >= BigInt(half)) {
          channel('brook:processor:checkpoint').unsubscribe(onCheckpoint);
          resolve();
        }
      };
      channel('brook:processor:checkpoint').subscribe(onCheckpoint);
    });
    const first = live(0);
    await firstHalfCheckpointed;
    assert.match(
      logs[0]!.join(''),
      /owns clicks-live:0 \(new\), clicks-live:1 \(new\), clicks-live:2 \(new\), clicks-live:3 \(new\), the combiner \(new\)/,
    );

    // The second joins: the group rebalances; it restores the partitions it gets from their checkpoints.
    const second = live(1);
    await joined.promise;
    const handedOver = logs[1]!.join('').match(/owns (.*)/)?.[1] ?? '';
    assert.match(handedOver, /clicks-live:\d \(checkpoint \d+\)/, `the second instance restored state: ${handedOver}`);

    await produce('clicks-live', records.slice(half));
    await written;
    stops[0]!.resolve();
    stops[1]!.resolve();
    const [s1, s2] = await Promise.all([first, second]);
    assert.equal(s1.stoppedBy, 'signal');
    assert.ok(s2.partitionsRead.length > 0 && s1.partitionsRead.length > 0);
    assert.ok(s1.records + s2.records >= records.length, 'every record read (some maybe twice, after the handover)');
    const union = await rowsFrom(start);
    assert.deepEqual([...union].sort(), [...want].sort());
  });

  test('two `brook process` processes (the CLI, separate OS processes) in one group give the same rows', { timeout: 120_000 }, async () => {
    assert.ok(alone, 'needs the rows of one instance alone (first test)');
    await createTopic('clicks-cli');
    await produce('clicks-cli', records);
    const start = await resultEnds();
    const cli = () =>
      runBrook([
        'process',
        '--bootstrap',
        tb.bootstrap,
        '--registry',
        registry.url,
        '--from',
        'earliest',
        '--no-store',
        '--topic',
        'clicks-cli',
        '--group',
        'duo-cli',
        '--bounded',
        '--quiet',
        '--json',
        '--checkpoint-dir',
        join(dir, 'duo-cli'),
        '--data-dir',
        join(dir, 'duo-cli-data'),
      ]);
    const runs = await Promise.all([cli(), cli()]);
    const summaries = runs.map((r) => {
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as { records: number; partitionsRead: string[] };
    });
    for (const s of summaries)
      assert.ok(s.partitionsRead.length > 0 && s.partitionsRead.length < PARTITIONS, `read ${s.partitionsRead.join(', ')}`);
    assert.equal(summaries[0]!.records + summaries[1]!.records, records.length);
    const together = await rowsFrom(start);
    assert.deepEqual([...together].sort(), [...alone].sort());
  });
});

/** bin/brook.js in a child process: its exit code and output. */
function runBrook(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', '..', '..', 'bin', 'brook.js'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += String(d);
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += String(d);
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}
