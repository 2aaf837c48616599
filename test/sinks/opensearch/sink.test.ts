// OpenSearchSink against a fake OpenSearch that checks the documented _bulk shapes: NDJSON,
// deterministic ids, exact fields; batching by size and time; flush() as the durability point;
// partial failures, a 429 storm, 5xx and dropped connections retried; mapping errors fail loudly.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { departmentsCountRow } from '../../../src/jobs/clickstream/rows.ts';
import { OpenSearchError } from '../../../src/sinks/opensearch/errors.ts';
import { OpenSearchSink, type OpenSearchSinkOptions } from '../../../src/sinks/opensearch/sink.ts';
import { expectedId, FakeOpenSearch } from './fake-opensearch.ts';
import { rec, rows } from './rows.ts';

let fake: FakeOpenSearch;
const sinks: OpenSearchSink[] = [];

async function setup(opts: Partial<OpenSearchSinkOptions> = {}, fakeOpts = {}): Promise<OpenSearchSink> {
  fake = await FakeOpenSearch.start(fakeOpts);
  return sink(opts);
}

function sink(opts: Partial<OpenSearchSinkOptions> = {}): OpenSearchSink {
  const s = new OpenSearchSink({ url: fake.url, initialBackoffMs: 1, maxBackoffMs: 4, ...opts });
  sinks.push(s);
  return s;
}

afterEach(async () => {
  for (const s of sinks.splice(0)) s.client.close();
  await fake?.close();
});

const tick = () => new Promise((r) => setImmediate(r));

test('bulk requests: NDJSON with index actions, _id = the row id, the original field names, epoch-ms times', async () => {
  const s = await setup();
  await s.open();
  const input = rows(9);
  for (const r of input) s.write(rec(r));
  await s.flush();
  assert.deepEqual(fake.violations, []);
  assert.equal(fake.bulks.length, 1);
  assert.deepEqual(
    fake.bulks[0],
    input.map((r) => ({ index: r.table, id: r.id })),
  );
  for (const r of input) {
    const stored = fake.doc(r.table, r.id);
    assert.ok(stored, `${r.table}/${r.id} indexed`);
    assert.deepEqual(stored.doc, r.doc);
    assert.equal(stored.version, 1);
  }
  // The body as sent: what the documentation shows, byte for byte.
  const body = fake.requests.find((q) => q.path === '/_bulk')!.body.toString();
  const d = input[0]!;
  assert.ok(
    body.startsWith(
      `{"index":{"_index":"departments_count","_id":"${d.id}"}}\n{"departmentName":"books","departmentCount":3,"windowBeginTime":1700000000000,"windowEndTime":1700000010000}\n`,
    ),
    body.slice(0, 200),
  );
  assert.equal(fake.requests.find((q) => q.path === '/_bulk')!.headers['content-type'], 'application/x-ndjson');
  assert.deepEqual(s.stats, { written: 9, indexed: 9, failed: 0, bulkRequests: 1, retries: 0 });
});

test('write() only buffers; a full buffer (maxActions) goes at once; the rest after flushEveryMs without a flush', async () => {
  const s = await setup({ maxActions: 4, flushEveryMs: 30 });
  await s.open();
  const input = rows(10);
  for (const r of input) s.write(rec(r));
  // Nothing was sent synchronously: write() never does I/O.
  assert.equal(fake.bulks.length, 0);
  assert.equal(s.buffered, 2);
  await fake.until(() => fake.bulks.length === 3 && fake.doc(input[9]!.table, input[9]!.id) !== undefined);
  assert.deepEqual(
    fake.bulks.map((b) => b.length),
    [4, 4, 2],
  );
  assert.equal(s.buffered, 0);
  assert.deepEqual(fake.violations, []);
});

test('flush() resolves only when everything written before it is indexed', async () => {
  const s = await setup({ flushEveryMs: 60_000 });
  await s.open();
  let release!: () => void;
  fake.bulkGate = new Promise((r) => (release = r));
  const input = rows(5);
  for (const r of input) s.write(rec(r));
  let done = false;
  const flushed = s.flush().then(() => (done = true));
  for (let i = 0; i < 20; i++) await tick();
  assert.equal(done, false, 'flush waits for the bulk answer');
  assert.equal(fake.bulks.length, 1, 'the request is out');
  // Rows written after the flush call are not part of it.
  s.write(rec(rows(6)[5]!));
  release();
  await flushed;
  for (const r of input) assert.ok(fake.doc(r.table, r.id));
  assert.equal(s.buffered, 1);
  fake.bulkGate = undefined;
  await s.flush();
  assert.equal(fake.bulks.length, 2);
});

