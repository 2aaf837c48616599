// The decoder: namespace-insensitive resolution (clickstream spec 1), plain objects, both framings
// in one stream, caching (one fetch per id, shared by concurrent decodes), and every error code.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import avsc from 'avsc';
import fc from 'fast-check';
import { AvroDecoder } from '../../../src/registry/serde/decoder.ts';
import { AvroEncoder } from '../../../src/registry/serde/encoder.ts';
import { SerdeError, SerdeErrorCode } from '../../../src/registry/serde/errors.ts';
import { frameConfluent, frameGlue } from '../../../src/registry/serde/framing.ts';
import { InMemorySchemaSource } from '../../../src/registry/serde/in-memory-source.ts';
import { type ClickEvent, clickEvent, PRODUCER_SCHEMA, READER_SCHEMA, READER_WITH_SESSION_SCHEMA } from './clickstream-schemas.ts';

const producerType = avsc.Type.forSchema(JSON.parse(PRODUCER_SCHEMA));
const UUID = '2a7d0c4e-5b6f-4e1d-8c9b-a0b1c2d3e4f5';

function isSerdeError(code: string, includes?: string) {
  return (err: unknown) => {
    if (!(err instanceof SerdeError)) return false;
    assert.equal(err.code, code, err.message);
    if (includes !== undefined) assert.ok(err.message.includes(includes), `'${err.message}' should mention '${includes}'`);
    return true;
  };
}

function setup(readerSchema?: string) {
  const source = new InMemorySchemaSource();
  const id = source.addSchema(PRODUCER_SCHEMA, 7);
  const versionId = source.addVersion(PRODUCER_SCHEMA, UUID);
  const decoder = new AvroDecoder<ClickEvent>({ source, readerSchema });
  const confluent = (v: unknown) => frameConfluent(id, producerType.toBuffer(v));
  const glue = (v: unknown, zlib = false) => frameGlue(versionId, producerType.toBuffer(v), zlib ? 'zlib' : 'none');
  return { source, decoder, confluent, glue };
}

