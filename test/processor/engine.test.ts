// The engine driven by hand: records and clock pushed in, exact output asserted, no sockets and
// no sleeps. Covers tumbling, sliding and session windows, lateness, per-partition watermarks,
// idleness, dead letters and bounded end.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AggregateFunction } from '../../src/processor/aggregate.ts';
import { Job } from '../../src/processor/dataflow.ts';
import { MemorySink } from '../../src/processor/memory-sink.ts';
import { Runtime } from '../../src/processor/runtime.ts';
import { MAX_WATERMARK, type TimeWindow } from '../../src/processor/types.ts';
import { sessionWindows, slidingWindows, tumblingWindows, type WindowAssigner } from '../../src/processor/windows.ts';
import { FakeClock, jsonSource, rec } from './helpers.ts';

interface Ev {
  k: string;
  n: number;
}

const sum: AggregateFunction<Ev, { total: number; count: number }> = {
  createAccumulator: () => ({ total: 0, count: 0 }),
  add: (acc, v) => {
    acc.total += v.n;
    acc.count++;
    return acc;
  },
  merge: (a, b) => ({ total: a.total + b.total, count: a.count + b.count }),
};

function build(assigner: WindowAssigner, opts: { outOfOrdernessMs?: number; idleTimeoutMs?: number } = {}) {
  const job = new Job('test');
  const src = job.source<Ev>('in', { ...jsonSource, outOfOrdernessMs: opts.outOfOrdernessMs ?? 0, idleTimeoutMs: opts.idleTimeoutMs ?? 0 });
  const out = new MemorySink<{ key: string; window: TimeWindow; total: number; count: number }>('out');
  const late = new MemorySink<{ key: string; timestamp: number; window: TimeWindow }>('late');
  const dead = new MemorySink<string>('dead');
  const agg = src
    .keyBy((e) => e.k)
    .window(assigner)
    .aggregate(sum, (key, window, acc) => ({ key, window, total: acc.total, count: acc.count }), 'agg');
  agg.sinkTo(out);
  agg
    .lateRecords()
    .map((l) => ({ key: l.key, timestamp: l.timestamp, window: l.window }))
    .sinkTo(late);
  src
    .deadLetters()
    .map((d) => `${d.record.offset}: ${d.error}`)
    .sinkTo(dead);
  const clock = new FakeClock();
  const rt = new Runtime(job, { clock });
  return { job, rt, out, late, dead, clock };
}

describe('tumbling windows', () => {
  test('in-order data: windows fire when the watermark passes end - 1, stamped end - 1', () => {
    const { rt, out } = build(tumblingWindows({ sizeMs: 10 }));
    rt.ingest('in', rec(0, 1, { k: 'a', n: 1 }));
    rt.ingest('in', rec(0, 5, { k: 'b', n: 2 }));
    rt.ingest('in', rec(0, 9, { k: 'a', n: 3 }));
    assert.equal(out.records.length, 0, 'nothing fires before the watermark reaches 9');
    rt.ingest('in', rec(0, 10, { k: 'a', n: 4 }));
    // watermark = 10 - 0 - 1 = 9 = end - 1 of [0, 10)
    assert.deepEqual(out.records, [
      { value: { key: 'a', window: { start: 0, end: 10 }, total: 4, count: 2 }, timestamp: 9 },
      { value: { key: 'b', window: { start: 0, end: 10 }, total: 2, count: 1 }, timestamp: 9 },
    ]);
    rt.endOfInput();
    assert.deepEqual(out.records[2], { value: { key: 'a', window: { start: 10, end: 20 }, total: 4, count: 1 }, timestamp: 19 });
  });

  test('out-of-order data within the bound lands in its window; beyond it goes to the late output', () => {
    const { rt, out, late } = build(tumblingWindows({ sizeMs: 10 }), { outOfOrdernessMs: 5 });
    rt.ingest('in', rec(0, 12, { k: 'a', n: 1 })); // watermark 6
    rt.ingest('in', rec(0, 8, { k: 'a', n: 10 })); // on time: [0,10) closes at 9 > 6
    rt.ingest('in', rec(0, 15, { k: 'a', n: 1 })); // watermark 9: [0,10) fires
    assert.deepEqual(out.values, [{ key: 'a', window: { start: 0, end: 10 }, total: 10, count: 1 }]);
    rt.ingest('in', rec(0, 3, { k: 'a', n: 100 })); // late
    assert.deepEqual(late.values, [{ key: 'a', timestamp: 3, window: { start: 0, end: 10 } }]);
    rt.endOfInput();
    assert.deepEqual(out.values[1], { key: 'a', window: { start: 10, end: 20 }, total: 2, count: 2 });
    const m = rt.operatorMetrics().find((x) => x.name === 'agg');
    assert.equal(m?.lateRecords, 1);
    assert.equal(m?.stateEntries, 0);
  });

  test('late counts are kept per window', () => {
    const { rt, job } = build(tumblingWindows({ sizeMs: 10 }));
    rt.ingest('in', rec(0, 50, { k: 'a', n: 1 }));
    for (const t of [1, 2, 15, 3]) rt.ingest('in', rec(0, t, { k: 'a', n: 1 }));
    assert.equal(job.name, 'test');
    const m = rt.operatorMetrics().find((x) => x.name === 'agg');
    assert.equal(m?.lateRecords, 4);
  });
});

