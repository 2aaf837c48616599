// Topic configs as Kafka names them: the table DescribeConfigs lists (name, type, default, doc),
// the parsing and validation CreateTopics / AlterConfigs run, and effective-value resolution
// (Kafka default <- broker default <- topic override).
import { LogError } from './log-error.ts';
import type { TopicConfig } from './types.ts';

export type ConfigType = 'int' | 'long' | 'double' | 'string' | 'list' | 'boolean';
export type ConfigValue = number | string | boolean;

export interface TopicConfigDef {
  readonly name: string;
  readonly type: ConfigType;
  /** The Kafka default, as DescribeConfigs prints it. */
  readonly default: string;
  readonly doc: string;
  /**
   * False for configs accepted (and listed) only so that Kafka clients and tools that set them
   * keep working: on a single node there is nothing to apply them to.
   */
  readonly effective: boolean;
  /** Parses a trimmed value; returns an error message for a bad one. */
  readonly parse: (value: string) => ConfigValue | { error: string };
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function intAtLeast(min: number) {
  return (v: string): ConfigValue | { error: string } => {
    if (!/^[+-]?\d+$/.test(v)) return { error: 'Expected value to be a 32-bit integer' };
    const n = Number(v);
    if (n < INT_MIN || n > INT_MAX) return { error: 'Expected value to be a 32-bit integer' };
    if (n < min) return { error: `Value must be at least ${min}` };
    return n;
  };
}

function longAtLeast(min: bigint | null) {
  return (v: string): ConfigValue | { error: string } => {
    if (!/^[+-]?\d+$/.test(v)) return { error: 'Expected value to be a 64-bit integer' };
    const n = BigInt(v);
    if (n < LONG_MIN || n > LONG_MAX) return { error: 'Expected value to be a 64-bit integer' };
    if (min !== null && n < min) return { error: `Value must be at least ${min}` };
    return Number(n);
  };
}

function doubleBetween(min: number, max: number) {
  return (v: string): ConfigValue | { error: string } => {
    const n = v === '' ? Number.NaN : Number(v);
    if (!Number.isFinite(n)) return { error: 'Expected value to be a number' };
    if (n < min || n > max) return { error: `Value must be no less than ${min} and no more than ${max}` };
    return n;
  };
}

function oneOf(values: readonly string[]) {
  return (v: string): ConfigValue | { error: string } =>
    values.includes(v) ? v : { error: `String must be one of: ${values.join(', ')}` };
}

function bool(v: string): ConfigValue | { error: string } {
  const s = v.toLowerCase();
  if (s === 'true') return true;
  if (s === 'false') return false;
  return { error: 'Expected value to be either true or false' };
}

/** `delete`, `compact`, or both in either order; normalized to `compact,delete`. */
function cleanupPolicy(v: string): ConfigValue | { error: string } {
  const parts = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) return { error: 'Empty list' };
  for (const p of parts)
    if (p !== 'delete' && p !== 'compact')
      return { error: `Invalid value ${p} for configuration cleanup.policy: String must be one of: compact, delete` };
  const compact = parts.includes('compact');
  const del = parts.includes('delete');
  return compact && del ? 'compact,delete' : compact ? 'compact' : 'delete';
}

function def(name: string, type: ConfigType, dflt: string, doc: string, parse: TopicConfigDef['parse'], effective = true): TopicConfigDef {
  return { name, type, default: dflt, doc, parse, effective };
}