describe('namespace-insensitive resolution', () => {
  test('written as samples.clickstream.avro.ClickEvent, read as tutorial.buildon.aws.streaming.avro.ClickEvent', async () => {
    const { decoder, confluent, glue } = setup(READER_SCHEMA);
    for (let i = 0; i < 30; i++) {
      assert.deepStrictEqual(await decoder.decode(confluent(clickEvent(i))), clickEvent(i));
      assert.deepStrictEqual(await decoder.decode(glue(clickEvent(i))), clickEvent(i));
      assert.deepStrictEqual(await decoder.decode(glue(clickEvent(i), true)), clickEvent(i));
    }
  });

  test('avsc alone refuses the namespace change: the serde is what makes it work', () => {
    const reader = avsc.Type.forSchema(JSON.parse(READER_SCHEMA));
    assert.throws(() => reader.createResolver(producerType), /no alias found/);
  });

  test('a reader that adds a field with a default gets the default', async () => {
    const { decoder, confluent } = setup(READER_WITH_SESSION_SCHEMA);
    const v = await decoder.decode(confluent(clickEvent(3)));
    assert.deepStrictEqual(v, { ...clickEvent(3), sessionid: 'none' });
  });

  test('the other way round: the original reader namespace as writer, the producer namespace as reader', async () => {
    const source = new InMemorySchemaSource();
    const id = source.addSchema(READER_SCHEMA);
    const decoder = new AvroDecoder<ClickEvent>({ source, readerSchema: PRODUCER_SCHEMA });
    const bytes = frameConfluent(id, avsc.Type.forSchema(JSON.parse(READER_SCHEMA)).toBuffer(clickEvent(1)));
    assert.deepStrictEqual(await decoder.decode(bytes), clickEvent(1));
  });

  test('nested named types (record, enum, fixed) in other namespaces resolve too', async () => {
    const schema = (ns: string) =>
      JSON.stringify({
        type: 'record',
        name: 'Outer',
        namespace: ns,
        fields: [
          {
            name: 'device',
            type: {
              type: 'record',
              name: 'Device',
              fields: [{ name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['MOBILE', 'TABLET'] } }],
            },
          },
          { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 2 } },
          { name: 'maybe', type: ['null', 'Device'], default: null },
        ],
      });
    const source = new InMemorySchemaSource();
    const id = source.addSchema(schema('a.b'));
    const decoder = new AvroDecoder({ source, readerSchema: schema('c.d.e') });
    const value = { device: { kind: 'TABLET' }, hash: Buffer.from([1, 2]), maybe: { kind: 'MOBILE' } };
    const decoded = (await decoder.decode(
      frameConfluent(id, avsc.Type.forSchema(JSON.parse(schema('a.b'))).toBuffer(value)),
    )) as typeof value;
    assert.deepStrictEqual({ ...decoded, hash: Buffer.from(decoded.hash) }, value);
  });

  test('records decode to plain objects, with or without a reader schema', async () => {
    for (const reader of [undefined, READER_SCHEMA]) {
      const { decoder, confluent } = setup(reader);
      const v = await decoder.decode(confluent(clickEvent(1)));
      assert.equal(Object.getPrototypeOf(v), Object.prototype);
      assert.deepStrictEqual(Object.keys(v), Object.keys(clickEvent(1)), 'fields in schema order');
      assert.equal(JSON.stringify(v), JSON.stringify(clickEvent(1)));
    }
  });

  test('a reader given as an avsc Type yields that Type’s records', async () => {
    const readerType = avsc.Type.forSchema(JSON.parse(READER_SCHEMA));
    const source = new InMemorySchemaSource();
    const id = source.addSchema(PRODUCER_SCHEMA);
    const decoder = new AvroDecoder({ source, readerSchema: readerType });
    const v = await decoder.decode(frameConfluent(id, producerType.toBuffer(clickEvent(2))));
    assert.ok(readerType.isValid(v));
    assert.equal(typeof (v as { toBuffer?: unknown }).toBuffer, 'function');
  });

  test('one decoder reads Confluent and Glue records interleaved', async () => {
    const { decoder, confluent, glue } = setup(READER_SCHEMA);
    const mixed = [confluent(clickEvent(0)), glue(clickEvent(1)), glue(clickEvent(2), true), confluent(clickEvent(3))];
    assert.deepStrictEqual(await Promise.all(mixed.map((b) => decoder.decode(b))), [0, 1, 2, 3].map(clickEvent));
  });

  test('round trip with the encoder, both framings', async () => {
    const source = new InMemorySchemaSource();
    const decoder = new AvroDecoder<ClickEvent>({ source, readerSchema: READER_SCHEMA });
    for (const opts of [{ framing: 'confluent' }, { framing: 'glue' }, { framing: 'glue', compression: 'zlib' }] as const) {
      const enc = await AvroEncoder.create<ClickEvent>({
        schema: PRODUCER_SCHEMA,
        topic: 'clickstream',
        source,
        autoRegister: true,
        ...opts,
      });
      for (let i = 0; i < 20; i++)
        assert.deepStrictEqual(decoder.decodeSync(await prefetched(decoder, enc.encodeCopy(clickEvent(i)))), clickEvent(i));
    }
  });
});

async function prefetched(decoder: AvroDecoder<unknown>, buf: Buffer): Promise<Buffer> {
  await decoder.prefetch(buf);
  return buf;
}

