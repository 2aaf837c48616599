// canRead beyond the evolution table: recursion guards, collecting every problem, Avro's memo
// semantics, aliases with and without namespaces, and the cases where Brook and Avro differ.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAvroSchema } from '../../../src/registry/avro/parse.ts';
import { canRead } from '../../../src/registry/compatibility/can-read.ts';
import { formatConfluentIncompatibility } from '../../../src/registry/compatibility/incompatibility.ts';

const read = (reader: string, writer: string, ignoreNamespaces = false) =>
  canRead(parseAvroSchema(reader), parseAvroSchema(writer), { ignoreNamespaces });
const where = (reader: string, writer: string, ignoreNamespaces = false) =>
  read(reader, writer, ignoreNamespaces).incompatibilities.map((i) => `${i.type} ${i.location} ${i.message}`);

function avscReads(reader: string, writer: string, ignoreNamespaces = false): boolean {
  try {
    parseAvroSchema(reader).avscType.createResolver(parseAvroSchema(writer).avscType, { ignoreNamespaces });
    return true;
  } catch {
    return false;
  }
}

test('recursive and mutually recursive schemas terminate', () => {
  const list = '{"type":"record","name":"Node","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","Node"]}]}';
  assert.deepEqual(where(list, list), []);
  const mutual = (t: string) =>
    `{"type":"record","name":"A","fields":[{"name":"v","type":"${t}"},{"name":"b","type":["null",{"type":"record","name":"B","fields":[{"name":"a","type":["null","A"]},{"name":"w","type":"${t}"}]}]}]}`;
  assert.deepEqual(where(mutual('long'), mutual('int')), []);
  // B.w fails inside the union, which Avro reports as the missing branch only.
  assert.deepEqual(where(mutual('int'), mutual('long')), [
    'TYPE_MISMATCH /fields/0/type reader type: INT not compatible with writer type: LONG',
    'MISSING_UNION_BRANCH /fields/1/type/1 reader union lacking writer type: RECORD',
  ]);
  assert.equal(avscReads(mutual('int'), mutual('long')), false);
});

test('every incompatibility is collected, in field order', () => {
  const writer =
    '{"type":"record","name":"R","fields":[{"name":"a","type":"string"},{"name":"k","type":{"type":"enum","name":"K","symbols":["X","Y"]}},{"name":"h","type":{"type":"fixed","name":"H","size":4}}]}';
  const reader =
    '{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"k","type":{"type":"enum","name":"K","symbols":["X"]}},{"name":"h","type":{"type":"fixed","name":"G","size":8}},{"name":"z","type":"int"}]}';
  assert.deepEqual(where(reader, writer), [
    'TYPE_MISMATCH /fields/0/type reader type: INT not compatible with writer type: STRING',
    'MISSING_ENUM_SYMBOLS /fields/1/type/symbols [Y]',
    'NAME_MISMATCH /fields/2/type/name expected: H',
    'FIXED_SIZE_MISMATCH /fields/2/type/size expected: 4, found: 8',
    'READER_FIELD_MISSING_DEFAULT_VALUE /fields/3 z',
  ]);
});

test('a named type met twice is checked once: its problems repeat at the first location, as in Avro', () => {
  const schema = (b: string) =>
    `{"type":"record","name":"R","fields":[{"name":"x","type":{"type":"record","name":"In","fields":[{"name":"b","type":"${b}"}]}},{"name":"y","type":"In"}]}`;
  assert.deepEqual(where(schema('int'), schema('long')), [
    'TYPE_MISMATCH /fields/0/type/fields/0/type reader type: INT not compatible with writer type: LONG',
    'TYPE_MISMATCH /fields/0/type/fields/0/type reader type: INT not compatible with writer type: LONG',
  ]);
});

