// globalseq across workers, prevglobalseq per worker, chosen timestamps, the rate cap and the bookmark.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readBookmark, writeBookmark } from '../../src/generator/bookmark.ts';
import { Generator, type GeneratorOptions } from '../../src/generator/generator.ts';
import type { ClickEvent } from '../../src/generator/schema.ts';
import { collectingSink, fakeClock } from './helpers.ts';

function generate(opts: Partial<GeneratorOptions>) {
  const events: ClickEvent[] = [];
  const sink = collectingSink();
  const gen = new Generator({
    workers: 8,
    sessionsPerWorker: 25,
    noDelay: false,
    seed: 3,
    lastGlobalSeq: 0,
    encode: (e) => Buffer.from(JSON.stringify(e)),
    sink,
    clock: fakeClock(),
    signal: new AbortController().signal,
    onEvent: (e) => events.push(e),
    ...opts,
  });
  return { gen, events, sink };
}

describe('sequencing', () => {
  test('globalseq is unique and gap-free across 8 workers; prevglobalseq links each worker', async () => {
    const { gen, events, sink } = generate({});
    const stats = await gen.run();
    assert.equal(stats.sessions, 200);
    assert.equal(stats.acknowledged, events.length);
    assert.equal(sink.records.length, events.length);
    const seqs = events.map((e) => e.globalseq).sort((a, b) => a - b);
    assert.deepEqual(
      seqs,
      Array.from({ length: events.length }, (_, i) => i + 1),
    );
    assert.equal(stats.lastGlobalSeq, events.length);
    // Each worker's chain: starts at 0 once per worker, every earlier event is the previous of exactly one.
    assert.equal(events.filter((e) => e.prevglobalseq === 0).length, 8);
    const prevs = new Set<number>();
    for (const e of events) {
      assert.ok(e.prevglobalseq < e.globalseq);
      if (e.prevglobalseq !== 0) {
        assert.ok(!prevs.has(e.prevglobalseq), `prevglobalseq ${e.prevglobalseq} used twice`);
        prevs.add(e.prevglobalseq);
      }
    }
    // Within a session (one user id) events follow each other in the worker's chain.
    const bySeq = new Map(events.map((e) => [e.globalseq, e]));
    for (const e of events) {
      if (e.event_type !== 'home_page') assert.equal(bySeq.get(e.prevglobalseq)?.userid, e.userid);
    }
    // Keys are the user id as UTF-8 text.
    for (const r of sink.records) assert.equal(JSON.parse(r.value.toString()).userid, Number(r.key.toString('utf8')));
    // Ip and device type fixed per session.
    const perUser = new Map<number, string>();
    for (const e of events) {
      const id = `${e.ip}/${e.devicetype}`;
      assert.equal(perUser.get(e.userid) ?? id, id);
      perUser.set(e.userid, id);
    }
  });

  test('the same seed reproduces the stream with one worker', async () => {
    const a = generate({ workers: 1, sessionsPerWorker: 20 });
    const b = generate({ workers: 1, sessionsPerWorker: 20 });
    await a.gen.run();
    await b.gen.run();
    assert.deepEqual(a.events, b.events);
  });

  test('--start-time and --time-step set eventtimestamp and the record timestamp', async () => {
    const { gen, events, sink } = generate({ workers: 2, sessionsPerWorker: 3, startTime: 1_000_000, timeStep: 10, lastGlobalSeq: 500 });
    await gen.run();
    for (const e of events) assert.equal(e.eventtimestamp, 1_000_000 + (e.globalseq - 501) * 10);
    for (const r of sink.records) assert.equal(r.timestamp, JSON.parse(r.value.toString()).eventtimestamp);
    assert.equal(Math.min(...events.map((e) => e.globalseq)), 501);
  });

  test('events a sink rejects are counted as failed, not lost', async () => {
    let n = 0;
    const sink = collectingSink(() => n++ % 3 === 0);
    const { gen } = generate({ sink });
    const stats = await gen.run();
    assert.ok(stats.failed > 0);
    assert.equal(stats.failed + stats.acknowledged, stats.produced);
    assert.equal(sink.records.length, stats.acknowledged);
  });

  test('stopping ends the run with every made event accounted for', async () => {
    const stop = new AbortController();
    const { gen } = generate({ sessionsPerWorker: 0, signal: stop.signal, onEvent: (e) => e.globalseq >= 5000 && stop.abort() });
    const stats = await gen.run();
    assert.ok(stats.produced >= 5000);
    assert.equal(stats.acknowledged, stats.produced);
    assert.equal(stats.lastGlobalSeq, stats.produced);
  });

  test('--rate caps events per second', async () => {
    const clock = fakeClock(0);
    const { gen } = generate({ workers: 4, sessionsPerWorker: 50, noDelay: true, rate: 1000, clock });
    const stats = await gen.run();
    const seconds = clock.now() / 1000;
    assert.ok(stats.produced / seconds <= 1000 * 1.05 + 40, `${stats.produced} events in ${seconds} s`);
    assert.ok(stats.produced / seconds >= 1000 * 0.8, `${stats.produced} events in ${seconds} s`);
  });
});

describe('bookmark', () => {
  test('written atomically and resumed: the next run continues the sequence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brook-gen-'));
    try {
      const path = join(dir, 'generator', 'bookmark');
      assert.equal(await readBookmark(path), 0);
      const first = generate({ workers: 3, sessionsPerWorker: 5 });
      const s1 = await first.gen.run();
      await writeBookmark(path, s1.lastGlobalSeq);
      assert.equal(readFileSync(path, 'utf8'), `${s1.lastGlobalSeq}\n`);
      const second = generate({ workers: 3, sessionsPerWorker: 5, lastGlobalSeq: await readBookmark(path) });
      await second.gen.run();
      assert.equal(Math.min(...second.events.map((e) => e.globalseq)), s1.lastGlobalSeq + 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sequence reservation (a crash never reuses a globalseq)', () => {
  test('each block is reserved before its first number is handed out', async () => {
    const reserved: number[] = [];
    const handedOutWhenReserved: number[] = [];
    const { gen, events } = generate({
      lastGlobalSeq: 40,
      reservation: {
        block: 100,
        reserve: (ceiling) => {
          reserved.push(ceiling);
          handedOutWhenReserved.push(events.length);
        },
      },
    });
    await gen.run();
    const last = Math.max(...events.map((e) => e.globalseq));
    assert.deepEqual(
      reserved,
      Array.from({ length: Math.ceil((last - 40) / 100) }, (_, i) => 40 + 100 * (i + 1)),
    );
    // Block k is reserved before number 40 + 100k + 1 exists.
    for (const [i, ceiling] of reserved.entries()) assert.equal(handedOutWhenReserved[i], ceiling - 100 - 40);
  });

  test('a generator killed mid-block restarts above every number it may have used', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brook-seq-'));
    try {
      const path = join(dir, 'bookmark');
      const { writeBookmarkSync } = await import('../../src/generator/bookmark.ts');
      const first = generate({ reservation: { block: 1000, reserve: (c) => writeBookmarkSync(path, c) } });
      await first.gen.run();
      // No clean shutdown: the bookmark still holds the reserved ceiling.
      const used = Math.max(...first.events.map((e) => e.globalseq));
      const resumed = await readBookmark(path);
      assert.ok(resumed >= used, `bookmark ${resumed} covers every used number (${used})`);
      const second = generate({ lastGlobalSeq: resumed, sessionsPerWorker: 2 });
      await second.gen.run();
      assert.ok(Math.min(...second.events.map((e) => e.globalseq)) > used);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
