// PutSchemaVersionMetadata, QuerySchemaVersionMetadata, RemoveSchemaVersionMetadata. A key may hold
// several values; Query shows the newest as MetadataValue and the older ones, newest first, after it.
import { schemaArn } from '../arn.ts';
import type { MetadataRecord, SchemaVersionRecord } from '../backend.ts';
import { GlueError } from '../errors.ts';
import * as f from '../fields.ts';
import { at, type Input, optList, optString, optStruct, required } from '../input.ts';
import { paginate } from '../pagination.ts';
import { isoTime } from '../shapes.ts';
import { type GlueContext, type GlueOperation, tokenOf } from './context.ts';
import { resolveVersion } from './versions.ts';

function pair(input: Input, field: string): { key: string; value: string } {
  const kv = required(optStruct(input, field), field);
  const key = f.metadataKey(required(optString(kv, 'MetadataKey', field), at(field, 'MetadataKey')), at(field, 'MetadataKey'));
  const value = f.metadataValue(required(optString(kv, 'MetadataValue', field), at(field, 'MetadataValue')), at(field, 'MetadataValue'));
  return { key, value };
}

async function pairResponse(ctx: GlueContext, v: SchemaVersionRecord, m: MetadataRecord) {
  const schema = await ctx.backend.getSchema(v.registryName, v.schemaName);
  return {
    SchemaArn: schemaArn(ctx.scope, v.registryName, v.schemaName),
    SchemaName: v.schemaName,
    RegistryName: v.registryName,
    LatestVersion: schema.latestVersion === v.versionNumber,
    VersionNumber: v.versionNumber,
    SchemaVersionId: v.versionId,
    MetadataKey: m.key,
    MetadataValue: m.value,
  };
}

export const putSchemaVersionMetadata: GlueOperation = async (input, ctx) => {
  const { key, value } = pair(input, 'MetadataKeyValue');
  const v = await resolveVersion(input, ctx.backend);
  const m = await ctx.backend.putVersionMetadata(v.versionId, key, value);
  return pairResponse(ctx, v, m);
};

export const removeSchemaVersionMetadata: GlueOperation = async (input, ctx) => {
  const { key, value } = pair(input, 'MetadataKeyValue');
  const v = await resolveVersion(input, ctx.backend);
  const m = await ctx.backend.removeVersionMetadata(v.versionId, key, value);
  return pairResponse(ctx, v, m);
};

interface Filter {
  key?: string;
  value?: string;
}

function filters(input: Input): Filter[] {
  const list = optList(input, 'MetadataList') ?? [];
  return list.map((item, i) => {
    const path = `MetadataList[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new GlueError('SerializationException', `'${path}' must be an object`);
    const key = optString(item as Input, 'MetadataKey', path);
    const value = optString(item as Input, 'MetadataValue', path);
    return {
      key: key === undefined ? undefined : f.metadataKey(key, at(path, 'MetadataKey')),
      value: value === undefined ? undefined : f.metadataValue(value, at(path, 'MetadataValue')),
    };
  });
}

export const querySchemaVersionMetadata: GlueOperation = async (input, { backend }) => {
  const wanted = filters(input);
  const maxResults = f.maxResults(input, 50);
  const nextToken = tokenOf(optString(input, 'NextToken'));
  const v = await resolveVersion(input, backend);
  const matches = (m: MetadataRecord) =>
    wanted.length === 0 || wanted.some((w) => (w.key === undefined || w.key === m.key) && (w.value === undefined || w.value === m.value));
  const byKey = new Map<string, MetadataRecord[]>();
  for (const m of await backend.listVersionMetadata(v.versionId)) {
    if (!matches(m)) continue;
    const values = byKey.get(m.key) ?? [];
    values.push(m);
    byKey.set(m.key, values);
  }
  const page = paginate([...byKey.keys()], (k) => k, { scope: `QuerySchemaVersionMetadata/${v.versionId}`, maxResults, nextToken });
  const infos = page.items.map((key) => {
    const [newest, ...older] = byKey.get(key)!.sort((a, b) => b.createdTime - a.createdTime || (a.value < b.value ? -1 : 1));
    const info = {
      MetadataValue: newest!.value,
      CreatedTime: isoTime(newest!.createdTime),
      OtherMetadataValueList: older.length
        ? older.map((m) => ({ MetadataValue: m.value, CreatedTime: isoTime(m.createdTime) }))
        : undefined,
    };
    return [key, info] as const;
  });
  return { MetadataInfoMap: Object.fromEntries(infos), SchemaVersionId: v.versionId, NextToken: page.nextToken };
};
