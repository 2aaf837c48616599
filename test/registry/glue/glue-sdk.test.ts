// The AWS SDK's own Glue client against Brook's Glue API: registries, the clickstream schema under
// FULL compatibility, versions by UUID, number and latest, lookups by definition, paging, metadata.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CheckSchemaVersionValidityCommand,
  CreateRegistryCommand,
  CreateSchemaCommand,
  DeleteRegistryCommand,
  DeleteSchemaCommand,
  EntityNotFoundException,
  GetRegistryCommand,
  GetSchemaByDefinitionCommand,
  GetSchemaCommand,
  GetSchemaVersionCommand,
  GetSchemaVersionsDiffCommand,
  GlueClient,
  InvalidInputException,
  ListRegistriesCommand,
  ListSchemasCommand,
  ListSchemaVersionsCommand,
  paginateListRegistries,
  paginateListSchemaVersions,
  RegisterSchemaVersionCommand,
  UpdateRegistryCommand,
  UpdateSchemaCommand,
} from '@aws-sdk/client-glue';
import { CLICK_EVENT_INCOMPATIBLE, CLICK_EVENT_V1, CLICK_EVENT_V2 } from './clickstream.ts';
import { startGlueHarness } from './harness.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;
const REGISTRY = 'clickstream-registry';
const SCHEMA = 'clickstream';
const schemaId = { RegistryName: REGISTRY, SchemaName: SCHEMA };

async function createClickstream(client: GlueClient) {
  await client.send(new CreateRegistryCommand({ RegistryName: REGISTRY }));
  return client.send(
    new CreateSchemaCommand({
      RegistryId: { RegistryName: REGISTRY },
      SchemaName: SCHEMA,
      DataFormat: 'AVRO',
      Compatibility: 'FULL',
      Description: 'clickstream events',
      Tags: { team: 'brook' },
      SchemaDefinition: CLICK_EVENT_V1,
    }),
  );
}

test('registries: create, get by name and ARN, update, list, delete', async () => {
  const h = await startGlueHarness({ region: 'eu-west-1', accountId: '123456789012' });
  try {
    const created = await h.client.send(
      new CreateRegistryCommand({ RegistryName: 'analytics', Description: 'first', Tags: { env: 'test' } }),
    );
    assert.equal(created.RegistryArn, 'arn:aws:glue:eu-west-1:123456789012:registry/analytics');
    assert.equal(created.RegistryName, 'analytics');
    assert.equal(created.Description, 'first');
    assert.deepEqual(created.Tags, { env: 'test' });

    const byName = await h.client.send(new GetRegistryCommand({ RegistryId: { RegistryName: 'analytics' } }));
    const byArn = await h.client.send(new GetRegistryCommand({ RegistryId: { RegistryArn: created.RegistryArn } }));
    assert.equal(byName.Status, 'AVAILABLE');
    assert.match(byName.CreatedTime!, ISO);
    assert.match(byName.UpdatedTime!, ISO);
    assert.equal(byArn.RegistryName, 'analytics');

    const updated = await h.client.send(new UpdateRegistryCommand({ RegistryId: { RegistryName: 'analytics' }, Description: 'second' }));
    assert.deepEqual({ n: updated.RegistryName, a: updated.RegistryArn }, { n: 'analytics', a: created.RegistryArn });
    const after = await h.client.send(new GetRegistryCommand({ RegistryId: { RegistryName: 'analytics' } }));
    assert.equal(after.Description, 'second');
    assert.ok(after.UpdatedTime! > after.CreatedTime!);

    const list = await h.client.send(new ListRegistriesCommand({}));
    assert.deepEqual(
      list.Registries?.map((r) => r.RegistryName),
      ['analytics', 'default-registry'],
    );
    assert.equal(list.NextToken, undefined);

    const deleted = await h.client.send(new DeleteRegistryCommand({ RegistryId: { RegistryName: 'analytics' } }));
    assert.deepEqual({ n: deleted.RegistryName, s: deleted.Status }, { n: 'analytics', s: 'DELETING' });
    await assert.rejects(h.client.send(new GetRegistryCommand({ RegistryId: { RegistryName: 'analytics' } })), EntityNotFoundException);
  } finally {
    await h.close();
  }
});