describe('caching', () => {
  test('one registry call for many records', async () => {
    const { source, decoder, confluent, glue } = setup(READER_SCHEMA);
    for (let i = 0; i < 1000; i++) {
      await decoder.decode(confluent(clickEvent(i)));
      await decoder.decode(glue(clickEvent(i)));
    }
    assert.equal(source.calls.getSchemaById, 1);
    assert.equal(source.calls.getSchemaByVersionId, 1);
  });

  test('concurrent decodes of an uncached id share one fetch', async () => {
    const { source, decoder, confluent, glue } = setup(READER_SCHEMA);
    const values = await Promise.all(
      Array.from({ length: 100 }, (_, i) => decoder.decode(i % 2 ? glue(clickEvent(i)) : confluent(clickEvent(i)))),
    );
    assert.deepStrictEqual(
      values,
      Array.from({ length: 100 }, (_, i) => clickEvent(i)),
    );
    assert.equal(source.calls.getSchemaById, 1);
    assert.equal(source.calls.getSchemaByVersionId, 1);
  });

  test('decodeSync: SERDE_SCHEMA_NOT_CACHED with the id until fetched, then synchronous', async () => {
    const { decoder, confluent, glue } = setup();
    assert.throws(() => decoder.decodeSync(confluent(clickEvent(1))), isSerdeError(SerdeErrorCode.SCHEMA_NOT_CACHED, 'schema id 7'));
    assert.throws(() => decoder.decodeSync(glue(clickEvent(1))), isSerdeError(SerdeErrorCode.SCHEMA_NOT_CACHED, UUID));
    assert.equal(decoder.isCached(confluent(clickEvent(1))), false);
    await decoder.decode(confluent(clickEvent(1)));
    await decoder.prefetch({ schemaVersionId: UUID.toUpperCase() });
    assert.equal(decoder.isCached(confluent(clickEvent(1))), true);
    assert.deepStrictEqual(decoder.decodeSync(confluent(clickEvent(2))), clickEvent(2));
    assert.deepStrictEqual(decoder.decodeSync(glue(clickEvent(3))), clickEvent(3));
    assert.deepStrictEqual(decoder.decodeSync(glue(clickEvent(4), true)), clickEvent(4));
  });

  test('several Glue versions alternate correctly (the last-version fast path is only a shortcut)', async () => {
    const source = new InMemorySchemaSource();
    const other = JSON.stringify({ type: 'record', name: 'Other', fields: [{ name: 'n', type: 'int' }] });
    const v1 = source.addVersion(PRODUCER_SCHEMA);
    const v2 = source.addVersion(other);
    const decoder = new AvroDecoder({ source });
    const otherType = avsc.Type.forSchema(JSON.parse(other));
    await decoder.prefetch({ schemaVersionId: v1 });
    await decoder.prefetch({ schemaVersionId: v2 });
    for (let i = 0; i < 10; i++) {
      assert.deepStrictEqual(decoder.decodeSync(frameGlue(v1, producerType.toBuffer(clickEvent(i)))), clickEvent(i));
      assert.deepStrictEqual(decoder.decodeSync(frameGlue(v2, otherType.toBuffer({ n: i }))), { n: i });
    }
  });

  test('a registry outage is not remembered: the next decode asks again', async () => {
    const { source, decoder, confluent } = setup();
    const original = source.getSchemaById.bind(source);
    let down = true;
    source.getSchemaById = async (id) => {
      if (down) throw new SerdeError(SerdeErrorCode.REGISTRY_UNAVAILABLE, 'registry down', { schemaId: id });
      return original(id);
    };
    await assert.rejects(decoder.decode(confluent(clickEvent(1))), isSerdeError(SerdeErrorCode.REGISTRY_UNAVAILABLE));
    down = false;
    assert.deepStrictEqual(await decoder.decode(confluent(clickEvent(1))), clickEvent(1));
  });

  test('a non-Serde failure of a custom source becomes SERDE_REGISTRY_ERROR with the id', async () => {
    const { source, decoder, confluent } = setup();
    source.getSchemaById = async () => {
      throw new Error('boom');
    };
    await assert.rejects(decoder.decode(confluent(clickEvent(1))), isSerdeError(SerdeErrorCode.REGISTRY_ERROR, 'schema id 7'));
  });
});

