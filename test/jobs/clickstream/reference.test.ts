// The golden test's two halves checked on their own: the batch reference of the clickstream spec's
// formulas on hand-computed examples, and the golden dataset's promises (determinism, bounds of the
// shuffles, lateness, undecodable values, planted edge cases, production to a broker).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Consumer, MessagesStreamModes } from '@platformatic/kafka';
import { CLICK_EVENT_AVSC, type ClickEvent } from '../../../src/generator/schema.ts';
import { AvroDecoder, AvroEncoder, ConfluentRestClient, InMemorySchemaSource, SerdeError } from '../../../src/registry/serde/index.ts';
import { type Registry, startRegistry } from '../../../src/registry/server.ts';
import { startTempBroker, type TempBroker } from '../../helpers/temp-broker.ts';
import {
  buildGoldenDataset,
  type GoldenDataset,
  type GoldenRecord,
  goldenEncoder,
  keyPartition,
  LATE_BEHIND_MS,
  LATE_PROGRESS,
  MAX_SHUFFLE_MS,
  OUT_OF_ORDERNESS_MS,
  onTimeClicks,
  PLANTED_USERS,
  produceGoldenDataset,
} from './golden-data.ts';
import { computeReference, type ReferenceClick, type ReferenceSession, sessionize, windowStart } from './reference.ts';

/** A window start (2024-01-15T09:00:00Z), so times below read as offsets in it. */
const W = Date.UTC(2024, 0, 15, 9, 0, 0);

function click(at: number, userid: number, event_type: string | null, product_type: string | null): ReferenceClick {
  return { timestamp: W + at, event: { userid, event_type, product_type } };
}

const session = (s: Omit<ReferenceSession, 'eventKey'>): ReferenceSession => ({ ...s, eventKey: 1 });

describe('reference: sessions (stage 1)', () => {
  test('a gap of exactly 1000 ms keeps one session; 1001 ms splits', () => {
    const sessions = sessionize([
      click(0, 7, 'home_page', 'N/A'),
      click(1000, 7, 'product_detail', 'laptops'),
      click(2001, 7, 'product_detail', 'cameras'),
      click(3001, 7, '', ''),
    ]);
    assert.deepEqual(sessions, [
      session({ userId: 7, eventCount: 1, orderCheckoutEventCount: 0, deptList: ['laptops'], windowBeginTime: W, windowEndTime: W + 2000 }),
      session({
        userId: 7,
        eventCount: 1,
        orderCheckoutEventCount: 0,
        deptList: ['cameras'],
        windowBeginTime: W + 2001,
        windowEndTime: W + 4001,
      }),
    ]);
  });

  test('users are sessionized apart; input order does not matter', () => {
    const clicks = [
      click(500, 2, 'product_detail', 'soundbars'),
      click(0, 1, 'home_page', 'N/A'),
      click(900, 1, 'product_detail', 'cameras'),
      click(0, 2, 'home_page', 'N/A'),
      click(1800, 1, 'order_checkout', 'cameras'),
    ];
    const expected = [
      session({ userId: 1, eventCount: 2, orderCheckoutEventCount: 2, deptList: ['cameras'], windowBeginTime: W, windowEndTime: W + 2800 }),
      session({
        userId: 2,
        eventCount: 1,
        orderCheckoutEventCount: 0,
        deptList: ['soundbars'],
        windowBeginTime: W,
        windowEndTime: W + 1500,
      }),
    ];
    assert.deepEqual(sessionize(clicks), expected);
    assert.deepEqual(sessionize([...clicks].reverse()), expected);
  });

  test('orderCheckoutEventCount: department events at or before the last order_checkout, whatever the arrival order', () => {
    const clicks = [
      click(0, 9, 'home_page', 'N/A'),
      click(100, 9, 'product_detail', 'laptops'),
      click(200, 9, 'order_checkout', 'laptops'),
      click(300, 9, 'product_detail', 'cameras'),
      click(400, 9, 'order_checkout', 'cameras'),
      click(400, 9, 'product_detail', 'AirPods'), // same time as the last checkout: counts
      click(500, 9, 'product_detail', 'cd players'), // after it: does not
      click(600, 9, 'add_to_cart', 'cd players'),
      click(700, 9, '', ''),
    ];
    const expected = [
      session({
        userId: 9,
        eventCount: 7,
        orderCheckoutEventCount: 5,
        deptList: ['AirPods', 'cameras', 'cd players', 'laptops'],
        windowBeginTime: W,
        windowEndTime: W + 1700,
      }),
    ];
    assert.deepEqual(sessionize(clicks), expected);
    assert.deepEqual(sessionize([clicks[4]!, ...clicks.slice(5), ...clicks.slice(0, 4)]), expected);
  });

  test('null product_type counts as "" and null event_type is no checkout; N/A and "" are no departments', () => {
    const sessions = sessionize([
      click(0, 3, 'home_page', 'N/A'),
      click(10, 3, 'product_detail', null),
      click(20, 3, null, 'ear phones'),
      click(30, 3, null, null),
      click(40, 3, 'order_checkout', null),
      click(50, 3, 'product_detail', 'video games'),
      click(60, 3, '', ''),
    ]);
    assert.deepEqual(sessions, [
      session({
        userId: 3,
        eventCount: 2,
        orderCheckoutEventCount: 1,
        deptList: ['ear phones', 'video games'],
        windowBeginTime: W,
        windowEndTime: W + 1060,
      }),
    ]);
  });

  test('an order_checkout with no department event at or before it gives 0: not a session with a buy', () => {
    const out = computeReference([
      click(0, 4, 'home_page', 'N/A'),
      click(10, 4, 'order_checkout', 'N/A'),
      click(20, 4, 'product_detail', 'cameras'),
    ]);
    assert.equal(out.sessions[0]!.orderCheckoutEventCount, 0);
    assert.deepEqual(out.user_session_details, []);
    assert.match(
      out.user_session_counts[0]!.json,
      /"userSessionCount":1,"userSessionCountWithOrderCheckout":0,"percentSessionswithBuy":0\.0,/,
    );
    assert.equal(out.departments_count.length, 1);
  });
});