test('reader aliases match writer names; writer aliases do not count', () => {
  const oldName = '{"type":"record","name":"Old","namespace":"n","fields":[]}';
  const newName = '{"type":"record","name":"New","namespace":"n","aliases":["Old"],"fields":[]}';
  assert.deepEqual(where(newName, oldName), []);
  assert.deepEqual(where(oldName, newName), ['NAME_MISMATCH /name expected: n.New']);
  assert.equal(avscReads(oldName, newName), false);
});

test('ignoreNamespaces compares names and aliases without their namespaces', () => {
  const writer = '{"type":"record","name":"Y","namespace":"other","fields":[]}';
  const reader = '{"type":"record","name":"X","namespace":"a","aliases":["old.Y"],"fields":[]}';
  assert.deepEqual(where(reader, writer), ['NAME_MISMATCH /name expected: other.Y']);
  assert.deepEqual(where(reader, writer, true), []);
  assert.equal(avscReads(reader, writer), false);
  assert.equal(avscReads(reader, writer, true), true);
});

test('a field alias that repeats the field name matches one writer field, not two', () => {
  const writer = '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}';
  const reader = '{"type":"record","name":"R","fields":[{"name":"a","type":"long","aliases":["a"]}]}';
  assert.deepEqual(where(reader, writer), []);
  assert.equal(avscReads(reader, writer), true);
});

test('a reader field matching two writer fields is refused (Avro throws; Confluent reports the exception)', () => {
  const writer = '{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}';
  const reader = '{"type":"record","name":"R","fields":[{"name":"c","type":"int","aliases":["a","b"]}]}';
  const found = read(reader, writer).incompatibilities;
  assert.deepEqual(
    found.map((i) => [i.type, i.location]),
    [['AMBIGUOUS_FIELD_ALIAS', '/fields/0']],
  );
  assert.equal(
    formatConfluentIncompatibility(found[0]!, 'new', 'old'),
    'Unexpected exception during compatibility check: Reader record field c matches multiple fields in writer record schema R: a, b',
  );
  assert.equal(avscReads(reader, writer), false);
});

test('an error reads a record of the same name and back', () => {
  const error = '{"type":"error","name":"E","fields":[{"name":"m","type":"string"}]}';
  const record = '{"type":"record","name":"E","fields":[{"name":"m","type":"string"}]}';
  assert.deepEqual(where(error, record), []);
  assert.deepEqual(where(record, error), []);
  assert.equal(avscReads(error, record), true);
});

test('a missing field of an enum type with an enum default still needs a field default', () => {
  // Avro's checker reports TYPE_MISMATCH (ENUM against the writer RECORD) here; Brook names the
  // real cause. Both refuse, and so does avsc.
  const writer = '{"type":"record","name":"R","fields":[]}';
  const reader = '{"type":"record","name":"R","fields":[{"name":"k","type":{"type":"enum","name":"K","symbols":["A"],"default":"A"}}]}';
  assert.deepEqual(where(reader, writer), ['READER_FIELD_MISSING_DEFAULT_VALUE /fields/0 k']);
  assert.equal(avscReads(reader, writer), false);
});

test('the reader union takes the first branch that reads the writer; a writer union needs every branch read', () => {
  assert.deepEqual(where('["null","string","bytes"]', '"bytes"'), []);
  assert.deepEqual(where('["null","long"]', '"boolean"'), ['MISSING_UNION_BRANCH / reader union lacking writer type: BOOLEAN']);
  assert.deepEqual(where('"double"', '["int","long","float","double"]'), []);
  assert.deepEqual(where('"float"', '["int","long","float","double"]'), [
    'TYPE_MISMATCH /3 reader type: FLOAT not compatible with writer type: DOUBLE',
  ]);
});

test('canRead takes parsed schemas or their roots', () => {
  const a = parseAvroSchema('"int"');
  const b = parseAvroSchema('"long"');
  assert.equal(canRead(b, a).compatible, true);
  assert.equal(canRead(b.root, a.root).compatible, true);
  assert.equal(canRead(a.root, b).compatible, false);
});
