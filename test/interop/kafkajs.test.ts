// Interop with kafkajs 2.2: admin, producer, a two-member consumer group that splits a topic and
// fails over, and committed offsets plus data that survive a broker restart.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { until } from '../helpers/kcat.ts';
import { startTempBroker, type TempBroker } from '../helpers/temp-broker.ts';

describe('kafkajs against Brook', () => {
  let tb: TempBroker;
  const kafka = () => new Kafka({ brokers: [tb.bootstrap], logLevel: logLevel.NOTHING, clientId: 'interop' });

  before(async () => {
    tb = await startTempBroker();
    const admin = kafka().admin();
    await admin.connect();
    assert.equal(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 4 }] }), true);
    const md = await admin.fetchTopicMetadata({ topics: ['orders'] });
    assert.equal(md.topics[0]?.partitions.length, 4);
    await admin.disconnect();
  });
  after(() => tb.dispose());

  test('a consumer group of two splits 4 partitions, consumes everything once, and fails over', async () => {
    const producer = kafka().producer();
    await producer.connect();
    const total = 2000;
    await producer.send({
      topic: 'orders',
      messages: Array.from({ length: total }, (_, i) => ({ key: `user-${i % 97}`, value: `order-${i}`, headers: { n: String(i) } })),
    });

    const seen = new Map<string, string>();
    const assignments = new Map<string, number[]>();
    const start = async (name: string): Promise<Consumer> => {
      const c = kafka().consumer({ groupId: 'orders-group', sessionTimeout: 6000, heartbeatInterval: 300, rebalanceTimeout: 6000 });
      c.on(c.events.GROUP_JOIN, (e) => assignments.set(name, (e.payload.memberAssignment.orders ?? []).slice().sort()));
      await c.connect();
      await c.subscribe({ topic: 'orders', fromBeginning: true });
      await c.run({
        eachMessage: async ({ message }) => {
          seen.set(message.value?.toString() ?? '', message.headers?.n?.toString() ?? '');
        },
      });
      return c;
    };
    const a = await start('a');
    const b = await start('b');
    await until(() => (assignments.get('a')?.length ?? 0) === 2 && (assignments.get('b')?.length ?? 0) === 2, 30_000, 'a 2/2 split');
    assert.deepEqual([...(assignments.get('a') ?? []), ...(assignments.get('b') ?? [])].sort(), [0, 1, 2, 3]);
    await until(() => seen.size === total, 30_000, `all ${total} records consumed`);
    assert.equal(seen.get('order-1234'), '1234');

    await b.disconnect();
    await until(() => (assignments.get('a')?.length ?? 0) === 4, 30_000, 'the survivor to own all 4 partitions');
    await producer.send({ topic: 'orders', messages: [{ key: 'late', value: 'order-late', headers: { n: 'late' } }] });
    await until(() => seen.has('order-late'), 15_000, 'the survivor to consume a new record');
    await a.disconnect();
    await producer.disconnect();
  });

  test('committed offsets and data survive a broker restart', async () => {
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'durable', numPartitions: 2 }] });
    const producer = kafka().producer();
    await producer.connect();
    await producer.send({
      topic: 'durable',
      acks: -1,
      messages: Array.from({ length: 100 }, (_, i) => ({ key: String(i), value: `d-${i}` })),
    });
    await producer.disconnect();
    await admin.setOffsets({
      groupId: 'durable-group',
      topic: 'durable',
      partitions: [
        { partition: 0, offset: '7' },
        { partition: 1, offset: '11' },
      ],
    });
    await admin.disconnect();

    tb = await tb.restart();

    const admin2 = kafka().admin();
    await admin2.connect();
    const offsets = await admin2.fetchOffsets({ groupId: 'durable-group', topics: ['durable'] });
    const byPartition = Object.fromEntries((offsets[0]?.partitions ?? []).map((p) => [p.partition, p.offset]));
    assert.deepEqual(byPartition, { 0: '7', 1: '11' });
    const ends = await admin2.fetchTopicOffsets('durable');
    const count = ends.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
    assert.equal(count, 100);
    await admin2.disconnect();

    const values: string[] = [];
    const c = kafka().consumer({ groupId: 'durable-reader' });
    await c.connect();
    await c.subscribe({ topic: 'durable', fromBeginning: true });
    await c.run({ eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? '') });
    await until(() => values.length === 100, 30_000, 'all 100 records after restart');
    await c.disconnect();
    assert.deepEqual(values.sort(), Array.from({ length: 100 }, (_, i) => `d-${i}`).sort());
  });
});