describe('sliding windows', () => {
  test('a record counts in every window that contains it; lateness per window', () => {
    const { rt, out, late } = build(slidingWindows({ sizeMs: 10, slideMs: 5 }));
    rt.ingest('in', rec(0, 7, { k: 'a', n: 1 })); // [0,10) and [5,15)
    rt.ingest('in', rec(0, 12, { k: 'a', n: 2 })); // wm 11: [0,10) fires; record in [5,15) and [10,20)
    assert.deepEqual(out.values, [{ key: 'a', window: { start: 0, end: 10 }, total: 1, count: 1 }]);
    rt.ingest('in', rec(0, 6, { k: 'a', n: 4 })); // late for [0,10), on time for [5,15)
    assert.deepEqual(late.values, [{ key: 'a', timestamp: 6, window: { start: 0, end: 10 } }]);
    rt.endOfInput();
    assert.deepEqual(out.values.slice(1), [
      { key: 'a', window: { start: 5, end: 15 }, total: 7, count: 3 },
      { key: 'a', window: { start: 10, end: 20 }, total: 2, count: 1 },
    ]);
  });
});

describe('session windows', () => {
  test('events at most the gap apart share a session; touching windows merge', () => {
    const { rt, out } = build(sessionWindows({ gapMs: 1000 }));
    rt.ingest('in', rec(0, 0, { k: 'u', n: 1 }));
    rt.ingest('in', rec(0, 1000, { k: 'u', n: 1 })); // exactly the gap: same session
    rt.ingest('in', rec(0, 2001, { k: 'u', n: 1 })); // 1001 after: a new session
    rt.endOfInput();
    assert.deepEqual(out.values, [
      { key: 'u', window: { start: 0, end: 2000 }, total: 2, count: 2 },
      { key: 'u', window: { start: 2001, end: 3001 }, total: 1, count: 1 },
    ]);
  });

  test('a late-arriving event that bridges two sessions merges them', () => {
    const { rt, out } = build(sessionWindows({ gapMs: 1000 }), { outOfOrdernessMs: 10_000 });
    rt.ingest('in', rec(0, 0, { k: 'u', n: 1 }));
    rt.ingest('in', rec(0, 1800, { k: 'u', n: 2 }));
    rt.ingest('in', rec(0, 900, { k: 'u', n: 4 })); // touches both [0,1000) and [1800,2800)
    rt.endOfInput();
    assert.deepEqual(out.values, [{ key: 'u', window: { start: 0, end: 2800 }, total: 7, count: 3 }]);
  });

  test('sessions fire in end order even after growing', () => {
    const { rt, out } = build(sessionWindows({ gapMs: 100 }), { outOfOrdernessMs: 1000 });
    rt.ingest('in', rec(0, 0, { k: 'a', n: 1 }));
    rt.ingest('in', rec(0, 50, { k: 'b', n: 1 }));
    for (let t = 90; t <= 500; t += 90) rt.ingest('in', rec(0, t, { k: 'a', n: 1 }));
    rt.ingest('in', rec(0, 5000, { k: 'c', n: 1 })); // watermark 3999 closes a and b
    assert.deepEqual(
      out.values.map((v) => [v.key, v.window.end]),
      [
        ['b', 150],
        ['a', 550],
      ],
    );
  });

  test('an event whose session would already be closed is late and changes nothing', () => {
    const { rt, out, late } = build(sessionWindows({ gapMs: 1000 }));
    rt.ingest('in', rec(0, 0, { k: 'u', n: 1 }));
    rt.ingest('in', rec(0, 5000, { k: 'v', n: 1 })); // wm 4999: u's [0,1000) fired
    rt.ingest('in', rec(0, 500, { k: 'u', n: 9 }));
    assert.deepEqual(late.values, [{ key: 'u', timestamp: 500, window: { start: 500, end: 1500 } }]);
    rt.endOfInput();
    assert.deepEqual(
      out.values.map((v) => [v.key, v.total]),
      [
        ['u', 1],
        ['v', 1],
      ],
    );
  });
});

