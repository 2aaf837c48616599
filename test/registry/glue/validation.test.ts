// Input validation as Glue does it: names, lengths, enums, ranges, identity structures; each refusal
// an InvalidInputException naming the member. Driven through dispatchGlue, without HTTP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dispatchGlue } from '../../../src/registry/glue/service.ts';
import { MemoryGlueBackend } from './memory-backend.ts';

const ctx = () => ({ backend: new MemoryGlueBackend(), scope: { region: 'us-east-1', accountId: '000000000000' } });
const NAME_PATTERN = 'Member must satisfy regular expression pattern: [a-zA-Z0-9-_$#.]+';

const cases: [string, string, object, string | RegExp][] = [
  ['CreateRegistry', 'missing name', {}, "'RegistryName' is required"],
  [
    'CreateRegistry',
    'space in name',
    { RegistryName: 'a b' },
    `Value "a b" at 'RegistryName' failed to satisfy constraint: ${NAME_PATTERN}`,
  ],
  [
    'CreateRegistry',
    'colon in name',
    { RegistryName: 'a:b' },
    `Value "a:b" at 'RegistryName' failed to satisfy constraint: ${NAME_PATTERN}`,
  ],
  [
    'CreateRegistry',
    'empty name',
    { RegistryName: '' },
    `Value "" at 'RegistryName' failed to satisfy constraint: Member must have length greater than or equal to 1`,
  ],
  [
    'CreateRegistry',
    'long name',
    { RegistryName: 'a'.repeat(256) },
    /at 'RegistryName' failed to satisfy constraint: Member must have length less than or equal to 255/,
  ],
  [
    'CreateRegistry',
    'long description',
    { RegistryName: 'r', Description: 'd'.repeat(2049) },
    /at 'Description' .* less than or equal to 2048/,
  ],
  [
    'CreateRegistry',
    'control character',
    { RegistryName: 'r', Description: 'bell\u0007' },
    /at 'Description' failed to satisfy constraint: Member must satisfy regular expression pattern/,
  ],
  [
    'CreateRegistry',
    'too many tags',
    { RegistryName: 'r', Tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) },
    "'Tags' has 51 entries; at most 50 tags are allowed",
  ],
  ['CreateRegistry', 'long tag value', { RegistryName: 'r', Tags: { k: 'v'.repeat(257) } }, /at 'Tags.k' .* less than or equal to 256/],
  ['GetRegistry', 'empty RegistryId', { RegistryId: {} }, "'RegistryId' must have RegistryName or RegistryArn"],
  [
    'GetRegistry',
    'not a registry ARN',
    { RegistryId: { RegistryArn: 'arn:aws:s3:::bucket' } },
    /'RegistryId.RegistryArn' "arn:aws:s3:::bucket" is not a registry ARN/,
  ],
  [
    'GetRegistry',
    'name and ARN disagree',
    { RegistryId: { RegistryName: 'a', RegistryArn: 'arn:aws:glue:us-east-1:000000000000:registry/b' } },
    "'RegistryId' names registry 'a' but its RegistryArn names 'b'",
  ],
  ['UpdateRegistry', 'missing description', { RegistryId: { RegistryName: 'default-registry' } }, "'Description' is required"],
  [
    'ListRegistries',
    'MaxResults 0',
    { MaxResults: 0 },
    "Value 0 at 'MaxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
  ],
  [
    'ListSchemas',
    'MaxResults 101',
    { MaxResults: 101 },
    "Value 101 at 'MaxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
  ],
  ['CreateSchema', 'missing data format', { SchemaName: 's' }, "'DataFormat' is required"],
  [
    'CreateSchema',
    'unknown data format',
    { SchemaName: 's', DataFormat: 'XML' },
    `Value "XML" at 'DataFormat' failed to satisfy constraint: Member must satisfy enum value set: [AVRO, JSON, PROTOBUF]`,
  ],
  [
    'CreateSchema',
    'unknown compatibility',
    { SchemaName: 's', DataFormat: 'AVRO', Compatibility: 'TRANSITIVE' },
    /Value "TRANSITIVE" at 'Compatibility' .* enum value set: \[NONE, DISABLED, BACKWARD, BACKWARD_ALL, FORWARD, FORWARD_ALL, FULL, FULL_ALL\]/,
  ],
  [
    'CreateSchema',
    'blank definition',
    { SchemaName: 's', DataFormat: 'AVRO', SchemaDefinition: '  \n ' },
    /at 'SchemaDefinition' .* pattern: \.\*\\S\.\*/,
  ],
  [
    'CreateSchema',
    'huge definition',
    { SchemaName: 's', DataFormat: 'AVRO', SchemaDefinition: `"${'x'.repeat(170000)}"` },
    /less than or equal to 170000/,
  ],
  ['GetSchema', 'missing SchemaId', {}, "'SchemaId' is required"],
  [
    'GetSchema',
    'name without registry',
    { SchemaId: { SchemaName: 's' } },
    "'SchemaId' must have SchemaArn, or both SchemaName and RegistryName",
  ],
  [
    'GetSchema',
    'registry ARN as schema ARN',
    { SchemaId: { SchemaArn: 'arn:aws:glue:us-east-1:000000000000:registry/r' } },
    /is not a schema ARN/,
  ],
  [
    'GetSchema',
    'ARN and names disagree',
    { SchemaId: { SchemaArn: 'arn:aws:glue:us-east-1:000000000000:schema/r/s', SchemaName: 't' } },
    /SchemaName\/RegistryName disagree with its SchemaArn/,
  ],
  ['RegisterSchemaVersion', 'missing definition', { SchemaId: { SchemaName: 's', RegistryName: 'r' } }, "'SchemaDefinition' is required"],
  ['GetSchemaByDefinition', 'missing definition', { SchemaId: { SchemaName: 's', RegistryName: 'r' } }, "'SchemaDefinition' is required"],
  ['CheckSchemaVersionValidity', 'missing data format', { SchemaDefinition: '"int"' }, "'DataFormat' is required"],
  [
    'GetSchemaVersionsDiff',
    'missing second version',
    { SchemaId: { SchemaName: 's', RegistryName: 'r' }, FirstSchemaVersionNumber: { VersionNumber: 1 }, SchemaDiffType: 'SYNTAX_DIFF' },
    "'SecondSchemaVersionNumber' is required",
  ],
  [
    'GetSchemaVersionsDiff',
    'unknown diff type',
    {
      SchemaId: { SchemaName: 's', RegistryName: 'r' },
      FirstSchemaVersionNumber: { VersionNumber: 1 },
      SecondSchemaVersionNumber: { VersionNumber: 2 },
      SchemaDiffType: 'SEMANTIC',
    },
    /at 'SchemaDiffType' .* enum value set: \[SYNTAX_DIFF\]/,
  ],
  [
    'PutSchemaVersionMetadata',
    'missing pair',
    { SchemaVersionId: '00000000-0000-4000-8000-000000000000' },
    "'MetadataKeyValue' is required",
  ],
  [
    'PutSchemaVersionMetadata',
    'long value',
    { SchemaVersionId: '00000000-0000-4000-8000-000000000000', MetadataKeyValue: { MetadataKey: 'k', MetadataValue: 'v'.repeat(257) } },
    /at 'MetadataKeyValue.MetadataValue' .* less than or equal to 256/,
  ],
  [
    'QuerySchemaVersionMetadata',
    'bad filter key',
    { SchemaVersionId: '00000000-0000-4000-8000-000000000000', MetadataList: [{ MetadataKey: 'a b' }] },
    /at 'MetadataList\[0\].MetadataKey'/,
  ],
];

