// End to end: `brook generate` against a broker and a registry on port 0, read back with a plain
// Kafka consumer and decoded with the registry, in both framings.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Admin, Consumer, MessagesStreamModes } from '@platformatic/kafka';
import { parseCommandArgs } from '../../src/cli/command.ts';
import { generateCommand } from '../../src/cli/generate-command.ts';
import { parseGenerateConfig } from '../../src/generator/options.ts';
import { runGenerate } from '../../src/generator/run.ts';
import type { ClickEvent } from '../../src/generator/schema.ts';
import { AvroDecoder, ConfluentRestClient, GlueRegistryClient, type SchemaSource } from '../../src/registry/serde/index.ts';
import { withBrokerAndRegistry } from '../helpers/temp-stack.ts';

describe('brook generate end to end', () => {
  const stack = withBrokerAndRegistry('brook-gen-e2e-');
  const { dir } = stack;

  async function roundTrip(topic: string, extra: string[], source: SchemaSource) {
    const admin = new Admin({ clientId: 'gen-admin', bootstrapBrokers: [stack.tb.bootstrap] });
    await admin.createTopics({ topics: [topic], partitions: 3, replicas: 1 });
    await admin.close();
    const argv = [
      '-t',
      topic,
      '--bootstrap',
      stack.tb.bootstrap,
      '--registry',
      stack.registry.url,
      '-nt',
      '3',
      '-nou',
      '20',
      '-nd',
      '--seed',
      '11',
    ];
    const config = parseGenerateConfig(
      parseCommandArgs(generateCommand, [...argv, '--bookmark', join(dir, topic), '--quiet', ...extra]).values,
    );
    const made: ClickEvent[] = [];
    const summary = await runGenerate(config, { onEvent: (e) => made.push(e) });
    assert.equal(summary.sessions, 60);
    assert.equal(summary.failed, 0);
    assert.equal(summary.acknowledged, made.length);

    const decoder = new AvroDecoder<ClickEvent>({ source });
    const consumer = new Consumer({
      groupId: `g-${topic}`,
      clientId: 'gen-reader',
      bootstrapBrokers: [stack.tb.bootstrap],
      maxWaitTime: 200,
    });
    const stream = await consumer.consume({
      topics: [topic],
      mode: MessagesStreamModes.EARLIEST,
      sessionTimeout: 10000,
      heartbeatInterval: 500,
    });
    const read = new Map<number, ClickEvent>();
    const framing = new Set<number>();
    for await (const message of stream) {
      const value = await decoder.decode(message.value as Buffer);
      framing.add((message.value as Buffer)[0]!);
      assert.equal((message.key as Buffer).toString('utf8'), String(value.userid), 'key = user id');
      assert.equal(message.timestamp, BigInt(value.eventtimestamp), 'record timestamp');
      assert.ok(!read.has(value.globalseq), `globalseq ${value.globalseq} read twice`);
      read.set(value.globalseq, value);
      if (read.size === made.length) break;
    }
    await stream.close();
    await consumer.close();
    assert.equal(read.size, made.length);
    for (const e of made) assert.deepEqual({ ...read.get(e.globalseq) }, e);
    return framing;
  }

  test('Confluent framing (default)', async () => {
    const framing = await roundTrip('clicks-confluent', ['-gar'], new ConfluentRestClient({ url: stack.registry.url }));
    assert.deepEqual([...framing], [0]);
  });

  test('Glue framing with -gsr -gar', async () => {
    const source = new GlueRegistryClient({
      endpoint: stack.registry.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 't', secretAccessKey: 't' },
    });
    const framing = await roundTrip('clicks-glue', ['-gsr', '-gar', '-gcs', 'BACKWARD'], source);
    assert.deepEqual([...framing], [3]);
    await source.close();
  });

  test('a missing topic is created with --partitions, and every event lands', async () => {
    const notes: string[] = [];
    const argv = [
      '-t',
      'fresh-topic',
      '--bootstrap',
      stack.tb.bootstrap,
      '--registry',
      stack.registry.url,
      '-nt',
      '2',
      '-nou',
      '5',
      '-nd',
      '-nle',
    ];
    const config = parseGenerateConfig(
      parseCommandArgs(generateCommand, [...argv, '-gar', '--partitions', '4', '--bookmark', join(dir, 'fresh')]).values,
    );
    const summary = await runGenerate(config, { err: (t) => notes.push(t), out: () => {} });
    assert.equal(summary.failed, 0);
    assert.ok(
      notes.some((n) => n.includes('created topic fresh-topic with 4 partitions')),
      notes.join(''),
    );
    const admin = new Admin({ clientId: 'gen-admin', bootstrapBrokers: [stack.tb.bootstrap] });
    const meta = await admin.metadata({ topics: ['fresh-topic'] });
    await admin.close();
    assert.equal(meta.topics.get('fresh-topic')?.partitionsCount, 4);
  });

  test('without -gar an unregistered schema is a clear error', async () => {
    const config = parseGenerateConfig(
      parseCommandArgs(generateCommand, [
        '-t',
        'nobody',
        '--bootstrap',
        stack.tb.bootstrap,
        '--registry',
        stack.registry.url,
        '-gsr',
        '-grn',
        'absent',
        '--quiet',
        '--bookmark',
        join(dir, 'x'),
      ]).values,
    );
    await assert.rejects(runGenerate(config), /-gar/);
  });
});