test('clickstream under FULL: a compatible version registers, an incompatible one is refused', async () => {
  const h = await startGlueHarness();
  try {
    const created = await createClickstream(h.client);
    assert.equal(created.SchemaArn, `arn:aws:glue:us-east-1:000000000000:schema/${REGISTRY}/${SCHEMA}`);
    assert.equal(created.RegistryArn, `arn:aws:glue:us-east-1:000000000000:registry/${REGISTRY}`);
    assert.equal(created.Compatibility, 'FULL');
    assert.equal(created.DataFormat, 'AVRO');
    assert.equal(created.SchemaStatus, 'AVAILABLE');
    assert.equal(created.SchemaVersionStatus, 'AVAILABLE');
    assert.match(created.SchemaVersionId!, UUID);
    assert.deepEqual([created.SchemaCheckpoint, created.LatestSchemaVersion, created.NextSchemaVersion], [1, 1, 2]);
    assert.deepEqual(created.Tags, { team: 'brook' });

    const v2 = await h.client.send(new RegisterSchemaVersionCommand({ SchemaId: schemaId, SchemaDefinition: CLICK_EVENT_V2 }));
    assert.equal(v2.VersionNumber, 2);
    assert.equal(v2.Status, 'AVAILABLE');
    assert.match(v2.SchemaVersionId!, UUID);
    assert.notEqual(v2.SchemaVersionId, created.SchemaVersionId);

    // The same definition again, even laid out differently, is the same version.
    const again = await h.client.send(
      new RegisterSchemaVersionCommand({
        SchemaId: { SchemaArn: created.SchemaArn },
        SchemaDefinition: JSON.stringify(JSON.parse(CLICK_EVENT_V2)),
      }),
    );
    assert.deepEqual([again.SchemaVersionId, again.VersionNumber], [v2.SchemaVersionId, 2]);

    const refused = await h.client
      .send(new RegisterSchemaVersionCommand({ SchemaId: schemaId, SchemaDefinition: CLICK_EVENT_INCOMPATIBLE }))
      .then(
        () => assert.fail('an incompatible version was accepted'),
        (err: unknown) => err,
      );
    assert.ok(refused instanceof InvalidInputException, `expected InvalidInputException, got ${String(refused)}`);
    assert.equal(refused.name, 'InvalidInputException');
    assert.equal(refused.$fault, 'client');
    assert.equal(refused.$metadata.httpStatusCode, 400);
    assert.match(refused.message, /not compatible.*FULL.*sessionid/);

    const schema = await h.client.send(new GetSchemaCommand({ SchemaId: schemaId }));
    assert.deepEqual([schema.LatestSchemaVersion, schema.NextSchemaVersion, schema.SchemaCheckpoint], [2, 3, 1]);
    assert.equal(schema.Description, 'clickstream events');
    assert.match(schema.CreatedTime!, ISO);
    assert.match(schema.UpdatedTime!, ISO);
  } finally {
    await h.close();
  }
});

