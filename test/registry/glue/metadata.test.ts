// Schema version metadata through the AWS SDK: put, query (all, filtered, paged), remove, limits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AlreadyExistsException,
  CreateSchemaCommand,
  EntityNotFoundException,
  PutSchemaVersionMetadataCommand,
  QuerySchemaVersionMetadataCommand,
  RegisterSchemaVersionCommand,
  RemoveSchemaVersionMetadataCommand,
  ResourceNumberLimitExceededException,
} from '@aws-sdk/client-glue';
import { CLICK_EVENT_V1, CLICK_EVENT_V2 } from './clickstream.ts';
import { startGlueHarness } from './harness.ts';

const schemaId = { RegistryName: 'default-registry', SchemaName: 'clicks-value' };

async function setUp() {
  const h = await startGlueHarness();
  const v1 = await h.client.send(
    new CreateSchemaCommand({ SchemaName: schemaId.SchemaName, DataFormat: 'AVRO', SchemaDefinition: CLICK_EVENT_V1 }),
  );
  const v2 = await h.client.send(new RegisterSchemaVersionCommand({ SchemaId: schemaId, SchemaDefinition: CLICK_EVENT_V2 }));
  return { h, v1Id: v1.SchemaVersionId!, v2Id: v2.SchemaVersionId! };
}

test('put, query and remove metadata pairs; a key holds several values, newest first', async () => {
  const { h, v1Id, v2Id } = await setUp();
  try {
    const put = await h.client.send(
      new PutSchemaVersionMetadataCommand({ SchemaVersionId: v1Id, MetadataKeyValue: { MetadataKey: 'owner', MetadataValue: 'team-a' } }),
    );
    assert.deepEqual(
      { ...put, $metadata: undefined },
      {
        $metadata: undefined,
        SchemaArn: 'arn:aws:glue:us-east-1:000000000000:schema/default-registry/clicks-value',
        SchemaName: 'clicks-value',
        RegistryName: 'default-registry',
        LatestVersion: false,
        VersionNumber: 1,
        SchemaVersionId: v1Id,
        MetadataKey: 'owner',
        MetadataValue: 'team-a',
      },
    );
    await h.client.send(
      new PutSchemaVersionMetadataCommand({
        SchemaId: schemaId,
        SchemaVersionNumber: { VersionNumber: 1 },
        MetadataKeyValue: { MetadataKey: 'owner', MetadataValue: 'team-b' },
      }),
    );
    await h.client.send(
      new PutSchemaVersionMetadataCommand({ SchemaVersionId: v1Id, MetadataKeyValue: { MetadataKey: 'pii', MetadataValue: 'no' } }),
    );
    const onLatest = await h.client.send(
      new PutSchemaVersionMetadataCommand({
        SchemaId: schemaId,
        SchemaVersionNumber: { LatestVersion: true },
        MetadataKeyValue: { MetadataKey: 'k', MetadataValue: 'v' },
      }),
    );
    assert.deepEqual([onLatest.SchemaVersionId, onLatest.LatestVersion, onLatest.VersionNumber], [v2Id, true, 2]);

    const all = await h.client.send(new QuerySchemaVersionMetadataCommand({ SchemaVersionId: v1Id }));
    assert.equal(all.SchemaVersionId, v1Id);
    assert.deepEqual(Object.keys(all.MetadataInfoMap ?? {}).sort(), ['owner', 'pii']);
    const owner = all.MetadataInfoMap!.owner!;
    assert.equal(owner.MetadataValue, 'team-b');
    assert.match(owner.CreatedTime!, /Z$/);
    assert.deepEqual(
      owner.OtherMetadataValueList?.map((o) => o.MetadataValue),
      ['team-a'],
    );
    assert.ok(owner.OtherMetadataValueList![0]!.CreatedTime! < owner.CreatedTime!);
    assert.equal(all.MetadataInfoMap!.pii!.OtherMetadataValueList, undefined);

    const filtered = await h.client.send(
      new QuerySchemaVersionMetadataCommand({
        SchemaId: schemaId,
        SchemaVersionNumber: { VersionNumber: 1 },
        MetadataList: [{ MetadataKey: 'owner', MetadataValue: 'team-a' }],
      }),
    );
    assert.deepEqual(filtered.MetadataInfoMap, {
      owner: { MetadataValue: 'team-a', CreatedTime: owner.OtherMetadataValueList![0]!.CreatedTime },
    });

    const page1 = await h.client.send(new QuerySchemaVersionMetadataCommand({ SchemaVersionId: v1Id, MaxResults: 1 }));
    assert.deepEqual(Object.keys(page1.MetadataInfoMap ?? {}), ['owner']);
    const page2 = await h.client.send(
      new QuerySchemaVersionMetadataCommand({ SchemaVersionId: v1Id, MaxResults: 1, NextToken: page1.NextToken }),
    );
    assert.deepEqual(Object.keys(page2.MetadataInfoMap ?? {}), ['pii']);
    assert.equal(page2.NextToken, undefined);

    const removed = await h.client.send(
      new RemoveSchemaVersionMetadataCommand({
        SchemaVersionId: v1Id,
        MetadataKeyValue: { MetadataKey: 'owner', MetadataValue: 'team-a' },
      }),
    );
    assert.deepEqual([removed.MetadataKey, removed.MetadataValue, removed.VersionNumber], ['owner', 'team-a', 1]);
    const afterRemove = await h.client.send(
      new QuerySchemaVersionMetadataCommand({ SchemaVersionId: v1Id, MetadataList: [{ MetadataKey: 'owner' }] }),
    );
    assert.deepEqual(
      Object.entries(afterRemove.MetadataInfoMap ?? {}).map(([k, v]) => [k, v.MetadataValue, v.OtherMetadataValueList]),
      [['owner', 'team-b', undefined]],
    );
    await assert.rejects(
      h.client.send(
        new RemoveSchemaVersionMetadataCommand({
          SchemaVersionId: v1Id,
          MetadataKeyValue: { MetadataKey: 'owner', MetadataValue: 'team-a' },
        }),
      ),
      EntityNotFoundException,
    );
  } finally {
    await h.close();
  }
});

