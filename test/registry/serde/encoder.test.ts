// The encoder: framed bytes equal header + avsc's own encoding, the scratch buffer is reused and
// grows, encodeInto reports missing room as avsc does, ids are resolved once, bad values are typed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inflateSync } from 'node:zlib';
import avsc from 'avsc';
import { AvroEncoder } from '../../../src/registry/serde/encoder.ts';
import { SerdeError, SerdeErrorCode } from '../../../src/registry/serde/errors.ts';
import { frameConfluent, frameGlue, uuidToBytes } from '../../../src/registry/serde/framing.ts';
import { InMemorySchemaSource } from '../../../src/registry/serde/in-memory-source.ts';
import { SubjectNameStrategy, subjectName } from '../../../src/registry/serde/subject-name.ts';
import { type ClickEvent, clickEvent, PRODUCER_SCHEMA } from './clickstream-schemas.ts';

const type = avsc.Type.forSchema(JSON.parse(PRODUCER_SCHEMA));
const UUID = '6f1c3b7a-1e2d-4c5b-9a8f-0e1d2c3b4a59';

function isSerdeError(code: string, includes?: string) {
  return (err: unknown) => err instanceof SerdeError && err.code === code && (includes === undefined || err.message.includes(includes));
}

describe('encode', () => {
  test('Confluent: header with the known id, then exactly avsc toBuffer of the value', () => {
    const enc = new AvroEncoder<ClickEvent>({ schema: PRODUCER_SCHEMA, topic: 'clickstream', schemaId: 42 });
    for (let i = 0; i < 50; i++) {
      assert.deepEqual(enc.encodeCopy(clickEvent(i)), frameConfluent(42, type.toBuffer(clickEvent(i))));
    }
  });

  test('Glue uncompressed: 3, 0, UUID, then the Avro body', () => {
    const enc = new AvroEncoder<ClickEvent>({ schema: PRODUCER_SCHEMA, topic: 'clickstream', framing: 'glue', schemaVersionId: UUID });
    const out = enc.encodeCopy(clickEvent(7));
    assert.deepEqual(out, frameGlue(UUID, type.toBuffer(clickEvent(7))));
    assert.deepEqual(out.subarray(2, 18), uuidToBytes(UUID));
  });

  test('Glue zlib: 3, 5, UUID, then a zlib stream of the Avro body', () => {
    const enc = new AvroEncoder<ClickEvent>({
      schema: PRODUCER_SCHEMA,
      topic: 'clickstream',
      framing: 'glue',
      compression: 'zlib',
      schemaVersionId: UUID,
    });
    const out = enc.encode(clickEvent(3));
    assert.deepEqual([out[0], out[1]], [3, 5]);
    assert.deepEqual(inflateSync(out.subarray(18)), type.toBuffer(clickEvent(3)));
    const target = Buffer.alloc(200);
    const end = enc.encodeInto(clickEvent(3), target, 10);
    assert.deepEqual(target.subarray(10, end), out);
    assert.ok(enc.encodeInto(clickEvent(3), Buffer.alloc(20), 0) < 0);
  });

  test('accepts an avsc Type or a schema object as the writer schema', () => {
    const fromType = new AvroEncoder({ schema: type, topic: 't', schemaId: 1 });
    const fromObject = new AvroEncoder({ schema: JSON.parse(PRODUCER_SCHEMA), topic: 't', schemaId: 1 });
    assert.deepEqual(fromType.encodeCopy(clickEvent(1)), fromObject.encodeCopy(clickEvent(1)));
    assert.equal(fromType.type, type, 'a given Type is used as is');
    assert.deepEqual(JSON.parse(fromType.schemaText), JSON.parse(JSON.stringify(type.schema({ exportAttrs: true }))));
  });
});