/** Every topic config Brook knows, in Kafka's names, with Kafka's defaults and validation. */
export const TOPIC_CONFIG_DEFS: readonly TopicConfigDef[] = [
  def(
    'cleanup.policy',
    'list',
    'delete',
    'delete old segments (retention), compact (keep the latest record per key), or both.',
    cleanupPolicy,
  ),
  def('delete.retention.ms', 'long', '86400000', 'How long tombstones stay readable in a compacted topic.', longAtLeast(0n)),
  def('index.interval.bytes', 'int', '4096', 'Log bytes between two entries of the sparse offset index.', intAtLeast(0)),
  def('max.message.bytes', 'int', '1048588', 'Largest record batch the topic accepts.', intAtLeast(0)),
  def(
    'message.timestamp.type',
    'string',
    'CreateTime',
    'CreateTime keeps the producer timestamp; LogAppendTime stamps the broker time.',
    oneOf(['CreateTime', 'LogAppendTime']),
  ),
  def('min.cleanable.dirty.ratio', 'double', '0.5', 'Share of not-yet-compacted log that triggers compaction.', doubleBetween(0, 1)),
  def('min.compaction.lag.ms', 'long', '0', 'Minimum age of a record before compaction may remove it.', longAtLeast(0n)),
  def(
    'retention.bytes',
    'long',
    '-1',
    'Size a partition may reach before its oldest segments are deleted; -1: unlimited.',
    longAtLeast(null),
  ),
  def('retention.ms', 'long', '604800000', 'Age after which a segment is deleted; -1: keep forever.', longAtLeast(-1n)),
  def('segment.bytes', 'int', '1073741824', 'Size at which the active segment rolls.', intAtLeast(14)),
  def(
    'segment.index.bytes',
    'int',
    '10485760',
    'Size limit of the offset index of a segment (a full index rolls the segment).',
    intAtLeast(4),
  ),
  def('segment.ms', 'long', '604800000', 'Age at which the active segment rolls, even if not full.', longAtLeast(1n)),
  // Accepted for compatibility only (see `effective`).
  def(
    'compression.type',
    'string',
    'producer',
    'Accepted for compatibility: Brook stores batches as the producer compressed them.',
    oneOf(['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer']),
    false,
  ),
  def('min.insync.replicas', 'int', '1', 'Accepted for compatibility: a single node is its only in-sync replica.', intAtLeast(1), false),
  def(
    'unclean.leader.election.enable',
    'boolean',
    'false',
    'Accepted for compatibility: a single node has no leader election.',
    bool,
    false,
  ),
  def(
    'flush.messages',
    'long',
    '9223372036854775807',
    'Accepted for compatibility: Brook fsyncs on acks=-1 produce and on the broker flush interval.',
    longAtLeast(1n),
    false,
  ),
  def(
    'flush.ms',
    'long',
    '9223372036854775807',
    'Accepted for compatibility: Brook fsyncs on acks=-1 produce and on the broker flush interval.',
    longAtLeast(0n),
    false,
  ),
  def(
    'file.delete.delay.ms',
    'long',
    '60000',
    'Accepted for compatibility: Brook deletes segment files right after renaming them.',
    longAtLeast(0n),
    false,
  ),
  def('preallocate', 'boolean', 'false', 'Accepted for compatibility: segment files are not preallocated.', bool, false),
];

export type TopicConfigName =
  | keyof TopicConfig
  | 'compression.type'
  | 'min.insync.replicas'
  | 'unclean.leader.election.enable'
  | 'flush.messages'
  | 'flush.ms'
  | 'file.delete.delay.ms'
  | 'preallocate';

export const TOPIC_CONFIG_BY_NAME: ReadonlyMap<string, TopicConfigDef> = new Map(TOPIC_CONFIG_DEFS.map((d) => [d.name, d]));

/** Kafka's DescribeConfigs sources (numeric codes as on the wire). */
export const ConfigSource = { TOPIC_CONFIG: 1, STATIC_BROKER_CONFIG: 4, DEFAULT_CONFIG: 5 } as const;
export type ConfigSourceName = keyof typeof ConfigSource;

/** Parses and validates one value; throws LogError INVALID_CONFIG with Kafka's wording. */
export function parseTopicConfigValue(name: string, value: string): ConfigValue {
  const d = TOPIC_CONFIG_BY_NAME.get(name);
  if (!d) throw new LogError('INVALID_CONFIG', `Unknown topic config name: ${name}`);
  const trimmed = typeof value === 'string' ? value.trim() : String(value);
  const parsed = d.parse(trimmed);
  if (typeof parsed === 'object') {
    const msg = parsed.error.startsWith('Invalid value')
      ? parsed.error
      : `Invalid value ${value} for configuration ${name}: ${parsed.error}`;
    throw new LogError('INVALID_CONFIG', msg);
  }
  return parsed;
}

