// A real Confluent client against Brook's registry: @kafkajs/confluent-schema-registry registers the
// clickstream schema, reads it back by id, and encodes/decodes events in Confluent's wire format.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import { CLICK_EVENT_SCHEMA } from '../../../src/generator/schema.ts';
import { type Registry, startRegistry } from '../../../src/registry/server.ts';
import { startTempBroker, type TempBroker } from '../../helpers/temp-broker.ts';

// A mutable copy: the tests derive evolutions from it.
const CLICK_EVENT: { type: string; name: string; namespace: string; fields: { name: string; type: unknown; default?: unknown }[] } =
  structuredClone(CLICK_EVENT_SCHEMA) as never;

const EVENT = {
  ip: '66.249.1.7',
  eventtimestamp: 1_700_000_000_123,
  devicetype: 'mobile',
  event_type: 'add_to_cart',
  product_type: 'sneakers',
  userid: 4242,
  globalseq: 1001,
  prevglobalseq: 1000,
};

describe('@kafkajs/confluent-schema-registry against Brook', () => {
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

  test('registers the clickstream schema, reads it by id, encodes and decodes in Confluent framing', async () => {
    const client = new SchemaRegistry({ host: registry.url });
    const { id } = await client.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(CLICK_EVENT) },
      { subject: 'clickstream-value', compatibility: COMPATIBILITY.FULL },
    );
    assert.equal(id, 1);
    // The client set the subject's level on first registration, through PUT /config/{subject}.
    assert.equal(await registry.store.getConfig('clickstream-value'), 'FULL');
    // Registering again is idempotent: same id, and the client accepts the level it finds.
    assert.equal(
      (
        await client.register(
          { type: SchemaType.AVRO, schema: JSON.stringify(CLICK_EVENT) },
          { subject: 'clickstream-value', compatibility: COMPATIBILITY.FULL },
        )
      ).id,
      id,
    );
    assert.equal(await client.getLatestSchemaId('clickstream-value'), id);
    assert.equal(await client.getRegistryId('clickstream-value', 1), id);
    assert.equal(
      await client.getRegistryIdBySchema('clickstream-value', { type: SchemaType.AVRO, schema: JSON.stringify(CLICK_EVENT) }),
      id,
    );

    const encoded = await client.encode(id, EVENT);
    const type = avro.Type.forSchema(CLICK_EVENT as avro.Schema);
    const header = Buffer.alloc(5);
    header.writeUInt32BE(id, 1);
    assert.deepEqual(encoded, Buffer.concat([header, type.toBuffer(EVENT)]), 'magic 0, big-endian id, Avro binary');

    // A fresh client knows nothing: it fetches the writer schema by id from the registry.
    const reader = new SchemaRegistry({ host: registry.url });
    assert.deepEqual({ ...(await reader.decode(encoded)) }, EVENT);
    const fetched = await reader.getSchema(id);
    assert.equal((fetched as unknown as { name: string }).name, 'samples.clickstream.avro.ClickEvent');
  });

  test("an incompatible version is refused with the client's error, a compatible one gets the next id", async () => {
    const client = new SchemaRegistry({ host: registry.url });
    const dropped = {
      ...CLICK_EVENT,
      fields: CLICK_EVENT.fields.filter((f) => f.name !== 'userid').concat([{ name: 'session', type: 'string' }]),
    };
    await assert.rejects(
      client.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(dropped) },
        { subject: 'clickstream-value', compatibility: COMPATIBILITY.FULL },
      ),
      /incompatible/,
    );
    const added = { ...CLICK_EVENT, fields: [...CLICK_EVENT.fields, { name: 'referrer', type: ['null', 'string'], default: null }] };
    const { id } = await client.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(added) },
      { subject: 'clickstream-value', compatibility: COMPATIBILITY.FULL },
    );
    assert.equal(id, 2);
    const encodedV1 = await client.encode(1, EVENT);
    // Decoding with a reader schema: the newer schema reads the old event, its new field at the default.
    const decoded = await client.decode(encodedV1, { [SchemaType.AVRO]: { readerSchema: added as never } });
    assert.deepEqual({ ...decoded }, { ...EVENT, referrer: null });
  });
});