describe('reference: outputs (stages 2 to 4)', () => {
  test('exact rows: ids, keys, timestamps and JSON text with the fields in the spec order', () => {
    const out = computeReference([
      click(100, 1001, 'home_page', 'N/A'),
      click(200, 1001, 'product_detail', 'laptops'),
      click(300, 1001, 'order_checkout', 'laptops'),
      click(400, 1001, '', ''),
      click(5000, 1002, 'product_detail', 'cell phones'),
    ]);
    assert.deepEqual(out.user_session_details, [
      {
        id: `${W + 100}:1001`,
        kafkaKey: '1001',
        timestamp: W + 1399,
        json: `{"userId":1001,"eventCount":2,"orderCheckoutEventCount":2,"deptList":["laptops"],"eventKey":1,"windowBeginTime":${W + 100},"windowEndTime":${W + 1400}}`,
      },
    ]);
    assert.deepEqual(out.user_session_counts, [
      {
        id: `${W}:all`,
        kafkaKey: String(W),
        timestamp: W + 9999,
        json: `{"userSessionCount":2,"userSessionCountWithOrderCheckout":1,"percentSessionswithBuy":50.0,"windowBeginTime":${W},"windowEndTime":${W + 10000}}`,
      },
    ]);
    assert.deepEqual(out.departments_count, [
      {
        id: `${W}:cell phones`,
        kafkaKey: 'cell phones',
        timestamp: W + 9999,
        json: `{"departmentName":"cell phones","departmentCount":1,"windowBeginTime":${W},"windowEndTime":${W + 10000}}`,
      },
      {
        id: `${W}:laptops`,
        kafkaKey: 'laptops',
        timestamp: W + 9999,
        json: `{"departmentName":"laptops","departmentCount":1,"windowBeginTime":${W},"windowEndTime":${W + 10000}}`,
      },
    ]);
    for (const rows of [out.user_session_details, out.user_session_counts, out.departments_count]) {
      for (const r of rows) JSON.parse(r.json);
    }
  });

  test('15 sessions with a buy out of 40 -> percentSessionswithBuy 37.0 (floor, written as a double)', () => {
    const clicks = Array.from({ length: 40 }, (_, i) =>
      click(1000 + i * 100, 2000 + i, i < 15 ? 'order_checkout' : 'product_detail', 'laptops'),
    );
    const out = computeReference(clicks);
    assert.equal(
      out.user_session_counts[0]!.json,
      `{"userSessionCount":40,"userSessionCountWithOrderCheckout":15,"percentSessionswithBuy":37.0,"windowBeginTime":${W},"windowEndTime":${W + 10000}}`,
    );
    assert.equal(out.user_session_details.length, 15);
    assert.match(out.departments_count[0]!.json, /^\{"departmentName":"laptops","departmentCount":40,/);
    const all = computeReference(clicks.slice(0, 3));
    assert.match(all.user_session_counts[0]!.json, /"percentSessionswithBuy":100\.0,/);
  });

  test('a session lands in the window holding its end - 1, which may be the next one', () => {
    const out = computeReference([
      click(8500, 1, 'product_detail', 'laptops'),
      click(9001, 1, 'product_detail', 'laptops'), // end - 1 = W + 10000: next window
      click(8500, 2, 'product_detail', 'cameras'),
      click(9000, 2, 'order_checkout', 'cameras'), // end - 1 = W + 9999: this window
    ]);
    assert.deepEqual(
      out.sessions.map((s) => [s.userId, windowStart(s.windowEndTime - 1) - W]),
      [
        [1, 10000],
        [2, 0],
      ],
    );
    assert.deepEqual(
      out.user_session_counts.map((r) => [r.id, r.timestamp - W, JSON.parse(r.json).userSessionCount]),
      [
        [`${W}:all`, 9999, 1],
        [`${W + 10000}:all`, 19999, 1],
      ],
    );
    assert.deepEqual(
      out.departments_count.map((r) => r.id),
      [`${W}:cameras`, `${W + 10000}:laptops`],
    );
    assert.equal(out.user_session_details[0]!.timestamp, W + 9999);
  });

  test('departments count sessions, not events: once per session, once per session of each user', () => {
    const out = computeReference([
      click(0, 1, 'product_detail', 'laptops'),
      click(10, 1, 'add_to_cart', 'laptops'),
      click(20, 1, 'product_detail', 'laptops'),
      click(30, 1, 'product_detail', 'AirPods'),
      click(2000, 1, 'product_detail', 'laptops'), // a second session of the same user
      click(50, 2, 'product_detail', 'laptops'),
    ]);
    assert.deepEqual(
      out.departments_count.map((r) => JSON.parse(r.json)),
      [
        { departmentName: 'AirPods', departmentCount: 1, windowBeginTime: W, windowEndTime: W + 10000 },
        { departmentName: 'laptops', departmentCount: 3, windowBeginTime: W, windowEndTime: W + 10000 },
      ],
    );
    assert.deepEqual(out.sessions[0]!.deptList, ['AirPods', 'laptops']);
  });
});

// --- The golden dataset -------------------------------------------------------------------------

const GLUE_VERSION = '6f1c2a7e-0b1d-4c5e-9f3a-2b4c6d8e0f10';

function schemaSource(): InMemorySchemaSource {
  const source = new InMemorySchemaSource();
  source.addSchema(CLICK_EVENT_AVSC, 1);
  source.addVersion(CLICK_EVENT_AVSC, GLUE_VERSION);
  return source;
}

const confluent = new AvroEncoder<ClickEvent>({ schema: CLICK_EVENT_AVSC, topic: 'clickstream', schemaId: 1 });
const glue = new AvroEncoder<ClickEvent>({
  schema: CLICK_EVENT_AVSC,
  topic: 'clickstream',
  framing: 'glue',
  schemaVersionId: GLUE_VERSION,
});

/** Per partition, the largest timestamp of the records before each one. */
function maxBefore(records: readonly GoldenRecord[]): number[] {
  const max = new Map<number, number>();
  return records.map((r) => {
    const m = max.get(r.partition) ?? Number.NEGATIVE_INFINITY;
    max.set(r.partition, Math.max(m, r.timestamp));
    return m;
  });
}

function byPartition(records: readonly GoldenRecord[]): GoldenRecord[][] {
  const lanes: GoldenRecord[][] = [[], [], []];
  for (const r of records) lanes[r.partition]!.push(r);
  return lanes;
}

describe('golden dataset', () => {
  let ds: GoldenDataset;
  let glued: GoldenDataset;
  before(async () => {
    ds = await buildGoldenDataset((e) => confluent.encodeCopy(e));
    glued = await buildGoldenDataset((e) => glue.encodeCopy(e));
  });

  test('deterministic for a seed, different for another; the same records in Glue framing', async () => {
    const again = await buildGoldenDataset((e) => confluent.encodeCopy(e));
    assert.equal(again.records.length, ds.records.length);
    for (let i = 0; i < ds.records.length; i++) {
      const a = ds.records[i]!;
      const b = again.records[i]!;
      assert.ok(a.partition === b.partition && a.timestamp === b.timestamp && a.kind === b.kind, `record ${i}`);
      assert.ok(a.key.equals(b.key) && a.value.equals(b.value), `record ${i} bytes`);
    }
    const other = await buildGoldenDataset((e) => confluent.encodeCopy(e), { seed: 7 });
    assert.notDeepEqual(
      other.records.slice(0, 50).map((r) => r.value.toString('hex')),
      ds.records.slice(0, 50).map((r) => r.value.toString('hex')),
    );
    assert.deepEqual(
      glued.records.map((r) => [r.partition, r.timestamp, r.kind, r.key.toString()]),
      ds.records.map((r) => [r.partition, r.timestamp, r.kind, r.key.toString()]),
    );
    assert.ok(glued.records.filter((r) => r.kind !== 'bad').every((r) => r.value[0] === 3));
  });

  test('shape: three partitions, minutes of event time, thousands of sessions, a few late and bad records', () => {
    const { stats } = ds;
    assert.equal(ds.partitions, 3);
    assert.ok(
      stats.perPartition.every((n) => n > 15_000),
      `per partition ${stats.perPartition}`,
    );
    assert.ok(stats.ok > 50_000 && stats.ok < 120_000, `ok ${stats.ok}`);
    assert.ok(stats.lastTime - stats.firstTime > 5 * 60_000, 'more than 5 minutes of event time');
    assert.equal(stats.generatedSessions, 2000);
    assert.equal(stats.late, 6);
    assert.equal(stats.bad, 9);
    for (const r of ds.records) {
      assert.equal(keyPartition(r.key), r.partition, 'partition = Java default partitioner of the key');
      if (r.kind !== 'bad') {
        assert.equal(r.key.toString('utf8'), String(r.event!.userid));
        assert.equal(r.timestamp, r.event!.eventtimestamp);
      }
    }
    const seqs = new Set(ds.records.filter((r) => r.event).map((r) => r.event!.globalseq));
    assert.equal(seqs.size, stats.ok + stats.late, 'globalseq unique');
  });

  test('every ok record is less than 15 s (so less than the 20 s bound) behind its partition max; many are out of order', () => {
    const max = maxBefore(ds.records);
    let outOfOrder = 0;
    let worst = 0;
    ds.records.forEach((r, i) => {
      if (r.kind !== 'ok') return;
      const lag = max[i]! - r.timestamp;
      assert.ok(lag <= MAX_SHUFFLE_MS && lag < OUT_OF_ORDERNESS_MS, `record ${i} is ${lag} ms behind`);
      if (lag > 0) outOfOrder++;
      worst = Math.max(worst, lag);
    });
    assert.ok(outOfOrder > 1000, `${outOfOrder} out of order`);
    assert.ok(worst > 10_000, `worst lag ${worst}`);
    assert.equal(outOfOrder, ds.stats.outOfOrder);
  });

  test('late records come last in their partition, >= 3 min behind its max, and late once every partition is read 10% of the way', () => {
    const max = maxBefore(ds.records);
    const lanes = byPartition(ds.records);
    const progressMax = Math.min(
      ...lanes.map((l) => Math.max(...l.slice(0, Math.floor(l.length * LATE_PROGRESS)).map((r) => r.timestamp))),
    );
    const clicks = onTimeClicks(ds.records);
    ds.records.forEach((r, i) => {
      if (r.kind !== 'late') return;
      assert.ok(max[i]! - r.timestamp >= LATE_BEHIND_MS, `late record ${i} only ${max[i]! - r.timestamp} ms behind`);
      // Even merged into the user's session it would extend, that session is behind the watermark
      // of its own partition alone, and behind the minimum once every partition is 10% read.
      const merged = sessionize([...clicks, { timestamp: r.timestamp, event: r.event! }]).find(
        (s) => s.userId === r.event!.userid && s.windowBeginTime <= r.timestamp && r.timestamp < s.windowEndTime,
      )!;
      assert.ok(merged.windowEndTime - 1 + LATE_BEHIND_MS <= max[i]!, `late record ${i}: its session ends at ${merged.windowEndTime}`);
      const watermark = progressMax - OUT_OF_ORDERNESS_MS - 1;
      assert.ok(merged.windowEndTime - 1 <= watermark, `late record ${i}: its session ends at ${merged.windowEndTime}`);
    });
    for (const lane of lanes) {
      const kinds = lane.map((r) => r.kind);
      assert.deepEqual(kinds.slice(-2), ['late', 'late']);
      assert.equal(kinds.indexOf('late'), lane.length - 2);
    }
    // One would turn a session into one with a buy if it were accepted.
    assert.ok(ds.records.some((r) => r.kind === 'late' && r.event!.event_type === 'order_checkout'));
  });

  test('ok and late records decode to their events; bad ones fail to decode, with the reason they stand for', async () => {
    for (const [dataset, label] of [
      [ds, 'confluent'],
      [glued, 'glue'],
    ] as const) {
      const decoder = new AvroDecoder<ClickEvent>({ source: schemaSource(), readerSchema: CLICK_EVENT_AVSC });
      const reasons: string[] = [];
      for (const r of dataset.records) {
        if (r.kind === 'bad') {
          const code = await decoder.decode(r.value).then(
            () => 'decoded',
            (e: unknown) => (e instanceof SerdeError ? e.code : String(e)),
          );
          const expected = { 'unknown-magic-byte': 'SERDE_UNKNOWN_MAGIC_BYTE', 'unknown-schema-id': 'SERDE_UNKNOWN_SCHEMA' }[
            r.reason as string
          ];
          if (expected) assert.equal(code, expected, `${label} ${r.reason}`);
          else assert.ok(code === 'SERDE_MALFORMED_DATUM' || code === 'SERDE_MALFORMED_HEADER', `${label} ${r.reason}: ${code}`);
          reasons.push(r.reason!);
        } else {
          // decodeSync once the writer schema is cached: 77 000 awaits would take seconds.
          const event = decoder.isCached(r.value) ? decoder.decodeSync(r.value) : await decoder.decode(r.value);
          assert.deepEqual({ ...event }, r.event);
        }
      }
      assert.deepEqual([...new Set(reasons)].sort(), ['truncated-avro', 'unknown-magic-byte', 'unknown-schema-id']);
    }
  });

  test('bad records keep the watermark where it is: their timestamp is their partition max so far', () => {
    const max = maxBefore(ds.records);
    ds.records.forEach((r, i) => {
      if (r.kind === 'bad') assert.equal(r.timestamp, max[i]);
    });
    for (const lane of byPartition(ds.records)) {
      assert.deepEqual(
        lane
          .filter((r) => r.kind === 'bad')
          .map((r) => r.reason)
          .sort(),
        ['truncated-avro', 'unknown-magic-byte', 'unknown-schema-id'],
      );
    }
  });

  test('the reference on the dataset: windows with buys, all departments, merged and split sessions', () => {
    const out = computeReference(onTimeClicks(ds.records));
    assert.deepEqual(out, computeReference(onTimeClicks(ds.records).reverse()), 'independent of input order');
    const counts = out.user_session_counts.map((r) => JSON.parse(r.json));
    assert.ok(counts.length >= 38, `${counts.length} windows`);
    assert.ok(counts.filter((c) => c.userSessionCountWithOrderCheckout > 0).length >= counts.length - 2);
    assert.ok(new Set(counts.map((c) => c.percentSessionswithBuy)).size > 10, 'varied percentages');
    assert.ok(counts.every((c) => c.windowEndTime - c.windowBeginTime === 10_000 && c.windowBeginTime % 10_000 === 0));
    const departments = new Set(out.departments_count.map((r) => r.kafkaKey));
    assert.deepEqual([...departments].sort(), [
      'AirPods',
      'cameras',
      'cd players',
      'cell phones',
      'ear phones',
      'laptops',
      'soundbars',
      'video games',
    ]);
    assert.ok(out.user_session_details.length > 500, `${out.user_session_details.length} sessions with a buy`);
    // Users come back: some sessions merge generator sessions, others are split by a gap just over 1 s.
    assert.ok(out.sessions.length < ds.stats.generatedSessions, `${out.sessions.length} sessions`);
    const byUser = new Map<number, ReferenceSession[]>();
    for (const s of out.sessions) byUser.set(s.userId, [...(byUser.get(s.userId) ?? []), s]);
    const gaps = [...byUser.values()].flatMap((l) => l.slice(1).map((s, i) => s.windowBeginTime - (l[i]!.windowEndTime - 1000)));
    assert.ok(gaps.every((g) => g > 1000));
    assert.ok(gaps.filter((g) => g <= 3000).length > 10, 'near misses of the session gap');
    // Sessions whose end - 1 falls in a later window than their start.
    assert.ok(out.sessions.filter((s) => windowStart(s.windowBeginTime) !== windowStart(s.windowEndTime - 1)).length > 50);
  });

  test('the planted edge cases give the hand-computed sessions and rows', () => {
    const B = ds.plantedBase;
    assert.equal(B % 10_000, 0);
    const out = computeReference(onTimeClicks(ds.records));
    const planted = out.sessions.filter((s) => (PLANTED_USERS as readonly number[]).includes(s.userId));
    const s = (userId: number, eventCount: number, orderCheckoutEventCount: number, deptList: string[], begin: number, end: number) =>
      session({ userId, eventCount, orderCheckoutEventCount, deptList, windowBeginTime: B + begin, windowEndTime: B + end });
    assert.deepEqual(planted, [
      s(501, 6, 4, ['cameras', 'laptops'], 0, 2900),
      s(501, 1, 0, ['AirPods'], 2901, 4100),
      s(502, 3, 3, ['soundbars'], 5000, 6070),
      s(503, 4, 3, ['cd players', 'ear phones', 'video games'], 7000, 8400),
      s(505, 1, 0, ['cell phones'], 8800, 10000),
      s(504, 1, 0, ['cell phones'], 8900, 10001),
      s(506, 1, 0, ['cameras'], 12000, 13100),
      s(507, 6, 0, ['cameras', 'laptops'], 14000, 15070),
    ]);
    assert.equal(windowStart(planted[4]!.windowEndTime - 1), B);
    assert.equal(windowStart(planted[5]!.windowEndTime - 1), B + 10_000);
    const details = new Map(out.user_session_details.map((r) => [r.id, r]));
    assert.deepEqual(details.get(`${B}:501`), {
      id: `${B}:501`,
      kafkaKey: '501',
      timestamp: B + 2899,
      json: `{"userId":501,"eventCount":6,"orderCheckoutEventCount":4,"deptList":["cameras","laptops"],"eventKey":1,"windowBeginTime":${B},"windowEndTime":${B + 2900}}`,
    });
    assert.ok(details.has(`${B + 5000}:502`) && details.has(`${B + 7000}:503`));
    for (const id of [`${B + 2901}:501`, `${B + 12000}:506`, `${B + 14000}:507`]) assert.ok(!details.has(id), id);
  });
});

describe('golden dataset on a broker', () => {
  let tb: TempBroker;
  let registry: Registry;
  before(async () => {
    tb = await startTempBroker();
    registry = await startRegistry({ port: 0, bootstrap: tb.bootstrap });
  });
  after(async () => {
    await registry.close();
    await tb.dispose();
  });

  test('produced with explicit partitions and timestamps, each partition in the dataset order', async () => {
    const source = new ConfluentRestClient({ url: registry.url });
    const ds = await buildGoldenDataset(await goldenEncoder(source, 'confluent'));
    const counts = await produceGoldenDataset({ bootstrap: tb.bootstrap, topic: 'clickstream', records: ds.records });
    assert.deepEqual(counts, ds.stats.perPartition);

    const consumer = new Consumer<Buffer, Buffer, Buffer, Buffer>({
      groupId: 'golden-reader',
      clientId: 'golden-reader',
      bootstrapBrokers: [tb.bootstrap],
      maxWaitTime: 200,
    });
    const stream = await consumer.consume({
      topics: ['clickstream'],
      mode: MessagesStreamModes.EARLIEST,
      sessionTimeout: 10000,
      heartbeatInterval: 500,
    });
    const lanes = byPartition(ds.records);
    const next = [0, 0, 0];
    let read = 0;
    for await (const m of stream) {
      const expected = lanes[m.partition]![next[m.partition]!]!;
      assert.equal(m.offset, BigInt(next[m.partition]!));
      assert.ok(m.key.equals(expected.key) && m.value.equals(expected.value), `partition ${m.partition} offset ${m.offset}`);
      assert.equal(m.timestamp, BigInt(expected.timestamp));
      next[m.partition]!++;
      if (++read === ds.records.length) break;
    }
    await stream.close();
    await consumer.close();
    assert.deepEqual(next, ds.stats.perPartition);
    await source.close?.();
  });
});
