// The standalone dashboard's feed: result records parse back into the processor's exact rows
// (same ids), the feed waits for the result topics, reads them from the earliest offset into the
// store, skips what is not a result row, and commits its positions to its group.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin, Producer, stringSerializers } from '@platformatic/kafka';
import { parseResultRow, RowParseError } from '../../src/dashboard/parse-row.ts';
import { feedStoreFromTopics } from '../../src/dashboard/topic-feed.ts';
import { RESULT_TOPICS } from '../../src/jobs/clickstream/rows.ts';
import { startTempBroker, type TempBroker } from '../helpers/temp-broker.ts';
import { FakeStore } from './fake-store.ts';
import { windowRows } from './fixtures.ts';

test('a result record parses back into the row the processor built, id and JSON included', () => {
  for (const row of windowRows(1_700_000_010_000, 3)) {
    assert.deepEqual(parseResultRow(RESULT_TOPICS[row.table], Buffer.from(row.json)), row);
  }
  // The percentage is written as a double (37.0); it reads back as the same row.
  const counts = windowRows(1_700_000_010_000, 0)[0]!;
  assert.match(counts.json, /"percentSessionswithBuy":\d+\.0/);
  assert.equal(parseResultRow(RESULT_TOPICS.user_session_counts, counts.json).json, counts.json);
  for (const [topic, value, message] of [
    ['clickstream', '{}', /not a result topic/],
    ['Departments_Agg', 'nope', /not JSON/],
    ['Departments_Agg', '[1]', /not a JSON object/],
    ['Departments_Agg', '{"departmentName":"x","departmentCount":"2","windowBeginTime":0,"windowEndTime":10000}', /departmentCount/],
    ['User_Sessions_Aggregates_With_Order_Checkout', '{"windowBeginTime":0,"windowEndTime":1,"deptList":[1]}', /userId|deptList/],
  ] as const) {
    assert.throws(
      () => parseResultRow(topic, value),
      (e: unknown) => e instanceof RowParseError && message.test((e as Error).message),
    );
  }
  assert.throws(() => parseResultRow('Departments_Agg', null), RowParseError);
});

describe('feeding the store from the result topics', () => {
  let tb: TempBroker;
  let admin: Admin;
  let producer: Producer<string, string, string, string>;
  before(async () => {
    tb = await startTempBroker();
    admin = new Admin({ clientId: 'test', bootstrapBrokers: [tb.bootstrap] });
    producer = new Producer({ clientId: 'test', bootstrapBrokers: [tb.bootstrap], serializers: stringSerializers });
  });
  after(async () => {
    await producer.close();
    await admin.close();
    await tb.dispose();
  });

  test('waits for the topics, reads from the earliest offset, skips bad records, flushes and commits', async () => {
    const store = new FakeStore();
    const commits: number[] = [];
    store.onCommit((info) => commits.push(info.rows));
    const warnings: string[] = [];
    const stop = new AbortController();
    const feed = feedStoreFromTopics({
      bootstrap: [tb.bootstrap],
      store,
      signal: stop.signal,
      flushEveryMs: 200,
      groupId: 'dash-test',
      onWarning: (m) => warnings.push(m),
    });
    const until = async (what: string, ok: () => boolean | Promise<boolean>) => {
      const deadline = Date.now() + 10_000;
      while (!(await ok())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; warnings: ${warnings.join(' | ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await until('the waiting note', () => warnings.some((w) => /waiting for the result topics/.test(w)));

    const first = [1_700_000_010_000, 1_700_000_020_000].flatMap((end, i) => windowRows(end, i));
    await admin.createTopics({ topics: Object.values(RESULT_TOPICS), partitions: 1, replicas: 1 });
    const send = (rows: typeof first) =>
      producer.send({ messages: rows.map((r) => ({ topic: RESULT_TOPICS[r.table], key: r.key, value: r.json })) });
    await send(first);
    await producer.send({ messages: [{ topic: RESULT_TOPICS.departments_count, key: 'x', value: 'not json' }] });
    await until('the first rows', async () => (await store.stats()).reduce((n, t) => n + t.rows, 0) === first.length);

    // The same rows again (a processor replay) upsert; a new window adds.
    const next = windowRows(1_700_000_030_000, 2);
    await send([...first, ...next]);
    await until('the new window', async () => (await store.stats()).reduce((n, t) => n + t.rows, 0) === first.length + next.length);
    assert.deepEqual(await store.latest('user_session_counts', 1), [next[0]!.doc]);
    stop.abort();
    await feed.done;

    const s = feed.stats();
    assert.equal(s.rows, first.length * 2 + next.length);
    assert.equal(s.skipped, 1);
    assert.ok(
      warnings.some((w) => /skipped a record of Departments_Agg .*not JSON/.test(w)),
      warnings.join('\n'),
    );
    assert.ok(commits.length >= 2 && commits.length <= s.flushes, `${commits.length} commits, ${s.flushes} flushes`);
    const [group] = await admin.listConsumerGroupOffsets({ groups: ['dash-test'] });
    const committed = Object.fromEntries((group?.topics ?? []).map((t) => [t.name, Number(t.partitions[0]!.committedOffset)]));
    assert.deepEqual(committed, {
      [RESULT_TOPICS.departments_count]: 2 * 7 + 1 + 2 * 7 + 7,
      [RESULT_TOPICS.user_session_counts]: 2 + 2 + 1,
      [RESULT_TOPICS.user_session_details]: 4 + 4 + 2,
    });
  });
});
