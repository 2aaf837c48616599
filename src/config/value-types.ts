// The kinds of value a configuration key holds: how each is checked (a JSON value from the file)
// and parsed (text from an environment variable or a flag), with the words of the error messages.
import { parseDuration } from '../dashboard/range.ts';

export type ConfigValue = string | number | boolean | string[] | null;

export type ValueType =
  | { kind: 'string' }
  | { kind: 'path' }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'number'; min: number; max: number }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'port' }
  | { kind: 'hostPort' }
  | { kind: 'hostPorts' }
  | { kind: 'url' }
  | { kind: 'duration' }
  | { kind: 'envName' }
  | { kind: 'awsRegion' }
  | { kind: 'time' };

export type Checked = { ok: true; value: ConfigValue } | { ok: false; expected: string };

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^\s:,[\]]+):(\d{1,5})$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const NUMBER_TEXT = /^-?\d+(\.\d+)?$/;

/** What a valid value looks like, for messages and help. */
export function expected(type: ValueType): string {
  switch (type.kind) {
    case 'string':
      return 'a non-empty string';
    case 'path':
      return 'a file or directory path';
    case 'integer':
      return `an integer from ${type.min} to ${type.max}`;
    case 'number':
      return 'a positive number';
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${type.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'port':
      return 'a port number from 0 to 65535 (0 picks a free port)';
    case 'hostPort':
      return 'host:port';
    case 'hostPorts':
      return 'host:port, or several comma-separated ("a:9092,b:9092") or as an array';
    case 'url':
      return 'an http:// or https:// URL';
    case 'duration':
      return 'a duration such as 30s, 12h or 7d';
    case 'envName':
      return 'the name of an environment variable (letters, digits and _), not the secret itself';
    case 'awsRegion':
      return 'an AWS region name such as us-east-1';
    case 'time':
      return 'epoch milliseconds, an ISO date, or -DURATION before now (such as -10m)';
  }
}

/** Checks a JSON value (from the file, or already parsed from text). */
export function check(type: ValueType, v: unknown): Checked {
  const bad: Checked = { ok: false, expected: expected(type) };
  switch (type.kind) {
    case 'string':
    case 'path':
      return typeof v === 'string' && v.trim() !== '' ? { ok: true, value: v } : bad;
    case 'integer':
    case 'port': {
      const [min, max] = type.kind === 'port' ? [0, 65_535] : [type.min, type.max];
      return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? { ok: true, value: v } : bad;
    }
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return bad;
      if (v < type.min || v > type.max) return { ok: false, expected: `a number from ${type.min} to ${type.max}` };
      return { ok: true, value: v };
    case 'boolean':
      return typeof v === 'boolean' ? { ok: true, value: v } : bad;
    case 'enum':
      return typeof v === 'string' && type.values.includes(v) ? { ok: true, value: v } : bad;
    case 'hostPort':
      return typeof v === 'string' && HOST_PORT.test(v) ? { ok: true, value: v } : bad;
    case 'hostPorts': {
      const list = typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v;
      if (!Array.isArray(list) || list.length === 0) return bad;
      return list.every((s) => typeof s === 'string' && HOST_PORT.test(s)) ? { ok: true, value: list as string[] } : bad;
    }
    case 'url':
      return typeof v === 'string' && /^https?:\/\/[^/\s]/.test(v) && URL.canParse(v) ? { ok: true, value: v } : bad;
    case 'duration': {
      const ms = typeof v === 'string' ? parseDuration(v) : undefined;
      return ms !== undefined && ms > 0 ? { ok: true, value: v as string } : bad;
    }
    case 'envName':
      return typeof v === 'string' && ENV_NAME.test(v) ? { ok: true, value: v } : bad;
    case 'awsRegion':
      return typeof v === 'string' && AWS_REGION.test(v) ? { ok: true, value: v } : bad;
    case 'time':
      if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? { ok: true, value: v } : bad;
      return typeof v === 'string' && parseTime(v, 0) !== undefined ? { ok: true, value: v } : bad;
  }
}

/**
 * Text from an environment variable or a flag, turned into the JSON value it stands for, then
 * checked. Empty text clears a key whose default is null.
 */
export function parseText(type: ValueType, text: string, nullable: boolean): Checked {
  if (text === '' && nullable) return { ok: true, value: null };
  switch (type.kind) {
    case 'integer':
    case 'port':
    case 'number':
      return check(type, NUMBER_TEXT.test(text.trim()) ? Number(text) : text);
    case 'time':
      return check(type, /^\d+$/.test(text) ? Number(text) : text);
    case 'boolean': {
      const t = text.trim().toLowerCase();
      return check(type, t === 'true' || t === '1' ? true : t === 'false' || t === '0' ? false : text);
    }
    default:
      return check(type, text);
  }
}

/** A `time` value as epoch ms: a number, an ISO date, or `-10m` before `now`. */
export function parseTime(v: string | number, now: number): number | undefined {
  if (typeof v === 'number') return v;
  if (/^\d+$/.test(v)) return Number(v);
  if (v.startsWith('-')) {
    const ms = parseDuration(v.slice(1));
    return ms === undefined || ms <= 0 ? undefined : now - ms;
  }
  const t = Date.parse(v);
  return Number.isFinite(t) && /^\d{4}-\d{2}-\d{2}/.test(v) ? t : undefined;
}

/** A value as a person writes it back (lists comma-joined). */
export function show(v: ConfigValue): string {
  if (v === null) return '(none)';
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}
