// /api/pipeline and /api/schemas against a real broker and registry: a topic with records and a
// group with committed offsets (lag), rates from offset deltas, the processor's metrics, the
// registry's subjects, versions, compatibility and schema text, and both services unreachable.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin, Producer, stringSerializers } from '@platformatic/kafka';
import { type Dashboard, startDashboard } from '../../src/dashboard/server.ts';
import type { JobMetrics } from '../../src/processor/metrics.ts';
import { type Registry, startRegistry } from '../../src/registry/server.ts';
import { startTempBroker, type TempBroker } from '../helpers/temp-broker.ts';
import { FakeStore } from './fake-store.ts';
import { getJson } from './fixtures.ts';

const AVRO_V1 = { type: 'record', name: 'Click', fields: [{ name: 'userid', type: 'int' }] };
const AVRO_V2 = { ...AVRO_V1, fields: [...AVRO_V1.fields, { name: 'page', type: 'string', default: '' }] };

const CHECKPOINT_AT = 1_795_700_000_000;

function metrics(read: number, checkpointId: number): JobMetrics {
  return {
    job: 'clickstream',
    at: Date.now(),
    uptimeMs: 5000,
    watermark: Date.now() - 25_000,
    freshnessMs: 25_000,
    partitions: [
      { partition: 'clicks:0', offset: read, lag: 3, watermark: Date.now() - 25_000, idle: false },
      { partition: 'clicks:1', offset: 0, lag: undefined, watermark: null, idle: true },
    ],
    operators: [{ name: 'clickstream', kind: 'source', recordsIn: read, recordsOut: read, stateEntries: 0, lateRecords: 0 }],
    stateLimit: 5_000_000,
    deadLetters: 2,
    lateRecords: 7,
    checkpoints: checkpointId,
    lastCheckpoint: { id: checkpointId, at: CHECKPOINT_AT, bytes: 2048, durationMs: 12 },
  };
}