describe('watermarks across partitions', () => {
  test('the slowest active partition holds the watermark back', () => {
    const { rt, out } = build(tumblingWindows({ sizeMs: 10 }));
    rt.ingest('in', rec(0, 1, { k: 'a', n: 1 }));
    rt.ingest('in', rec(1, 2, { k: 'b', n: 1 }));
    rt.ingest('in', rec(0, 100, { k: 'a', n: 1 }));
    assert.equal(out.records.length, 0, 'partition 1 is at 2');
    rt.ingest('in', rec(1, 30, { k: 'b', n: 1 }));
    assert.deepEqual(
      out.values.map((v) => [v.key, v.window.start]),
      [
        ['a', 0],
        ['b', 0],
      ],
    );
    assert.equal(rt.sourceMetrics()[0]?.watermark, 29);
  });

  test('an idle partition stops holding the watermark back, and rejoins when it speaks', () => {
    const { rt, out, clock } = build(tumblingWindows({ sizeMs: 10 }), { idleTimeoutMs: 60_000 });
    rt.source('in').assign('in', 1);
    rt.ingest('in', rec(0, 1, { k: 'a', n: 1 }));
    rt.ingest('in', rec(0, 50, { k: 'a', n: 1 }));
    assert.equal(out.records.length, 0, 'partition 1 has not spoken and is not idle yet');
    clock.advance(59_999);
    rt.tick();
    assert.equal(out.records.length, 0);
    clock.advance(1);
    rt.tick();
    // Partition 1 is idle; partition 0 spoke 1 ms ago (as of the last tick): watermark 49.
    assert.deepEqual(
      out.values.map((v) => v.window.start),
      [0],
    );
    const idle = () => rt.sourceMetrics()[0]?.partitions.map((p) => [p.partition, p.idle]);
    assert.deepEqual(idle(), [
      ['in:1', true],
      ['in:0', false],
    ]);
    clock.advance(60_000);
    rt.tick();
    // Everything idle: the watermark follows the wall clock (now - bound) and the last window closes.
    assert.deepEqual(idle(), [
      ['in:1', true],
      ['in:0', true],
    ]);
    assert.equal(rt.sourceMetrics()[0]?.watermark, clock.now());
    assert.equal(out.records.length, 2);
    // Partition 1 speaks: it is active again, but the watermark never goes back.
    const before = rt.sourceMetrics()[0]?.watermark;
    rt.ingest('in', rec(1, 5, { k: 'b', n: 1 }));
    assert.equal(rt.sourceMetrics()[0]?.partitions.find((p) => p.partition === 'in:1')?.idle, false);
    assert.equal(rt.sourceMetrics()[0]?.watermark, before);
  });

  test('one idle partition: the others drive the watermark', () => {
    const { rt, out, clock } = build(tumblingWindows({ sizeMs: 10 }), { idleTimeoutMs: 1000 });
    rt.source('in').assign('in', 1);
    rt.ingest('in', rec(0, 1, { k: 'a', n: 1 }));
    clock.advance(1000);
    rt.tick();
    rt.ingest('in', rec(0, 20, { k: 'a', n: 1 }));
    // partition 1 has been silent 1000 ms: idle; partition 0 just spoke: watermark 19.
    assert.deepEqual(
      out.values.map((v) => v.window.start),
      [0],
    );
    assert.equal(rt.sourceMetrics()[0]?.watermark, 19);
  });

  test('a partition finished in a bounded run no longer holds the watermark back', () => {
    const { rt, out } = build(tumblingWindows({ sizeMs: 10 }));
    rt.ingest('in', rec(0, 1, { k: 'a', n: 1 }));
    rt.ingest('in', rec(1, 40, { k: 'b', n: 1 }));
    assert.equal(out.records.length, 0);
    rt.source('in').finish('in', 0);
    assert.deepEqual(
      out.values.map((v) => v.key),
      ['a'],
    );
  });
});

describe('dead letters and bounded end', () => {
  test('an undecodable record goes to the dead-letter output and processing continues', () => {
    const { rt, out, dead } = build(tumblingWindows({ sizeMs: 10 }));
    rt.ingest('in', { topic: 'in', partition: 0, offset: 7n, timestamp: 1, key: null, value: Buffer.from('{oops') });
    rt.ingest('in', rec(0, 2, { k: 'a', n: 1 }));
    rt.endOfInput();
    assert.equal(dead.values.length, 1);
    assert.match(dead.values[0] as string, /^7: /);
    assert.equal(out.values.length, 1);
    assert.equal(rt.sourceMetrics()[0]?.deadLetters, 1);
  });

  test('endOfInput sends the watermark to +infinity once', () => {
    const { rt } = build(tumblingWindows({ sizeMs: 10 }));
    rt.ingest('in', rec(0, 2, { k: 'a', n: 1 }));
    rt.endOfInput();
    rt.endOfInput();
    assert.equal(rt.sourceMetrics()[0]?.watermark, MAX_WATERMARK);
  });
});

describe('reduce', () => {
  test('combines a window’s records pairwise, and the result function shapes the output', () => {
    const job = new Job('reduce');
    const src = job.source<Ev>('in', { ...jsonSource, idleTimeoutMs: 0 });
    const out = new MemorySink<string>('out');
    src
      .keyBy((e) => e.k)
      .window(tumblingWindows({ sizeMs: 10 }))
      .reduce(
        (a, b) => ({ k: a.k, n: Math.max(a.n, b.n) }),
        (key, w, max) => `${key}@${w.start}: max ${max.n}`,
        'max',
      )
      .sinkTo(out);
    const rt = new Runtime(job);
    for (const [t, n] of [
      [1, 3],
      [2, 9],
      [3, 4],
      [12, 1],
    ] as const)
      rt.ingest('in', rec(0, t, { k: 'a', n }));
    rt.endOfInput();
    assert.deepEqual(out.values, ['a@0: max 9', 'a@10: max 1']);
  });
});
