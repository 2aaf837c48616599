// Index creation against the fake OpenSearch: the original mappings as PUT bodies (text with a
// keyword subfield, integer, long, double, date), idempotence, an existing index with a wrong or
// partial mapping, an index prefix, and a writer that may not create indexes.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { RESULT_TABLES } from '../../../src/jobs/clickstream/rows.ts';
import { OpenSearchError } from '../../../src/sinks/opensearch/errors.ts';
import { OpenSearchHttp } from '../../../src/sinks/opensearch/http-client.ts';
import { ensureIndexes } from '../../../src/sinks/opensearch/indexes.ts';
import { indexMapping, indexNames } from '../../../src/sinks/opensearch/mappings.ts';
import { retryPolicy } from '../../../src/sinks/opensearch/retry.ts';
import { OpenSearchSink } from '../../../src/sinks/opensearch/sink.ts';
import { FakeOpenSearch, ORIGINAL_MAPPINGS } from './fake-opensearch.ts';
import { rec, rows } from './rows.ts';

let fake: FakeOpenSearch;
const clients: OpenSearchHttp[] = [];
const policy = retryPolicy({ initialBackoffMs: 1, maxBackoffMs: 2 });

async function start(): Promise<OpenSearchHttp> {
  fake = await FakeOpenSearch.start();
  const c = new OpenSearchHttp({ url: fake.url });
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await fake?.close();
});

test('the mappings are the original ones: text+keyword(ignore_above 256), integer, long, double, date', () => {
  for (const t of RESULT_TABLES) assert.deepEqual(indexMapping(t), ORIGINAL_MAPPINGS[t], t);
  assert.deepEqual(indexMapping('departments_count').properties.departmentName, {
    type: 'text',
    fields: { keyword: { type: 'keyword', ignore_above: 256 } },
  });
  assert.equal(indexMapping('user_session_details').properties.userId!.type, 'long');
  assert.equal(indexMapping('user_session_counts').properties.percentSessionswithBuy!.type, 'double');
});

test('creates the three indexes with PUT /<index> {"mappings":...}; a second run finds them', async () => {
  const client = await start();
  const first = await ensureIndexes(client, indexNames(), policy);
  assert.deepEqual(
    first.map((r) => [r.index, r.outcome]),
    [
      ['user_session_details', 'created'],
      ['user_session_counts', 'created'],
      ['departments_count', 'created'],
    ],
  );
  const puts = fake.requests.filter((q) => q.method === 'PUT');
  assert.deepEqual(
    puts.map((q) => q.path),
    ['/user_session_details', '/user_session_counts', '/departments_count'],
  );
  for (const q of puts) assert.deepEqual(JSON.parse(q.body.toString()), { mappings: ORIGINAL_MAPPINGS[q.path.slice(1)] });
  const second = await ensureIndexes(client, indexNames(), policy);
  assert.deepEqual(
    second.map((r) => r.outcome),
    ['exists', 'exists', 'exists'],
  );
  assert.deepEqual(fake.violations, []);
});

test('an index that exists with a conflicting mapping stops the sink with what to do', async () => {
  const client = await start();
  // What dynamic mapping makes of an epoch-ms number: long, not date.
  fake.preCreate('departments_count', {
    properties: { ...ORIGINAL_MAPPINGS.departments_count.properties, windowEndTime: { type: 'long' }, departmentName: { type: 'keyword' } },
  });
  await assert.rejects(ensureIndexes(client, indexNames(), policy), (err: unknown) => {
    assert.ok(err instanceof OpenSearchError);
    assert.equal(err.code, 'MAPPING_CONFLICT');
    assert.match(
      err.message,
      /index departments_count .* different mapping: departmentName is mapped as keyword, Brook writes text; windowEndTime is mapped as long, Brook writes date/,
    );
    assert.match(err.message, /--index-prefix/);
    return true;
  });
});

