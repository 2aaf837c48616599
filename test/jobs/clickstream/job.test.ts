// The clickstream job driven by hand through the engine: exact rows, JSON text, ids, keys and
// timestamps for small hand-computed cases, plus dead letters and late records.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ClickEvent } from '../../../src/generator/schema.ts';
import type { Click } from '../../../src/jobs/clickstream/decode.ts';
import { clickstreamJob } from '../../../src/jobs/clickstream/job.ts';
import type { ResultRow } from '../../../src/jobs/clickstream/rows.ts';
import { type DeadLetter, type LateRecord, MemorySink, Runtime, type SourceRecord } from '../../../src/processor/index.ts';

const T0 = 1_700_000_000_000; // a 10 s boundary

let offset = 0n;
function click(partition: number, timestamp: number, userid: number, event_type: string | null, product_type: string | null): SourceRecord {
  const e: ClickEvent = {
    ip: '66.249.1.1',
    eventtimestamp: timestamp,
    devicetype: 'mobile',
    event_type,
    product_type,
    userid,
    globalseq: 1,
    prevglobalseq: 0,
  };
  return {
    topic: 'clickstream',
    partition,
    offset: offset++,
    timestamp,
    key: Buffer.from(String(userid)),
    value: Buffer.from(JSON.stringify(e)),
  };
}

function setup() {
  const results = new MemorySink<ResultRow>('rows');
  const dead = new MemorySink<DeadLetter>('dlq');
  const late = new MemorySink<LateRecord<Click, number>>('late');
  const job = clickstreamJob({
    decode: (record) => {
      const text = String(record.value);
      if (!text.startsWith('{')) throw new Error('unknown magic byte');
      return { event: JSON.parse(text) as ClickEvent, record };
    },
    results: [results],
    deadLetters: dead,
    late,
    idleTimeoutMs: 0,
  });
  const rt = new Runtime(job);
  return { rt, results, dead, late };
}

function session(rt: Runtime, start: number, userid: number, buy: boolean, partition = 0): void {
  const steps: Array<[string, string]> = [
    ['home_page', 'N/A'],
    ['product_catalog', 'N/A'],
    ['product_detail', 'laptops'],
    ['add_to_cart', 'laptops'],
    ['order', 'laptops'],
  ];
  if (buy) steps.push(['order_checkout', 'laptops']);
  else steps.push(['remove_from_cart', 'laptops']);
  steps.push(['', '']);
  steps.forEach(([type, product], i) => {
    rt.ingest('clickstream', click(partition, start + i * 10, userid, type, product));
  });
}

