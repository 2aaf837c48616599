// The commands kept in the `_schemas` topic, and their record encoding: key
// {"keytype":"COMMAND","id":<uuid>} (unique, so compaction never drops one), value the command as JSON.
import type { CompatibilityLevel, GlueCompatibility } from '../compatibility/levels.ts';

export const Mode = { READWRITE: 'READWRITE', READONLY: 'READONLY', IMPORT: 'IMPORT' } as const;
export type Mode = (typeof Mode)[keyof typeof Mode];
export const MODES: readonly Mode[] = Object.values(Mode);
export const isMode = (v: unknown): v is Mode => typeof v === 'string' && (MODES as readonly string[]).includes(v);

export interface CommandHeader {
  /** Also the record key's id; the writer finds its outcome by it. */
  requestId: string;
  /** Writer's clock, ms since the epoch: the only time replay knows (created times come from it). */
  issuedAt: number;
}

export interface RegisterCommand {
  op: 'register';
  subject: string;
  schema: string;
  schemaType: string;
  /** Confluent schema references; only the empty list is supported. */
  references: unknown[];
  normalize: boolean;
  /** IMPORT mode only. */
  id?: number;
  /** IMPORT mode only. */
  version?: number;
  /** Sent by the Glue API: the subject must already be a Glue schema (EntityNotFound otherwise). */
  glue?: boolean;
}

export interface DeleteVersionCommand {
  op: 'deleteVersion';
  subject: string;
  /** 'latest' is resolved by the replay, so it means the latest at the command's place in the log. */
  version: number | 'latest';
  permanent: boolean;
}

export interface DeleteSubjectCommand {
  op: 'deleteSubject';
  subject: string;
  permanent: boolean;
}

export interface SetConfigCommand {
  op: 'setConfig';
  /** null: the global config. */
  subject: string | null;
  /** null deletes the config (the subject falls back to the global one, the global to BACKWARD). */
  compatibility: CompatibilityLevel | null;
}

export interface SetModeCommand {
  op: 'setMode';
  subject: string | null;
  mode: Mode | null;
  /** Confluent's force=true: allow IMPORT while schemas exist. */
  force: boolean;
}

export interface GlueCreateRegistryCommand {
  op: 'glueCreateRegistry';
  name: string;
  description?: string;
  tags: Record<string, string>;
}

export interface GlueUpdateRegistryCommand {
  op: 'glueUpdateRegistry';
  name: string;
  description: string;
}

export interface GlueDeleteRegistryCommand {
  op: 'glueDeleteRegistry';
  name: string;
}

export interface GlueCreateSchemaCommand {
  op: 'glueCreateSchema';
  registryName: string;
  schemaName: string;
  dataFormat: string;
  compatibility: GlueCompatibility;
  description?: string;
  tags: Record<string, string>;
  /** Version 1, registered in the same command so that a schema never half-exists. */
  definition?: string;
}

export interface GlueUpdateSchemaCommand {
  op: 'glueUpdateSchema';
  registryName: string;
  schemaName: string;
  compatibility?: GlueCompatibility;
  description?: string;
}

export interface GlueDeleteSchemaCommand {
  op: 'glueDeleteSchema';
  registryName: string;
  schemaName: string;
}

export interface GluePutVersionMetadataCommand {
  op: 'gluePutVersionMetadata';
  versionId: string;
  key: string;
  value: string;
}

export interface GlueRemoveVersionMetadataCommand {
  op: 'glueRemoveVersionMetadata';
  versionId: string;
  key: string;
  value: string;
}

export type CommandBody =
  | RegisterCommand
  | DeleteVersionCommand
  | DeleteSubjectCommand
  | SetConfigCommand
  | SetModeCommand
  | GlueCreateRegistryCommand
  | GlueUpdateRegistryCommand
  | GlueDeleteRegistryCommand
  | GlueCreateSchemaCommand
  | GlueUpdateSchemaCommand
  | GlueDeleteSchemaCommand
  | GluePutVersionMetadataCommand
  | GlueRemoveVersionMetadataCommand;

export type Command = CommandBody & CommandHeader;
export type CommandOp = CommandBody['op'];

export const COMMAND_OPS: readonly CommandOp[] = [
  'register',
  'deleteVersion',
  'deleteSubject',
  'setConfig',
  'setMode',
  'glueCreateRegistry',
  'glueUpdateRegistry',
  'glueDeleteRegistry',
  'glueCreateSchema',
  'glueUpdateSchema',
  'glueDeleteSchema',
  'gluePutVersionMetadata',
  'glueRemoveVersionMetadata',
];

export const KEYTYPE_COMMAND = 'COMMAND';

export function encodeKey(requestId: string): Buffer {
  return Buffer.from(JSON.stringify({ keytype: KEYTYPE_COMMAND, id: requestId }));
}

export function encodeCommand(command: Command): Buffer {
  return Buffer.from(JSON.stringify(command));
}

/**
 * A record read back from the topic. Other key types (a Confluent registry sharing the topic, or
 * a future Brook writing snapshots) are skipped, so the log stays readable by older instances.
 */
export type DecodedRecord =
  | { kind: 'command'; command: Command }
  | { kind: 'malformed'; requestId: string | null; reason: string }
  | { kind: 'other' };

export function decodeRecord(key: Buffer | null, value: Buffer | null): DecodedRecord {
  let keyJson: unknown;
  try {
    keyJson = key === null ? null : JSON.parse(key.toString('utf8'));
  } catch {
    return { kind: 'other' };
  }
  if (!isObject(keyJson) || keyJson.keytype !== KEYTYPE_COMMAND) return { kind: 'other' };
  const keyId = typeof keyJson.id === 'string' ? keyJson.id : null;
  if (value === null) return { kind: 'malformed', requestId: keyId, reason: 'command record without a value' };
  let v: unknown;
  try {
    v = JSON.parse(value.toString('utf8'));
  } catch (err) {
    return { kind: 'malformed', requestId: keyId, reason: `command value is not JSON: ${(err as Error).message}` };
  }
  if (!isObject(v)) return { kind: 'malformed', requestId: keyId, reason: 'command value is not a JSON object' };
  if (typeof v.requestId !== 'string' || typeof v.issuedAt !== 'number') {
    return { kind: 'malformed', requestId: keyId, reason: 'command lacks requestId or issuedAt' };
  }
  if (typeof v.op !== 'string' || !(COMMAND_OPS as readonly string[]).includes(v.op)) {
    return { kind: 'malformed', requestId: v.requestId, reason: `unknown command op '${String(v.op)}' (written by a newer Brook?)` };
  }
  // Field-level checks happen in apply, which answers each bad field with the error a client expects.
  return { kind: 'command', command: v as unknown as Command };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
