// Registering a schema under a subject, in two steps: plan (every check, no mutation: a refusal
// leaves the state untouched) and commit. Ids are max id + 1 and versions max version + 1, and the
// verdict is taken against the state at the command's place in the log, so every replica agrees.
import type { CompatibilityLevel } from '../compatibility/levels.ts';
import { Mode, type RegisterCommand } from './commands.ts';
import { errors, RegistryError, raise } from './errors.ts';
import { glueVersionId } from './glue-mapping.ts';
import { judge, normalizedText, type ParsedSchema, parseSchema } from './schema-rules.ts';
import {
  effectiveCompatibility,
  effectiveMode,
  ensureSubject,
  maxVersion,
  type RegistryState,
  type VersionEntry,
  versionsOf,
} from './state.ts';

/** Kept small: outcomes are remembered (by requestId) for the last OUTCOME_MEMORY commands. */
export interface RegisterResult {
  subject: string;
  id: number;
  version: number;
  /** Glue schema version UUID. */
  versionId: string;
  createdTime: number;
  /** False when an identical live version already existed (nothing was added). */
  created: boolean;
}

export type RegisterPlan =
  | { kind: 'existing'; version: VersionEntry }
  | { kind: 'new'; subject: string; id: number; version: number; parsed: ParsedSchema; text: string };

export function checkSubjectName(subject: unknown): asserts subject is string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (typeof subject !== 'string' || subject === '' || subject.length > 1024 || /[\u0000-\u001f]/.test(subject)) {
    throw new RegistryError(
      'INVALID_SUBJECT',
      `The specified subject '${String(subject)}' is not valid: use 1 to 1024 printable characters`,
    );
  }
}

function positiveInt(v: unknown, what: string): number | undefined {
  if (v === undefined || v === null || v === -1) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 2 ** 31 - 1) {
    throw new RegistryError(
      what === 'version' ? 'INVALID_VERSION' : 'OPERATION_NOT_PERMITTED',
      `The ${what} must be an integer from 1 to 2^31-1, got ${String(v)}`,
    );
  }
  return v;
}

export function planRegister(state: RegistryState, cmd: RegisterCommand, level?: CompatibilityLevel | 'DISABLED'): RegisterPlan {
  checkSubjectName(cmd.subject);
  const subject = cmd.subject;
  const explicitId = positiveInt(cmd.id, 'id');
  const explicitVersion = positiveInt(cmd.version, 'version');
  const mode = effectiveMode(state, subject);
  if (mode === Mode.READONLY) raise(errors.readOnly(subject));
  if ((explicitId !== undefined || explicitVersion !== undefined) && mode !== Mode.IMPORT) {
    throw new RegistryError(
      'OPERATION_NOT_PERMITTED',
      `Subject '${subject}' is not in import mode: a schema id or version may be given only in IMPORT mode (PUT /mode/${subject} {"mode":"IMPORT"})`,
    );
  }
  if (Array.isArray(cmd.references) && cmd.references.length > 0) {
    throw new RegistryError('INVALID_SCHEMA', 'Schema references are not supported yet: inline the referenced named types into the schema');
  }
  const parsed = parseSchema(cmd.schema, cmd.schemaType);
  const entry = state.subjects.get(subject);
  const live = versionsOf(entry);

  const same = live.find((v) => state.schemas.get(v.id)?.parsed.identity === parsed.identity);
  if (same) {
    if (explicitId !== undefined && explicitId !== same.id) {
      throw new RegistryError('ID_DOES_NOT_MATCH', `Schema already registered with id ${same.id} instead of input id ${explicitId}`);
    }
    return { kind: 'existing', version: same };
  }

  let id: number;
  if (explicitId !== undefined) {
    const taken = state.schemas.get(explicitId);
    if (taken && taken.parsed.identity !== parsed.identity) {
      throw new RegistryError(
        'ID_DOES_NOT_MATCH',
        `Overwrite new schema with id ${explicitId} is not permitted: the id holds another schema; import it under a free id`,
      );
    }
    id = explicitId;
  } else {
    id = state.idByIdentity.get(parsed.identity) ?? state.maxId + 1;
  }

  let version: number;
  if (explicitVersion !== undefined) {
    if (entry?.versions.has(explicitVersion)) {
      throw new RegistryError(
        'OPERATION_NOT_PERMITTED',
        `Version ${explicitVersion} of subject '${subject}' already exists; import under the next free version`,
      );
    }
    version = explicitVersion;
  } else {
    version = maxVersion(entry) + 1;
  }

  if (mode !== Mode.IMPORT) {
    const effective = level ?? (entry?.glue?.disabled ? 'DISABLED' : effectiveCompatibility(state, subject));
    const previous = live.map((v) => ({ schema: state.schemas.get(v.id)!.parsed, version: v.version }));
    if (previous.length > 0) judgeOrThrow(parsed, previous, effective, subject);
  }
  return { kind: 'new', subject, id, version, parsed, text: cmd.normalize ? normalizedText(parsed) : cmd.schema };
}

function judgeOrThrow(
  parsed: ParsedSchema,
  previous: { schema: ParsedSchema; version: number }[],
  level: CompatibilityLevel | 'DISABLED',
  subject: string,
): void {
  const verdict = judge(parsed, previous, level);
  if (verdict.compatible) return;
  if (verdict.disabled) {
    throw new RegistryError('COMPATIBILITY_DISABLED', `${verdict.messages.join(' ')} (subject '${subject}')`);
  }
  throw new RegistryError(
    'INCOMPATIBLE_SCHEMA',
    `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${verdict.messages.join(', ')}]`,
  );
}

export function commitRegister(state: RegistryState, plan: RegisterPlan, requestId: string, issuedAt: number): RegisterResult {
  if (plan.kind === 'existing') return resultOf(plan.version, false);
  let schema = state.schemas.get(plan.id);
  if (!schema) {
    schema = { id: plan.id, text: plan.text, schemaType: 'AVRO', parsed: plan.parsed, refs: 0 };
    state.schemas.set(plan.id, schema);
    if (!state.idByIdentity.has(plan.parsed.identity)) state.idByIdentity.set(plan.parsed.identity, plan.id);
  }
  schema.refs++;
  if (plan.id > state.maxId) state.maxId = plan.id;
  const entry = ensureSubject(state, plan.subject);
  const v: VersionEntry = {
    subject: plan.subject,
    version: plan.version,
    id: plan.id,
    deleted: false,
    createdTime: issuedAt,
    versionId: glueVersionId(requestId, plan.subject, plan.version),
    metadata: [],
  };
  entry.versions.set(v.version, v);
  state.versionsById.set(v.versionId, v);
  return resultOf(v, true);
}

function resultOf(v: VersionEntry, created: boolean): RegisterResult {
  return {
    subject: v.subject,
    id: v.id,
    version: v.version,
    versionId: v.versionId,
    createdTime: v.createdTime,
    created,
  };
}