test('metadata refusals: duplicate pair, more than ten pairs, unknown version, bad key', async () => {
  const { h, v1Id } = await setUp();
  try {
    const put = (key: string, value: string, id = v1Id) =>
      h.client.send(
        new PutSchemaVersionMetadataCommand({ SchemaVersionId: id, MetadataKeyValue: { MetadataKey: key, MetadataValue: value } }),
      );
    await put('dup', 'x');
    await assert.rejects(put('dup', 'x'), AlreadyExistsException);
    for (let i = 1; i < 10; i++) await put(`k${i}`, 'v');
    const err = await put('eleventh', 'v').catch((e: unknown) => e);
    assert.ok(err instanceof ResourceNumberLimitExceededException, String(err));
    assert.match(err.message, /at most 10 metadata/);
    await assert.rejects(put('k', 'v', '00000000-0000-4000-8000-000000000000'), EntityNotFoundException);
    await assert.rejects(put('bad key', 'v'), {
      name: 'InvalidInputException',
      message: `Value "bad key" at 'MetadataKeyValue.MetadataKey' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9+-=._./@]+`,
    });
    await assert.rejects(
      h.client.send(new PutSchemaVersionMetadataCommand({ SchemaVersionId: v1Id, MetadataKeyValue: { MetadataKey: 'k' } })),
      {
        name: 'InvalidInputException',
        message: `'MetadataKeyValue.MetadataValue' is required`,
      },
    );
    await assert.rejects(h.client.send(new QuerySchemaVersionMetadataCommand({ SchemaVersionId: v1Id, MaxResults: 51 })), {
      name: 'InvalidInputException',
      message: `Value 51 at 'MaxResults' failed to satisfy constraint: Member must have value less than or equal to 50`,
    });
    await assert.rejects(h.client.send(new QuerySchemaVersionMetadataCommand({ SchemaId: schemaId })), {
      name: 'InvalidInputException',
      message: /SchemaVersionNumber is required/,
    });
  } finally {
    await h.close();
  }
});