test('versions read back by UUID, by number, as latest, and by definition', async () => {
  const h = await startGlueHarness();
  try {
    const created = await createClickstream(h.client);
    const v2 = await h.client.send(new RegisterSchemaVersionCommand({ SchemaId: schemaId, SchemaDefinition: CLICK_EVENT_V2 }));

    const byId = await h.client.send(new GetSchemaVersionCommand({ SchemaVersionId: created.SchemaVersionId }));
    assert.equal(byId.SchemaDefinition, CLICK_EVENT_V1);
    assert.equal(byId.VersionNumber, 1);
    assert.equal(byId.DataFormat, 'AVRO');
    assert.equal(byId.Status, 'AVAILABLE');
    assert.equal(byId.SchemaArn, created.SchemaArn);
    assert.match(byId.CreatedTime!, ISO);

    const byNumber = await h.client.send(new GetSchemaVersionCommand({ SchemaId: schemaId, SchemaVersionNumber: { VersionNumber: 2 } }));
    assert.equal(byNumber.SchemaVersionId, v2.SchemaVersionId);
    assert.equal(byNumber.SchemaDefinition, CLICK_EVENT_V2);

    const latest = await h.client.send(
      new GetSchemaVersionCommand({ SchemaId: { SchemaArn: created.SchemaArn }, SchemaVersionNumber: { LatestVersion: true } }),
    );
    assert.equal(latest.SchemaVersionId, v2.SchemaVersionId);

    const byDefinition = await h.client.send(new GetSchemaByDefinitionCommand({ SchemaId: schemaId, SchemaDefinition: CLICK_EVENT_V1 }));
    assert.equal(byDefinition.SchemaVersionId, created.SchemaVersionId);
    assert.equal(byDefinition.SchemaArn, created.SchemaArn);
    assert.equal(byDefinition.DataFormat, 'AVRO');
    assert.equal(byDefinition.Status, 'AVAILABLE');
    assert.match(byDefinition.CreatedTime!, ISO);

    // What a Glue serializer does before auto-registering: an unknown definition is EntityNotFound.
    await assert.rejects(
      h.client.send(new GetSchemaByDefinitionCommand({ SchemaId: schemaId, SchemaDefinition: CLICK_EVENT_INCOMPATIBLE })),
      EntityNotFoundException,
    );
    await assert.rejects(
      h.client.send(new GetSchemaVersionCommand({ SchemaId: schemaId, SchemaVersionNumber: { VersionNumber: 9 } })),
      EntityNotFoundException,
    );
    // A version id named together with a schema it does not belong to.
    await h.client.send(new CreateSchemaCommand({ SchemaName: 'other', DataFormat: 'AVRO', SchemaDefinition: '"string"' }));
    await assert.rejects(
      h.client.send(
        new GetSchemaVersionCommand({
          SchemaId: { RegistryName: 'default-registry', SchemaName: 'other' },
          SchemaVersionId: created.SchemaVersionId,
        }),
      ),
      EntityNotFoundException,
    );
  } finally {
    await h.close();
  }
});

test('ListSchemaVersions pages with MaxResults and NextToken, also through the SDK paginator', async () => {
  const h = await startGlueHarness();
  try {
    await h.client.send(new CreateRegistryCommand({ RegistryName: REGISTRY }));
    await h.client.send(
      new CreateSchemaCommand({
        RegistryId: { RegistryName: REGISTRY },
        SchemaName: SCHEMA,
        DataFormat: 'AVRO',
        Compatibility: 'NONE',
        SchemaDefinition: CLICK_EVENT_V1,
      }),
    );
    for (const extra of ['a', 'b', 'c', 'd']) {
      const def = JSON.stringify({
        ...JSON.parse(CLICK_EVENT_V1),
        fields: [...JSON.parse(CLICK_EVENT_V1).fields, { name: extra, type: 'int', default: 0 }],
      });
      await h.client.send(new RegisterSchemaVersionCommand({ SchemaId: schemaId, SchemaDefinition: def }));
    }
    const first = await h.client.send(new ListSchemaVersionsCommand({ SchemaId: schemaId, MaxResults: 2 }));
    assert.deepEqual(
      first.Schemas?.map((v) => v.VersionNumber),
      [1, 2],
    );
    assert.ok(first.NextToken);
    const second = await h.client.send(new ListSchemaVersionsCommand({ SchemaId: schemaId, MaxResults: 2, NextToken: first.NextToken }));
    assert.deepEqual(
      second.Schemas?.map((v) => v.VersionNumber),
      [3, 4],
    );
    const third = await h.client.send(new ListSchemaVersionsCommand({ SchemaId: schemaId, MaxResults: 2, NextToken: second.NextToken }));
    assert.deepEqual(
      third.Schemas?.map((v) => v.VersionNumber),
      [5],
    );
    assert.equal(third.NextToken, undefined);
    const item = first.Schemas![0]!;
    assert.equal(item.SchemaArn, `arn:aws:glue:us-east-1:000000000000:schema/${REGISTRY}/${SCHEMA}`);
    assert.match(item.SchemaVersionId!, UUID);
    assert.equal(item.Status, 'AVAILABLE');
    assert.match(item.CreatedTime!, ISO);

    const seen: number[] = [];
    for await (const page of paginateListSchemaVersions({ client: h.client, pageSize: 3 }, { SchemaId: schemaId })) {
      assert.ok((page.Schemas?.length ?? 0) <= 3);
      for (const v of page.Schemas ?? []) seen.push(v.VersionNumber!);
    }
    assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  } finally {
    await h.close();
  }
});

