// The registry's rules as the store applies them: dedup by normalized form, shared ids across
// subjects, Confluent's soft/hard delete order, IMPORT and READONLY modes, config and mode inheritance.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SchemaStore } from '../../../src/registry/store/store.ts';
import { startTempBroker, type TempBroker } from '../../helpers/temp-broker.ts';
import { openStore, record, rejectsWith } from './helpers.ts';

const avro = (schema: string) => ({ schema, schemaType: 'AVRO', references: [], normalize: false });

describe('registry store rules', () => {
  let tb: TempBroker;
  let store: SchemaStore;
  before(async () => {
    tb = await startTempBroker();
    store = await openStore(tb);
  });
  after(async () => {
    await store?.close();
    await tb.dispose();
  });

  test('the same schema registered again (other whitespace, other JSON key order) keeps its id and version', async () => {
    const first = await store.register(
      'dedup',
      avro(
        record(
          'User',
          [
            ['name', 'string'],
            ['age', 'int', 0],
          ],
          { namespace: 'ex' },
        ),
      ),
    );
    assert.equal(first.created, true);
    const reordered = `{
      "fields": [ { "type": "string", "name": "name" }, { "default": 0, "name": "age", "type": "int" } ],
      "namespace": "ex",   "name": "User",
      "type": "record"
    }`;
    const again = await store.register('dedup', avro(reordered));
    assert.equal(again.created, false);
    assert.equal(again.id, first.id);
    assert.equal(again.version, 1);
    const full = await store.register(
      'dedup',
      avro(
        record('ex.User', [
          ['name', 'string'],
          ['age', 'int', 0],
        ]),
      ),
    );
    assert.equal(full.id, first.id, 'a full name and name + namespace are the same schema');
    assert.deepEqual(await store.listVersions('dedup'), [1]);
    assert.equal((await store.lookup('dedup', reordered)).version, 1);
  });

  test('a change that only adds a default is a new version (Parsing Canonical Form alone would hide it)', async () => {
    const v1 = await store.register('defaults', avro(record('D', [['a', 'int']])));
    const v2 = await store.register('defaults', avro(record('D', [['a', 'int', 7]])));
    assert.notEqual(v2.id, v1.id);
    assert.equal(v2.version, 2);
  });

  test('a namespace change is compatible: named types match by unqualified name (both clickstream namespaces)', async () => {
    await store.setConfig('ns', 'FULL');
    const fields: [string, string][] = [
      ['ip', 'string'],
      ['userid', 'int'],
    ];
    await store.register('ns', avro(record('ClickEvent', fields, { namespace: 'samples.clickstream.avro' })));
    const v2 = await store.register('ns', avro(record('ClickEvent', fields, { namespace: 'tutorial.buildon.aws.streaming.avro' })));
    assert.equal(v2.version, 2);
  });

  test('the same schema under two subjects shares its global id', async () => {
    const s = record('Shared', [['k', 'long']]);
    const x = await store.register('shared-a', avro(s));
    const y = await store.register('shared-b', avro(s));
    assert.equal(x.id, y.id);
    assert.equal(y.version, 1);
    assert.deepEqual(await store.subjectsForId(x.id), ['shared-a', 'shared-b']);
    assert.deepEqual(await store.versionsForId(x.id), [
      { subject: 'shared-a', version: 1 },
      { subject: 'shared-b', version: 1 },
    ]);
  });

  test('invalid schemas are refused with 42201 and the parser message; incompatible ones with 409 and the reasons', async () => {
    await rejectsWith(store.register('bad', avro('{"type":"record","name":"X","fields":[{"name":"a","type":"strng"}]}')), 42201, /strng/);
    await rejectsWith(store.register('bad', avro('{not json')), 42201, /JSON/);
    await rejectsWith(store.register('bad', { ...avro('{"type":"object"}'), schemaType: 'JSON' }), 42201, /not supported/);
    await store.register('compat', avro(record('C', [['a', 'int']])));
    await rejectsWith(
      store.register(
        'compat',
        avro(
          record('C', [
            ['a', 'int'],
            ['b', 'string'],
          ]),
        ),
      ),
      409,
      /READER_FIELD_MISSING_DEFAULT_VALUE.*compatibility: 'BACKWARD'/,
    );
  });

  test('delete rules: soft first, hard after; 40406, 40407, 40404, 40405; a soft-deleted id stays readable', async () => {
    const v1 = await store.register('del', avro(record('Del', [['a', 'int']])));
    await store.register(
      'del',
      avro(
        record('Del', [
          ['a', 'int'],
          ['b', 'int', 0],
        ]),
      ),
    );
    await rejectsWith(store.deleteVersion('del', 1, true), 40407, /not deleted first/);
    assert.equal(await store.deleteVersion('del', 1), 1);
    await rejectsWith(store.deleteVersion('del', 1), 40406, /soft deleted/);
    await rejectsWith(store.deleteVersion('del', 9), 40402);
    await rejectsWith(store.deleteVersion('nosuch', 1), 40401);
    assert.deepEqual(await store.listVersions('del'), [2]);
    assert.deepEqual(await store.listVersions('del', true), [1, 2]);
    await rejectsWith(store.getVersion('del', 1), 40402);
    assert.equal((await store.getVersion('del', 1, true)).deleted, true);
    assert.equal((await store.getSchemaById(v1.id)).id, v1.id, 'a soft-deleted schema is still served by id');

    await rejectsWith(store.deleteSubject('del', true), 40405, /not deleted first/);
    assert.deepEqual(await store.deleteSubject('del'), [2]);
    await rejectsWith(store.deleteSubject('del'), 40404, /soft deleted/);
    assert.ok(!(await store.listSubjects()).includes('del'));
    assert.ok((await store.listSubjects(true)).includes('del'));
    assert.deepEqual(await store.deleteSubject('del', true), [1, 2]);
    await rejectsWith(store.listVersions('del', true), 40401);
    await rejectsWith(store.getSchemaById(v1.id), 40403, /not found/);

    // Versions restart at 1 once the subject is gone; the forgotten id is never reused.
    const again = await store.register('del', avro(record('Del', [['a', 'int']])));
    assert.equal(again.version, 1);
    assert.ok(again.id > v1.id);
  });

  test('re-registering a soft-deleted schema makes a new version with the same id', async () => {
    const s = record('Soft', [['a', 'int']]);
    const v1 = await store.register('soft', avro(s));
    await store.deleteVersion('soft', 'latest');
    const v2 = await store.register('soft', avro(s));
    assert.equal(v2.version, 2);
    assert.equal(v2.id, v1.id);
  });

  test('config inheritance: subject level over global over BACKWARD; 40408 without defaultToGlobal; 42203', async () => {
    assert.equal(await store.getConfig(null), 'BACKWARD');
    await rejectsWith(store.getConfig('cfg'), 40408);
    assert.equal(await store.getConfig('cfg', true), 'BACKWARD');
    await store.setConfig(null, 'FULL');
    assert.equal(await store.getConfig('cfg', true), 'FULL');
    await store.setConfig('cfg', 'NONE');
    assert.equal(await store.getConfig('cfg'), 'NONE');
    await store.register('cfg', avro(record('Cfg', [['a', 'int']])));
    await store.register('cfg', avro(record('Cfg', [['b', 'string']]))); // NONE lets anything through
    const prev = await store.setConfig('cfg', null);
    assert.equal(prev.previous, 'NONE');
    assert.equal(await store.getConfig('cfg', true), 'FULL');
    await rejectsWith(store.register('cfg', avro(record('Cfg', [['c', 'string']]))), 409, /FULL/);
    await rejectsWith(store.setConfig(null, 'SIDEWAYS' as never), 42203);
    await store.setConfig(null, null);
    assert.equal(await store.getConfig(null), 'BACKWARD');
  });

  test('READONLY refuses changes (42205); a subject mode overrides the global one; 42204', async () => {
    await store.register('ro', avro(record('Ro', [['a', 'int']])));
    await store.setMode(null, 'READONLY');
    await rejectsWith(
      store.register(
        'ro',
        avro(
          record('Ro', [
            ['a', 'int'],
            ['b', 'int', 1],
          ]),
        ),
      ),
      42205,
      /read-only/,
    );
    await rejectsWith(store.deleteVersion('ro', 1), 42205);
    await rejectsWith(store.getMode('ro'), 40409);
    assert.equal(await store.getMode('ro', true), 'READONLY');
    await store.setMode('ro', 'READWRITE');
    const v2 = await store.register(
      'ro',
      avro(
        record('Ro', [
          ['a', 'int'],
          ['b', 'int', 1],
        ]),
      ),
    );
    assert.equal(v2.version, 2);
    await rejectsWith(store.register('other-ro', avro(record('X', [['a', 'int']]))), 42205);
    await store.setMode(null, null);
    await store.setMode('ro', null);
    await rejectsWith(store.setMode(null, 'SOMETIMES' as never), 42204);
    assert.equal(await store.getMode(null), 'READWRITE');
  });

  test('IMPORT mode: explicit ids and versions, no compatibility check, refused over existing schemas without force', async () => {
    await rejectsWith(store.register('imp', { ...avro(record('Imp', [['a', 'int']])), id: 500 }), 42205, /import mode/);
    await rejectsWith(store.setMode(null, 'IMPORT'), 42205, /existing subjects/);
    await store.setMode('imp', 'IMPORT');
    const r = await store.register('imp', { ...avro(record('Imp', [['a', 'int']])), id: 500, version: 7 });
    assert.deepEqual([r.id, r.version], [500, 7]);
    const r2 = await store.register('imp', { ...avro(record('Imp', [['z', 'string']])), id: 501, version: 8 });
    assert.equal(r2.version, 8, 'no compatibility check while importing');
    await rejectsWith(store.register('imp', { ...avro(record('Other', [['q', 'int']])), id: 500, version: 9 }), 42207, /500/);
    await store.setMode('imp', null);
    const next = await store.register('after-import', avro(record('After', [['a', 'int']])));
    assert.equal(next.id, 502, 'ids continue after the highest imported one');
    assert.equal((await store.getSchemaById(500)).schema, record('Imp', [['a', 'int']]));
  });
});
