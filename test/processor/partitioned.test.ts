// Partitioned runs without a broker: per-partition pipelines and the combiner of their global
// windows, over topics in memory. One instance, two instances side by side, a handover in the
// middle of the stream (with and without the newest checkpoint), a stop and restart: the rows are
// always those of the per-partition computation, each global window merged once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  COMBINER_KEY,
  decodeCheckpoint,
  decodeProgress,
  encodeCheckpoint,
  encodeProgress,
  Job,
  MemoryKeyedCheckpointStore,
  MemorySink,
  MemoryTopics,
  PartitionedJobRunner,
  PartitionPipeline,
  type ProgressMessage,
  Runtime,
  type SourceRecord,
  StaticMembership,
  sessionWindows,
  systemClock,
  type TopicPartition,
  tumblingWindows,
} from '../../src/processor/index.ts';

interface Click {
  user: number;
  page: string;
}

type Row = string;

const TOPIC = 'clicks';
const EXCHANGE = 'clicks-partials';
const PARTITIONS = 3;

/** Sessions per user (partition-local), then sessions per 10 s window and per page (both global). */
function clickJob(out: MemorySink<Row>, late: MemorySink<Row>): Job {
  const job = new Job('pages');
  const clicks = job.source<Click>(TOPIC, {
    deserialize: (r) => JSON.parse(String(r.value)) as Click,
    outOfOrdernessMs: 500,
    idleTimeoutMs: 0,
  });
  const sessions = clicks
    .keyBy((c) => c.user)
    .window(sessionWindows({ gapMs: 1000 }))
    .aggregate(
      {
        createAccumulator: () => ({ n: 0, pages: new Set<string>() }),
        add: (acc, c) => {
          acc.n++;
          acc.pages.add(c.page);
          return acc;
        },
        merge: (a, b) => ({ n: a.n + b.n, pages: new Set([...a.pages, ...b.pages]) }),
      },
      (user, w, acc) => ({ user, start: w.start, end: w.end, n: acc.n, pages: [...acc.pages].sort() }),
      'sessions',
    );
  sessions.map((s) => `session ${s.user} ${s.start} ${s.end} ${s.n} ${s.pages.join(',')}`).sinkTo(out, 'session-rows');
  sessions
    .lateRecords()
    .map((l) => `${l.key}@${l.timestamp}`)
    .sinkTo(late);
  sessions
    .keyBy(() => 'all')
    .window(tumblingWindows({ sizeMs: 10_000 }))
    .aggregate(
      { createAccumulator: () => ({ n: 0 }), add: (a) => ({ n: a.n + 1 }), merge: (a, b) => ({ n: a.n + b.n }) },
      (_k, w, acc) => `window all ${w.start} ${acc.n}`,
      'per-window',
      { scope: 'global' },
    )
    .sinkTo(out, 'window-rows');
  sessions
    .flatMap((s) => s.pages, 'session-pages')
    .keyBy((p) => p)
    .window(tumblingWindows({ sizeMs: 10_000 }))
    .aggregate(
      { createAccumulator: () => 0, add: (n) => n + 1, merge: (a, b) => a + b },
      (page, w, n) => `window ${page} ${w.start} ${n}`,
      'per-page',
      {
        scope: 'global',
      },
    )
    .sinkTo(out, 'page-rows');
  return job;
}

/**
 * A deterministic stream over 3 partitions (users by user % 3): per partition some disorder within
 * the bound, some records far too late, and partition 2 running 3 s behind the others in event
 * time (a whole-job watermark would wait for it; a per-partition one does not).
 */
function dataset(n: number): SourceRecord[] {
  let seed = 11;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const out: SourceRecord[] = [];
  const offsets = [0n, 0n, 0n];
  for (let i = 0; i < n; i++) {
    const user = Math.floor(rand() * 40);
    const partition = user % PARTITIONS;
    const jitter = rand() < 0.15 ? -Math.floor(rand() * 450) : 0;
    const tooLate = rand() < 0.02 ? -6000 : 0;
    const behind = partition === 2 ? -3000 : 0;
    const timestamp = 5_000_000 + i * 60 + jitter + tooLate + behind;
    const value = Buffer.from(JSON.stringify({ user, page: `p${Math.floor(rand() * 4)}` }));
    const offset = offsets[partition] as bigint;
    offsets[partition] = offset + 1n;
    out.push({ topic: TOPIC, partition, offset, timestamp, key: null, value });
  }
  return out;
}

