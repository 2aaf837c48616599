// The words of a refusal: Confluent's 409 details and verbose messages, Avro's Incompatibility
// string, the order of directions under FULL, transitive walks, and the Glue modes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAvroSchema } from '../../../src/registry/avro/parse.ts';
import { canRead } from '../../../src/registry/compatibility/can-read.ts';
import { checkCompatibility, checkGlueCompatibility, MAX_OLD_SCHEMA_CHARS } from '../../../src/registry/compatibility/check.ts';
import { formatAvroIncompatibility, formatConfluentIncompatibility } from '../../../src/registry/compatibility/incompatibility.ts';
import {
  COMPATIBILITY_LEVELS,
  confluentToGlue,
  GLUE_COMPATIBILITIES,
  glueToConfluent,
  isCompatibilityLevel,
  isGlueCompatibility,
} from '../../../src/registry/compatibility/levels.ts';

// A Kafka Connect source schema in its generated attribute order, laid out differently here.
const USERS_V1 = `{
  "fields": [
    { "type": "int", "name": "ID" },
    { "name": "userid", "default": null, "type": ["null", "string"] },
    { "name": "regionid", "type": ["null", "string"], "default": null },
    { "name": "gender", "type": ["null", "string"], "default": null },
    { "name": "registertime", "default": null,
      "type": ["null", { "connect.version": 1, "connect.name": "org.apache.kafka.connect.data.Timestamp", "logicalType": "timestamp-millis", "type": "long" }] }
  ],
  "connect.name": "users", "name": "users", "type": "record"
}`;
const USERS_V1_AS_AVRO_PRINTS_IT =
  '{"type":"record","name":"users","fields":[{"name":"ID","type":"int"},{"name":"userid","type":["null","string"],"default":null},' +
  '{"name":"regionid","type":["null","string"],"default":null},{"name":"gender","type":["null","string"],"default":null},' +
  '{"name":"registertime","type":["null",{"type":"long","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"}],"default":null}],' +
  '"connect.name":"users"}';
const USERS_V2 = JSON.stringify({
  ...JSON.parse(USERS_V1),
  fields: [...JSON.parse(USERS_V1).fields, { name: 'SysStartTime', type: 'string' }, { name: 'SysEndTime', type: 'string' }],
});

test('a BACKWARD refusal reads as Confluent 409 details: one line per field, then version, old schema, level', () => {
  const result = checkCompatibility(USERS_V2, [{ schema: USERS_V1, version: 1 }], 'BACKWARD');
  assert.equal(result.compatible, false);
  assert.deepEqual(result.messages, [
    "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'SysStartTime' at path '/fields/5' in the new schema has no default value and is missing in the old schema', additionalInfo:'SysStartTime'}",
    "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'SysEndTime' at path '/fields/6' in the new schema has no default value and is missing in the old schema', additionalInfo:'SysEndTime'}",
    '{oldSchemaVersion: 1}',
    `{oldSchema: '${USERS_V1_AS_AVRO_PRINTS_IT}'}`,
    "{compatibility: 'BACKWARD'}",
  ]);
  assert.deepEqual(
    result.incompatibilities.map((i) => [i.direction, i.oldVersion, i.location]),
    [
      ['backward', 1, '/fields/5'],
      ['backward', 1, '/fields/6'],
    ],
  );
});

test('a FORWARD refusal names the old schema as the reader', () => {
  const v1 =
    '{"type":"record","name":"Bottle","fields":[{"name":"id","type":"string"},{"name":"size","type":"int"},{"name":"imageUrl","type":"string"}]}';
  const v2 = '{"type":"record","name":"Bottle","fields":[{"name":"id","type":"string"},{"name":"size","type":"long"}]}';
  const result = checkCompatibility(v2, [{ schema: v1, version: 3 }], 'FORWARD_TRANSITIVE');
  assert.deepEqual(result.messages, [
    "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/1/type') of a field in the old schema does not match with the new schema', additionalInfo:'reader type: INT not compatible with writer type: LONG'}",
    "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'imageUrl' at path '/fields/2' in the old schema has no default value and is missing in the new schema', additionalInfo:'imageUrl'}",
    '{oldSchemaVersion: 3}',
    `{oldSchema: '${v1}'}`,
    "{compatibility: 'FORWARD_TRANSITIVE'}",
  ]);
});