describe('errors', () => {
  test('unknown magic byte', async () => {
    const { decoder, confluent } = setup();
    const buf = confluent(clickEvent(1));
    buf[0] = 1;
    assert.throws(() => decoder.decodeSync(buf), isSerdeError(SerdeErrorCode.UNKNOWN_MAGIC_BYTE, 'magic byte 1'));
    await assert.rejects(decoder.decode(Buffer.from('{"ip":"1.2.3.4"}')), isSerdeError(SerdeErrorCode.UNKNOWN_MAGIC_BYTE, '123'));
  });

  test('a bad Glue compression byte is SERDE_MALFORMED_HEADER even when the version is cached', async () => {
    const { decoder, glue } = setup();
    await decoder.decode(glue(clickEvent(1)));
    const buf = glue(clickEvent(1));
    buf[1] = 1;
    assert.throws(() => decoder.decodeSync(buf), isSerdeError(SerdeErrorCode.MALFORMED_HEADER, 'compression byte 1'));
    await assert.rejects(decoder.decode(buf), isSerdeError(SerdeErrorCode.MALFORMED_HEADER));
  });

  test('unknown schema id / UUID, remembered for the TTL then asked again', async () => {
    let now = 1000;
    const source = new InMemorySchemaSource();
    const decoder = new AvroDecoder({ source, unknownSchemaTtlMs: 5000, now: () => now });
    const unknownId = frameConfluent(404, producerType.toBuffer(clickEvent(1)));
    const unknownVersion = frameGlue('99999999-9999-4999-8999-999999999999', producerType.toBuffer(clickEvent(1)));
    await assert.rejects(decoder.decode(unknownId), isSerdeError(SerdeErrorCode.UNKNOWN_SCHEMA, 'schema id 404'));
    await assert.rejects(
      decoder.decode(unknownVersion),
      isSerdeError(SerdeErrorCode.UNKNOWN_SCHEMA, '99999999-9999-4999-8999-999999999999'),
    );
    assert.throws(
      () => decoder.decodeSync(unknownId),
      isSerdeError(SerdeErrorCode.UNKNOWN_SCHEMA),
      'decodeSync reports the remembered answer',
    );
    await assert.rejects(decoder.decode(unknownId), isSerdeError(SerdeErrorCode.UNKNOWN_SCHEMA));
    assert.equal(source.calls.getSchemaById, 1);
    now += 5000;
    source.addSchema(PRODUCER_SCHEMA, 404);
    assert.deepStrictEqual(await decoder.decode(unknownId), clickEvent(1));
    assert.equal(source.calls.getSchemaById, 2);
  });

  test('truncated datum: every prefix of a record is a typed error, never a crash', async () => {
    const { decoder, confluent, glue } = setup(READER_SCHEMA);
    for (const full of [confluent(clickEvent(5)), glue(clickEvent(5)), glue(clickEvent(5), true)]) {
      await decoder.prefetch(full);
      for (let n = 0; n < full.length; n++) {
        assert.throws(
          () => decoder.decodeSync(full.subarray(0, n)),
          (err: unknown) =>
            err instanceof SerdeError && (err.code === SerdeErrorCode.MALFORMED_HEADER || err.code === SerdeErrorCode.MALFORMED_DATUM),
          `prefix of ${n} bytes`,
        );
      }
    }
    assert.throws(
      () => decoder.decodeSync(confluent(clickEvent(5)).subarray(0, 20)),
      isSerdeError(SerdeErrorCode.MALFORMED_DATUM, 'schema id 7'),
    );
  });

  test('trailing bytes after the datum are malformed', () => {
    const { decoder, confluent, glue } = setup();
    return (async () => {
      await decoder.decode(confluent(clickEvent(1)));
      await decoder.decode(glue(clickEvent(1)));
      const extra = Buffer.concat([confluent(clickEvent(1)), Buffer.from([0])]);
      assert.throws(() => decoder.decodeSync(extra), isSerdeError(SerdeErrorCode.MALFORMED_DATUM, '1 trailing bytes'));
      const zipped = frameGlue(UUID, Buffer.concat([producerType.toBuffer(clickEvent(1)), Buffer.from([1, 2])]), 'zlib');
      assert.throws(() => decoder.decodeSync(zipped), isSerdeError(SerdeErrorCode.MALFORMED_DATUM, '2 trailing bytes'));
    })();
  });

  test('a datum avsc cannot parse (bad union index), and a bad zlib stream, are malformed', async () => {
    const { decoder, glue } = setup();
    await decoder.prefetch({ schemaId: 7 });
    await decoder.prefetch({ schemaVersionId: UUID });
    // ip "a", eventtimestamp 1, devicetype "b", then union index 9 (zigzag 18) for event_type.
    const body = Buffer.from([0x02, 0x61, 0x02, 0x02, 0x62, 18]);
    assert.throws(() => decoder.decodeSync(frameConfluent(7, body)), isSerdeError(SerdeErrorCode.MALFORMED_DATUM, 'union'));
    const notZlib = glue(clickEvent(1));
    notZlib[1] = 5;
    assert.throws(() => decoder.decodeSync(notZlib), isSerdeError(SerdeErrorCode.MALFORMED_DATUM, 'zlib'));
  });

  test('a zlib body inflating past the limit is malformed, not a memory spike', async () => {
    const source = new InMemorySchemaSource();
    const versionId = source.addVersion('"bytes"');
    const decoder = new AvroDecoder({ source, maxInflatedBytes: 1000 });
    const bomb = Buffer.concat([frameGlue(versionId, Buffer.alloc(0)).subarray(0, 18), deflateSync(Buffer.alloc(1_000_000))]);
    bomb[1] = 5;
    await assert.rejects(decoder.decode(bomb), isSerdeError(SerdeErrorCode.MALFORMED_DATUM, 'limit 1000'));
  });

  test('unresolvable writer schema, remembered for good', async () => {
    const source = new InMemorySchemaSource();
    const id = source.addSchema(PRODUCER_SCHEMA);
    const reader = JSON.stringify({ type: 'record', name: 'ClickEvent', fields: [{ name: 'required_new_field', type: 'string' }] });
    const decoder = new AvroDecoder({ source, readerSchema: reader });
    const buf = frameConfluent(id, producerType.toBuffer(clickEvent(1)));
    await assert.rejects(decoder.decode(buf), isSerdeError(SerdeErrorCode.UNRESOLVABLE_SCHEMA, `schema id ${id}`));
    await assert.rejects(decoder.decode(buf), isSerdeError(SerdeErrorCode.UNRESOLVABLE_SCHEMA));
    assert.throws(() => decoder.decodeSync(buf), isSerdeError(SerdeErrorCode.UNRESOLVABLE_SCHEMA));
    assert.equal(source.calls.getSchemaById, 1);

    const typeClash = JSON.stringify({ type: 'record', name: 'ClickEvent', fields: [{ name: 'ip', type: 'int' }] });
    const d2 = new AvroDecoder({ source, readerSchema: typeClash });
    await assert.rejects(d2.decode(buf), isSerdeError(SerdeErrorCode.UNRESOLVABLE_SCHEMA));
  });

  test('a registry schema that is not Avro is SERDE_INVALID_SCHEMA with the id', async () => {
    const source = new InMemorySchemaSource();
    source.addSchema('syntax = "proto3"; message X {}', 31);
    const decoder = new AvroDecoder({ source });
    await assert.rejects(decoder.decode(frameConfluent(31, Buffer.from([0]))), isSerdeError(SerdeErrorCode.INVALID_SCHEMA, 'schema id 31'));
  });

  test('arbitrary bytes give a value or a SerdeError, nothing else', async () => {
    const { decoder } = setup(READER_SCHEMA);
    await decoder.prefetch({ schemaId: 7 });
    await decoder.prefetch({ schemaVersionId: UUID });
    const header = fc.constantFrom(Buffer.from([0, 0, 0, 0, 7]), frameGlue(UUID, Buffer.alloc(0)), Buffer.alloc(0));
    await fc.assert(
      fc.asyncProperty(header, fc.uint8Array({ maxLength: 80 }), async (h, rest) => {
        const buf = Buffer.concat([h, rest]);
        try {
          await decoder.decode(buf);
        } catch (err) {
          assert.ok(err instanceof SerdeError, String(err));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
