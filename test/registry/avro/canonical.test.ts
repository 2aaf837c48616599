// Parsing Canonical Form and fingerprints against the Avro project's known answers; the normalized
// form and the Java-style rendering against their promises (layout-independent, round-trip safe).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toAvroString } from '../../../src/registry/avro/avro-string.ts';
import { normalizedForm } from '../../../src/registry/avro/canonical.ts';
import { crc64Avro, fingerprints } from '../../../src/registry/avro/fingerprint.ts';
import { parseAvroSchema } from '../../../src/registry/avro/parse.ts';
import { CASES, CLICK_EVENT_PRODUCER } from '../compatibility/cases.ts';

// Inputs, canonical forms and 64-bit fingerprints (as Java's signed long) from the Avro
// project's shared schema test data. Case 016 (the empty union []) is left out: avsc refuses it.
// Case 026 gives f1 the default "true" for a boolean, which Avro's own test parser tolerates but
// avsc does not; it is written `true` here (defaults are stripped, the answer is the same).
const SPEC_VECTORS: ReadonlyArray<readonly [input: string, canonical: string, fingerprint?: bigint]> = [
  ['"null"', '"null"', 7195948357588979594n],
  ['{"type":"null"}', '"null"'],
  ['"boolean"', '"boolean"', -6970731678124411036n],
  ['{"type":"boolean"}', '"boolean"'],
  ['"int"', '"int"', 8247732601305521295n],
  ['{"type":"int"}', '"int"'],
  ['"long"', '"long"', -3434872931120570953n],
  ['{"type":"long"}', '"long"'],
  ['"float"', '"float"', 5583340709985441680n],
  ['{"type":"float"}', '"float"'],
  ['"double"', '"double"', -8181574048448539266n],
  ['{"type":"double"}', '"double"'],
  ['"bytes"', '"bytes"', 5746618253357095269n],
  ['{"type":"bytes"}', '"bytes"'],
  ['"string"', '"string"', -8142146995180207161n],
  ['{"type":"string"}', '"string"'],
  ['[ "int"  ]', '["int"]', -5232228896498058493n],
  ['[ "int" , {"type":"boolean"} ]', '["int","boolean"]', 5392556393470105090n],
  ['{"fields":[], "type":"record", "name":"foo"}', '{"name":"foo","type":"record","fields":[]}', -4824392279771201922n],
  [
    '{"fields":[], "type":"record", "name":"foo", "namespace":"x.y"}',
    '{"name":"x.y.foo","type":"record","fields":[]}',
    5916914534497305771n,
  ],
  [
    '{"fields":[], "type":"record", "name":"a.b.foo", "namespace":"x.y"}',
    '{"name":"a.b.foo","type":"record","fields":[]}',
    -4616218487480524110n,
  ],
  [
    '{"fields":[], "type":"record", "name":"foo", "doc":"Useful info"}',
    '{"name":"foo","type":"record","fields":[]}',
    -4824392279771201922n,
  ],
  [
    '{"fields":[], "type":"record", "name":"foo", "aliases":["foo","bar"]}',
    '{"name":"foo","type":"record","fields":[]}',
    -4824392279771201922n,
  ],
  [
    '{"fields":[], "type":"record", "name":"foo", "doc":"foo", "aliases":["foo","bar"]}',
    '{"name":"foo","type":"record","fields":[]}',
    -4824392279771201922n,
  ],
  [
    '{"fields":[{"type":{"type":"boolean"}, "name":"f1"}], "type":"record", "name":"foo"}',
    '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"}]}',
    7843277075252814651n,
  ],
  [
    `{ "fields":[{"type":"boolean", "aliases":[], "name":"f1", "default":true},
                 {"order":"descending","name":"f2","doc":"Hello","type":"int"}],
       "type":"record", "name":"foo"
     }`,
    '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
    -4860222112080293046n,
  ],
  ['{"type":"enum", "name":"foo", "symbols":["A1"]}', '{"name":"foo","type":"enum","symbols":["A1"]}', -6342190197741309591n],
  [
    '{"namespace":"x.y.z", "type":"enum", "name":"foo", "doc":"foo bar", "symbols":["A1", "A2"]}',
    '{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}',
    -4448647247586288245n,
  ],
  ['{"name":"foo","type":"fixed","size":15}', '{"name":"foo","type":"fixed","size":15}', 1756455273707447556n],
  [
    '{"namespace":"x.y.z", "type":"fixed", "name":"foo", "doc":"foo bar", "size":32}',
    '{"name":"x.y.z.foo","type":"fixed","size":32}',
    -3064184465700546786n,
  ],
  ['{ "items":{"type":"null"}, "type":"array"}', '{"type":"array","items":"null"}', -589620603366471059n],
  ['{ "values":"string", "type":"map"}', '{"type":"map","values":"string"}', -8732877298790414990n],
  [
    '{"name":"PigValue","type":"record", "fields":[{"name":"value", "type":["null", "int", "long", "PigValue"]}]}',
    '{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}',
    -1759257747318642341n,
  ],
];

