// Interop with @platformatic/kafka (the client Brook's own parts use): admin, idempotent
// producer, and a consumer group reading everything back with keys, values and headers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin, Consumer, MessagesStreamModes, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { startTempBroker, type TempBroker } from '../helpers/temp-broker.ts';

describe('@platformatic/kafka against Brook', () => {
  let tb: TempBroker;
  before(async () => {
    tb = await startTempBroker();
  });
  after(() => tb.dispose());

  test('admin creates a topic; an idempotent producer writes; a group consumer reads it all', async () => {
    const admin = new Admin({ clientId: 'pk-admin', bootstrapBrokers: [tb.bootstrap] });
    await admin.createTopics({ topics: ['pk-events'], partitions: 3, replicas: 1 });
    const md = await admin.metadata({ topics: ['pk-events'] });
    assert.equal(md.topics.get('pk-events')?.partitionsCount, 3);
    await admin.close();

    const producer = new Producer({
      clientId: 'pk-producer',
      bootstrapBrokers: [tb.bootstrap],
      serializers: stringSerializers,
      idempotent: true,
    });
    const total = 3000;
    for (let i = 0; i < total; i += 500) {
      await producer.send({
        messages: Array.from({ length: 500 }, (_, j) => ({
          topic: 'pk-events',
          key: `k${(i + j) % 31}`,
          value: `v${i + j}`,
          headers: { seq: String(i + j) },
        })),
      });
    }
    await producer.close();

    const consumer = new Consumer({
      groupId: 'pk-group',
      clientId: 'pk-consumer',
      bootstrapBrokers: [tb.bootstrap],
      deserializers: stringDeserializers,
    });
    const stream = await consumer.consume({
      topics: ['pk-events'],
      mode: MessagesStreamModes.EARLIEST,
      autocommit: true,
      sessionTimeout: 10000,
      heartbeatInterval: 500,
    });
    const values = new Set<string>();
    let headerOk = true;
    for await (const message of stream) {
      values.add(message.value as string);
      const seq = message.headers.get('seq');
      if (seq === undefined || `v${seq}` !== message.value) headerOk = false;
      if (values.size === total) break;
    }
    await stream.close();
    await consumer.close();
    assert.equal(values.size, total);
    assert.ok(headerOk, 'every header matches its value');
  });

  test('two idempotent producers on one partition each get their own producer id: nothing is dropped', async () => {
    const admin = new Admin({ clientId: 'pk-admin2', bootstrapBrokers: [tb.bootstrap] });
    await admin.createTopics({ topics: ['pk-two'], partitions: 1, replicas: 1 });
    await admin.close();
    const producers = [1, 2].map(
      (n) => new Producer({ clientId: `pk-p${n}`, bootstrapBrokers: [tb.bootstrap], serializers: stringSerializers, idempotent: true }),
    );
    for (const [n, p] of producers.entries()) {
      await p.send({ messages: Array.from({ length: 50 }, (_, i) => ({ topic: 'pk-two', key: `p${n}`, value: `p${n}-${i}` })) });
    }
    for (const p of producers) await p.close();
    const end = tb.broker.logs.partition('pk-two', 0)?.logEndOffset;
    assert.equal(end, 100n, "both producers' 50 records are stored");
  });
});