for (const [operation, what, input, message] of cases) {
  test(`${operation}: ${what} is InvalidInputException`, async () => {
    const reply = await dispatchGlue(ctx(), operation, input);
    assert.equal(reply.status, 400);
    assert.equal(reply.body.__type, 'InvalidInputException', String(reply.body.Message));
    if (typeof message === 'string') assert.equal(reply.body.Message, message);
    else assert.match(String(reply.body.Message), message);
  });
}

test('accepted edge values: 255-character names, 2048-character descriptions, 50 tags, astral characters', async () => {
  const c = ctx();
  const name = `a${'-_$#.'.repeat(50)}${'b'.repeat(4)}`;
  assert.equal(name.length, 255);
  const reply = await dispatchGlue(c, 'CreateRegistry', {
    RegistryName: name,
    Description: `${'d'.repeat(2046)}😀`,
    Tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, ''])),
  });
  assert.equal(reply.status, 200, String(reply.body.Message));
  assert.equal(reply.body.RegistryName, name);
  // A tag key `__proto__` stays a plain key.
  const proto = await dispatchGlue(c, 'CreateRegistry', JSON.parse('{"RegistryName":"p","Tags":{"__proto__":"x"}}'));
  assert.deepEqual(Object.keys(proto.body.Tags as object), ['__proto__']);
});