/**
 * The oracle: each partition alone through the whole job (so its watermark is its own), then the
 * global windows added up across partitions by window and key.
 */
function expected(data: SourceRecord[]): { rows: string[]; late: string[] } {
  const rows: string[] = [];
  const late: string[] = [];
  const sums = new Map<string, number>();
  for (let p = 0; p < PARTITIONS; p++) {
    const out = new MemorySink<Row>();
    const lateSink = new MemorySink<Row>();
    const rt = new Runtime(clickJob(out, lateSink));
    for (const r of data.filter((r) => r.partition === p)) rt.ingest(TOPIC, r);
    rt.endOfInput();
    late.push(...lateSink.values);
    for (const row of out.values) {
      if (!row.startsWith('window ')) {
        rows.push(row);
        continue;
      }
      const cut = row.lastIndexOf(' ');
      sums.set(row.slice(0, cut), (sums.get(row.slice(0, cut)) ?? 0) + Number(row.slice(cut + 1)));
    }
  }
  for (const [k, n] of sums) rows.push(`${k} ${n}`);
  return { rows: rows.sort(), late: late.sort() };
}

function topicsWith(data: SourceRecord[]): MemoryTopics {
  const topics = new MemoryTopics();
  topics.create(TOPIC, PARTITIONS);
  topics.create(EXCHANGE, 1);
  topics.append(data);
  return topics;
}

interface Instance {
  runner: PartitionedJobRunner;
  out: MemorySink<Row>;
  late: MemorySink<Row>;
  membership: StaticMembership;
}

function instance(
  topics: MemoryTopics,
  owns: TopicPartition[],
  opts: { store?: MemoryKeyedCheckpointStore; signal?: AbortSignal; checkpointIntervalMs?: number; batch?: number } = {},
): Instance {
  const out = new MemorySink<Row>('rows');
  const late = new MemorySink<Row>('late');
  const membership = new StaticMembership(owns);
  const runner = new PartitionedJobRunner(clickJob(out, late), {
    reader: topics.reader([TOPIC, EXCHANGE], { batch: opts.batch ?? 25 }),
    exchange: {
      topic: EXCHANGE,
      sink: topics.sink<ProgressMessage>(EXCHANGE, (r) => ({
        partition: 0,
        key: Buffer.from(r.value.partition),
        value: encodeProgress(r.value),
        timestamp: r.timestamp,
      })),
    },
    membership,
    checkpointStore: opts.store,
    checkpointIntervalMs: opts.checkpointIntervalMs ?? 1,
    bounded: true,
    signal: opts.signal,
  });
  return { runner, out, late, membership };
}

const tp = (partition: number): TopicPartition => ({ topic: TOPIC, partition });
const ALL: TopicPartition[] = [tp(0), tp(1), tp(2), { topic: EXCHANGE, partition: 0 }];

/** Rows of several instances, deduplicated: a replayed row must be identical to its first copy. */
function union(...sinks: MemorySink<Row>[]): string[] {
  return [...new Set(sinks.flatMap((s) => s.values))].sort();
}

