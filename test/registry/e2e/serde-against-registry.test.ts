// Brook's serde against Brook's own registry, next to a peer client: the Confluent framing made by
// Brook's encoder is byte-identical to @kafkajs/confluent-schema-registry's for the same schema,
// each decodes the other's, and the Glue framing round-trips through the registry's Glue API with
// the job's namespace (writer and reader namespaces differ, as in the reference system).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { CLICK_EVENT_SCHEMA } from '../../../src/generator/schema.ts';
import { AvroDecoder, AvroEncoder, ConfluentRestClient, GlueRegistryClient, SerdeError } from '../../../src/registry/serde/index.ts';
import { type Registry, startRegistry } from '../../../src/registry/server.ts';
import { startTempBroker, type TempBroker } from '../../helpers/temp-broker.ts';

const clickEvent = (namespace: string) => ({ ...CLICK_EVENT_SCHEMA, namespace });
const PRODUCER = clickEvent('samples.clickstream.avro');
const JOB = clickEvent('tutorial.buildon.aws.streaming.avro');

const events = Array.from({ length: 20 }, (_, i) => ({
  ip: `66.249.1.${i}`,
  eventtimestamp: 1_700_000_000_000 + i,
  devicetype: ['mobile', 'computer', 'tablet'][i % 3] as string,
  event_type: i % 5 === 4 ? null : 'product_page',
  product_type: i % 2 === 0 ? 'N/A' : '',
  userid: 1000 + i,
  globalseq: 500 + i,
  prevglobalseq: i === 0 ? 0 : 499 + i,
}));

describe('serde against the running registry', () => {
  let tb: TempBroker;
  let registry: Registry;
  before(async () => {
    tb = await startTempBroker();
    registry = await startRegistry({ port: 0, bootstrap: tb.bootstrap });
  });
  after(async () => {
    await registry?.close();
    await tb.dispose();
  });

  test('Confluent framing: same bytes as @kafkajs/confluent-schema-registry, decoded both ways', async () => {
    const source = new ConfluentRestClient({ url: registry.url });
    const encoder = await AvroEncoder.create({ schema: JSON.stringify(PRODUCER), topic: 'clickstream', source });
    const peer = new SchemaRegistry({ host: registry.url });
    const { id } = await peer.register({ type: SchemaType.AVRO, schema: JSON.stringify(PRODUCER) }, { subject: 'clickstream-value' });
    const decoder = new AvroDecoder({ source, readerSchema: JSON.stringify(JOB) });
    for (const e of events) {
      const ours = encoder.encodeCopy(e);
      const theirs = await peer.encode(id, e);
      assert.deepEqual(ours, theirs);
      assert.equal(ours.readInt32BE(1), id);
      assert.deepEqual(await decoder.decode(theirs), e);
      assert.deepEqual({ ...(await peer.decode(ours)) }, e);
    }
    await source.close();
  });

  test('Glue framing: register through the Glue API, decode with the job schema, unknown UUIDs are typed errors', async () => {
    const source = new GlueRegistryClient({
      endpoint: registry.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      compatibility: 'FULL',
    });
    const encoder = await AvroEncoder.create({
      schema: JSON.stringify(PRODUCER),
      topic: 'clickstream',
      framing: 'glue',
      source,
      autoRegister: true,
    });
    const decoder = new AvroDecoder({ source, readerSchema: JSON.stringify(JOB) });
    const frames = events.map((e) => encoder.encodeCopy(e));
    assert.equal(frames[0]?.[0], 3, 'Glue header version byte');
    for (const [i, f] of frames.entries()) assert.deepEqual(await decoder.decode(f), events[i]);
    const schema = await registry.store.glueSchema('default-registry', 'clickstream');
    assert.equal(schema.compatibility, 'FULL');

    const forged = Buffer.from(frames[0] as Buffer);
    forged.fill(0xab, 2, 18);
    await assert.rejects(decoder.decode(forged), (e) => e instanceof SerdeError && e.code === 'SERDE_UNKNOWN_SCHEMA');
    await source.close();
  });
});
