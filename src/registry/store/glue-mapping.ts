// How the Glue model sits on the Confluent one: a (registry, schema) pair is a subject, and every
// version has a Glue schema version UUID derived from its registering command, so all replicas agree.
import { createHash } from 'node:crypto';

export const DEFAULT_GLUE_REGISTRY = 'default-registry';

export interface GlueSchemaName {
  registryName: string;
  schemaName: string;
}

/**
 * The Confluent subject of a Glue schema: `schemaName` in `default-registry` (so a Glue serializer
 * and a Confluent one share `orders-value`), `<registryName>:<schemaName>` in any other registry.
 * Glue names cannot contain `:` ([a-zA-Z0-9-_$#.]+), so the mapping is one-to-one.
 */
export function glueSubject(registryName: string, schemaName: string): string {
  return registryName === DEFAULT_GLUE_REGISTRY ? schemaName : `${registryName}:${schemaName}`;
}

/**
 * The Glue (registry, schema) of a Confluent subject: the inverse of glueSubject, or null for a
 * subject no Glue pair maps to (`default-registry:x`, an empty part, a second `:` as in
 * Confluent's `:.context:subject`).
 */
export function subjectToGlue(subject: string): GlueSchemaName | null {
  const colon = subject.indexOf(':');
  if (colon < 0) return subject === '' ? null : { registryName: DEFAULT_GLUE_REGISTRY, schemaName: subject };
  const registryName = subject.slice(0, colon);
  const schemaName = subject.slice(colon + 1);
  if (registryName === '' || schemaName === '' || registryName === DEFAULT_GLUE_REGISTRY || schemaName.includes(':')) return null;
  return { registryName, schemaName };
}

/**
 * A version's Glue UUID: SHA-256 of (command id, subject, version) laid out as an RFC 9562 version 8
 * UUID. The command id makes a version registered again after a hard delete get a fresh UUID.
 */
export function glueVersionId(requestId: string, subject: string, version: number): string {
  const h = createHash('sha256').update(`brook-glue-version\0${requestId}\0${subject}\0${version}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