test('ListRegistries and ListSchemas page; a token only works for the request it came from', async () => {
  const h = await startGlueHarness();
  try {
    for (const name of ['r3', 'r1', 'r2']) await h.client.send(new CreateRegistryCommand({ RegistryName: name }));
    const names: string[] = [];
    for await (const page of paginateListRegistries({ client: h.client, pageSize: 2 }, {})) {
      for (const r of page.Registries ?? []) names.push(r.RegistryName!);
    }
    assert.deepEqual(names, ['default-registry', 'r1', 'r2', 'r3']);

    for (const [registry, schema] of [
      ['r1', 'b'],
      ['r1', 'a'],
      ['r2', 'a'],
    ] as const) {
      await h.client.send(
        new CreateSchemaCommand({
          RegistryId: { RegistryName: registry },
          SchemaName: schema,
          DataFormat: 'AVRO',
          SchemaDefinition: '"int"',
        }),
      );
    }
    const all = await h.client.send(new ListSchemasCommand({}));
    assert.deepEqual(
      all.Schemas?.map((s) => `${s.RegistryName}/${s.SchemaName}`),
      ['r1/a', 'r1/b', 'r2/a'],
    );
    const inR1 = await h.client.send(new ListSchemasCommand({ RegistryId: { RegistryName: 'r1' }, MaxResults: 1 }));
    assert.deepEqual(
      inR1.Schemas?.map((s) => s.SchemaName),
      ['a'],
    );
    assert.equal(inR1.Schemas?.[0]?.SchemaStatus, 'AVAILABLE');
    assert.equal(inR1.Schemas?.[0]?.SchemaArn, 'arn:aws:glue:us-east-1:000000000000:schema/r1/a');
    const rest = await h.client.send(new ListSchemasCommand({ RegistryId: { RegistryName: 'r1' }, NextToken: inR1.NextToken }));
    assert.deepEqual(
      rest.Schemas?.map((s) => s.SchemaName),
      ['b'],
    );

    await assert.rejects(h.client.send(new ListSchemasCommand({ RegistryId: { RegistryName: 'r2' }, NextToken: inR1.NextToken })), {
      name: 'InvalidInputException',
      message: /NextToken was issued for a different request/,
    });
    await assert.rejects(h.client.send(new ListRegistriesCommand({ NextToken: 'not-a-token' })), {
      name: 'InvalidInputException',
      message: /NextToken is not a token this registry issued/,
    });
    await assert.rejects(h.client.send(new ListSchemasCommand({ RegistryId: { RegistryName: 'nope' } })), EntityNotFoundException);
  } finally {
    await h.close();
  }
});

