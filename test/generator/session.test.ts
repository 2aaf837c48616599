// The session state machine against the spec's transition table and expected statistics.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { seededRandom } from '../../src/generator/random.ts';
import { buildSession, DEPARTMENTS, DEVICE_TYPES, END, NA, TRANSITIONS, UserBlocks } from '../../src/generator/session.ts';

describe('session state machine', () => {
  test('every transition is in the table, products follow the rules, the end event is last', () => {
    const rng = seededRandom(42);
    for (let s = 0; s < 2000; s++) {
      const { events, ip, devicetype } = buildSession(1000 + s, rng);
      assert.match(ip, /^66\.249\.1\.(\d+)$/);
      assert.ok(Number(ip.split('.')[3]) <= 254);
      assert.ok((DEVICE_TYPES as readonly string[]).includes(devicetype));
      assert.deepEqual(events[0], { eventType: 'home_page', productType: NA });
      assert.deepEqual(events.at(-1), { eventType: END, productType: '' });
      for (let i = 1; i < events.length; i++) {
        const prev = events[i - 1]!;
        const cur = events[i]!;
        assert.ok(TRANSITIONS[prev.eventType]?.includes(cur.eventType), `${prev.eventType} -> ${cur.eventType}`);
        if (cur.eventType === 'product_catalog' || cur.eventType === 'home_page') assert.equal(cur.productType, NA);
        else if (cur.eventType === 'product_detail') assert.ok((DEPARTMENTS as readonly string[]).includes(cur.productType));
        else if (cur.eventType !== END) assert.equal(cur.productType, prev.productType);
      }
      assert.equal(events.filter((e) => e.eventType === END).length, 1);
    }
  });

  test('statistics over 20,000 sessions match the spec', () => {
    const rng = seededRandom(7);
    const n = 20_000;
    let bought = 0;
    let events = 0;
    let departments = 0;
    let withDepartment = 0;
    for (let s = 0; s < n; s++) {
      const session = buildSession(1000, rng);
      if (session.events.some((e) => e.eventType === 'order_checkout')) bought++;
      events += session.events.length;
      const real = session.events.filter((e) => e.productType !== NA && e.productType !== '');
      withDepartment += real.length;
      departments += new Set(real.map((e) => e.productType)).size;
    }
    const buyRate = bought / n;
    assert.ok(Math.abs(buyRate - 3 / 7) < 0.01, `buy rate ${buyRate}`);
    assert.ok(Math.abs(events / n / 38.3 - 1) < 0.02, `events per session ${events / n}`);
    assert.ok(Math.abs(departments / n / 4.19 - 1) < 0.02, `departments per session ${departments / n}`);
    assert.ok(Math.abs(withDepartment / n / 15.0 - 1) < 0.05, `events with a department ${withDepartment / n}`);
  });

  test('the same seed gives the same sessions', () => {
    const a = seededRandom(99);
    const b = seededRandom(99);
    for (let i = 0; i < 50; i++) assert.deepEqual(buildSession(i, a), buildSession(i, b));
  });
});

describe('user id blocks', () => {
  test('each session takes the next block of 1000', () => {
    const blocks = new UserBlocks();
    const rng = seededRandom(1);
    for (let i = 0; i < 100; i++) {
      const id = blocks.nextUser(rng);
      assert.ok(id >= 1000 + i * 1000 && id < 2000 + i * 1000, `${id} in block ${i}`);
    }
  });

  test('wraps back to 1000 before the int32 limit', () => {
    const blocks = new UserBlocks(2 ** 31 - 1500);
    assert.equal(blocks.nextBlock(), 2 ** 31 - 1500);
    assert.equal(blocks.nextBlock(), 1000);
    assert.equal(blocks.nextBlock(), 2000);
  });
});
