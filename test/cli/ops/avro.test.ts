// Avro through a real Brook registry: produce encodes JSON lines in Confluent framing (registering
// --avro-schema, or with a --subject's schema), consume decodes Confluent and Glue framing per record.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Producer } from '@platformatic/kafka';
import { createConsumeCommand } from '../../../src/cli/consume-command.ts';
import { createProduceCommand } from '../../../src/cli/produce-command.ts';
import { createTopicsCommand } from '../../../src/cli/topics-command.ts';
import { AvroEncoder, ConfluentRestClient, GlueRegistryClient } from '../../../src/registry/serde/index.ts';
import { type Registry, startRegistry } from '../../../src/registry/server.ts';
import { startTempBroker, type TempBroker, tempDir } from '../../helpers/temp-broker.ts';
import { closedPort, jsonLines, runCli } from './helpers.ts';

const CLICK = {
  type: 'record',
  name: 'Click',
  namespace: 'brook.test',
  fields: [
    { name: 'page', type: 'string' },
    { name: 'userid', type: 'long' },
    { name: 'tag', type: ['null', 'string'], default: null },
  ],
};

describe('Avro through the registry', () => {
  let tb: TempBroker;
  let registry: Registry;
  let b: string[];
  let schemaFile: string;
  before(async () => {
    tb = await startTempBroker();
    registry = await startRegistry({ port: 0, bootstrap: tb.bootstrap });
    b = ['-b', tb.bootstrap];
    schemaFile = join(tempDir(), 'click.avsc');
    writeFileSync(schemaFile, JSON.stringify(CLICK, null, 2));
  });
  after(async () => {
    await registry.close();
    await tb.dispose();
  });

  test('produce --avro-schema registers TOPIC-value and writes Confluent framing that consume decodes', async () => {
    await runCli(createTopicsCommand, ['create', 'clicks', '-p', '1', ...b]);
    const stdin = Readable.from([
      '{"page":"/home","userid":1,"tag":null}\n',
      // Avro's own JSON encoding of a union is read too.
      '{"page":"/cart","userid":2,"tag":{"string":"promo"}}\n{"page":"/buy","userid":3,"tag":"x"}\n',
    ]);
    const produced = await runCli(
      createProduceCommand,
      ['clicks', '--registry', registry.url, '--avro-schema', schemaFile, '-k', 'u', ...b],
      {
        stdin,
      },
    );
    assert.equal(produced.code, 0, produced.stderr);
    assert.match(produced.stderr, /^produced 3 records to clicks \(Avro schema id (\d+), subject clicks-value\), partition 0: 0@0-2\n$/);

    // The bytes are the Confluent wire format: magic 0, the registered id, the Avro body.
    const source = new ConfluentRestClient({ url: registry.url });
    const id = await source.getOrRegisterId('clicks-value', JSON.stringify(CLICK), false);
    source.close();
    const raw = jsonLines((await runCli(createConsumeCommand, ['clicks', '--json', '--count', '1', ...b])).stdout)[0];
    assert.equal(raw.valueFormat, 'base64');
    const bytes = Buffer.from(raw.value, 'base64');
    assert.equal(bytes[0], 0);
    assert.equal(bytes.readInt32BE(1), id);

    const decoded = await runCli(createConsumeCommand, ['clicks', '--registry', registry.url, '--json', ...b]);
    assert.equal(decoded.code, 0, decoded.stderr);
    assert.deepEqual(
      jsonLines(decoded.stdout).map((r) => [r.key, r.valueFormat, r.schemaId, r.value]),
      [
        ['u', 'avro', id, { page: '/home', userid: 1, tag: null }],
        ['u', 'avro', id, { page: '/cart', userid: 2, tag: 'promo' }],
        ['u', 'avro', id, { page: '/buy', userid: 3, tag: 'x' }],
      ],
    );
    const human = await runCli(createConsumeCommand, ['clicks', '--registry', registry.url, '--count', '1', ...b]);
    assert.match(human.stdout, new RegExp(`key u  avro schema id ${id}\\n\\{"page":"/home","userid":1,"tag":null\\}\\n$`));

    const hint = await runCli(createConsumeCommand, ['clicks', '--count', '1', ...b]);
    assert.match(hint.stderr, /values look like schema-registry framed Avro: pass --registry URL to decode them/);
  });

  test('produce --subject uses the subject’s latest schema; a value that does not fit is refused with the field', async () => {
    await runCli(createTopicsCommand, ['create', 'by-subject', '-p', '1', ...b]);
    const source = new ConfluentRestClient({ url: registry.url });
    const id = await source.getOrRegisterId('shared-clicks', JSON.stringify(CLICK), true);
    source.close();
    const ok = await runCli(createProduceCommand, [
      'by-subject',
      '--registry',
      registry.url,
      '--subject',
      'shared-clicks',
      '--value',
      '{"page":"/x","userid":7}',
      ...b,
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    const [r] = jsonLines((await runCli(createConsumeCommand, ['by-subject', '--registry', registry.url, '--json', ...b])).stdout);
    assert.deepEqual([r.schemaId, r.value], [id, { page: '/x', userid: 7, tag: null }]);

    const bad = await runCli(createProduceCommand, [
      'by-subject',
      '--registry',
      registry.url,
      '--subject',
      'shared-clicks',
      '--value',
      '{"page":5}',
      ...b,
    ]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--value: value does not match the writer schema brook.test.Click .*invalid at page, userid/);
    const missing = await runCli(createProduceCommand, [
      'by-subject',
      '--registry',
      registry.url,
      '--subject',
      'nope',
      '--value',
      '{}',
      ...b,
    ]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Subject 'nope' not found|40401/);
  });

  test('consume decodes Glue framing (zlib or not) next to Confluent framing in one topic', async () => {
    await runCli(createTopicsCommand, ['create', 'mixed', '-p', '1', ...b]);
    const glue = new GlueRegistryClient({
      endpoint: registry.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 't', secretAccessKey: 't' },
    });
    const confluent = new ConfluentRestClient({ url: registry.url });
    const plain = await AvroEncoder.create({
      schema: JSON.stringify(CLICK),
      topic: 'mixed',
      framing: 'glue',
      source: glue,
      autoRegister: true,
    });
    const zipped = await AvroEncoder.create({
      schema: JSON.stringify(CLICK),
      topic: 'mixed',
      framing: 'glue',
      source: glue,
      autoRegister: true,
      compression: 'zlib',
    });
    const conf = await AvroEncoder.create({ schema: JSON.stringify(CLICK), topic: 'mixed', source: confluent });
    const producer = new Producer({ clientId: 'test', bootstrapBrokers: [tb.bootstrap] });
    await producer.send({
      acks: -1,
      messages: [
        { topic: 'mixed', value: plain.encodeCopy({ page: '/glue', userid: 1, tag: null }) },
        { topic: 'mixed', value: zipped.encodeCopy({ page: '/zlib', userid: 2, tag: 'z' }) },
        { topic: 'mixed', value: conf.encodeCopy({ page: '/confluent', userid: 3, tag: null }) },
        { topic: 'mixed', value: Buffer.from('{"not":"avro"}') },
      ],
    });
    await producer.close();
    glue.close();
    confluent.close();
    const out = await runCli(createConsumeCommand, ['mixed', '--registry', registry.url, '--json', ...b]);
    assert.equal(out.code, 0, out.stderr);
    const records = jsonLines(out.stdout);
    assert.deepEqual(
      records.map((r) => [r.valueFormat, r.value]),
      [
        ['avro', { page: '/glue', userid: 1, tag: null }],
        ['avro', { page: '/zlib', userid: 2, tag: 'z' }],
        ['avro', { page: '/confluent', userid: 3, tag: null }],
        ['json', { not: 'avro' }],
      ],
    );
    assert.equal(records[0].schemaVersionId, plain.schemaVersionId);
    assert.equal(records[2].schemaId, conf.schemaId);
  });

  test('a framed record whose schema the registry lacks is shown as base64 with a warning; a dead registry stops consume', async () => {
    await runCli(createTopicsCommand, ['create', 'orphans', '-p', '1', ...b]);
    const producer = new Producer({ clientId: 'test', bootstrapBrokers: [tb.bootstrap] });
    const orphan = Buffer.from([0, 0, 0, 0x7f, 0x7f, 2, 4]);
    await producer.send({ acks: -1, messages: [{ topic: 'orphans', value: orphan }] });
    await producer.close();
    const out = await runCli(createConsumeCommand, ['orphans', '--registry', registry.url, '--json', ...b]);
    assert.equal(out.code, 0, out.stderr);
    const [r] = jsonLines(out.stdout);
    assert.equal(r.valueFormat, 'base64');
    assert.equal(r.value, orphan.toString('base64'));
    assert.match(r.error, /32639/);
    assert.match(out.stderr, /cannot decode a value \(SERDE_UNKNOWN_SCHEMA\)/);

    const dead = `http://127.0.0.1:${await closedPort()}`;
    const down = await runCli(createConsumeCommand, ['orphans', '--registry', dead, ...b]);
    assert.equal(down.code, 1);
    assert.match(down.stderr, new RegExp(`cannot decode Avro values: .*${dead.replace(/[.:/]/g, '\\$&')}.*Is the registry running\\?`));
    const noRegistry = await runCli(createProduceCommand, [
      'orphans',
      '--registry',
      dead,
      '--avro-schema',
      schemaFile,
      '--value',
      '{}',
      ...b,
    ]);
    assert.equal(noRegistry.code, 1);
    assert.match(noRegistry.stderr, /Is the registry running\? Check --registry URL/);
  });
});