/** The canonical string of a valid value, as stored and described. */
function canonical(d: TopicConfigDef, parsed: ConfigValue, raw: string): string {
  if (d.type === 'long' && typeof parsed === 'number') return BigInt(raw.trim()).toString();
  return String(parsed);
}

/** Validates overrides (unknown key or bad value -> INVALID_CONFIG); returns them normalized. */
export function validateOverrides(overrides: Record<string, string>): Partial<Record<TopicConfigName, string>> {
  const out: Partial<Record<TopicConfigName, string>> = {};
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null || value === undefined) throw new LogError('INVALID_CONFIG', `Null value not supported for topic configs: ${name}`);
    const parsed = parseTopicConfigValue(name, value);
    out[name as TopicConfigName] = canonical(TOPIC_CONFIG_BY_NAME.get(name)!, parsed, value);
  }
  return out;
}

const KAFKA_DEFAULTS: TopicConfig = Object.freeze(
  Object.fromEntries(TOPIC_CONFIG_DEFS.filter((d) => d.effective).map((d) => [d.name, d.parse(d.default)])) as unknown as TopicConfig,
);

/** Kafka's defaults, overridden by broker-wide defaults (validated: INVALID_CONFIG if bad). */
export function topicDefaults(brokerDefaults: Partial<TopicConfig> = {}): TopicConfig {
  const out: Record<string, ConfigValue> = { ...KAFKA_DEFAULTS };
  for (const [name, value] of Object.entries(brokerDefaults)) {
    if (value === undefined) continue;
    const d = TOPIC_CONFIG_BY_NAME.get(name);
    if (!d?.effective) throw new LogError('INVALID_CONFIG', `Unknown broker default for topic config: ${name}`);
    out[name] = parseTopicConfigValue(name, String(value));
  }
  return out as unknown as TopicConfig;
}

/** Effective config of a topic: defaults with its (already validated) overrides applied. */
export function resolveTopicConfig(defaults: TopicConfig, overrides: Partial<Record<TopicConfigName, string>>): TopicConfig {
  const out: Record<string, ConfigValue> = { ...defaults };
  for (const [name, value] of Object.entries(overrides)) {
    const d = TOPIC_CONFIG_BY_NAME.get(name);
    if (d?.effective && value !== undefined) out[name] = parseTopicConfigValue(name, value);
  }
  return out as unknown as TopicConfig;
}

export interface ConfigEntry {
  name: string;
  value: string;
  source: ConfigSourceName;
  isDefault: boolean;
  readOnly: boolean;
  sensitive: boolean;
  type: ConfigType;
  doc: string;
}

/** Every topic config with its value and where it comes from, for DescribeConfigs. */
export function describeTopicConfig(
  overrides: Partial<Record<TopicConfigName, string>>,
  brokerDefaults: Partial<TopicConfig> = {},
): ConfigEntry[] {
  return TOPIC_CONFIG_DEFS.map((d) => {
    const own = overrides[d.name as TopicConfigName];
    const broker = (brokerDefaults as Record<string, ConfigValue | undefined>)[d.name];
    const [value, source]: [string, ConfigSourceName] =
      own !== undefined
        ? [own, 'TOPIC_CONFIG']
        : broker !== undefined
          ? [canonical(d, parseTopicConfigValue(d.name, String(broker)), String(broker)), 'STATIC_BROKER_CONFIG']
          : [d.default, 'DEFAULT_CONFIG'];
    return {
      name: d.name,
      value,
      source,
      isDefault: source === 'DEFAULT_CONFIG',
      readOnly: false,
      sensitive: false,
      type: d.type,
      doc: d.doc,
    };
  });
}

export const hasCompact = (c: TopicConfig): boolean => c['cleanup.policy'] !== 'delete';
export const hasDelete = (c: TopicConfig): boolean => c['cleanup.policy'] !== 'compact';