describe('clickstream job', () => {
  test('one session with a buy: the three rows, exactly', () => {
    const { rt, results } = setup();
    rt.ingest('clickstream', click(0, T0 + 100, 1001, 'home_page', 'N/A'));
    rt.ingest('clickstream', click(0, T0 + 200, 1001, 'product_detail', 'cameras'));
    rt.ingest('clickstream', click(0, T0 + 300, 1001, 'product_detail', 'AirPods'));
    rt.ingest('clickstream', click(0, T0 + 400, 1001, 'add_to_cart', 'AirPods'));
    rt.ingest('clickstream', click(0, T0 + 500, 1001, 'order', 'AirPods'));
    rt.ingest('clickstream', click(0, T0 + 600, 1001, 'order_checkout', 'AirPods'));
    rt.ingest('clickstream', click(0, T0 + 600, 1001, 'product_detail', 'laptops')); // same ms: counts (<=)
    rt.ingest('clickstream', click(0, T0 + 700, 1001, 'product_detail', 'laptops')); // after: not counted
    rt.ingest('clickstream', click(0, T0 + 800, 1001, '', ''));
    rt.endOfInput();
    const end = T0 + 1800;
    assert.deepEqual(
      results.records.map((r) => [r.value.table, r.value.id, r.value.key, r.timestamp, r.value.json]),
      [
        [
          'user_session_details',
          `${T0 + 100}:1001`,
          '1001',
          end - 1,
          `{"userId":1001,"eventCount":7,"orderCheckoutEventCount":6,"deptList":["AirPods","cameras","laptops"],"eventKey":1,"windowBeginTime":${T0 + 100},"windowEndTime":${end}}`,
        ],
        [
          'user_session_counts',
          `${T0}:all`,
          String(T0),
          T0 + 9_999,
          `{"userSessionCount":1,"userSessionCountWithOrderCheckout":1,"percentSessionswithBuy":100.0,"windowBeginTime":${T0},"windowEndTime":${T0 + 10_000}}`,
        ],
        ...['AirPods', 'cameras', 'laptops'].map((d) => [
          'departments_count',
          `${T0}:${d}`,
          d,
          T0 + 9_999,
          `{"departmentName":"${d}","departmentCount":1,"windowBeginTime":${T0},"windowEndTime":${T0 + 10_000}}`,
        ]),
      ],
    );
  });

  test('15 of 40 sessions with a buy is 37.0; departments count sessions, not events', () => {
    const { rt, results } = setup();
    for (let i = 0; i < 40; i++) session(rt, T0 + i * 100, 2000 + i, i < 15, i % 3);
    rt.endOfInput();
    const counts = results.values.filter((r) => r.table === 'user_session_counts');
    assert.equal(counts.length, 1);
    assert.match(counts[0]?.json ?? '', /"userSessionCount":40,"userSessionCountWithOrderCheckout":15,"percentSessionswithBuy":37.0,/);
    const depts = results.values.filter((r) => r.table === 'departments_count');
    assert.deepEqual(
      depts.map((r) => r.json.match(/"departmentCount":(\d+)/)?.[1]),
      ['40'],
    );
    assert.equal(results.values.filter((r) => r.table === 'user_session_details').length, 15);
  });

  test('a session lands in the window of windowEndTime - 1, even when it began in the previous one', () => {
    const { rt, results } = setup();
    rt.ingest('clickstream', click(0, T0 - 500, 7, 'product_detail', 'cameras'));
    rt.endOfInput(); // session [T0-500, T0+500): end - 1 is in [T0, T0+10000)
    const counts = results.values.find((r) => r.table === 'user_session_counts');
    assert.equal(counts?.id, `${T0}:all`);
  });

  test('null event_type and product_type count as ""', () => {
    const { rt, results } = setup();
    rt.ingest('clickstream', click(0, T0, 5, null, null));
    rt.ingest('clickstream', click(0, T0 + 1, 5, 'product_detail', 'cameras'));
    rt.endOfInput();
    assert.deepEqual(
      results.values.map((r) => r.table),
      ['user_session_counts', 'departments_count'],
    );
    assert.match(results.values[0]?.json ?? '', /"percentSessionswithBuy":0.0/);
  });

  test('undecodable records go to the dead letters; records behind a closed session window to the late output', () => {
    const { rt, results, dead, late } = setup();
    rt.ingest('clickstream', {
      topic: 'clickstream',
      partition: 0,
      offset: 99n,
      timestamp: T0,
      key: null,
      value: Buffer.from([0x07, 1, 2]),
    });
    rt.ingest('clickstream', click(0, T0, 9, 'home_page', 'N/A'));
    rt.ingest('clickstream', click(0, T0 + 60_000, 10, 'home_page', 'N/A')); // watermark T0 + 39 999
    rt.ingest('clickstream', click(0, T0 + 5_000, 9, 'product_detail', 'laptops')); // its session closed long ago
    rt.endOfInput();
    assert.deepEqual(
      dead.values.map((d) => [d.record.offset, d.error]),
      [[99n, 'unknown magic byte']],
    );
    assert.equal(late.values.length, 1);
    assert.deepEqual(late.values[0]?.window, { start: T0 + 5_000, end: T0 + 6_000 });
    assert.equal(late.values[0]?.value.event.userid, 9);
    assert.equal(results.values.filter((r) => r.table === 'user_session_counts').length, 2);
  });
});