test('Parsing Canonical Form and CRC-64-AVRO match the Avro project test data', () => {
  for (const [input, canonical, fingerprint] of SPEC_VECTORS) {
    const parsed = parseAvroSchema(input);
    assert.equal(parsed.canonical, canonical, input);
    if (fingerprint !== undefined) assert.equal(BigInt.asIntN(64, fingerprints(parsed.canonical).crc64), fingerprint, input);
  }
});

test('fingerprints: CRC-64 of no bytes is the empty value, hex is 16 digits, SHA-256 is of the canonical UTF-8', () => {
  assert.equal(crc64Avro(new Uint8Array()), 0xc15d213aa4d7a795n);
  assert.equal(crc64Avro('"null"'), crc64Avro(Buffer.from('"null"')));
  const fp = fingerprints('"null"');
  assert.equal(fp.crc64Hex, BigInt.asUintN(64, 7195948357588979594n).toString(16).padStart(16, '0'));
  assert.match(fp.crc64Hex, /^[0-9a-f]{16}$/);
  const le = Buffer.alloc(8);
  le.writeBigInt64LE(7195948357588979594n);
  assert.deepEqual(fp.crc64Bytes, le);
  assert.equal(fp.sha256, 'f072cbec3bf8841871d4284230c5e983dc211a56837aed862487148f947d1a1f');
  assert.equal(
    fingerprints('{"name":"foo","type":"record","fields":[]}').sha256,
    'ac35c07ecd88fe52d0a310135a01329b012c45ade36dd8b4880effb55b7f725c',
  );
});

// The clickstream event, laid out another way: keys reordered, whitespace, docs, aliases, a
// namespace spelled into the name, an escaped character, a primitive in object form.
const CLICK_EVENT_RESTYLED = `{
  "name" : "samples.clickstream.avro.ClickEvent", "doc": "one click", "aliases": ["Click"],
  "type" : "record",
  "fields" : [
    { "type": "string", "name": "ip", "doc": "client address" },
    { "name": "eventtimestamp", "type": { "type": "long", "logicalType": "timestamp-millis" } },
    { "name": "devicetype", "type": "str\\u0069ng" },
    { "name": "event_type", "type": ["string", {"type": "null"}] },
    { "name": "product_type", "type": ["string", "null"], "aliases": ["department"] },
    { "name": "userid", "type": "int", "order": "descending" },
    { "name": "globalseq", "type": "long" },
    { "default": 0, "name": "prevglobalseq", "type": "long" }
  ]
}`;

test('layout, attribute order, docs, aliases and logical types do not change the canonical form or fingerprints', () => {
  const original = parseAvroSchema(CLICK_EVENT_PRODUCER);
  const restyled = parseAvroSchema(CLICK_EVENT_RESTYLED);
  assert.equal(
    original.canonical,
    '{"name":"samples.clickstream.avro.ClickEvent","type":"record","fields":[{"name":"ip","type":"string"},' +
      '{"name":"eventtimestamp","type":"long"},{"name":"devicetype","type":"string"},{"name":"event_type","type":["string","null"]},' +
      '{"name":"product_type","type":["string","null"]},{"name":"userid","type":"int"},{"name":"globalseq","type":"long"},' +
      '{"name":"prevglobalseq","type":"long"}]}',
  );
  assert.equal(restyled.canonical, original.canonical);
  assert.deepEqual(fingerprints(restyled.canonical), fingerprints(original.canonical));
  // Stable across calls.
  assert.equal(fingerprints(parseAvroSchema(CLICK_EVENT_PRODUCER).canonical).crc64, fingerprints(original.canonical).crc64);

  const reordered = JSON.parse(CLICK_EVENT_PRODUCER);
  reordered.fields.reverse();
  assert.notEqual(parseAvroSchema(reordered).canonical, original.canonical, 'field order is part of the data');
});

test("the canonical form matches avsc's own canonical schema for every schema in the evolution table", () => {
  for (const c of CASES) {
    for (const text of [...c.previous, c.next]) {
      const parsed = parseAvroSchema(text);
      assert.equal(parsed.canonical, JSON.stringify(parsed.avscType.schema()), text);
    }
  }
});

test('a recursive or repeated named type is spelled out once, then named', () => {
  const parsed = parseAvroSchema(
    '{"type":"record","name":"Node","namespace":"ll","fields":[{"name":"next","type":["null","Node"]},{"name":"h","type":{"type":"fixed","name":"H","size":2}},{"name":"g","type":"H"}]}',
  );
  assert.equal(
    parsed.canonical,
    '{"name":"ll.Node","type":"record","fields":[{"name":"next","type":["null","ll.Node"]},{"name":"h","type":{"name":"ll.H","type":"fixed","size":2}},{"name":"g","type":"ll.H"}]}',
  );
});

