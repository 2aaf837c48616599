// CreateSchema, GetSchema, ListSchemas, UpdateSchema, DeleteSchema.
import { schemaArn } from '../arn.ts';
import { DEFAULT_REGISTRY } from '../backend.ts';
import { GlueError, invalidInput } from '../errors.ts';
import * as f from '../fields.ts';
import { optString, required } from '../input.ts';
import { paginate } from '../pagination.ts';
import { isoTime, schemaDetail, schemaItem } from '../shapes.ts';
import { type GlueOperation, tokenOf } from './context.ts';

export const createSchema: GlueOperation = async (input, { backend, scope }) => {
  // Glue puts a schema without RegistryId into the default registry.
  const registryName = f.registryId(input) ?? DEFAULT_REGISTRY;
  const schemaName = f.name(required(optString(input, 'SchemaName'), 'SchemaName'), 'SchemaName');
  const dataFormat = f.dataFormat(required(optString(input, 'DataFormat'), 'DataFormat'), 'DataFormat');
  const compat = optString(input, 'Compatibility');
  const definition = optString(input, 'SchemaDefinition');
  const { schema, version } = await backend.createSchema({
    registryName,
    schemaName,
    dataFormat,
    compatibility: compat === undefined ? 'BACKWARD' : f.compatibility(compat, 'Compatibility'),
    description: f.optDescription(input),
    tags: f.tags(input),
    definition: definition === undefined ? undefined : f.definition(definition, 'SchemaDefinition'),
  });
  return {
    ...schemaDetail(scope, schema),
    Tags: schema.tags,
    SchemaVersionId: version?.versionId,
    SchemaVersionStatus: version?.status,
  };
};

export const getSchema: GlueOperation = async (input, { backend, scope }) => {
  const ref = f.requiredSchemaId(input);
  const s = await backend.getSchema(ref.registryName, ref.schemaName);
  return { ...schemaDetail(scope, s), CreatedTime: isoTime(s.createdTime), UpdatedTime: isoTime(s.updatedTime) };
};

export const listSchemas: GlueOperation = async (input, { backend, scope }) => {
  const registryName = f.registryId(input);
  const maxResults = f.maxResults(input, 100);
  const nextToken = tokenOf(optString(input, 'NextToken'));
  const all = await backend.listSchemas(registryName);
  // `/` cannot occur in a name, so the key orders by registry, then schema.
  const page = paginate(all, (s) => `${s.registryName}/${s.schemaName}`, {
    scope: `ListSchemas/${registryName ?? ''}`,
    maxResults,
    nextToken,
  });
  return { Schemas: page.items.map((s) => schemaItem(scope, s)), NextToken: page.nextToken };
};

/**
 * Glue's checkpoint is the version that *_ALL checks start from. Brook checks *_ALL modes against
 * every live version (as Confluent's transitive modes do), so it keeps no movable checkpoint: a
 * SchemaVersionNumber given with a Compatibility or Description change (Terraform always sends
 * LatestVersion = true) is validated and leaves the checkpoint where it is; a request that would
 * only move the checkpoint is refused.
 */
export const updateSchema: GlueOperation = async (input, { backend, scope }) => {
  const ref = f.requiredSchemaId(input);
  const checkpoint = f.versionNumber(input);
  const compat = optString(input, 'Compatibility');
  const compatibility = compat === undefined ? undefined : f.compatibility(compat, 'Compatibility');
  const description = f.optDescription(input);
  if (checkpoint === undefined && compatibility === undefined && description === undefined) {
    throw invalidInput('UpdateSchema needs SchemaVersionNumber, Compatibility or Description');
  }
  if (compatibility !== undefined && checkpoint === undefined) {
    throw invalidInput('A Compatibility change needs SchemaVersionNumber (the checkpoint), as in AWS Glue; pass { LatestVersion: true }');
  }
  const current = await backend.getSchema(ref.registryName, ref.schemaName);
  if (checkpoint !== undefined) {
    let n: number;
    try {
      n = (await backend.getSchemaVersion(ref.registryName, ref.schemaName, checkpoint)).versionNumber;
    } catch (err) {
      if (err instanceof GlueError && err.glueType === 'EntityNotFoundException') {
        throw invalidInput(
          `SchemaVersionNumber ${checkpoint === 'latest' ? 'LatestVersion' : checkpoint} does not name a version of schema '${ref.schemaName}'`,
        );
      }
      throw err;
    }
    if (compatibility === undefined && description === undefined && n !== current.checkpoint) {
      throw invalidInput(
        `Brook does not move schema checkpoints (compatibility is checked against every live version); the checkpoint of '${ref.schemaName}' stays ${current.checkpoint}`,
      );
    }
  }
  const s =
    compatibility === undefined && description === undefined
      ? current
      : await backend.updateSchema(ref.registryName, ref.schemaName, { compatibility, description });
  return { SchemaArn: schemaArn(scope, s.registryName, s.schemaName), SchemaName: s.schemaName, RegistryName: s.registryName };
};

// Deleted when this returns; the DELETING status is what Glue answers while it deletes in the background.
export const deleteSchema: GlueOperation = async (input, { backend, scope }) => {
  const ref = f.requiredSchemaId(input);
  const s = await backend.deleteSchema(ref.registryName, ref.schemaName);
  return { SchemaArn: schemaArn(scope, s.registryName, s.schemaName), SchemaName: s.schemaName, Status: 'DELETING' };
};
