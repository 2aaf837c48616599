// KafkaCheckpointStore against a real broker: the compacted topic it creates, a round trip per job,
// the last valid value winning over a damaged later one, a checkpoint bigger than Kafka's default
// message size, and checkpoints that survive a broker restart.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Producer } from '@platformatic/kafka';
import { KafkaCheckpointStore } from '../../../src/processor/checkpoint/kafka-checkpoint-store.ts';
import { startTempBroker } from '../../helpers/temp-broker.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

test('round trip per job, in a compacted topic it creates; the latest save wins', async () => {
  const tb = await startTempBroker();
  const a = new KafkaCheckpointStore({ bootstrap: [tb.bootstrap], job: 'clickstream' });
  const b = new KafkaCheckpointStore({ bootstrap: [tb.bootstrap], job: 'other-job' });
  try {
    assert.equal(await a.load(), undefined, 'nothing saved yet');
    const topic = tb.broker.logs.topic('_brook_checkpoints');
    assert.equal(topic?.config['cleanup.policy'], 'compact');
    assert.equal(topic?.partitions, 1);
    assert.equal(a.description, `topic _brook_checkpoints (key clickstream) on ${tb.bootstrap}`);

    await a.save(1, bytes('a1'));
    await b.save(1, bytes('b1'));
    await a.save(2, bytes('a2'));
    assert.equal(str(await a.load()), 'a2');
    assert.equal(str(await b.load()), 'b1');
    const fresh = new KafkaCheckpointStore({ bootstrap: [tb.bootstrap], job: 'clickstream' });
    assert.equal(str(await fresh.load()), 'a2');
    await fresh.close();
  } finally {
    await a.close();
    await b.close();
    await tb.dispose();
  }
});

test('a damaged later value is skipped with a warning; the last valid one loads', async () => {
  const tb = await startTempBroker();
  const warnings: string[] = [];
  const store = new KafkaCheckpointStore({ bootstrap: [tb.bootstrap], job: 'j', onWarning: (m) => warnings.push(m) });
  const producer = new Producer({ clientId: 'vandal', bootstrapBrokers: [tb.bootstrap] });
  try {
    await store.save(1, bytes('good'));
    await producer.send({
      messages: [
        { topic: '_brook_checkpoints', partition: 0, key: Buffer.from('j'), value: Buffer.from('a value some other program wrote here') },
      ],
    });
    assert.equal(str(await store.load()), 'good');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /skipping the checkpoint at _brook_checkpoints:0:1: not a Brook checkpoint/);
  } finally {
    await producer.close();
    await store.close();
    await tb.dispose();
  }
});

test('a 3 MB checkpoint (over the 1 MB default message size) round trips', async () => {
  const tb = await startTempBroker();
  const store = new KafkaCheckpointStore({ bootstrap: [tb.bootstrap], job: 'big' });
  try {
    const big = randomBytes(3_000_000);
    await store.save(1, big);
    assert.deepEqual(Buffer.from((await store.load())!), big);
  } finally {
    await store.close();
    await tb.dispose();
  }
});

test('checkpoints survive a broker restart; the same store keeps working across it', async () => {
  let tb = await startTempBroker();
  const store = new KafkaCheckpointStore({ bootstrap: [tb.bootstrap], job: 'survivor', initialBackoffMs: 20 });
  try {
    await store.save(1, bytes('before restart'));
    tb = await tb.restart();
    assert.equal(str(await store.load()), 'before restart');
    await store.save(2, bytes('after restart'));
    const fresh = new KafkaCheckpointStore({ bootstrap: [tb.bootstrap], job: 'survivor' });
    assert.equal(str(await fresh.load()), 'after restart');
    await fresh.close();
  } finally {
    await store.close();
    await tb.dispose();
  }
});

test('save() against a broker that is gone fails clearly after its bounded retries', async () => {
  const tb = await startTempBroker();
  const retries: string[] = [];
  const store = new KafkaCheckpointStore({
    bootstrap: [tb.bootstrap],
    job: 'j',
    maxRetries: 2,
    initialBackoffMs: 10,
    onRetry: (i) => retries.push(i.message),
  });
  try {
    await store.save(1, bytes('one'));
    await tb.broker.close();
    await assert.rejects(store.save(2, bytes('two')), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'CHECKPOINT_STORE');
      assert.match(err.message, new RegExp(`saving checkpoint 2 to topic _brook_checkpoints \\(key j\\) on ${tb.bootstrap} failed: .+`));
      return true;
    });
    assert.equal(retries.length, 2);
  } finally {
    await store.close();
    await tb.dispose();
  }
});

test('keyed: one key per partition and the combiner under the job; scan() finds each newest; the old single key is refused', async () => {
  const tb = await startTempBroker();
  const store = new KafkaCheckpointStore({ bootstrap: [tb.bootstrap], job: 'clickstream', topic: '_ckpt_keyed' });
  const keyed = store.keyed();
  const other = new KafkaCheckpointStore({ bootstrap: [tb.bootstrap], job: 'clickstream-2', topic: '_ckpt_keyed' }).keyed();
  try {
    assert.equal(keyed.description, `topic _ckpt_keyed (keys clickstream/*) on ${tb.bootstrap}`);
    assert.deepEqual(await keyed.scan(), new Map());
    await keyed.save('clickstream-0', 1, bytes('p0 #1'));
    await keyed.save('combiner', 1, bytes('c #1'));
    await keyed.save('clickstream-0', 2, bytes('p0 #2'));
    await other.save('clickstream-0', 9, bytes('another job'));
    assert.equal(str(await keyed.load('clickstream-0')), 'p0 #2');
    assert.equal(await keyed.load('clickstream-1'), undefined);
    assert.deepEqual([...(await keyed.scan())].map(([k, v]) => [k, str(v)]).sort(), [
      ['clickstream-0', 'p0 #2'],
      ['combiner', 'c #1'],
    ]);
    // A checkpoint written under the job's own key is the single-pipeline layout.
    await store.save(5, bytes('the whole job'));
    await assert.rejects(keyed.scan(), /holds a checkpoint of the single-pipeline layout \(key clickstream\).*another --checkpoint-topic/);
  } finally {
    await keyed.close();
    await other.close();
    await tb.dispose();
  }
});
