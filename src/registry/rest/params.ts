// Path and query parameters as Confluent reads them: versions (1..2^31-1, "latest", -1), schema ids,
// boolean flags, and the body fields of config and mode updates.
import { type CompatibilityLevel, isCompatibilityLevel } from '../compatibility/levels.ts';
import { isMode, type Mode } from '../store/commands.ts';
import { RegistryError } from '../store/errors.ts';
import type { VersionSpec } from '../store/queries.ts';

const MAX_INT = 2 ** 31 - 1;

export function parseVersion(raw: string): VersionSpec {
  if (raw.toLowerCase() === 'latest' || raw === '-1') return 'latest';
  const n = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_INT) {
    throw new RegistryError(
      'INVALID_VERSION',
      `The specified version '${raw}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
    );
  }
  return n;
}

export function parseId(raw: string): number {
  const n = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n > MAX_INT)
    throw new RegistryError('SCHEMA_NOT_FOUND', `Schema ${raw} not found: schema ids are positive integers`);
  return n;
}

export function flag(query: URLSearchParams, name: string): boolean {
  return query.get(name)?.toLowerCase() === 'true';
}

export function compatibilityOf(body: Record<string, unknown>): CompatibilityLevel {
  const raw = body.compatibility ?? body.compatibilityLevel;
  const level = typeof raw === 'string' ? raw.toUpperCase() : raw;
  if (!isCompatibilityLevel(level)) {
    throw new RegistryError(
      'INVALID_COMPATIBILITY_LEVEL',
      `Invalid compatibility level ${JSON.stringify(raw ?? null)}. Valid values are NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL and FULL_TRANSITIVE; send {"compatibility": "FULL"}`,
    );
  }
  return level;
}

export function modeOf(body: Record<string, unknown>): Mode {
  const raw = body.mode;
  const mode = typeof raw === 'string' ? raw.toUpperCase() : raw;
  if (!isMode(mode)) {
    throw new RegistryError(
      'INVALID_MODE',
      `Invalid mode ${JSON.stringify(raw ?? null)}. Valid values are READWRITE, READONLY and IMPORT; send {"mode": "READONLY"}`,
    );
  }
  return mode;
}

/** An optional integer body field (id, version in IMPORT mode). */
export function optionalInt(body: Record<string, unknown>, name: string): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw new RegistryError('BAD_REQUEST', `"${name}" must be an integer, got ${JSON.stringify(v)}`);
  return v;
}
