// Peer check against @kafkajs/confluent-schema-registry on the same fake registry: for the same
// schema id and values Brook's encoder writes the same bytes, and each side decodes the other's.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { ConfluentRestClient } from '../../../src/registry/serde/confluent-rest-client.ts';
import { AvroDecoder } from '../../../src/registry/serde/decoder.ts';
import { AvroEncoder } from '../../../src/registry/serde/encoder.ts';
import { type ClickEvent, clickEvent, PRODUCER_SCHEMA, READER_SCHEMA } from './clickstream-schemas.ts';
import { type FakeConfluentRegistry, startFakeConfluentRegistry } from './fake-confluent-registry.ts';

let fake: FakeConfluentRegistry;
let peer: SchemaRegistry;
let client: ConfluentRestClient;

before(async () => {
  fake = await startFakeConfluentRegistry();
  peer = new SchemaRegistry({ host: fake.url });
  client = new ConfluentRestClient({ url: fake.url });
});
after(async () => {
  client.close();
  await fake.close();
});

// Values with every branch of the ClickEvent unions, longs up to avsc's safe 2^52, and non-ASCII text.
const values: ClickEvent[] = [
  ...Array.from({ length: 40 }, (_, i) => clickEvent(i)),
  { ...clickEvent(99), event_type: null, product_type: null },
  { ...clickEvent(100), devicetype: 'tablette à écran — ✓', product_type: '' },
  { ...clickEvent(101), globalseq: 2 ** 52, prevglobalseq: -(2 ** 40), userid: -(2 ** 31) },
];

test('same schema id from either client, byte-identical records', async () => {
  const { id } = await peer.register({ type: SchemaType.AVRO, schema: PRODUCER_SCHEMA }, { subject: 'clickstream-value' });
  const encoder = await AvroEncoder.create<ClickEvent>({ schema: PRODUCER_SCHEMA, topic: 'clickstream', source: client });
  assert.equal(encoder.schemaId, id);
  for (const v of values) {
    assert.deepEqual(encoder.encodeCopy(v), await peer.encode(id, v));
  }
});

test('the peer decodes Brook’s bytes', async () => {
  const encoder = await AvroEncoder.create<ClickEvent>({ schema: PRODUCER_SCHEMA, topic: 'clickstream', source: client });
  for (const v of values) {
    assert.deepEqual({ ...(await peer.decode(encoder.encodeCopy(v))) }, v);
  }
});

test('Brook decodes the peer’s bytes, also with the other namespace as reader', async () => {
  const { id } = await peer.register({ type: SchemaType.AVRO, schema: PRODUCER_SCHEMA }, { subject: 'clickstream-value' });
  const plain = new AvroDecoder<ClickEvent>({ source: client });
  const resolving = new AvroDecoder<ClickEvent>({ source: client, readerSchema: READER_SCHEMA });
  for (const v of values) {
    const bytes = await peer.encode(id, v);
    assert.deepStrictEqual(await plain.decode(bytes), v);
    assert.deepStrictEqual(await resolving.decode(bytes), v);
  }
});
