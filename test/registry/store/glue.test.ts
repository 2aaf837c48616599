// The Glue model on the same store: the subject mapping, registries, schemas with Glue compatibility
// (FULL, DISABLED), versions by UUID and by definition, metadata limits, all through the GlueBackend.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GlueBackend } from '../../../src/registry/glue/backend.ts';
import { GlueError } from '../../../src/registry/glue/errors.ts';
import { createGlueBackend } from '../../../src/registry/store/glue-backend.ts';
import { glueSubject, glueVersionId, subjectToGlue } from '../../../src/registry/store/glue-mapping.ts';
import type { SchemaStore } from '../../../src/registry/store/store.ts';
import { startTempBroker, type TempBroker } from '../../helpers/temp-broker.ts';
import { openStore, record } from './helpers.ts';

async function glueRejects(p: Promise<unknown>, type: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof GlueError, `expected a GlueError, got ${String(err)}`);
    assert.equal(err.glueType, type, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

test('subject mapping: default-registry schemas are plain subjects, others registry:schema, one-to-one', () => {
  assert.equal(glueSubject('default-registry', 'orders-value'), 'orders-value');
  assert.equal(glueSubject('clickstream', 'ClickEvent'), 'clickstream:ClickEvent');
  assert.deepEqual(subjectToGlue('orders-value'), { registryName: 'default-registry', schemaName: 'orders-value' });
  assert.deepEqual(subjectToGlue('clickstream:ClickEvent'), { registryName: 'clickstream', schemaName: 'ClickEvent' });
  for (const s of ['default-registry:x', ':.ctx:subject', 'a:b:c', ':x', 'x:']) assert.equal(subjectToGlue(s), null, s);
  const id = glueVersionId('req-1', 'clickstream:ClickEvent', 1);
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(glueVersionId('req-1', 'clickstream:ClickEvent', 1), id, 'derived, not random');
});

describe('Glue backend on the store', () => {
  let tb: TempBroker;
  let store: SchemaStore;
  let backend: GlueBackend;
  before(async () => {
    tb = await startTempBroker();
    store = await openStore(tb);
    backend = createGlueBackend(store);
  });
  after(async () => {
    await store?.close();
    await tb.dispose();
  });

  const v1 = record('ClickEvent', [
    ['ip', 'string'],
    ['userid', 'int'],
  ]);
  const v2 = record('ClickEvent', [
    ['ip', 'string'],
    ['userid', 'int'],
    ['globalseq', 'long', 0],
  ]);
  const breaking = record('ClickEvent', [
    ['ip', 'string'],
    ['userid', 'int'],
    ['mandatory', 'long'],
  ]);

  test('registries: default-registry always exists; create, update, refuse duplicates', async () => {
    assert.ok((await backend.listRegistries()).some((r) => r.name === 'default-registry'));
    await glueRejects(backend.createRegistry({ name: 'default-registry', tags: {} }), 'AlreadyExistsException');
    const r = await backend.createRegistry({ name: 'clickstream', description: 'events', tags: { team: 'web' } });
    assert.deepEqual([r.name, r.description, r.tags.team, r.status], ['clickstream', 'events', 'web', 'AVAILABLE']);
    await glueRejects(backend.createRegistry({ name: 'clickstream', tags: {} }), 'AlreadyExistsException');
    assert.equal((await backend.updateRegistry('clickstream', 'click events')).description, 'click events');
    await glueRejects(backend.getRegistry('nope'), 'EntityNotFoundException');
    await glueRejects(backend.deleteRegistry('default-registry'), 'InvalidInputException');
  });

  test('a FULL schema takes a compatible version, refuses a breaking one, and answers by UUID and by definition', async () => {
    const { schema, version } = await backend.createSchema({
      registryName: 'clickstream',
      schemaName: 'ClickEvent',
      dataFormat: 'AVRO',
      compatibility: 'FULL',
      tags: {},
      definition: v1,
    });
    assert.equal(schema.compatibility, 'FULL');
    assert.equal(version?.versionNumber, 1);
    assert.equal(await store.getConfig('clickstream:ClickEvent'), 'FULL', 'the Glue level is the subject level');
    const second = await backend.registerSchemaVersion('clickstream', 'ClickEvent', v2);
    assert.equal(second.versionNumber, 2);
    await glueRejects(backend.registerSchemaVersion('clickstream', 'ClickEvent', breaking), 'InvalidInputException', /incompatible/);
    assert.equal(
      (await backend.registerSchemaVersion('clickstream', 'ClickEvent', v2)).versionId,
      second.versionId,
      'same definition, same version',
    );
    const byId = await backend.getSchemaVersionById(second.versionId);
    assert.deepEqual([byId.registryName, byId.schemaName, byId.versionNumber, byId.definition], ['clickstream', 'ClickEvent', 2, v2]);
    assert.equal((await backend.getSchemaVersionByDefinition('clickstream', 'ClickEvent', v1)).versionId, version?.versionId);
    assert.equal((await backend.getSchemaVersion('clickstream', 'ClickEvent', 'latest')).versionNumber, 2);
    assert.deepEqual(
      (await backend.listSchemaVersions('clickstream', 'ClickEvent')).map((v) => v.versionNumber),
      [1, 2],
    );
    const confluent = await store.getVersion('clickstream:ClickEvent', 2);
    assert.equal(confluent.versionId, second.versionId, 'one version, two names: a numeric id and a UUID');
    await glueRejects(
      backend.createSchema({ registryName: 'clickstream', schemaName: 'ClickEvent', dataFormat: 'AVRO', compatibility: 'FULL', tags: {} }),
      'AlreadyExistsException',
    );
    await glueRejects(backend.registerSchemaVersion('clickstream', 'Missing', v1), 'EntityNotFoundException');
    await glueRejects(
      backend.createSchema({ registryName: 'nope', schemaName: 'X', dataFormat: 'AVRO', compatibility: 'NONE', tags: {} }),
      'EntityNotFoundException',
    );
    await glueRejects(
      backend.createSchema({ registryName: 'clickstream', schemaName: 'J', dataFormat: 'JSON', compatibility: 'NONE', tags: {} }),
      'InvalidInputException',
    );
  });

  test('DISABLED takes the first version and refuses every later one, for Confluent clients too', async () => {
    await backend.createSchema({
      registryName: 'clickstream',
      schemaName: 'Frozen',
      dataFormat: 'AVRO',
      compatibility: 'DISABLED',
      tags: {},
      definition: v1,
    });
    await glueRejects(backend.registerSchemaVersion('clickstream', 'Frozen', v2), 'InvalidInputException', /DISABLED/);
    await assert.rejects(
      store.register('clickstream:Frozen', { schema: v2, schemaType: 'AVRO', references: [], normalize: false }),
      (e: { errorCode: number }) => e.errorCode === 42205,
    );
    assert.equal((await backend.getSchema('clickstream', 'Frozen')).compatibility, 'DISABLED');
    const updated = await backend.updateSchema('clickstream', 'Frozen', { compatibility: 'BACKWARD_ALL', description: 'thawed' });
    assert.deepEqual([updated.compatibility, updated.description], ['BACKWARD_ALL', 'thawed']);
    assert.equal((await backend.registerSchemaVersion('clickstream', 'Frozen', v2)).versionNumber, 2);
  });

  test('Confluent subjects are Glue schemas of default-registry', async () => {
    await store.register('orders-value', { schema: v1, schemaType: 'AVRO', references: [], normalize: false });
    const schemas = await backend.listSchemas('default-registry');
    const orders = schemas.find((s) => s.schemaName === 'orders-value');
    assert.equal(orders?.compatibility, 'BACKWARD');
    assert.equal(orders?.latestVersion, 1);
    assert.equal((await backend.getSchemaVersion('default-registry', 'orders-value', 1)).definition, v1);
  });

  test('version metadata: several values per key, duplicates refused, at most 10 pairs, removal', async () => {
    const v = await backend.getSchemaVersion('clickstream', 'ClickEvent', 1);
    await backend.putVersionMetadata(v.versionId, 'owner', 'web');
    await backend.putVersionMetadata(v.versionId, 'owner', 'data');
    await glueRejects(backend.putVersionMetadata(v.versionId, 'owner', 'web'), 'AlreadyExistsException');
    for (let i = 0; i < 8; i++) await backend.putVersionMetadata(v.versionId, `k${i}`, 'v');
    await glueRejects(backend.putVersionMetadata(v.versionId, 'k9', 'v'), 'ResourceNumberLimitExceededException');
    assert.equal((await backend.listVersionMetadata(v.versionId)).length, 10);
    assert.equal((await backend.removeVersionMetadata(v.versionId, 'owner', 'web')).value, 'web');
    await glueRejects(backend.removeVersionMetadata(v.versionId, 'owner', 'web'), 'EntityNotFoundException');
    await glueRejects(backend.listVersionMetadata('00000000-0000-8000-8000-000000000000'), 'EntityNotFoundException');
  });

  test('deleting a schema or a registry removes its versions; UUIDs stop resolving', async () => {
    const frozen = await backend.getSchemaVersion('clickstream', 'Frozen', 1);
    assert.equal((await backend.deleteSchema('clickstream', 'Frozen')).schemaName, 'Frozen');
    await glueRejects(backend.getSchemaVersionById(frozen.versionId), 'EntityNotFoundException');
    const click = await backend.getSchemaVersion('clickstream', 'ClickEvent', 1);
    assert.equal((await backend.deleteRegistry('clickstream')).status, 'DELETING');
    await glueRejects(backend.getSchemaVersionById(click.versionId), 'EntityNotFoundException');
    await glueRejects(backend.listSchemas('clickstream'), 'EntityNotFoundException');
    assert.ok(!(await store.listSubjects(true)).includes('clickstream:ClickEvent'));
  });
});
