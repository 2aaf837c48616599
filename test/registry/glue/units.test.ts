// The Glue layer's small parts on their own: ARNs, paging tokens, JSON Patch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRegistryArn, parseSchemaArn, registryArn, schemaArn } from '../../../src/registry/glue/arn.ts';
import { GlueError } from '../../../src/registry/glue/errors.ts';
import { jsonPatch } from '../../../src/registry/glue/json-patch.ts';
import { numberKey, paginate } from '../../../src/registry/glue/pagination.ts';

test('ARNs round-trip, in any partition, and other ARNs are not taken for them', () => {
  const scope = { region: 'eu-central-1', accountId: '111122223333' };
  assert.equal(parseRegistryArn(registryArn(scope, 'r.1')), 'r.1');
  assert.deepEqual(parseSchemaArn(schemaArn(scope, 'r', 's$#')), { registryName: 'r', schemaName: 's$#' });
  assert.equal(parseRegistryArn('arn:aws-cn:glue:cn-north-1:111122223333:registry/r'), 'r');
  assert.equal(parseRegistryArn('arn:aws-iso-b:glue:x:1:registry/r'), 'r');
  assert.equal(parseRegistryArn('arn:aws:glue:us-east-1:1:schema/r/s'), undefined);
  assert.equal(parseRegistryArn('arn:aws:glue:us-east-1:1:registry/r/extra'), undefined);
  assert.equal(parseSchemaArn('arn:aws:s3:us-east-1:1:schema/r/s'), undefined);
  assert.equal(parseSchemaArn('arn:aws:glue:us-east-1:1:schema/r'), undefined);
});

test('paging: every item once across pages, even when items are added and removed between pages', () => {
  const items = ['e', 'a', 'c', 'b', 'd'];
  const opts = { scope: 'T', maxResults: 2 };
  const p1 = paginate(items, (x) => x, opts);
  assert.deepEqual(p1.items, ['a', 'b']);
  // 'b' (already served) is removed and 'aa' (before the cursor) added: neither disturbs what follows.
  const p2 = paginate(['a', 'aa', 'c', 'd', 'e'], (x) => x, { ...opts, nextToken: p1.nextToken });
  assert.deepEqual(p2.items, ['c', 'd']);
  const p3 = paginate(items, (x) => x, { ...opts, nextToken: p2.nextToken });
  assert.deepEqual([p3.items, p3.nextToken], [['e'], undefined]);
  // An exactly full last page has no token.
  assert.equal(paginate(['a', 'b'], (x) => x, opts).nextToken, undefined);
  assert.deepEqual(
    paginate([], (x: string) => x, opts),
    { items: [], nextToken: undefined },
  );
  assert.throws(() => paginate(items, (x) => x, { ...opts, scope: 'U', nextToken: p1.nextToken }), GlueError);
  assert.throws(() => paginate(items, (x) => x, { ...opts, nextToken: '%%%' }), /not a token this registry issued/);
  assert.throws(() => paginate(items, (x) => x, { ...opts, nextToken: Buffer.from('[1]').toString('base64url') }), /not a token/);
});

test('numberKey orders numbers numerically as strings', () => {
  const sorted = [10, 9, 100000, 1].map(numberKey).sort();
  assert.deepEqual(sorted.map(Number), [1, 9, 10, 100000]);
});

test('jsonPatch: adds, removes, replaces; arrays by index; pointers escaped', () => {
  assert.deepEqual(jsonPatch({ a: 1 }, { a: 1 }), []);
  assert.deepEqual(jsonPatch({ a: 1, b: 2 }, { a: 3, c: 4 }), [
    { op: 'remove', path: '/b' },
    { op: 'replace', path: '/a', value: 3 },
    { op: 'add', path: '/c', value: 4 },
  ]);
  assert.deepEqual(jsonPatch([1, 2, 3], [1]), [
    { op: 'remove', path: '/2' },
    { op: 'remove', path: '/1' },
  ]);
  assert.deepEqual(jsonPatch({ 'a/b': { '~': [] } }, { 'a/b': { '~': [0] } }), [{ op: 'add', path: '/a~1b/~0/0', value: 0 }]);
  assert.deepEqual(jsonPatch('string', { type: 'string' }), [{ op: 'replace', path: '', value: { type: 'string' } }]);
});