test('replays upsert: the same rows again (a restart from a checkpoint) leave one document per id', async () => {
  const s = await setup();
  const input = rows(30);
  for (const r of input) s.write(rec(r));
  await s.close();
  const again = sink();
  for (const r of input) again.write(rec(r));
  await again.close();
  let count = 0;
  for (const idx of fake.indices.values()) count += idx.docs.size;
  assert.equal(count, 30);
  for (const r of input) assert.equal(fake.doc(r.table, r.id)!.version, 2, 'indexed again under the same id: replaced');
  assert.deepEqual(fake.violations, []);
});

test('a row written twice before it is sent goes once, as last written', async () => {
  const s = await setup();
  const first = departmentsCountRow({ departmentName: 'books', departmentCount: 3, windowBeginTime: 1000, windowEndTime: 11_000 });
  const second = departmentsCountRow({ departmentName: 'books', departmentCount: 5, windowBeginTime: 1000, windowEndTime: 11_000 });
  s.write(rec(first));
  s.write(rec(second));
  await s.flush();
  assert.equal(fake.bulks[0]!.length, 1);
  assert.equal(fake.doc('departments_count', '1000:books')!.doc.departmentCount, 5);
});

test('partial bulk failure: only the items refused with 429/5xx are sent again', async () => {
  const s = await setup();
  await s.open();
  const input = rows(12);
  fake.bulkPlan.push({ items: (i) => (i % 3 === 0 ? 429 : i === 4 ? 503 : undefined) });
  for (const r of input) s.write(rec(r));
  await s.flush();
  assert.equal(fake.bulks.length, 2);
  const refused = input.filter((_, i) => i % 3 === 0 || i === 4).map((r) => r.id);
  assert.deepEqual(
    fake.bulks[1]!.map((a) => a.id),
    refused,
  );
  for (const r of input) assert.equal(fake.doc(r.table, r.id)!.version, 1, `${r.id} indexed exactly once`);
  assert.equal(s.stats.retries, 1);
  assert.deepEqual(fake.violations, []);
});

test('a 429 storm: many whole-request and per-item 429s, then success; nothing lost, nothing indexed twice', async () => {
  const retries: string[] = [];
  const s = await setup({ maxActions: 100, retries: 40, onRetry: (i) => retries.push(i.message) });
  await s.open();
  // Deterministic "random": every request of the storm refuses something.
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 6; i++) fake.bulkPlan.push({ status: 429 });
  fake.bulkPlan.push({ status: 503 });
  for (let i = 0; i < 8; i++) fake.bulkPlan.push({ items: () => (rnd() < 0.5 ? 429 : undefined) });
  for (let i = 0; i < 6; i++) fake.bulkPlan.push({ status: 429 });
  const input = rows(500);
  for (const r of input) s.write(rec(r));
  await s.flush();
  let stored = 0;
  for (const idx of fake.indices.values()) stored += idx.docs.size;
  assert.equal(stored, 500, 'nothing lost');
  for (const r of input) {
    const d = fake.doc(r.table, r.id)!;
    assert.equal(d.version, 1, `${r.id}: an accepted document is never sent again`);
    assert.deepEqual(d.doc, r.doc);
    assert.equal(r.id, expectedId(r.table, d.doc));
  }
  assert.equal(fake.bulkPlan.length, 0, 'the whole storm was played');
  assert.ok(retries.length >= 21, `${retries.length} retries reported`);
  assert.match(retries[0]!, /HTTP 429: rejected_execution_exception/);
  assert.ok(retries.some((m) => /documents refused with 429 rejected_execution_exception/.test(m)));
  assert.equal(s.stats.indexed, 500);
  assert.deepEqual(fake.violations, []);
});

test('5xx and a dropped connection are retried; the batch lands once', async () => {
  const s = await setup();
  await s.open();
  fake.bulkPlan.push({ status: 502 }, { reset: true }, { status: 500 });
  const input = rows(6);
  for (const r of input) s.write(rec(r));
  await s.flush();
  assert.equal(fake.bulks.length, 4);
  for (const r of input) assert.equal(fake.doc(r.table, r.id)!.version, 1);
  assert.equal(s.stats.retries, 3);
});