test('UpdateSchema: compatibility and description with the checkpoint Terraform sends; checkpoint moves refused', async () => {
  const h = await startGlueHarness();
  try {
    await createClickstream(h.client);
    await h.client.send(new RegisterSchemaVersionCommand({ SchemaId: schemaId, SchemaDefinition: CLICK_EVENT_V2 }));

    const updated = await h.client.send(
      new UpdateSchemaCommand({ SchemaId: schemaId, SchemaVersionNumber: { LatestVersion: true }, Compatibility: 'NONE' }),
    );
    assert.deepEqual([updated.RegistryName, updated.SchemaName], [REGISTRY, SCHEMA]);
    assert.equal(updated.SchemaArn, `arn:aws:glue:us-east-1:000000000000:schema/${REGISTRY}/${SCHEMA}`);
    const schema = await h.client.send(new GetSchemaCommand({ SchemaId: schemaId }));
    assert.equal(schema.Compatibility, 'NONE');
    assert.equal(schema.SchemaCheckpoint, 1);

    // Under NONE the version FULL refused is taken.
    const v3 = await h.client.send(new RegisterSchemaVersionCommand({ SchemaId: schemaId, SchemaDefinition: CLICK_EVENT_INCOMPATIBLE }));
    assert.equal(v3.VersionNumber, 3);

    await h.client.send(new UpdateSchemaCommand({ SchemaId: schemaId, Description: 'renamed' }));
    assert.equal((await h.client.send(new GetSchemaCommand({ SchemaId: schemaId }))).Description, 'renamed');

    await assert.rejects(h.client.send(new UpdateSchemaCommand({ SchemaId: schemaId, Compatibility: 'FULL' })), {
      name: 'InvalidInputException',
      message: /Compatibility change needs SchemaVersionNumber/,
    });
    await assert.rejects(h.client.send(new UpdateSchemaCommand({ SchemaId: schemaId, SchemaVersionNumber: { VersionNumber: 2 } })), {
      name: 'InvalidInputException',
      message: /does not move schema checkpoints.*stays 1/,
    });
    // Naming the current checkpoint moves nothing, so it is accepted.
    await h.client.send(new UpdateSchemaCommand({ SchemaId: schemaId, SchemaVersionNumber: { VersionNumber: 1 } }));
    await assert.rejects(
      h.client.send(new UpdateSchemaCommand({ SchemaId: schemaId, SchemaVersionNumber: { VersionNumber: 7 }, Compatibility: 'FULL' })),
      {
        name: 'InvalidInputException',
        message: /SchemaVersionNumber 7 does not name a version/,
      },
    );
    await assert.rejects(h.client.send(new UpdateSchemaCommand({ SchemaId: schemaId })), {
      name: 'InvalidInputException',
      message: /needs SchemaVersionNumber, Compatibility or Description/,
    });
  } finally {
    await h.close();
  }
});

test('CreateSchema: default registry when RegistryId is absent, AVRO only, names unique', async () => {
  const h = await startGlueHarness();
  try {
    const created = await h.client.send(
      new CreateSchemaCommand({ SchemaName: 'clicks-value', DataFormat: 'AVRO', SchemaDefinition: CLICK_EVENT_V1 }),
    );
    assert.equal(created.RegistryName, 'default-registry');
    assert.equal(created.SchemaArn, 'arn:aws:glue:us-east-1:000000000000:schema/default-registry/clicks-value');
    assert.equal(created.Compatibility, 'BACKWARD', 'Glue defaults to BACKWARD');

    await assert.rejects(
      h.client.send(new CreateSchemaCommand({ SchemaName: 'clicks-value', DataFormat: 'AVRO', SchemaDefinition: CLICK_EVENT_V1 })),
      {
        name: 'AlreadyExistsException',
      },
    );
    await assert.rejects(
      h.client.send(new CreateSchemaCommand({ SchemaName: 'j', DataFormat: 'JSON', SchemaDefinition: '{"type":"object"}' })),
      {
        name: 'InvalidInputException',
        message: /DataFormat JSON is not supported yet/,
      },
    );
    await assert.rejects(
      h.client.send(new CreateSchemaCommand({ SchemaName: 'bad', DataFormat: 'AVRO', SchemaDefinition: '{"type":"record"}' })),
      {
        name: 'InvalidInputException',
        message: /Invalid AVRO schema/,
      },
    );
    await assert.rejects(
      h.client.send(
        new CreateSchemaCommand({ RegistryId: { RegistryName: 'absent' }, SchemaName: 's', DataFormat: 'AVRO', SchemaDefinition: '"int"' }),
      ),
      EntityNotFoundException,
    );
  } finally {
    await h.close();
  }
});