test('FULL lists old-reads-new first without the schema, then new-reads-old with it', () => {
  const v1 = '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}';
  const v2 = '{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"b","type":"string"}]}';
  const result = checkCompatibility(v2, [{ schema: v1, version: 7 }], 'FULL');
  assert.deepEqual(result.messages, [
    "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') of a field in the old schema does not match with the new schema', additionalInfo:'reader type: INT not compatible with writer type: LONG'}",
    "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'b' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'b'}",
    '{oldSchemaVersion: 7}',
    `{oldSchema: '${v1}'}`,
    "{compatibility: 'FULL'}",
  ]);
  assert.deepEqual(
    result.incompatibilities.map((i) => i.direction),
    ['forward', 'backward'],
  );
});

test('FULL failing only forward prints no old schema (as Confluent, which appends it to the backward half)', () => {
  const v1 = '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}';
  const v2 = '{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}';
  assert.deepEqual(checkCompatibility(v2, [{ schema: v1, version: 1 }], 'FULL').messages, [
    "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') of a field in the old schema does not match with the new schema', additionalInfo:'reader type: INT not compatible with writer type: LONG'}",
    "{compatibility: 'FULL'}",
  ]);
});

test('a transitive check reports the newest version that fails and stops there', () => {
  const v1 = '{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}';
  const v2 = '{"type":"record","name":"R","fields":[{"name":"a","type":"string"},{"name":"b","type":"int","default":0}]}';
  const v3 = '{"type":"record","name":"R","fields":[{"name":"b","type":"int"},{"name":"c","type":"int"}]}';
  const previous = [
    { schema: v1, version: 1 },
    { schema: v2, version: 2 },
  ];
  const result = checkCompatibility(v3, previous, 'BACKWARD_TRANSITIVE');
  // v3 fails against v2 (c) and against v1 (b, c): only v2's failure is reported.
  assert.deepEqual(
    result.messages.filter((m) => m.startsWith('{errorType') || m.startsWith('{oldSchemaVersion')),
    [
      "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'c' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'c'}",
      '{oldSchemaVersion: 2}',
    ],
  );
  assert.equal(checkCompatibility(v3, previous, 'BACKWARD').messages.length, result.messages.length);
});

test('the old schema line is cut at 10240 characters, and left out of the version line when no version is known', () => {
  const fields = Array.from({ length: 600 }, (_, i) => ({ name: `field_number_${i}`, type: 'string' }));
  const old = JSON.stringify({ type: 'record', name: 'Wide', fields });
  const next = JSON.stringify({ type: 'record', name: 'Wide', fields: [...fields, { name: 'extra', type: 'int' }] });
  const messages = checkCompatibility(next, [{ schema: old }], 'BACKWARD').messages;
  assert.equal(messages.length, 3);
  assert.ok(!messages.some((m) => m.startsWith('{oldSchemaVersion')));
  const line = messages[1]!;
  const prefix = `{oldSchema: <truncated to ${MAX_OLD_SCHEMA_CHARS} characters> '`;
  assert.ok(line.startsWith(prefix), line.slice(0, 80));
  assert.equal(line.length, prefix.length + MAX_OLD_SCHEMA_CHARS + 2);
});

test('each incompatibility type has its Confluent description', () => {
  const pair = (reader: string, writer: string) => canRead(parseAvroSchema(reader), parseAvroSchema(writer)).incompatibilities[0]!;
  const render = (reader: string, writer: string) => formatConfluentIncompatibility(pair(reader, writer), 'new', 'old');
  assert.equal(
    render('{"type":"fixed","name":"H","size":8}', '{"type":"fixed","name":"H","size":4}'),
    "{errorType:'FIXED_SIZE_MISMATCH', description:'The size of FIXED type field at path '/size' in the new schema does not match with the old schema', additionalInfo:'expected: 4, found: 8'}",
  );
  assert.equal(
    render('{"type":"fixed","name":"H","size":4}', '{"type":"fixed","name":"G","size":4}'),
    "{errorType:'NAME_MISMATCH', description:'The name of the schema has changed (path '/name')', additionalInfo:'expected: G'}",
  );
  assert.equal(
    render('{"type":"enum","name":"E","symbols":["A"]}', '{"type":"enum","name":"E","symbols":["A","B"]}'),
    "{errorType:'MISSING_ENUM_SYMBOLS', description:'The new schema is missing enum symbols '[B]' at path '/symbols' in the old schema', additionalInfo:'[B]'}",
  );
  assert.equal(
    render('["int"]', '["int","string"]'),
    "{errorType:'MISSING_UNION_BRANCH', description:'The new schema is missing a type inside a union field at path '/1' in the old schema', additionalInfo:'reader union lacking writer type: STRING'}",
  );
  assert.equal(
    render('"int"', '"string"'),
    "{errorType:'TYPE_MISMATCH', description:'The type (path '/') of a field in the new schema does not match with the old schema', additionalInfo:'reader type: INT not compatible with writer type: STRING'}",
  );
});