test('when 429s outlast the retries, flush() rejects naming the index and an id', async () => {
  const s = await setup({ retries: 3 });
  await s.open();
  for (let i = 0; i < 10; i++) fake.bulkPlan.push({ status: 429 });
  const input = rows(3);
  for (const r of input) s.write(rec(r));
  await assert.rejects(s.flush(), (err: unknown) => {
    assert.ok(err instanceof OpenSearchError);
    assert.equal(err.code, 'BULK_RETRIES');
    assert.match(err.message, /still refused 3 documents after 3 retries \(HTTP 429/);
    assert.ok(err.message.includes(`departments_count/${input[0]!.id}`), err.message);
    return true;
  });
  assert.equal(fake.bulks.length, 4);
});

test('a mapping error fails loudly: flush() rejects with the index, id and reason; the rest of the batch is indexed', async () => {
  const s = await setup();
  await s.open();
  const good = rows(6);
  // An integer field out of int range: OpenSearch's mapper_parsing_exception, not retriable.
  const bad = departmentsCountRow({ departmentName: 'toys', departmentCount: 3_000_000_000, windowBeginTime: 5000, windowEndTime: 15_000 });
  for (const r of [...good.slice(0, 3), bad, ...good.slice(3)]) s.write(rec(r));
  await assert.rejects(s.flush(), (err: unknown) => {
    assert.ok(err instanceof OpenSearchError);
    assert.equal(err.code, 'BULK_ITEM');
    assert.match(
      err.message,
      /refused 1 document: departments_count\/5000:toys: 400 mapper_parsing_exception: failed to parse field \[departmentCount\] of type \[integer\]/,
    );
    assert.match(err.message, /out of range of int/);
    return true;
  });
  assert.equal(fake.bulks.length, 1, 'not retried');
  for (const r of good) assert.ok(fake.doc(r.table, r.id), `${r.id} indexed`);
  assert.equal(fake.doc('departments_count', '5000:toys'), undefined);
  // Sticky: the lost row stays reported until the job restarts from its checkpoint.
  s.write(rec(rows(9)[8]!));
  await assert.rejects(s.flush(), /mapper_parsing_exception/);
  assert.equal(s.stats.failed, 1);
});

test('basic auth: every request carries the Authorization header; a wrong password fails open() with a clear message', async () => {
  const s = await setup(
    { auth: { type: 'basic', username: 'brook', password: 's3cret' } },
    { basic: { username: 'brook', password: 's3cret' } },
  );
  for (const r of rows(3)) s.write(rec(r));
  await s.flush();
  assert.ok(fake.requests.length >= 4);
  for (const q of fake.requests) assert.equal(q.headers.authorization, `Basic ${Buffer.from('brook:s3cret').toString('base64')}`);
  const wrong = sink({ auth: { type: 'basic', username: 'brook', password: 'nope' } });
  await assert.rejects(wrong.open(), (err: unknown) => {
    assert.ok(err instanceof OpenSearchError);
    assert.equal(err.code, 'AUTH');
    assert.match(err.message, /cannot create index user_session_details .*HTTP 401.*basic auth as 'brook'/);
    assert.ok(!err.message.includes('nope'), 'never prints the password');
    return true;
  });
});

test('credentials in the URL mean basic auth and are kept out of messages', async () => {
  fake = await FakeOpenSearch.start({ basic: { username: 'u', password: 'p w' } });
  const s = new OpenSearchSink({ url: fake.url.replace('http://', 'http://u:p%20w@'), initialBackoffMs: 1 });
  sinks.push(s);
  await s.open();
  assert.equal(s.client.display, fake.url);
  assert.equal(s.name, `opensearch:${fake.url}`);
});

test('an unreachable cluster: retried, then flush() rejects with the address', async () => {
  fake = await FakeOpenSearch.start();
  const url = fake.url;
  await fake.close();
  const s = new OpenSearchSink({ url, retries: 2, initialBackoffMs: 1 });
  sinks.push(s);
  s.write(rec(rows(1)[0]!));
  await assert.rejects(s.flush(), (err: unknown) => {
    assert.ok(err instanceof OpenSearchError);
    assert.equal(err.code, 'UNREACHABLE');
    assert.ok(err.message.includes(url), err.message);
    return true;
  });
  fake = await FakeOpenSearch.start();
});

test('bad options fail at construction', async () => {
  fake = await FakeOpenSearch.start();
  assert.throws(() => new OpenSearchSink({ url: fake.url, indexPrefix: 'Brook-' }), /upper-case/);
  assert.throws(
    () => new OpenSearchSink({ url: fake.url, indices: { departments_count: 'a', user_session_counts: 'a' } }),
    /three different indexes/,
  );
  assert.throws(() => new OpenSearchSink({ url: 'ftp://x' }), /http:\/\/ or https:\/\//);
  assert.throws(() => new OpenSearchSink({ url: fake.url, maxActions: 0 }), /maxActions must be a positive integer/);
  assert.throws(() => new OpenSearchSink({ url: 'https://x', caFile: '/nonexistent/ca.pem' }), /cannot read the CA file/);
});