test('CheckSchemaVersionValidity parses without registering', async () => {
  const h = await startGlueHarness();
  try {
    const ok = await h.client.send(new CheckSchemaVersionValidityCommand({ DataFormat: 'AVRO', SchemaDefinition: CLICK_EVENT_V1 }));
    assert.deepEqual([ok.Valid, ok.Error], [true, undefined]);
    const bad = await h.client.send(
      new CheckSchemaVersionValidityCommand({ DataFormat: 'AVRO', SchemaDefinition: '{"type":"record","name":"X"}' }),
    );
    assert.equal(bad.Valid, false);
    assert.ok(bad.Error && bad.Error.length > 0);
    await assert.rejects(
      h.client.send(new CheckSchemaVersionValidityCommand({ DataFormat: 'PROTOBUF', SchemaDefinition: 'syntax = "proto3";' })),
      {
        name: 'InvalidInputException',
      },
    );
    assert.equal(h.backend.schemas.size, 0);
  } finally {
    await h.close();
  }
});

test('DeleteSchema and DeleteRegistry take their versions with them', async () => {
  const h = await startGlueHarness();
  try {
    const created = await createClickstream(h.client);
    const deleted = await h.client.send(new DeleteSchemaCommand({ SchemaId: schemaId }));
    assert.deepEqual([deleted.SchemaName, deleted.Status, deleted.SchemaArn], [SCHEMA, 'DELETING', created.SchemaArn]);
    await assert.rejects(h.client.send(new GetSchemaCommand({ SchemaId: schemaId })), EntityNotFoundException);
    await assert.rejects(h.client.send(new GetSchemaVersionCommand({ SchemaVersionId: created.SchemaVersionId })), EntityNotFoundException);
    await assert.rejects(h.client.send(new DeleteSchemaCommand({ SchemaId: schemaId })), EntityNotFoundException);

    const again = await h.client.send(
      new CreateSchemaCommand({
        RegistryId: { RegistryName: REGISTRY },
        SchemaName: SCHEMA,
        DataFormat: 'AVRO',
        SchemaDefinition: CLICK_EVENT_V1,
      }),
    );
    await h.client.send(new DeleteRegistryCommand({ RegistryId: { RegistryName: REGISTRY } }));
    await assert.rejects(h.client.send(new GetSchemaVersionCommand({ SchemaVersionId: again.SchemaVersionId })), EntityNotFoundException);
    await assert.rejects(h.client.send(new DeleteRegistryCommand({ RegistryId: { RegistryName: 'default-registry' } })), {
      name: 'InvalidInputException',
    });
  } finally {
    await h.close();
  }
});

test('GetSchemaVersionsDiff answers a JSON Patch from the first version to the second', async () => {
  const h = await startGlueHarness();
  try {
    await createClickstream(h.client);
    await h.client.send(new RegisterSchemaVersionCommand({ SchemaId: schemaId, SchemaDefinition: CLICK_EVENT_V2 }));
    const diff = await h.client.send(
      new GetSchemaVersionsDiffCommand({
        SchemaId: schemaId,
        FirstSchemaVersionNumber: { VersionNumber: 1 },
        SecondSchemaVersionNumber: { LatestVersion: true },
        SchemaDiffType: 'SYNTAX_DIFF',
      }),
    );
    assert.deepEqual(JSON.parse(diff.Diff!), [
      { op: 'add', path: '/fields/8', value: { name: 'referrer', type: ['null', 'string'], default: null } },
    ]);
  } finally {
    await h.close();
  }
});

test('an SDK endpoint with a path (http://host:port/glue) reaches the same API', async () => {
  const h = await startGlueHarness();
  const client = new GlueClient({
    endpoint: `${h.url}/glue`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 1,
  });
  try {
    const r = await client.send(new GetRegistryCommand({ RegistryId: { RegistryName: 'default-registry' } }));
    assert.equal(r.RegistryArn, 'arn:aws:glue:us-east-1:000000000000:registry/default-registry');
  } finally {
    client.destroy();
    await h.close();
  }
});