test('an existing index without some fields gets them added (before any document could map them dynamically)', async () => {
  const client = await start();
  fake.preCreate('user_session_counts', { properties: { userSessionCount: { type: 'integer' } } });
  const res = await ensureIndexes(client, indexNames(), policy);
  assert.equal(res.find((r) => r.table === 'user_session_counts')!.outcome, 'extended');
  assert.deepEqual(fake.indices.get('user_session_counts')!.mappings, ORIGINAL_MAPPINGS.user_session_counts);
});

test('a text field without its keyword subfield is a conflict (the departments chart groups by departmentName.keyword)', async () => {
  const client = await start();
  fake.preCreate('departments_count', {
    properties: { ...ORIGINAL_MAPPINGS.departments_count.properties, departmentName: { type: 'text' } },
  });
  await assert.rejects(ensureIndexes(client, indexNames(), policy), /departmentName has no keyword subfield/);
});

test('an index prefix names the indexes, and the sink writes there', async () => {
  fake = await FakeOpenSearch.start();
  const s = new OpenSearchSink({ url: fake.url, indexPrefix: 'test-' });
  await s.open();
  assert.deepEqual([...fake.indices.keys()].sort(), ['test-departments_count', 'test-user_session_counts', 'test-user_session_details']);
  const input = rows(3);
  for (const r of input) s.write(rec(r));
  await s.close();
  for (const r of input) assert.ok(fake.doc(`test-${r.table}`, r.id));
  assert.deepEqual(fake.violations, []);
});

test('a writer without permission to create indexes can still use indexes that exist', async () => {
  await start();
  for (const t of RESULT_TABLES) fake.preCreate(t, indexMapping(t));
  // A restricted role: PUT /<index> is forbidden even when the index exists.
  const forbid = new OpenSearchHttp({ url: fake.url });
  clients.push(forbid);
  const original = forbid.request.bind(forbid);
  forbid.request = (method, path, opts) =>
    method === 'PUT' && !path.includes('_mapping')
      ? Promise.resolve({
          status: 403,
          headers: {},
          text: JSON.stringify({ error: { type: 'security_exception', reason: 'no permissions for [indices:admin/create]' }, status: 403 }),
        })
      : original(method, path, opts);
  const res = await ensureIndexes(forbid, indexNames(), policy);
  assert.deepEqual(
    res.map((r) => r.outcome),
    ['exists', 'exists', 'exists'],
  );
  // Without the index, the 403 is the answer, with the permission it lacks.
  fake.indices.delete('departments_count');
  await assert.rejects(
    ensureIndexes(forbid, indexNames(), policy),
    /cannot create index departments_count .*HTTP 403, security_exception: no permissions for \[indices:admin\/create\].*indices:admin\/create/,
  );
});

test('index creation is retried on 429/5xx', async () => {
  const client = await start();
  const original = client.request.bind(client);
  let failures = 3;
  client.request = (method, path, opts) =>
    failures-- > 0
      ? Promise.resolve({ status: 503, headers: {}, text: '{"error":{"type":"cluster_block_exception"},"status":503}' })
      : original(method, path, opts);
  const retried: string[] = [];
  const res = await ensureIndexes(client, indexNames(), retryPolicy({ initialBackoffMs: 1, onRetry: (i) => retried.push(i.message) }));
  assert.deepEqual(
    res.map((r) => r.outcome),
    ['created', 'created', 'created'],
  );
  assert.equal(retried.length, 3);
  assert.match(retried[0]!, /creating index user_session_details failed \(HTTP 503\); retry 1 in 1 ms/);
});

test('createIndexes: false leaves the indexes alone (someone else manages them)', async () => {
  fake = await FakeOpenSearch.start();
  for (const t of RESULT_TABLES) fake.preCreate(t, indexMapping(t));
  const s = new OpenSearchSink({ url: fake.url, createIndexes: false });
  await s.open();
  for (const r of rows(3)) s.write(rec(r));
  await s.close();
  assert.deepEqual(
    fake.requests.map((q) => `${q.method} ${q.path}`),
    ['POST /_bulk'],
  );
});
