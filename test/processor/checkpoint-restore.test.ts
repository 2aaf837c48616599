// Checkpoint then restore gives the same output as an uninterrupted run: by hand at every cut
// point of a small stream, and through the runner with a memory reader and store.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AggregateFunction } from '../../src/processor/aggregate.ts';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/processor/checkpoint-codec.ts';
import { Job } from '../../src/processor/dataflow.ts';
import { MemoryCheckpointStore } from '../../src/processor/memory-checkpoint-store.ts';
import { MemoryReader } from '../../src/processor/memory-reader.ts';
import { MemorySink } from '../../src/processor/memory-sink.ts';
import { JobRunner } from '../../src/processor/runner.ts';
import { Runtime } from '../../src/processor/runtime.ts';
import type { SourceRecord } from '../../src/processor/types.ts';
import { sessionWindows, tumblingWindows } from '../../src/processor/windows.ts';
import { FakeClock } from './helpers.ts';

interface Click {
  user: number;
  page: string;
}

/** Sessions per user (with a Set in the accumulator), then sessions per 10 s window. */
function sessionJob(out: MemorySink<string>, perWindow: MemorySink<string>, late: MemorySink<string>): Job {
  const job = new Job('sessions');
  const clicks = job.source<Click>('clicks', {
    deserialize: (r) => JSON.parse(String(r.value)) as Click,
    outOfOrdernessMs: 500,
    idleTimeoutMs: 0,
  });
  const pages: AggregateFunction<Click, { n: number; pages: Set<string> }> = {
    createAccumulator: () => ({ n: 0, pages: new Set() }),
    add: (acc, c) => {
      acc.n++;
      acc.pages.add(c.page);
      return acc;
    },
    merge: (a, b) => ({ n: a.n + b.n, pages: new Set([...a.pages, ...b.pages]) }),
  };
  const sessions = clicks
    .keyBy((c) => c.user)
    .window(sessionWindows({ gapMs: 1000 }))
    .aggregate(pages, (user, w, acc) => ({ user, start: w.start, end: w.end, n: acc.n, pages: [...acc.pages].sort() }), 'sessions');
  sessions.map((s) => JSON.stringify(s)).sinkTo(out);
  sessions
    .lateRecords()
    .map((l) => `${l.key}@${l.timestamp}`)
    .sinkTo(late);
  sessions
    .keyBy(() => 'all')
    .window(tumblingWindows({ sizeMs: 10_000 }))
    .aggregate({ createAccumulator: () => 0, add: (n) => n + 1, merge: (a, b) => a + b }, (_k, w, n) => `${w.start}:${n}`, 'per-window')
    .sinkTo(perWindow);
  return job;
}

/** A deterministic pseudo-random stream over 3 partitions, with some disorder and late records. */
function dataset(n: number): SourceRecord[] {
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const out: SourceRecord[] = [];
  const offsets = [0n, 0n, 0n];
  for (let i = 0; i < n; i++) {
    const user = Math.floor(rand() * 30);
    const partition = user % 3;
    const jitter = rand() < 0.1 ? -Math.floor(rand() * 400) : 0;
    const tooLate = rand() < 0.01 ? -5000 : 0;
    const timestamp = 1_000_000 + i * 150 + jitter + tooLate;
    const value = Buffer.from(JSON.stringify({ user, page: `p${Math.floor(rand() * 5)}` }));
    const offset = offsets[partition] as bigint;
    offsets[partition] = offset + 1n;
    out.push({ topic: 'clicks', partition, offset, timestamp, key: null, value });
  }
  return out;
}

function threeSinks(): [MemorySink<string>, MemorySink<string>, MemorySink<string>] {
  return [new MemorySink<string>('a'), new MemorySink<string>('b'), new MemorySink<string>('c')];
}

function outputs(sinks: MemorySink<string>[]): string[][] {
  return sinks.map((s) => s.values);
}

describe('checkpoint and restore', () => {
  const data = dataset(400);

  function uninterrupted(): string[][] {
    const sinks = threeSinks();
    const rt = new Runtime(sessionJob(...sinks), { clock: new FakeClock() });
    for (const r of data) rt.ingest('clicks', r);
    rt.endOfInput();
    return outputs(sinks);
  }

  test('the uninterrupted run is non-trivial', () => {
    const [sessions, windows, late] = uninterrupted();
    assert.ok((sessions?.length ?? 0) > 30);
    assert.ok((windows?.length ?? 0) >= 5);
    assert.ok((late?.length ?? 0) > 0, 'the dataset has late records');
  });

  test('snapshot at any point, restore into a fresh runtime: identical output', () => {
    const expected = uninterrupted();
    for (const cut of [0, 1, 17, 100, 201, 333, 399, 400]) {
      const first = threeSinks();
      const clock = new FakeClock();
      const rt1 = new Runtime(sessionJob(...first), { clock });
      for (const r of data.slice(0, cut)) rt1.ingest('clicks', r);
      const bytes = encodeCheckpoint({ id: 1, job: 'sessions', createdAt: 0, snapshot: rt1.snapshot() });
      const second = threeSinks();
      const rt2 = new Runtime(sessionJob(...second), { clock });
      rt2.restore(decodeCheckpoint(bytes, 'test').snapshot);
      for (const r of data.slice(cut)) rt2.ingest('clicks', r);
      rt2.endOfInput();
      const got = outputs(first).map((o, i) => [...o, ...(outputs(second)[i] ?? [])]);
      assert.deepEqual(got, expected, `cut at ${cut}`);
    }
  });

  test('a checkpoint of another job is refused', () => {
    const rt = new Runtime(new Job('other'));
    assert.throws(() => rt.restore({ job: 'sessions', sources: {}, operators: {} }), /belongs to job 'sessions'/);
    assert.throws(() => decodeCheckpoint(new Uint8Array([1, 2, 3]), 'x'), /cannot be read|unknown format/);
  });
});

