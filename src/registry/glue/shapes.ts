// Backend records to Glue response shapes. Glue sends its registry timestamps as ISO-8601 strings
// (the SDK models CreatedTime/UpdatedTime as string), so times go out as Date#toISOString().
import { type ArnScope, registryArn, schemaArn } from './arn.ts';
import type { RegistryRecord, SchemaRecord, SchemaVersionRecord } from './backend.ts';

export const isoTime = (ms: number): string => new Date(ms).toISOString();

export const registryItem = (scope: ArnScope, r: RegistryRecord) => ({
  RegistryName: r.name,
  RegistryArn: registryArn(scope, r.name),
  Description: r.description,
  Status: r.status,
  CreatedTime: isoTime(r.createdTime),
  UpdatedTime: isoTime(r.updatedTime),
});

export const schemaItem = (scope: ArnScope, s: SchemaRecord) => ({
  RegistryName: s.registryName,
  SchemaName: s.schemaName,
  SchemaArn: schemaArn(scope, s.registryName, s.schemaName),
  Description: s.description,
  SchemaStatus: s.status,
  CreatedTime: isoTime(s.createdTime),
  UpdatedTime: isoTime(s.updatedTime),
});

export const schemaDetail = (scope: ArnScope, s: SchemaRecord) => ({
  RegistryName: s.registryName,
  RegistryArn: registryArn(scope, s.registryName),
  SchemaName: s.schemaName,
  SchemaArn: schemaArn(scope, s.registryName, s.schemaName),
  Description: s.description,
  DataFormat: s.dataFormat,
  Compatibility: s.compatibility,
  SchemaCheckpoint: s.checkpoint,
  LatestSchemaVersion: s.latestVersion,
  NextSchemaVersion: s.nextVersion,
  SchemaStatus: s.status,
});

export const versionItem = (scope: ArnScope, v: SchemaVersionRecord) => ({
  SchemaArn: schemaArn(scope, v.registryName, v.schemaName),
  SchemaVersionId: v.versionId,
  VersionNumber: v.versionNumber,
  Status: v.status,
  CreatedTime: isoTime(v.createdTime),
});
