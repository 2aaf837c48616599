// One registry, both APIs: the AWS SDK's Glue client and plain Confluent REST calls on the same port,
// over the same store: a schema created through Glue is a Confluent subject, and the reverse.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateRegistryCommand,
  CreateSchemaCommand,
  GetSchemaByDefinitionCommand,
  GetSchemaVersionCommand,
  GlueClient,
  InvalidInputException,
  ListSchemasCommand,
  RegisterSchemaVersionCommand,
} from '@aws-sdk/client-glue';
import { type Registry, startRegistry } from '../../../src/registry/server.ts';
import { startTempBroker, type TempBroker } from '../../helpers/temp-broker.ts';
import { record } from '../store/helpers.ts';

const V1 = record(
  'ClickEvent',
  [
    ['ip', 'string'],
    ['userid', 'int'],
  ],
  { namespace: 'samples.clickstream.avro' },
);
const V2 = record(
  'ClickEvent',
  [
    ['ip', 'string'],
    ['userid', 'int'],
    ['globalseq', 'long', 0],
  ],
  { namespace: 'samples.clickstream.avro' },
);
const BREAKING = record('ClickEvent', [['ip', 'string']], { namespace: 'samples.clickstream.avro' });

describe('Glue and Confluent APIs on one registry', () => {
  let tb: TempBroker;
  let registry: Registry;
  let glue: GlueClient;
  before(async () => {
    tb = await startTempBroker();
    registry = await startRegistry({ port: 0, bootstrap: tb.bootstrap, glue: { region: 'eu-west-1', accountId: '123456789012' } });
    glue = new GlueClient({
      endpoint: registry.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      maxAttempts: 1,
    });
  });
  after(async () => {
    glue?.destroy();
    await registry?.close();
    await tb.dispose();
  });

  test('a FULL Glue schema: versions by UUID, refusal of a breaking one, the same versions over REST', async () => {
    await glue.send(new CreateRegistryCommand({ RegistryName: 'clickstream' }));
    const created = await glue.send(
      new CreateSchemaCommand({
        RegistryId: { RegistryName: 'clickstream' },
        SchemaName: 'ClickEvent',
        DataFormat: 'AVRO',
        Compatibility: 'FULL',
        SchemaDefinition: V1,
      }),
    );
    assert.equal(created.SchemaArn, 'arn:aws:glue:eu-west-1:123456789012:schema/clickstream/ClickEvent');
    assert.equal(created.LatestSchemaVersion, 1);
    const schemaId = { RegistryName: 'clickstream', SchemaName: 'ClickEvent' };
    const v2 = await glue.send(new RegisterSchemaVersionCommand({ SchemaId: schemaId, SchemaDefinition: V2 }));
    assert.equal(v2.VersionNumber, 2);
    await assert.rejects(
      glue.send(new RegisterSchemaVersionCommand({ SchemaId: schemaId, SchemaDefinition: BREAKING })),
      InvalidInputException,
    );

    const byId = await glue.send(new GetSchemaVersionCommand({ SchemaVersionId: v2.SchemaVersionId }));
    assert.deepEqual([byId.VersionNumber, byId.SchemaDefinition, byId.Status], [2, V2, 'AVAILABLE']);
    const byDef = await glue.send(new GetSchemaByDefinitionCommand({ SchemaId: schemaId, SchemaDefinition: V1 }));
    assert.equal(byDef.SchemaVersionId, created.SchemaVersionId);

    const rest = await fetch(`${registry.url}/subjects/${encodeURIComponent('clickstream:ClickEvent')}/versions/2`);
    const body = (await rest.json()) as { id: number; schema: string };
    assert.equal(body.schema, V2);
    assert.equal((await registry.store.glueVersionById(v2.SchemaVersionId!)).versionNumber, 2);
    const config = await fetch(`${registry.url}/config/${encodeURIComponent('clickstream:ClickEvent')}`);
    assert.deepEqual(await config.json(), { compatibilityLevel: 'FULL' });
  });

  test('a subject registered over REST is a schema of default-registry for Glue', async () => {
    const res = await fetch(`${registry.url}/subjects/orders-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema: V1 }),
    });
    assert.equal(res.status, 200);
    const listed = await glue.send(new ListSchemasCommand({ RegistryId: { RegistryName: 'default-registry' } }));
    assert.deepEqual(
      listed.Schemas?.map((s) => s.SchemaName),
      ['orders-value'],
    );
    const latest = await glue.send(
      new GetSchemaVersionCommand({
        SchemaId: { RegistryName: 'default-registry', SchemaName: 'orders-value' },
        SchemaVersionNumber: { LatestVersion: true },
      }),
    );
    assert.equal(latest.SchemaDefinition, V1);
  });
});