describe('JobRunner', () => {
  const data = dataset(600);

  async function runOnce(store: MemoryCheckpointStore, signalAfterPolls?: number) {
    const sinks = threeSinks();
    const job = sessionJob(...sinks);
    const reader = new MemoryReader(data, { batch: 5 });
    const clock = new FakeClock();
    const abort = new AbortController();
    let polls = 0;
    const poll = reader.poll.bind(reader);
    reader.poll = async () => {
      clock.advance(100);
      if (signalAfterPolls !== undefined && ++polls >= signalAfterPolls) abort.abort();
      return poll();
    };
    const runner = new JobRunner(job, {
      readers: { clicks: reader },
      checkpointStore: store,
      checkpointIntervalMs: 300,
      bounded: true,
      clock,
      signal: abort.signal,
    });
    const summary = await runner.run();
    return { summary, sinks, reader, runner };
  }

  test('bounded run: reads to the end, fires every window, checkpoints, commits, closes', async () => {
    const store = new MemoryCheckpointStore();
    const { summary, sinks, reader } = await runOnce(store);
    assert.equal(summary.stoppedBy, 'end-of-input');
    assert.equal(summary.records, 600);
    assert.ok(summary.checkpoints >= 3);
    assert.ok(summary.lateRecords > 0);
    assert.ok(reader.closed);
    assert.deepEqual(
      [...reader.committed.values()].reduce((a, b) => a + b, 0n),
      600n,
    );
    assert.ok((sinks[0]?.flushes ?? 0) >= summary.checkpoints);
  });

  test('stopped midway and restarted from its checkpoint: after dedup by content, the same results', async () => {
    const clean = await runOnce(new MemoryCheckpointStore());
    const store = new MemoryCheckpointStore();
    const parts: string[][][] = [];
    for (const stopAt of [4, 9, 13]) {
      const r = await runOnce(store, stopAt);
      assert.equal(r.summary.stoppedBy, 'signal');
      parts.push(outputs(r.sinks));
    }
    const resumeFrom = store.saved.at(-1)?.id;
    const last = await runOnce(store);
    assert.equal(last.summary.stoppedBy, 'end-of-input');
    assert.equal(last.summary.restoredFrom, resumeFrom);
    parts.push(outputs(last.sinks));
    for (let i = 0; i < 3; i++) {
      const union = new Set(parts.flatMap((p) => p[i] ?? []));
      assert.deepEqual([...union].sort(), [...new Set(outputs(clean.sinks)[i])].sort(), `output ${i}`);
    }
  });
});

describe('JobRunner metrics', () => {
  test('partitions, operators, watermark, freshness and checkpoints are reported', async () => {
    const sinks = threeSinks();
    const job = sessionJob(...sinks);
    const data = dataset(90);
    const reader = new MemoryReader(data, { batch: 10 });
    const clock = new FakeClock(1_000_000 + 90 * 150 + 60_000);
    const runner = new JobRunner(job, { readers: { clicks: reader }, bounded: true, clock, maxStateEntries: 1234 });
    await runner.run();
    const m = runner.metrics();
    assert.equal(m.job, 'sessions');
    assert.equal(m.stateLimit, 1234);
    assert.deepEqual(
      m.partitions.map((p) => [p.partition, p.lag]),
      [
        ['clicks:0', 0],
        ['clicks:1', 0],
        ['clicks:2', 0],
      ].sort(),
    );
    assert.equal(
      m.partitions.reduce((a, p) => a + p.offset, 0),
      90,
    );
    assert.equal(m.watermark, null, 'the end of a bounded input is shown as no watermark');
    assert.equal(m.checkpoints, 1);
    assert.ok(m.lastCheckpoint && m.lastCheckpoint.bytes > 0);
    const sessions = m.operators.find((o) => o.name === 'sessions');
    assert.equal(sessions?.recordsIn, 90 - m.deadLetters);
    assert.equal(sessions?.stateEntries, 0, 'every session fired at the end');
  });
});
