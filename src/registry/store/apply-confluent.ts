// Deletes, config and mode, applied as Confluent does: soft delete first, hard delete
// (permanent=true) only after it (40405/40407 otherwise), no change at all in READONLY mode.
import { type CompatibilityLevel, isCompatibilityLevel } from '../compatibility/levels.ts';
import { checkSubjectName } from './apply-register.ts';
import {
  type DeleteSubjectCommand,
  type DeleteVersionCommand,
  isMode,
  Mode,
  type SetConfigCommand,
  type SetModeCommand,
} from './commands.ts';
import { errors, RegistryError, raise } from './errors.ts';
import {
  dropVersion,
  effectiveCompatibility,
  effectiveMode,
  ensureSubject,
  hasVersions,
  pruneSubject,
  type RegistryState,
  versionsOf,
} from './state.ts';

function refuseReadOnly(state: RegistryState, subject: string): void {
  if (effectiveMode(state, subject) === Mode.READONLY) raise(errors.readOnly(subject));
}

export function applyDeleteVersion(state: RegistryState, cmd: DeleteVersionCommand): { version: number } {
  checkSubjectName(cmd.subject);
  const entry = state.subjects.get(cmd.subject);
  if (!hasVersions(entry)) return raise(errors.subjectNotFound(cmd.subject));
  refuseReadOnly(state, cmd.subject);
  let version: number;
  if (cmd.version === 'latest' || cmd.version === -1) {
    // For a hard delete, "latest" counts soft-deleted versions too (Confluent's lookupDeleted).
    const candidates = versionsOf(entry, cmd.permanent);
    const last = candidates[candidates.length - 1];
    if (!last) return raise(errors.versionNotFound(cmd.subject, 'latest'));
    version = last.version;
  } else if (typeof cmd.version === 'number' && Number.isInteger(cmd.version) && cmd.version >= 1) {
    version = cmd.version;
  } else {
    throw new RegistryError(
      'INVALID_VERSION',
      `The specified version '${String(cmd.version)}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
    );
  }
  const v = entry.versions.get(version);
  if (!v) return raise(errors.versionNotFound(cmd.subject, version));
  if (!cmd.permanent) {
    if (v.deleted) {
      throw new RegistryError(
        'VERSION_SOFT_DELETED',
        `Subject '${cmd.subject}' Version ${version} was soft deleted. Set permanent=true to delete permanently`,
      );
    }
    v.deleted = true;
    return { version };
  }
  if (!v.deleted) {
    throw new RegistryError(
      'VERSION_NOT_SOFT_DELETED',
      `Subject '${cmd.subject}' Version ${version} was not deleted first before being permanently deleted; delete it without permanent=true first`,
    );
  }
  dropVersion(state, entry, v);
  forgetConfigIfGone(entry);
  pruneSubject(state, entry);
  return { version };
}

export function applyDeleteSubject(state: RegistryState, cmd: DeleteSubjectCommand): { versions: number[] } {
  checkSubjectName(cmd.subject);
  const entry = state.subjects.get(cmd.subject);
  if (!hasVersions(entry)) return raise(errors.subjectNotFound(cmd.subject));
  refuseReadOnly(state, cmd.subject);
  const live = versionsOf(entry);
  if (!cmd.permanent) {
    if (live.length === 0) {
      throw new RegistryError(
        'SUBJECT_SOFT_DELETED',
        `Subject '${cmd.subject}' was soft deleted. Set permanent=true to delete permanently`,
      );
    }
    for (const v of live) v.deleted = true;
    return { versions: live.map((v) => v.version) };
  }
  if (live.length > 0) {
    throw new RegistryError(
      'SUBJECT_NOT_SOFT_DELETED',
      `Subject '${cmd.subject}' was not deleted first before being permanently deleted; delete it without permanent=true first`,
    );
  }
  const all = versionsOf(entry, true);
  for (const v of all) dropVersion(state, entry, v);
  forgetConfigIfGone(entry);
  pruneSubject(state, entry);
  return { versions: all.map((v) => v.version) };
}

// Confluent forgets a subject's config and mode with its last version; a Glue schema keeps them,
// because its compatibility is part of the schema, which outlives its versions.
function forgetConfigIfGone(entry: { versions: Map<number, unknown>; compatibility?: unknown; mode?: unknown; glue?: unknown }): void {
  if (entry.versions.size === 0 && entry.glue === undefined) {
    delete entry.compatibility;
    delete entry.mode;
  }
}

export interface ConfigResult {
  /** The level now in force at this scope (null when deleted). */
  compatibility: CompatibilityLevel | null;
  /** What the scope resolved to before the command. */
  previous: CompatibilityLevel;
}

export function applySetConfig(state: RegistryState, cmd: SetConfigCommand): ConfigResult {
  if (cmd.subject !== null) checkSubjectName(cmd.subject);
  if (cmd.compatibility !== null && !isCompatibilityLevel(cmd.compatibility)) {
    throw new RegistryError(
      'INVALID_COMPATIBILITY_LEVEL',
      `Invalid compatibility level '${String(cmd.compatibility)}'. Valid values are NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL and FULL_TRANSITIVE`,
    );
  }
  const previous = effectiveCompatibility(state, cmd.subject);
  if (cmd.subject === null) {
    state.compatibility = cmd.compatibility;
    return { compatibility: cmd.compatibility, previous };
  }
  const entry = state.subjects.get(cmd.subject);
  if (cmd.compatibility === null) {
    if (entry?.compatibility === undefined) {
      if (!hasVersions(entry)) return raise(errors.subjectNotFound(cmd.subject));
      throw new RegistryError(
        'SUBJECT_COMPATIBILITY_NOT_CONFIGURED',
        `Subject '${cmd.subject}' does not have subject-level compatibility configured`,
      );
    }
    delete entry.compatibility;
    pruneSubject(state, entry);
    return { compatibility: null, previous };
  }
  ensureSubject(state, cmd.subject).compatibility = cmd.compatibility;
  return { compatibility: cmd.compatibility, previous };
}

export interface ModeResult {
  mode: Mode | null;
  previous: Mode;
}

export function applySetMode(state: RegistryState, cmd: SetModeCommand): ModeResult {
  if (cmd.subject !== null) checkSubjectName(cmd.subject);
  if (cmd.mode !== null && !isMode(cmd.mode)) {
    throw new RegistryError('INVALID_MODE', `Invalid mode '${String(cmd.mode)}'. Valid values are READWRITE, READONLY and IMPORT`);
  }
  const previous = effectiveMode(state, cmd.subject);
  if (cmd.mode === Mode.IMPORT && previous !== Mode.IMPORT && !cmd.force) {
    // Confluent refuses to enter IMPORT over existing schemas: imported ids could collide with them.
    const occupied = cmd.subject === null ? [...state.subjects.values()].some(hasVersions) : hasVersions(state.subjects.get(cmd.subject));
    if (occupied) {
      throw new RegistryError(
        'OPERATION_NOT_PERMITTED',
        `Cannot import since found existing subjects${cmd.subject === null ? '' : ` ('${cmd.subject}')`}; pass force=true to switch to IMPORT anyway`,
      );
    }
  }
  if (cmd.subject === null) {
    state.mode = cmd.mode;
    return { mode: cmd.mode, previous };
  }
  const entry = state.subjects.get(cmd.subject);
  if (cmd.mode === null) {
    if (entry?.mode === undefined) {
      if (!hasVersions(entry)) return raise(errors.subjectNotFound(cmd.subject));
      throw new RegistryError('SUBJECT_MODE_NOT_CONFIGURED', `Subject '${cmd.subject}' does not have subject-level mode configured`);
    }
    delete entry.mode;
    pruneSubject(state, entry);
    return { mode: null, previous };
  }
  ensureSubject(state, cmd.subject).mode = cmd.mode;
  return { mode: cmd.mode, previous };
}