describe('pipeline and schemas views against a real broker and registry', () => {
  let tb: TempBroker;
  let registry: Registry;
  let dash: Dashboard;
  let producer: Producer<string, string, string, string>;
  let admin: Admin;
  let read = 100;

  before(async () => {
    tb = await startTempBroker();
    registry = await startRegistry({ port: 0, bootstrap: tb.bootstrap });
    admin = new Admin({ clientId: 'test', bootstrapBrokers: [tb.bootstrap] });
    await admin.createTopics({ topics: ['clicks'], partitions: 3, replicas: 1 });
    producer = new Producer({ clientId: 'test', bootstrapBrokers: [tb.bootstrap], serializers: stringSerializers });
    await producer.send({ messages: Array.from({ length: 30 }, (_, i) => ({ topic: 'clicks', partition: i % 3, value: `v${i}` })) });
    await admin.alterConsumerGroupOffsets({
      groupId: 'lagging',
      topics: [{ name: 'clicks', partitionOffsets: [0, 1, 2].map((partition) => ({ partition, offset: BigInt(partition * 4) })) }],
    });
    dash = await startDashboard({
      port: 0,
      store: new FakeStore(),
      kafka: { bootstrap: [tb.bootstrap] },
      registryUrl: registry.url,
      processor: () => metrics(read, Math.floor(read / 100)),
    });
  });
  after(async () => {
    await dash.close();
    await producer.close();
    await admin.close();
    await registry.close();
    await tb.dispose();
  });

  test('topics with partitions and offsets; the group with its committed offsets and lag', async () => {
    const { status, body } = await getJson(dash.url, '/api/pipeline');
    assert.equal(status, 200);
    assert.equal(body.kafka.error, null);
    const clicks = body.topics.find((t: { name: string }) => t.name === 'clicks');
    assert.ok(clicks, 'the topic is listed');
    assert.deepEqual(
      clicks.partitions.map((p: { partition: number; startOffset: number; endOffset: number; records: number; leader: number }) => [
        p.partition,
        p.startOffset,
        p.endOffset,
        p.records,
      ]),
      [
        [0, 0, 10, 10],
        [1, 0, 10, 10],
        [2, 0, 10, 10],
      ],
    );
    assert.equal(clicks.endOffset, 30);
    assert.equal(clicks.ratePerSec, null, 'no rate from a single sample');
    const group = body.groups.find((g: { id: string }) => g.id === 'lagging');
    assert.ok(group, 'the group is listed');
    assert.equal(group.lag, 10 + 6 + 2);
    assert.deepEqual(group.topics[0].partitions, [
      { partition: 0, committed: 0, endOffset: 10, lag: 10 },
      { partition: 1, committed: 4, endOffset: 10, lag: 6 },
      { partition: 2, committed: 8, endOffset: 10, lag: 2 },
    ]);
    assert.equal(body.processor.job, 'clickstream');
    assert.equal(body.processor.lateRecords, 7);
    assert.equal(body.processor.deadLetters, 2);
    assert.deepEqual(body.processor.lastCheckpoint, { id: 1, at: CHECKPOINT_AT, bytes: 2048, durationMs: 12 });
    assert.equal(body.processor.partitions[1].idle, true);
    assert.equal(body.processor.partitions[1].lag, null, 'unknown lag is null in JSON, not missing');
    assert.equal(body.processor.lastCheckpointAt, CHECKPOINT_AT);
  });

  test('records/s and events/s from the deltas between snapshots', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    await producer.send({ messages: Array.from({ length: 60 }, (_, i) => ({ topic: 'clicks', partition: i % 3, value: `w${i}` })) });
    read += 500;
    const { body } = await getJson(dash.url, '/api/pipeline');
    const clicks = body.topics.find((t: { name: string }) => t.name === 'clicks');
    assert.equal(clicks.endOffset, 90);
    assert.ok(clicks.ratePerSec > 0 && clicks.ratePerSec <= 60 / 1.1, `rate ${clicks.ratePerSec}`);
    assert.ok(
      body.processor.eventsPerSecond > 0 && body.processor.eventsPerSecond <= 500 / 1.1,
      `events/s ${body.processor.eventsPerSecond}`,
    );
    assert.equal(body.groups.find((g: { id: string }) => g.id === 'lagging').lag, 18 + 60);
  });

  test('schemas: subjects, versions, compatibility (own or global), a schema pretty-printed', async () => {
    const post = (subject: string, schema: object) =>
      fetch(`${registry.url}/subjects/${encodeURIComponent(subject)}/versions`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
        body: JSON.stringify({ schema: JSON.stringify(schema) }),
      }).then((r) => r.json());
    await post('clickstream-value', AVRO_V1);
    await post('clickstream-value', AVRO_V2);
    await post('other/value', AVRO_V1);
    await fetch(`${registry.url}/config/clickstream-value`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ compatibility: 'FULL' }),
    });

    const { status, body } = await getJson(dash.url, '/api/schemas');
    assert.equal(status, 200);
    assert.equal(body.registryUrl, registry.url);
    assert.equal(body.compatibility, 'BACKWARD');
    assert.deepEqual(
      body.subjects.map((s: { subject: string; versions: number[]; compatibility: string; compatibilityIsGlobal: boolean }) => [
        s.subject,
        s.versions,
        s.compatibility,
        s.compatibilityIsGlobal,
      ]),
      [
        ['clickstream-value', [1, 2], 'FULL', false],
        ['other/value', [1], 'BACKWARD', true],
      ],
    );
    assert.equal(body.subjects[0].latest.version, 2);
    assert.equal(body.subjects[0].latest.schemaType, 'AVRO');

    const v1 = await getJson(dash.url, '/api/schemas/clickstream-value/versions/1');
    assert.equal(v1.status, 200);
    assert.equal(v1.body.version, 1);
    assert.equal(v1.body.schema, JSON.stringify(AVRO_V1, null, 2));
    const latest = await getJson(dash.url, '/api/schemas/other%2Fvalue');
    assert.equal(latest.body.subject, 'other/value');
    assert.equal(latest.body.version, 1);

    const missing = await getJson(dash.url, '/api/schemas/nope-value/versions/1');
    assert.equal(missing.status, 404);
    assert.match(missing.body.message, /schema registry: .*not found/i);
    const badVersion = await getJson(dash.url, '/api/schemas/clickstream-value/versions/first');
    assert.equal(badVersion.status, 400);
  });

  test('unreachable broker and registry: the page gets a message, not a hang or a crash', async () => {
    const lonely = await startDashboard({
      port: 0,
      store: new FakeStore(),
      kafka: { bootstrap: ['127.0.0.1:1'] },
      registryUrl: 'http://127.0.0.1:1',
      processor: () => undefined,
    });
    try {
      const started = Date.now();
      const { status, body } = await getJson(lonely.url, '/api/pipeline');
      assert.equal(status, 200);
      assert.match(body.kafka.error, /cannot read the Kafka cluster at 127\.0\.0\.1:1/);
      assert.deepEqual(body.topics, []);
      assert.equal(body.processor, null);
      assert.ok(Date.now() - started < 8000);
      const schemas = await getJson(lonely.url, '/api/schemas');
      assert.equal(schemas.status, 502);
      assert.match(schemas.body.message, /cannot reach the schema registry at http:\/\/127\.0\.0\.1:1/);
    } finally {
      await lonely.close();
    }
  });
});
