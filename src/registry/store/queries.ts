// The Confluent reads, answered from the replayed state after catching up with the log (fresh()),
// with Confluent's errors: 40401 subject, 40402 version, 40403 schema, 40408/40409 no subject config.
import type { CompatibilityLevel } from '../compatibility/levels.ts';
import type { Mode } from './commands.ts';
import { errors, RegistryError, raise } from './errors.ts';
import { judge, parseSchema, type Verdict } from './schema-rules.ts';
import { effectiveCompatibility, effectiveMode, latestLive, type RegistryState, type VersionEntry, versionsOf } from './state.ts';

export interface SchemaById {
  id: number;
  schema: string;
  schemaType: 'AVRO';
  references: [];
}

export interface SubjectVersion {
  subject: string;
  version: number;
  id: number;
  schema: string;
  schemaType: 'AVRO';
  deleted: boolean;
  /** Glue schema version UUID. */
  versionId: string;
  createdTime: number;
}

/** A version as clients name it: a number, or the latest live one. */
export type VersionSpec = number | 'latest';

export class StoreQueries {
  protected readonly state: RegistryState;

  constructor(state: RegistryState) {
    this.state = state;
  }

  /** Catches up with the log before a read; the store overrides it. */
  protected async fresh(): Promise<void> {}

  protected subjectVersion(v: VersionEntry): SubjectVersion {
    return {
      subject: v.subject,
      version: v.version,
      id: v.id,
      schema: this.state.schemas.get(v.id)!.text,
      schemaType: 'AVRO',
      deleted: v.deleted,
      versionId: v.versionId,
      createdTime: v.createdTime,
    };
  }

  /**
   * GET /schemas/ids/{id}. An id never changes its schema, so one already known is answered
   * without a round trip to the log: the deserializer's hot path.
   */
  async getSchemaById(id: number): Promise<SchemaById> {
    if (!this.state.schemas.has(id)) await this.fresh();
    const s = this.state.schemas.get(id);
    if (!s) return raise(errors.schemaNotFound(String(id)));
    return { id, schema: s.text, schemaType: 'AVRO', references: [] };
  }

