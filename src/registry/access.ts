// The role each registry request needs. Reads, lookups and compatibility tests change nothing and
// need read-only; registering, config and mode changes, deletes (and any unknown write) need admin.
import type { IncomingMessage } from 'node:http';
import type { WebRole } from '../security/http-users.ts';

/** Confluent REST: by method and path (`/subjects/{s}` POST is a lookup, `/compatibility/...` a test). */
export function restRoleFor(method: string, pathname: string): WebRole {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return 'read-only';
  const segments = pathname.split('/').filter((s) => s !== '');
  if (m === 'POST' && segments[0] === 'subjects' && segments.length === 2) return 'read-only';
  if (m === 'POST' && segments[0] === 'compatibility') return 'read-only';
  return 'admin';
}

// Glue operations that only read; every other (Create*, Update*, Delete*, Register*, Put*, Remove*) writes.
const GLUE_READS = new Set([
  'GetRegistry',
  'ListRegistries',
  'GetSchema',
  'ListSchemas',
  'GetSchemaVersion',
  'GetSchemaByDefinition',
  'ListSchemaVersions',
  'CheckSchemaVersionValidity',
  'GetSchemaVersionsDiff',
  'QuerySchemaVersionMetadata',
]);

/** Glue API: by the X-Amz-Target operation. */
export function glueRoleFor(req: IncomingMessage): WebRole {
  const target = String(req.headers['x-amz-target'] ?? '');
  return GLUE_READS.has(target.replace(/^AWSGlue\./, '')) ? 'read-only' : 'admin';
}