describe('partitioned runs in memory', () => {
  const data = dataset(3000);
  const want = expected(data);

  test('the oracle is non-trivial: late records, sessions and global windows from every partition', () => {
    assert.ok(want.late.length > 20, `${want.late.length} late`);
    assert.ok(want.rows.filter((r) => r.startsWith('session')).length > 300);
    assert.ok(want.rows.filter((r) => r.startsWith('window all')).length > 15);
  });

  test('one instance owning everything: exactly the per-partition rows, each global window once', async () => {
    const one = instance(topicsWith(data), ALL);
    const summary = await one.runner.run();
    assert.equal(summary.stoppedBy, 'end-of-input');
    assert.equal(summary.records, data.length);
    assert.deepEqual([...one.out.values].sort(), want.rows);
    assert.deepEqual([...one.late.values].sort(), want.late);
    assert.equal(summary.lateRecords, want.late.length);
    assert.deepEqual(summary.partitionsRead, ['clicks:0', 'clicks:1', 'clicks:2']);
  });

  test('the whole-job runtime judges lateness differently on this data: per-partition lateness is what is tested', () => {
    const out = new MemorySink<Row>();
    const late = new MemorySink<Row>();
    const rt = new Runtime(clickJob(out, late));
    for (const r of data) rt.ingest(TOPIC, r);
    rt.endOfInput();
    assert.notDeepEqual([...late.values].sort(), want.late);
  });

  test('two instances side by side: together exactly the rows of one', async () => {
    const topics = topicsWith(data);
    const a = instance(topics, [tp(0), tp(2), { topic: EXCHANGE, partition: 0 }]);
    const b = instance(topics, [tp(1)]);
    const [sa, sb] = await Promise.all([a.runner.run(), b.runner.run()]);
    assert.deepEqual(sa.partitionsRead, ['clicks:0', 'clicks:2']);
    assert.deepEqual(sb.partitionsRead, ['clicks:1']);
    assert.equal(sa.records + sb.records, data.length);
    // No handover, no replay: every row exactly once.
    assert.deepEqual([...a.out.values, ...b.out.values].sort(), want.rows);
    assert.deepEqual([...a.late.values, ...b.late.values].sort(), want.late);
    assert.ok(
      b.out.values.every((r) => r.startsWith('session')),
      'only the combiner writes global windows',
    );
  });

  test('a handover mid-stream, the new owner restoring the cut the old one took: the same rows', async () => {
    const topics = topicsWith(data);
    const store = new MemoryKeyedCheckpointStore();
    const a = instance(topics, ALL, { store });
    const b = instance(topics, [], { store });
    let handed = false;
    const handOver = a.out.write.bind(a.out);
    a.out.write = (r) => {
      handOver(r);
      // Once a third of the rows are out, partitions 1 and 2 move to B.
      if (!handed && a.out.records.length >= want.rows.length / 3) {
        handed = true;
        a.membership.assign([tp(0), { topic: EXCHANGE, partition: 0 }]);
      }
    };
    const runA = a.runner.run();
    const runB = (async () => {
      // B is given the partitions once A has checkpointed them (A reports the revocation after its cut).
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (a.runner.ownership().partitions.length === 1) {
            clearInterval(poll);
            resolve();
          }
        }, 1);
      });
      b.membership.assign([tp(1), tp(2)]);
      return b.runner.run();
    })();
    const [sa, sb] = await Promise.all([runA, runB]);
    assert.ok(handed);
    assert.ok(sb.records > 0 && sb.records < data.length * 0.67, `B read ${sb.records} records`);
    assert.equal(sa.records + sb.records, data.length, 'the cut was exact: nothing read twice');
    assert.deepEqual(union(a.out, b.out), want.rows);
    assert.deepEqual([...a.out.values, ...b.out.values].sort(), want.rows, 'nor written twice');
    assert.deepEqual([...a.late.values, ...b.late.values].sort(), want.late);
  });

  test('a handover where the new owner starts from an older cut: replays are identical, replayed partials not counted twice', async () => {
    const topics = topicsWith(data);
    const store = new MemoryKeyedCheckpointStore();
    const a = instance(topics, ALL, { store });
    // B does not see A's checkpoints (as if it loaded before A's cut was saved): it reads
    // partitions 1 and 2 again from the start, while A's combiner has fired windows of them.
    const b = instance(topics, [], { store: new MemoryKeyedCheckpointStore() });
    let handed = false;
    let handOver = () => {};
    const handedOver = new Promise<void>((resolve) => {
      handOver = resolve;
    });
    const write = a.out.write.bind(a.out);
    a.out.write = (r) => {
      write(r);
      if (!handed && a.out.records.length >= want.rows.length / 2) {
        handed = true;
        b.membership.assign([tp(1), tp(2)]);
        a.membership.assign([tp(0), { topic: EXCHANGE, partition: 0 }]);
        handOver();
      }
    };
    const runA = a.runner.run();
    const runB = handedOver.then(() => b.runner.run());
    const [sa, sb] = await Promise.all([runA, runB]);
    assert.ok(handed);
    assert.ok(sa.records + sb.records > data.length, 'B read again what A had read of partitions 1 and 2');
    assert.ok(sa.replayedPartials > 0, 'the combiner saw partials of windows it had fired, and ignored them');
    assert.deepEqual(union(a.out, b.out), want.rows);
    const globals = [...a.out.values].filter((r) => r.startsWith('window '));
    assert.equal(new Set(globals).size, globals.length, 'each global window merged and written once');
  });

  test('stopped mid-stream and restarted from its checkpoints: the same rows', async () => {
    const topics = topicsWith(data);
    const store = new MemoryKeyedCheckpointStore();
    const stop = new AbortController();
    const first = instance(topics, ALL, { store, signal: stop.signal });
    const write = first.out.write.bind(first.out);
    first.out.write = (r) => {
      write(r);
      if (first.out.records.length === Math.floor(want.rows.length / 2)) stop.abort();
    };
    const s1 = await first.runner.run();
    assert.equal(s1.stoppedBy, 'signal');
    assert.ok(s1.records < data.length);
    assert.ok(store.saved.some((s) => s.key === COMBINER_KEY) && store.saved.some((s) => s.key === 'clicks-2'));
    const second = instance(topics, ALL, { store });
    const s2 = await second.runner.run();
    assert.ok(s2.restoredFrom !== undefined);
    assert.equal(s1.records + s2.records, data.length, 'the second run resumed at the cut');
    assert.deepEqual([...first.out.values, ...second.out.values].sort(), want.rows);
  });

  test("a partition's pipeline cut at any point and restored into a fresh one goes on exactly as the uninterrupted one", () => {
    const records = data.filter((r) => r.partition === 1);
    const run = (cut: number | undefined) => {
      const out = new MemorySink<Row>();
      const late = new MemorySink<Row>();
      const job = clickJob(out, late);
      let pipeline = new PartitionPipeline(job, tp(1), { clock: systemClock });
      const sent: unknown[] = [];
      const send = () => sent.push(pipeline.progress('pages', 0, 0, true));
      records.forEach((r, i) => {
        if (i === cut) {
          send();
          const bytes = encodeCheckpoint({ id: 1, job: 'pages', createdAt: 0, snapshot: pipeline.snapshot(), partition: 'clicks:1' });
          pipeline = new PartitionPipeline(job, tp(1), { clock: systemClock });
          pipeline.restore(decodeCheckpoint(bytes, 'test').snapshot);
        }
        pipeline.ingest(r);
      });
      pipeline.finish();
      send();
      return {
        rows: out.values,
        late: late.values,
        partials: sent.filter((m) => m !== undefined).flatMap((m) => (m as ProgressMessage).partials),
      };
    };
    const whole = run(undefined);
    assert.ok(whole.partials.length > 20 && whole.late.length > 0);
    for (let cut = 1; cut < records.length; cut += 37) assert.deepEqual(run(cut), whole, `cut before record ${cut}`);
  });

  test('after a bounded run, the next run goes on from the data: new windows fire; windows only the end closed are not redone', async () => {
    const T = 5_000_000;
    const click = (user: number, at: number): SourceRecord => ({
      topic: TOPIC,
      partition: user % PARTITIONS,
      offset: 0n,
      timestamp: T + at,
      key: null,
      value: Buffer.from(JSON.stringify({ user, page: 'p1' })),
    });
    const topics = topicsWith([]);
    topics.append([0, 1, 2].flatMap((user) => [click(user, 10_000), click(user, 19_900)]));
    const store = new MemoryKeyedCheckpointStore();
    const first = instance(topics, ALL, { store });
    await first.runner.run();
    assert.ok(first.out.values.includes(`window all ${T + 20_000} 3`), 'the end of input closed [20 s, 30 s) with 3 sessions');

    // More data: a session that lands in [20 s, 30 s) again (on time for its partition), and later ones.
    topics.append([click(0, 19_950), ...[0, 1, 2].flatMap((user) => [click(user, 60_000), click(user, 75_000)])]);
    const second = instance(topics, ALL, { store });
    const summary = await second.runner.run();
    assert.ok(summary.restoredFrom !== undefined);
    assert.ok(second.out.values.includes(`window all ${T + 60_000} 3`), 'new windows fire');
    assert.ok(
      !second.out.values.some((r) => r.startsWith(`window all ${T + 20_000} `)),
      'the complete row of [20 s, 30 s) is not replaced by a partial one',
    );
    assert.equal(summary.replayedPartials, 2, 'the late partials (sessions per window, pages per window) were counted');
  });

  test('progress messages survive their codec; anything else on the exchange is refused clearly', () => {
    const m: ProgressMessage = {
      job: 'pages',
      partition: 'clicks:1',
      watermark: 42,
      partials: [{ operator: 'per-page', key: 'p1', start: 0, end: 10, acc: 3 }],
    };
    assert.deepEqual(decodeProgress(encodeProgress(m), 'x'), m);
    assert.throws(() => decodeProgress(Buffer.from('{"json":true}'), 'clicks-partials:0:7'), /clicks-partials:0:7 .*another program/);
  });
});
