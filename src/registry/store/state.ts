// The registry's state: what replaying the `_schemas` log builds. Plain maps, mutated only by apply;
// the helpers here answer the questions every operation asks (effective level and mode, live versions).
import { type CompatibilityLevel, DEFAULT_COMPATIBILITY_LEVEL } from '../compatibility/levels.ts';
import { Mode } from './commands.ts';
import type { RegistryErrorShape } from './errors.ts';
import type { ParsedSchema } from './schema-rules.ts';

export interface StoredSchema {
  readonly id: number;
  /** The text first registered under this id; an id's schema never changes. */
  readonly text: string;
  readonly schemaType: 'AVRO';
  readonly parsed: ParsedSchema;
  /** Versions (live or soft-deleted) that use the id; at 0 a hard delete forgets the schema. */
  refs: number;
}

export interface MetadataEntry {
  key: string;
  value: string;
  createdTime: number;
}

export interface VersionEntry {
  readonly subject: string;
  readonly version: number;
  readonly id: number;
  deleted: boolean;
  readonly createdTime: number;
  /** Glue schema version UUID. */
  readonly versionId: string;
  readonly metadata: MetadataEntry[];
}

/** What the Glue API knows of a subject beyond its versions (set by CreateSchema/UpdateSchema). */
export interface GlueBinding {
  dataFormat: 'AVRO';
  description?: string;
  tags: Record<string, string>;
  /** Glue's DISABLED: no version after the first. The level proper stays in the subject config. */
  disabled: boolean;
  createdTime: number;
  updatedTime: number;
}

export interface SubjectEntry {
  readonly name: string;
  readonly versions: Map<number, VersionEntry>;
  compatibility?: CompatibilityLevel;
  mode?: Mode;
  glue?: GlueBinding;
}

export interface GlueRegistryEntry {
  name: string;
  description?: string;
  tags: Record<string, string>;
  createdTime: number;
  updatedTime: number;
}

export type Outcome = { ok: true; result: unknown } | { ok: false; error: RegistryErrorShape };

export interface RegistryState {
  /** The offset the replay reads next: everything below it has been applied. */
  nextOffset: bigint;
  /** Commands applied (including refused ones). */
  applied: number;
  readonly schemas: Map<number, StoredSchema>;
  readonly idByIdentity: Map<string, number>;
  /** Highest id ever handed out: ids are never reused, even after a hard delete. */
  maxId: number;
  readonly subjects: Map<string, SubjectEntry>;
  compatibility: CompatibilityLevel | null;
  mode: Mode | null;
  readonly registries: Map<string, GlueRegistryEntry>;
  readonly versionsById: Map<string, VersionEntry>;
  /** Recent outcomes by requestId (bounded), so a writer can read its own and a duplicate is skipped. */
  readonly outcomes: Map<string, Outcome>;
  /** issuedAt of the first command: the creation time of the always-present default registry. */
  firstIssuedAt: number | null;
}

export const OUTCOME_MEMORY = 10_000;

export function createState(): RegistryState {
  return {
    nextOffset: 0n,
    applied: 0,
    schemas: new Map(),
    idByIdentity: new Map(),
    maxId: 0,
    subjects: new Map(),
    compatibility: null,
    mode: null,
    registries: new Map(),
    versionsById: new Map(),
    outcomes: new Map(),
    firstIssuedAt: null,
  };
}

/** Versions in version order, live only unless `deleted`. */
export function versionsOf(entry: SubjectEntry | undefined, deleted = false): VersionEntry[] {
  if (!entry) return [];
  const out = [...entry.versions.values()].filter((v) => deleted || !v.deleted);
  return out.sort((a, b) => a.version - b.version);
}

export function latestLive(entry: SubjectEntry | undefined): VersionEntry | undefined {
  const live = versionsOf(entry);
  return live[live.length - 1];
}

/** A subject "exists" for Confluent while it has any version, soft-deleted ones included. */
export function hasVersions(entry: SubjectEntry | undefined): entry is SubjectEntry {
  return entry !== undefined && entry.versions.size > 0;
}

export function effectiveCompatibility(state: RegistryState, subject: string | null): CompatibilityLevel {
  const own = subject === null ? undefined : state.subjects.get(subject)?.compatibility;
  return own ?? state.compatibility ?? DEFAULT_COMPATIBILITY_LEVEL;
}

export function effectiveMode(state: RegistryState, subject: string | null): Mode {
  const own = subject === null ? undefined : state.subjects.get(subject)?.mode;
  return own ?? state.mode ?? Mode.READWRITE;
}

export function ensureSubject(state: RegistryState, subject: string): SubjectEntry {
  let entry = state.subjects.get(subject);
  if (!entry) {
    entry = { name: subject, versions: new Map() };
    state.subjects.set(subject, entry);
  }
  return entry;
}

/** Forgets a subject entry that holds nothing any more. */
export function pruneSubject(state: RegistryState, entry: SubjectEntry): void {
  if (entry.versions.size === 0 && entry.compatibility === undefined && entry.mode === undefined && entry.glue === undefined) {
    state.subjects.delete(entry.name);
  }
}

/** Removes a version for good, and its schema when no version uses it any more. */
export function dropVersion(state: RegistryState, entry: SubjectEntry, v: VersionEntry): void {
  entry.versions.delete(v.version);
  state.versionsById.delete(v.versionId);
  const schema = state.schemas.get(v.id);
  if (schema && --schema.refs <= 0) {
    state.schemas.delete(v.id);
    if (state.idByIdentity.get(schema.parsed.identity) === v.id) state.idByIdentity.delete(schema.parsed.identity);
  }
}

export function maxVersion(entry: SubjectEntry | undefined): number {
  let max = 0;
  if (entry) for (const v of entry.versions.keys()) if (v > max) max = v;
  return max;
}