test("Avro's Incompatibility string carries the reader and writer fragments as Avro prints them", () => {
  const reader = parseAvroSchema(
    '{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","doc":"new"}]}',
  );
  const writer = parseAvroSchema('{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"long"}]}');
  const found = canRead(reader, writer).incompatibilities.map(formatAvroIncompatibility);
  assert.deepEqual(found, [
    'Incompatibility{type:TYPE_MISMATCH, location:/fields/0/type, message:reader type: INT not compatible with writer type: LONG, reader:"int", writer:"long"}',
    'Incompatibility{type:READER_FIELD_MISSING_DEFAULT_VALUE, location:/fields/1, message:b, ' +
      'reader:{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","doc":"new"}]}, ' +
      'writer:{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"long"}]}}',
  ]);
});

test('NONE and an empty history accept anything; the new schema must still parse', () => {
  const v1 = '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}';
  assert.deepEqual(checkCompatibility('"string"', [{ schema: v1 }], 'NONE'), {
    compatible: true,
    outcome: 'compatible',
    messages: [],
    incompatibilities: [],
  });
  for (const level of COMPATIBILITY_LEVELS) assert.equal(checkCompatibility('"string"', [], level).compatible, true);
  assert.throws(() => checkCompatibility('{"type":"nope"}', [], 'NONE'), { name: 'AvroSchemaError' });
});

test('Glue modes map onto Confluent levels; DISABLED refuses every version after the first', () => {
  assert.deepEqual(Object.fromEntries(GLUE_COMPATIBILITIES.map((m) => [m, glueToConfluent(m)])), {
    NONE: 'NONE',
    DISABLED: 'DISABLED',
    BACKWARD: 'BACKWARD',
    BACKWARD_ALL: 'BACKWARD_TRANSITIVE',
    FORWARD: 'FORWARD',
    FORWARD_ALL: 'FORWARD_TRANSITIVE',
    FULL: 'FULL',
    FULL_ALL: 'FULL_TRANSITIVE',
  });
  for (const level of COMPATIBILITY_LEVELS) assert.equal(glueToConfluent(confluentToGlue(level)), level);

  const v1 = '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}';
  const same = checkGlueCompatibility(v1, [{ schema: v1, version: 1 }], 'DISABLED');
  assert.equal(same.compatible, false);
  assert.equal(same.outcome, 'disabled');
  assert.match(same.messages[0]!, /DISABLED/);
  assert.equal(checkGlueCompatibility(v1, [], 'DISABLED').outcome, 'compatible');

  const added = '{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}';
  assert.equal(checkGlueCompatibility(added, [{ schema: v1 }], 'BACKWARD_ALL').outcome, 'incompatible');
  assert.equal(checkGlueCompatibility(added, [{ schema: v1 }], 'FORWARD_ALL').outcome, 'compatible');
  assert.equal(checkGlueCompatibility(added, [{ schema: v1 }], 'NONE').outcome, 'compatible');
});

test('level names are validated', () => {
  assert.ok(isCompatibilityLevel('FULL_TRANSITIVE'));
  assert.ok(!isCompatibilityLevel('FULL_ALL'));
  assert.ok(!isCompatibilityLevel('backward'));
  assert.ok(isGlueCompatibility('FULL_ALL'));
  assert.ok(!isGlueCompatibility('FULL_TRANSITIVE'));
});