describe('scratch buffer', () => {
  test('encode returns a view of one reused buffer, overwritten by the next call', () => {
    const enc = new AvroEncoder<ClickEvent>({ schema: PRODUCER_SCHEMA, topic: 'clickstream', schemaId: 1 });
    const a = enc.encode(clickEvent(1));
    const aBytes = Buffer.from(a);
    const b = enc.encode(clickEvent(2));
    assert.ok(a.buffer === b.buffer, 'same backing memory');
    assert.equal(a.byteOffset, b.byteOffset);
    assert.notDeepEqual(Buffer.from(a), aBytes, 'the first view now shows bytes of the second record');
    assert.deepEqual(b, frameConfluent(1, type.toBuffer(clickEvent(2))));
  });

  test('encodeCopy returns memory of its own', () => {
    const enc = new AvroEncoder<ClickEvent>({ schema: PRODUCER_SCHEMA, topic: 'clickstream', schemaId: 1 });
    const a = enc.encodeCopy(clickEvent(1));
    const b = enc.encode(clickEvent(2));
    assert.ok(a.buffer !== b.buffer, 'separate memory');
    assert.deepEqual(a, frameConfluent(1, type.toBuffer(clickEvent(1))));
  });

  test('grows when a value does not fit, keeping the header, and stays grown', () => {
    for (const framing of ['confluent', 'glue'] as const) {
      const enc = new AvroEncoder<ClickEvent>({
        schema: PRODUCER_SCHEMA,
        topic: 'clickstream',
        framing,
        schemaId: 77,
        schemaVersionId: UUID,
        initialBufferSize: 24,
      });
      const expected = (v: ClickEvent) =>
        framing === 'confluent' ? frameConfluent(77, type.toBuffer(v)) : frameGlue(UUID, type.toBuffer(v));
      const small = enc.encode(clickEvent(1));
      assert.deepEqual(small, expected(clickEvent(1)));
      const big = { ...clickEvent(2), devicetype: 'x'.repeat(5000) };
      const grown = enc.encode(big);
      assert.deepEqual(grown, expected(big));
      assert.ok(grown.buffer.byteLength >= 5000, 'the scratch grew to fit');
      const after = enc.encode(clickEvent(3));
      assert.deepEqual(after, expected(clickEvent(3)));
      assert.ok(after.buffer === grown.buffer, 'the grown buffer is reused');
    }
  });

  test('encodeInto writes at an offset and returns the end offset', () => {
    const enc = new AvroEncoder<ClickEvent>({ schema: PRODUCER_SCHEMA, topic: 'clickstream', schemaId: 5 });
    const target = Buffer.alloc(300, 0xaa);
    const first = enc.encodeInto(clickEvent(1), target, 7);
    const second = enc.encodeInto(clickEvent(2), target, first);
    assert.deepEqual(target.subarray(7, first), frameConfluent(5, type.toBuffer(clickEvent(1))));
    assert.deepEqual(target.subarray(first, second), frameConfluent(5, type.toBuffer(clickEvent(2))));
    assert.equal(target[6], 0xaa, 'bytes before the offset untouched');
    assert.equal(target[second], 0xaa, 'bytes after the end untouched');
  });

  test('encodeInto returns minus the missing bytes when the target is too small', () => {
    for (const framing of ['confluent', 'glue'] as const) {
      const enc = new AvroEncoder<ClickEvent>({ schema: PRODUCER_SCHEMA, topic: 'c', framing, schemaId: 5, schemaVersionId: UUID });
      const size = enc.encodeCopy(clickEvent(1)).length;
      for (const [room, offset] of [
        [size - 1, 0],
        [size, 1],
        [3, 0],
        [10, 10],
      ] as const) {
        assert.equal(
          enc.encodeInto(clickEvent(1), Buffer.alloc(room), offset),
          room - (offset + size),
          `${framing} room ${room} offset ${offset}`,
        );
      }
      assert.equal(enc.encodeInto(clickEvent(1), Buffer.alloc(size + 3), 3), size + 3);
    }
  });
});

