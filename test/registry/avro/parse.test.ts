// Reading schema text: what is refused (with Confluent's 42201 and the parser's words), what Java
// Avro accepts that avsc alone would not, and what the model keeps for the checker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AvroErrorCode, AvroSchemaError } from '../../../src/registry/avro/errors.ts';
import type { RecordSchema } from '../../../src/registry/avro/model.ts';
import { MAX_SCHEMA_DEPTH, parseAvroSchema } from '../../../src/registry/avro/parse.ts';

function refusal(text: string): AvroSchemaError {
  try {
    parseAvroSchema(text);
  } catch (err) {
    assert.ok(err instanceof AvroSchemaError, `not an AvroSchemaError: ${err}`);
    return err;
  }
  assert.fail(`accepted: ${text.slice(0, 80)}`);
}

test('invalid schemas are refused with code AVRO_INVALID_SCHEMA, Confluent 42201 and the parser message', () => {
  const cases: ReadonlyArray<readonly [text: string, detail: RegExp]> = [
    ['{"type":', /^not JSON: /],
    ['{"type":"nope"}', /nope/],
    ['{"type":"record","name":"R","fields":[{"name":"a","type":"Missing"}]}', /undefined type name: Missing/],
    ['{"type":"record","fields":[]}', /name/],
    ['{"type":"record","name":"a-b","fields":[]}', /invalid name/],
    ['{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"int"}]}', /duplicate field name/],
    ['{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"x"}]}', /default/],
    ['{"type":"record","name":"R","fields":[{"name":"a","type":["null","int"],"default":1}]}', /default/],
    ['{"type":"enum","name":"E","symbols":["A"],"default":"Z"}', /default/],
    ['{"type":"fixed","name":"F","size":-1}', /size/],
    ['{"type":"record","name":"R","fields":[{"name":"a","type":["int","int"]}]}', /union/],
    ['{"type":"map"}', /values/],
    ['{"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"sideways"}]}', /order/],
  ];
  for (const [text, detail] of cases) {
    const err = refusal(text);
    assert.equal(err.code, AvroErrorCode.INVALID_SCHEMA);
    assert.equal(err.confluentCode, 42201);
    assert.match(err.detail, detail, text);
    assert.equal(err.message, `Invalid Avro schema: ${err.detail}`);
  }
});

test('hostile nesting is refused before any recursive walk', () => {
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  assert.match(refusal(deep).detail, /deeper than/);
  const arrays = `${'{"type":"array","items":'.repeat(MAX_SCHEMA_DEPTH + 1)}"int"${'}'.repeat(MAX_SCHEMA_DEPTH + 1)}`;
  assert.match(refusal(arrays).detail, new RegExp(`deeper than ${MAX_SCHEMA_DEPTH}`));
  const fine = `${'{"type":"array","items":'.repeat(200)}"int"${'}'.repeat(200)}`;
  assert.ok(parseAvroSchema(fine).canonical.startsWith('{"type":"array","items":{"type":"array"'));
});

test('a named type may be referred to as {"type":"Name"}, as Java Avro allows', () => {
  const parsed = parseAvroSchema(
    '{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":{"type":"enum","name":"E","symbols":["A"]}},{"name":"b","type":{"type":"E"}},{"name":"c","type":{"type":"n.E"}}]}',
  );
  assert.equal(
    parsed.canonical,
    '{"name":"n.R","type":"record","fields":[{"name":"a","type":{"name":"n.E","type":"enum","symbols":["A"]}},{"name":"b","type":"n.E"},{"name":"c","type":"n.E"}]}',
  );
  const root = parsed.root as RecordSchema;
  assert.equal(root.fields[1]!.type, root.fields[0]!.type, 'one object per named type');
});

test('a short name not defined in the enclosing namespace falls back to the null namespace', () => {
  const parsed = parseAvroSchema(
    '{"type":"record","name":"Outer","namespace":"a","fields":[{"name":"x","type":{"type":"record","name":"Bare","namespace":"","fields":[]}},{"name":"y","type":"Bare"}]}',
  );
  assert.equal(
    parsed.canonical,
    '{"name":"a.Outer","type":"record","fields":[{"name":"x","type":{"name":"Bare","type":"record","fields":[]}},{"name":"y","type":"Bare"}]}',
  );
});

test('the model keeps what the checker and the renderers need', () => {
  const parsed = parseAvroSchema(
    JSON.stringify({
      type: 'error',
      name: 'Oops',
      namespace: 'n',
      aliases: ['Old', 'o.Older'],
      doc: 'd',
      'x-owner': 'team',
      fields: [
        { name: 'a', type: 'int', aliases: ['alpha'], doc: 'fa', order: 'descending', 'x-pii': false },
        { name: 'b', type: ['null', 'string'], default: null },
      ],
    }),
  );
  const root = parsed.root as RecordSchema;
  assert.equal(root.type, 'record');
  assert.equal(root.isError, true);
  assert.equal(root.fullName, 'n.Oops');
  assert.deepEqual(root.aliases, ['n.Old', 'o.Older']);
  assert.deepEqual(root.props, { 'x-owner': 'team' });
  assert.deepEqual(
    root.fields.map((f) => [f.name, f.pos, f.hasDefault, f.default, f.order, f.aliases, f.doc, f.props]),
    [
      ['a', 0, false, undefined, 'descending', ['alpha'], 'fa', { 'x-pii': false }],
      ['b', 1, true, null, 'ascending', [], undefined, {}],
    ],
  );
  // An error is a record to a reader: its canonical form says "record".
  assert.equal(
    parsed.canonical,
    '{"name":"n.Oops","type":"record","fields":[{"name":"a","type":"int"},{"name":"b","type":["null","string"]}]}',
  );
  assert.equal(parsed.text.length > 0, true);
});

test('an object schema parses like its text', () => {
  const json = { type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }] };
  assert.equal(parseAvroSchema(json).canonical, parseAvroSchema(JSON.stringify(json)).canonical);
});

test('hostile attribute names stay attributes, and a cyclic object is refused', () => {
  const parsed = parseAvroSchema('{"type":"record","name":"R","__proto__":{"polluted":true},"fields":[]}');
  const props = (parsed.root as RecordSchema).props;
  assert.deepEqual(Object.keys(props), ['__proto__']);
  assert.equal((props as { polluted?: unknown }).polluted, undefined);
  assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  const cyclic: Record<string, unknown> = { type: 'record', name: 'R', fields: [] };
  cyclic.self = cyclic;
  assert.throws(() => parseAvroSchema(cyclic), { name: 'AvroSchemaError', message: /not JSON/ });
});