test('the normalized form keeps defaults, docs, aliases and logical types in one fixed order', () => {
  const parsed = parseAvroSchema(CLICK_EVENT_RESTYLED);
  assert.equal(
    normalizedForm(parsed.root),
    '{"name":"samples.clickstream.avro.ClickEvent","type":"record","fields":[' +
      '{"name":"ip","type":"string","doc":"client address"},' +
      '{"name":"eventtimestamp","type":{"type":"long","logicalType":"timestamp-millis"}},' +
      '{"name":"devicetype","type":"string"},' +
      '{"name":"event_type","type":["string","null"]},' +
      '{"name":"product_type","type":["string","null"],"aliases":["department"]},' +
      '{"name":"userid","type":"int","order":"descending"},' +
      '{"name":"globalseq","type":"long"},' +
      '{"name":"prevglobalseq","type":"long","default":0}],' +
      '"doc":"one click","aliases":["samples.clickstream.avro.Click"]}',
  );
});

test('the normalized form sorts custom attributes and aliases, keeps the enum default, and is a fixed point', () => {
  const a = parseAvroSchema(
    '{"type":"record","name":"R","namespace":"n","zeta":1,"alpha":{"k":[1,2]},"aliases":["Z","A"],"fields":[' +
      '{"name":"e","type":{"type":"enum","name":"E","symbols":["X","Y"],"default":"X","doc":"an enum"},"default":"Y","x-extra":true},' +
      '{"name":"d","type":{"type":"fixed","name":"D","size":8,"logicalType":"decimal","scale":2,"precision":10}},' +
      '{"name":"m","type":{"type":"map","values":"int","x":"y"}}]}',
  );
  const b = parseAvroSchema(
    '{"fields":[' +
      '{"x-extra":true,"default":"Y","type":{"doc":"an enum","default":"X","symbols":["X","Y"],"name":"n.E","type":"enum"},"name":"e"},' +
      '{"name":"d","type":{"precision":10,"scale":2,"logicalType":"decimal","size":8,"name":"D","type":"fixed"}},' +
      '{"type":{"x":"y","values":"int","type":"map"},"name":"m"}],' +
      '"aliases":["n.A","Z"],"alpha":{"k":[1,2]},"zeta":1,"name":"R","namespace":"n","type":"record"}',
  );
  const expected =
    '{"name":"n.R","type":"record","fields":[' +
    '{"name":"e","type":{"name":"n.E","type":"enum","symbols":["X","Y"],"doc":"an enum","default":"X"},"default":"Y","x-extra":true},' +
    '{"name":"d","type":{"name":"n.D","type":"fixed","size":8,"logicalType":"decimal","precision":10,"scale":2}},' +
    '{"name":"m","type":{"type":"map","values":"int","x":"y"}}],' +
    '"aliases":["n.A","n.Z"],"alpha":{"k":[1,2]},"zeta":1}';
  assert.equal(normalizedForm(a.root), expected);
  assert.equal(normalizedForm(b.root), expected);
  const again = parseAvroSchema(expected);
  assert.equal(normalizedForm(again.root), expected);
  assert.equal(again.canonical, a.canonical);
});

test('the Java-style rendering names types relative to the enclosing namespace, and parses back to the same schema', () => {
  const parsed = parseAvroSchema(
    JSON.stringify({
      type: 'record',
      name: 'Outer',
      namespace: 'a.b',
      aliases: ['Old', 'x.Older'],
      fields: [
        { name: 'same', type: { type: 'enum', name: 'Kind', symbols: ['A'] } },
        { name: 'other', type: { type: 'fixed', name: 'c.Hash', size: 4 } },
        { name: 'none', type: { type: 'record', name: 'Bare', namespace: '', fields: [{ name: 'k', type: 'a.b.Kind' }] } },
        { name: 'again', type: ['null', 'Kind', 'c.Hash', 'Bare'], default: null, order: 'ignore', aliases: ['twice'], doc: 'refs' },
      ],
    }),
  );
  const text = toAvroString(parsed.root);
  assert.equal(
    text,
    '{"type":"record","name":"Outer","namespace":"a.b","fields":[' +
      '{"name":"same","type":{"type":"enum","name":"Kind","symbols":["A"]}},' +
      '{"name":"other","type":{"type":"fixed","name":"Hash","namespace":"c","size":4}},' +
      '{"name":"none","type":{"type":"record","name":"Bare","namespace":"","fields":[{"name":"k","type":"a.b.Kind"}]}},' +
      '{"name":"again","type":["null","Kind","c.Hash","Bare"],"doc":"refs","default":null,"order":"ignore","aliases":["twice"]}],' +
      '"aliases":["Old","x.Older"]}',
  );
  assert.equal(parseAvroSchema(text).canonical, parsed.canonical);
  assert.equal(normalizedForm(parseAvroSchema(text).root), normalizedForm(parsed.root));
});
