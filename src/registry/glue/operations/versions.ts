// RegisterSchemaVersion, GetSchemaVersion, GetSchemaByDefinition, ListSchemaVersions,
// CheckSchemaVersionValidity, GetSchemaVersionsDiff.
import { schemaArn } from '../arn.ts';
import type { GlueBackend, SchemaVersionRecord } from '../backend.ts';
import { invalidInput, notFound } from '../errors.ts';
import * as f from '../fields.ts';
import { checkEnum, type Input, optString, required } from '../input.ts';
import { jsonPatch } from '../json-patch.ts';
import { numberKey, paginate } from '../pagination.ts';
import { isoTime, versionItem } from '../shapes.ts';
import { type GlueOperation, tokenOf } from './context.ts';

/**
 * The version a request names: by SchemaVersionId, or by SchemaId with SchemaVersionNumber. When a
 * SchemaVersionId comes with a SchemaId too, the version must belong to that schema.
 */
export async function resolveVersion(input: Input, backend: GlueBackend): Promise<SchemaVersionRecord> {
  const id = optString(input, 'SchemaVersionId');
  const ref = f.schemaId(input);
  const number = f.versionNumber(input);
  if (id !== undefined) {
    const v = await backend.getSchemaVersionById(f.versionId(id, 'SchemaVersionId'));
    if (ref && (ref.registryName !== v.registryName || ref.schemaName !== v.schemaName)) {
      throw notFound(`Schema version ${id} is not a version of schema '${ref.schemaName}' in registry '${ref.registryName}'`);
    }
    if (typeof number === 'number' && number !== v.versionNumber) {
      throw notFound(`Schema version ${id} is version ${v.versionNumber}, not ${number}`);
    }
    return v;
  }
  if (!ref) throw invalidInput('Either SchemaVersionId, or SchemaId with SchemaVersionNumber, is required');
  if (number === undefined) throw invalidInput('SchemaVersionNumber is required when the version is named by SchemaId');
  return backend.getSchemaVersion(ref.registryName, ref.schemaName, number);
}

export const registerSchemaVersion: GlueOperation = async (input, { backend }) => {
  const ref = f.requiredSchemaId(input);
  const definition = f.definition(required(optString(input, 'SchemaDefinition'), 'SchemaDefinition'), 'SchemaDefinition');
  const v = await backend.registerSchemaVersion(ref.registryName, ref.schemaName, definition);
  return { SchemaVersionId: v.versionId, VersionNumber: v.versionNumber, Status: v.status };
};

export const getSchemaVersion: GlueOperation = async (input, { backend, scope }) => {
  const v = await resolveVersion(input, backend);
  return {
    SchemaVersionId: v.versionId,
    SchemaDefinition: v.definition,
    DataFormat: v.dataFormat,
    SchemaArn: schemaArn(scope, v.registryName, v.schemaName),
    VersionNumber: v.versionNumber,
    Status: v.status,
    CreatedTime: isoTime(v.createdTime),
  };
};

export const getSchemaByDefinition: GlueOperation = async (input, { backend, scope }) => {
  const ref = f.requiredSchemaId(input);
  const definition = f.definition(required(optString(input, 'SchemaDefinition'), 'SchemaDefinition'), 'SchemaDefinition');
  const v = await backend.getSchemaVersionByDefinition(ref.registryName, ref.schemaName, definition);
  return {
    SchemaVersionId: v.versionId,
    SchemaArn: schemaArn(scope, v.registryName, v.schemaName),
    DataFormat: v.dataFormat,
    Status: v.status,
    CreatedTime: isoTime(v.createdTime),
  };
};

export const listSchemaVersions: GlueOperation = async (input, { backend, scope }) => {
  const ref = f.requiredSchemaId(input);
  const maxResults = f.maxResults(input, 100);
  const nextToken = tokenOf(optString(input, 'NextToken'));
  const all = await backend.listSchemaVersions(ref.registryName, ref.schemaName);
  const page = paginate(all, (v) => numberKey(v.versionNumber), {
    scope: `ListSchemaVersions/${ref.registryName}/${ref.schemaName}`,
    maxResults,
    nextToken,
  });
  return { Schemas: page.items.map((v) => versionItem(scope, v)), NextToken: page.nextToken };
};

export const checkSchemaVersionValidity: GlueOperation = async (input, { backend }) => {
  const dataFormat = f.dataFormat(required(optString(input, 'DataFormat'), 'DataFormat'), 'DataFormat');
  const definition = f.definition(required(optString(input, 'SchemaDefinition'), 'SchemaDefinition'), 'SchemaDefinition');
  const check = await backend.checkDefinition(dataFormat, definition);
  return check.valid ? { Valid: true } : { Valid: false, Error: check.error };
};

export const getSchemaVersionsDiff: GlueOperation = async (input, { backend }) => {
  const ref = f.requiredSchemaId(input);
  const first = required(f.versionNumber(input, 'FirstSchemaVersionNumber'), 'FirstSchemaVersionNumber');
  const second = required(f.versionNumber(input, 'SecondSchemaVersionNumber'), 'SecondSchemaVersionNumber');
  checkEnum(required(optString(input, 'SchemaDiffType'), 'SchemaDiffType'), 'SchemaDiffType', ['SYNTAX_DIFF']);
  const a = await backend.getSchemaVersion(ref.registryName, ref.schemaName, first);
  const b = await backend.getSchemaVersion(ref.registryName, ref.schemaName, second);
  if (a.dataFormat === 'PROTOBUF') throw invalidInput('SYNTAX_DIFF compares JSON documents; PROTOBUF definitions are not JSON');
  let from: unknown;
  let to: unknown;
  try {
    from = JSON.parse(a.definition);
    to = JSON.parse(b.definition);
  } catch {
    throw invalidInput('SYNTAX_DIFF needs both definitions to be JSON documents');
  }
  return { Diff: JSON.stringify(jsonPatch(from, to)) };
};