describe('schema id resolution', () => {
  test('looks the id up once, however many values and ready() calls', async () => {
    const source = new InMemorySchemaSource();
    const enc = new AvroEncoder<ClickEvent>({ schema: PRODUCER_SCHEMA, topic: 'clickstream', source });
    assert.throws(() => enc.encode(clickEvent(1)), isSerdeError(SerdeErrorCode.ENCODER_NOT_READY, 'clickstream-value'));
    await Promise.all([enc.ready(), enc.ready(), enc.ready()]);
    await enc.ready();
    for (let i = 0; i < 1000; i++) enc.encode(clickEvent(i));
    assert.equal(source.calls.getOrRegisterId, 1);
    assert.equal(enc.schemaId, 1);
    assert.deepEqual(enc.encodeCopy(clickEvent(1)).subarray(0, 5), Buffer.from([0, 0, 0, 0, 1]));
  });

  test('create() returns a ready encoder; Glue gets a version UUID', async () => {
    const source = new InMemorySchemaSource();
    const enc = await AvroEncoder.create<ClickEvent>({
      schema: PRODUCER_SCHEMA,
      topic: 'clickstream',
      framing: 'glue',
      source,
      autoRegister: true,
    });
    assert.match(enc.schemaVersionId!, /^[0-9a-f-]{36}$/);
    assert.equal(enc.subject, 'default-registry/clickstream');
    assert.deepEqual(enc.encodeCopy(clickEvent(1)), frameGlue(enc.schemaVersionId!, type.toBuffer(clickEvent(1))));
  });

  test('auto-registration off: an unregistered schema is SERDE_SCHEMA_NOT_REGISTERED, and ready() can be retried', async () => {
    const source = new InMemorySchemaSource();
    const enc = new AvroEncoder<ClickEvent>({ schema: PRODUCER_SCHEMA, topic: 'clickstream', source, autoRegister: false });
    await assert.rejects(enc.ready(), isSerdeError(SerdeErrorCode.SCHEMA_NOT_REGISTERED, 'clickstream-value'));
    await source.getOrRegisterId('clickstream-value', PRODUCER_SCHEMA, true);
    await enc.ready();
    assert.equal(enc.schemaId, 1);
    assert.equal(source.calls.getOrRegisterId, 3);
  });

  test('Glue defaults to no auto-registration, like the Glue serde', async () => {
    const enc = new AvroEncoder({ schema: PRODUCER_SCHEMA, topic: 'clickstream', framing: 'glue', source: new InMemorySchemaSource() });
    await assert.rejects(enc.ready(), isSerdeError(SerdeErrorCode.SCHEMA_NOT_REGISTERED));
  });

  test('subject naming strategies', async () => {
    const source = new InMemorySchemaSource();
    const subjects: string[] = [];
    const original = source.getOrRegisterId.bind(source);
    source.getOrRegisterId = (subject, schema, auto) => {
      subjects.push(subject);
      return original(subject, schema, auto);
    };
    await AvroEncoder.create({ schema: PRODUCER_SCHEMA, topic: 'clickstream', source });
    await AvroEncoder.create({ schema: PRODUCER_SCHEMA, topic: 'clickstream', source, isKey: true });
    await AvroEncoder.create({ schema: PRODUCER_SCHEMA, topic: 'clickstream', source, subjectNameStrategy: SubjectNameStrategy.RECORD });
    await AvroEncoder.create({
      schema: PRODUCER_SCHEMA,
      topic: 'clickstream',
      source,
      subjectNameStrategy: SubjectNameStrategy.TOPIC_RECORD,
    });
    await AvroEncoder.create({ schema: PRODUCER_SCHEMA, topic: 'clickstream', source, subject: 'explicit' });
    assert.deepEqual(subjects, [
      'clickstream-value',
      'clickstream-key',
      'samples.clickstream.avro.ClickEvent',
      'clickstream-samples.clickstream.avro.ClickEvent',
      'explicit',
    ]);
    assert.throws(() => subjectName(SubjectNameStrategy.RECORD, 't', false, undefined), isSerdeError(SerdeErrorCode.INVALID_SCHEMA));
    assert.throws(
      () => new AvroEncoder({ schema: '"string"', topic: 't', source, subjectNameStrategy: SubjectNameStrategy.TOPIC_RECORD }),
      isSerdeError(SerdeErrorCode.INVALID_SCHEMA, 'named schema'),
    );
  });

  test('a schema that is not JSON or not Avro is SERDE_INVALID_SCHEMA', () => {
    assert.throws(
      () => new AvroEncoder({ schema: '{"type":', topic: 't', schemaId: 1 }),
      isSerdeError(SerdeErrorCode.INVALID_SCHEMA, 'not JSON'),
    );
    assert.throws(
      () => new AvroEncoder({ schema: '{"type":"recordz"}', topic: 't', schemaId: 1 }),
      isSerdeError(SerdeErrorCode.INVALID_SCHEMA, 'Avro'),
    );
  });

  test('an encoder without a source needs a known id', () => {
    assert.throws(() => new AvroEncoder({ schema: PRODUCER_SCHEMA, topic: 't' }), isSerdeError(SerdeErrorCode.UNSUPPORTED));
  });
});

describe('invalid values', () => {
  test('a value that does not match the writer schema is SERDE_INVALID_VALUE naming the field and the id', () => {
    const enc = new AvroEncoder<ClickEvent>({ schema: PRODUCER_SCHEMA, topic: 'clickstream', schemaId: 9 });
    const bad = { ...clickEvent(1), userid: 'abc' } as unknown as ClickEvent;
    assert.throws(
      () => enc.encode(bad),
      (err: unknown) =>
        err instanceof SerdeError &&
        err.code === SerdeErrorCode.INVALID_VALUE &&
        err.message.includes('userid') &&
        err.message.includes('schema id 9'),
    );
    const missing = { ip: '1.2.3.4' } as unknown as ClickEvent;
    assert.throws(() => enc.encode(missing), isSerdeError(SerdeErrorCode.INVALID_VALUE, 'eventtimestamp'));
    assert.deepEqual(enc.encodeCopy(clickEvent(1)), frameConfluent(9, type.toBuffer(clickEvent(1))), 'still usable after an error');
  });

  test('a defaulted field may be left out', () => {
    const enc = new AvroEncoder({ schema: PRODUCER_SCHEMA, topic: 'clickstream', schemaId: 9 });
    const { prevglobalseq: _, ...rest } = clickEvent(4);
    assert.deepEqual(enc.encodeCopy(rest), frameConfluent(9, type.toBuffer({ ...rest, prevglobalseq: 0 })));
  });
});