  /** Versions (live, or all with `deleted`) that use schema `id`; 40403 for an unknown id. */
  async versionsForId(id: number, deleted = false): Promise<{ subject: string; version: number }[]> {
    await this.fresh();
    if (!this.state.schemas.has(id)) return raise(errors.schemaNotFound(String(id)));
    const out: { subject: string; version: number }[] = [];
    for (const entry of this.state.subjects.values()) {
      for (const v of versionsOf(entry, deleted)) if (v.id === id) out.push({ subject: v.subject, version: v.version });
    }
    return out.sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.version - b.version));
  }

  async subjectsForId(id: number, deleted = false): Promise<string[]> {
    return [...new Set((await this.versionsForId(id, deleted)).map((v) => v.subject))];
  }

  /** GET /subjects: subjects with a live version (or any version with `deleted`), sorted. */
  async listSubjects(deleted = false, prefix = ''): Promise<string[]> {
    await this.fresh();
    const out: string[] = [];
    for (const entry of this.state.subjects.values()) {
      if (entry.name.startsWith(prefix) && versionsOf(entry, deleted).length > 0) out.push(entry.name);
    }
    return out.sort();
  }

  async listVersions(subject: string, deleted = false): Promise<number[]> {
    await this.fresh();
    return this.#versions(subject, deleted).map((v) => v.version);
  }

  #versions(subject: string, deleted: boolean): VersionEntry[] {
    const list = versionsOf(this.state.subjects.get(subject), deleted);
    if (list.length === 0) return raise(errors.subjectNotFound(subject));
    return list;
  }

  /** GET /subjects/{s}/versions/{v}; a soft-deleted version only with `deleted`. */
  async getVersion(subject: string, version: VersionSpec, deleted = false): Promise<SubjectVersion> {
    await this.fresh();
    const list = this.#versions(subject, deleted);
    const v = version === 'latest' ? list[list.length - 1] : list.find((x) => x.version === version);
    if (!v) return raise(errors.versionNotFound(subject, version));
    return this.subjectVersion(v);
  }

  /** POST /subjects/{s}: the version of `subject` holding this schema (by normalized form). */
  async lookup(subject: string, schema: unknown, schemaType?: unknown, deleted = false): Promise<SubjectVersion> {
    const parsed = parseSchema(schema, schemaType);
    await this.fresh();
    const list = this.#versions(subject, deleted);
    // Newest first, live before soft-deleted: the version a client most likely means.
    const match = [...list]
      .sort((a, b) => Number(a.deleted) - Number(b.deleted) || b.version - a.version)
      .find((v) => this.state.schemas.get(v.id)?.parsed.identity === parsed.identity);
    if (!match) return raise(errors.schemaNotFound(`under subject '${subject}'`));
    return this.subjectVersion(match);
  }

  /** GET /schemas: every version (live, or all with `deleted`), optionally the latest per subject only. */
  async listSchemas(options: { subjectPrefix?: string; deleted?: boolean; latestOnly?: boolean } = {}): Promise<SubjectVersion[]> {
    await this.fresh();
    const out: SubjectVersion[] = [];
    const subjects = [...this.state.subjects.values()].filter((e) => e.name.startsWith(options.subjectPrefix ?? ''));
    subjects.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of subjects) {
      const list = versionsOf(entry, options.deleted ?? false);
      for (const v of options.latestOnly ? list.slice(-1) : list) out.push(this.subjectVersion(v));
    }
    return out;
  }

  /** GET /config[/{s}]: a subject without its own level answers 40408 unless `defaultToGlobal`. */
  async getConfig(subject: string | null, defaultToGlobal = false): Promise<CompatibilityLevel> {
    await this.fresh();
    if (subject !== null && !defaultToGlobal && this.state.subjects.get(subject)?.compatibility === undefined) {
      throw new RegistryError(
        'SUBJECT_COMPATIBILITY_NOT_CONFIGURED',
        `Subject '${subject}' does not have subject-level compatibility configured; pass defaultToGlobal=true for the level in force`,
      );
    }
    return effectiveCompatibility(this.state, subject);
  }

  /** GET /mode[/{s}]: a subject without its own mode answers 40409 unless `defaultToGlobal`. */
  async getMode(subject: string | null, defaultToGlobal = false): Promise<Mode> {
    await this.fresh();
    if (subject !== null && !defaultToGlobal && this.state.subjects.get(subject)?.mode === undefined) {
      throw new RegistryError(
        'SUBJECT_MODE_NOT_CONFIGURED',
        `Subject '${subject}' does not have subject-level mode configured; pass defaultToGlobal=true for the mode in force`,
      );
    }
    return effectiveMode(this.state, subject);
  }

  /**
   * POST /compatibility/subjects/{s}/versions[/{v}]: against one version, or ('all') against what a
   * registration would be checked against. A subject with no version is compatible with 'all' only.
   */
  async testCompatibility(subject: string, version: VersionSpec | 'all', schema: unknown, schemaType?: unknown): Promise<Verdict> {
    const parsed = parseSchema(schema, schemaType);
    await this.fresh();
    const entry = this.state.subjects.get(subject);
    const level = entry?.glue?.disabled ? 'DISABLED' : effectiveCompatibility(this.state, subject);
    const live = versionsOf(entry);
    let against: VersionEntry[];
    if (version === 'all') {
      against = live;
    } else {
      if (live.length === 0) return raise(errors.subjectNotFound(subject));
      const v = version === 'latest' ? latestLive(entry) : live.find((x) => x.version === version);
      if (!v) return raise(errors.versionNotFound(subject, version));
      against = [v];
    }
    return judge(
      parsed,
      against.map((v) => ({ schema: this.state.schemas.get(v.id)!.parsed, version: v.version })),
      level,
    );
  }
}
