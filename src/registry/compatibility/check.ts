// The registry's question: may this schema become the subject's next version? Levels and message
// layout follow Confluent's CompatibilityChecker and SchemaValidatorBuilder, so a 409 body or a
// verbose compatibility answer reads as Confluent's would.
import { toAvroString } from '../avro/avro-string.ts';
import { type ParsedAvroSchema, parseAvroSchema } from '../avro/parse.ts';
import { type CanReadOptions, canRead } from './can-read.ts';
import { formatConfluentIncompatibility, type Incompatibility, type Role } from './incompatibility.ts';
import { CompatibilityLevel, GlueCompatibility, glueToConfluent } from './levels.ts';

/** Schema text, or a schema already parsed (the registry keeps its versions parsed). */
export type AvroSchemaInput = string | ParsedAvroSchema;

export interface PreviousSchema {
  readonly schema: AvroSchemaInput;
  /** The subject version number, printed as {oldSchemaVersion: N} when known. */
  readonly version?: number;
}

/** backward: the new schema reads data of an old one. forward: an old schema reads the new one's data. */
export type Direction = 'backward' | 'forward';

export interface FoundIncompatibility extends Incompatibility {
  readonly direction: Direction;
  /** The version it was found against (undefined when the caller gave none). */
  readonly oldVersion: number | undefined;
}

export interface CompatibilityResult {
  readonly compatible: boolean;
  /** 'disabled': Glue's DISABLED refuses any version after the first, whatever its content. */
  readonly outcome: 'compatible' | 'incompatible' | 'disabled';
  /**
   * Confluent's message list: one `{errorType:...}` per incompatibility, then `{oldSchemaVersion: N}`,
   * `{oldSchema: '...'}` and `{compatibility: 'LEVEL'}`. Empty when compatible.
   */
  readonly messages: readonly string[];
  readonly incompatibilities: readonly FoundIncompatibility[];
}

export type CheckOptions = CanReadOptions;

/** Confluent's MAX_SCHEMA_SIZE_FOR_LOGGING: a longer {oldSchema} is cut to this many characters. */
export const MAX_OLD_SCHEMA_CHARS = 10 * 1024;

const COMPATIBLE: CompatibilityResult = { compatible: true, outcome: 'compatible', messages: [], incompatibilities: [] };

function parsed(input: AvroSchemaInput): ParsedAvroSchema {
  return typeof input === 'string' ? parseAvroSchema(input) : input;
}

/**
 * Checks `newSchema` against the subject's versions, oldest first, at a Confluent level.
 * Non-transitive levels look at the latest version only; transitive ones walk back from the
 * latest and report the first version that fails, as Confluent does.
 */
export function checkCompatibility(
  newSchema: AvroSchemaInput,
  previous: readonly PreviousSchema[],
  level: CompatibilityLevel,
  options: CheckOptions = {},
): CompatibilityResult {
  const fresh = parsed(newSchema);
  if (level === CompatibilityLevel.NONE || previous.length === 0) return COMPATIBLE;
  const transitive = level.endsWith('_TRANSITIVE');
  const against = transitive ? [...previous].reverse() : [previous[previous.length - 1]!];
  for (const old of against) {
    const found = checkPair(fresh, old, level, options);
    if (found.messages.length > 0) {
      return {
        compatible: false,
        outcome: 'incompatible',
        messages: [...found.messages, `{compatibility: '${level}'}`],
        incompatibilities: found.incompatibilities,
      };
    }
  }
  return COMPATIBLE;
}

/** The same check under an AWS Glue compatibility mode; DISABLED refuses any second version. */
export function checkGlueCompatibility(
  newSchema: AvroSchemaInput,
  previous: readonly PreviousSchema[],
  mode: GlueCompatibility,
  options: CheckOptions = {},
): CompatibilityResult {
  const level = glueToConfluent(mode);
  if (level !== 'DISABLED') return checkCompatibility(newSchema, previous, level, options);
  parsed(newSchema);
  if (previous.length === 0) return COMPATIBLE;
  return {
    compatible: false,
    outcome: 'disabled',
    messages: [
      `Compatibility mode is ${GlueCompatibility.DISABLED}: the schema takes no new versions. Change its compatibility to add one.`,
    ],
    incompatibilities: [],
  };
}

interface PairResult {
  readonly messages: string[];
  readonly incompatibilities: FoundIncompatibility[];
}

// SchemaValidatorBuilder: BACKWARD is canReadStrategy, FORWARD canBeReadStrategy, FULL the
// forward messages (no schema appended) followed by the backward ones (schema appended).
function checkPair(fresh: ParsedAvroSchema, old: PreviousSchema, level: CompatibilityLevel, options: CheckOptions): PairResult {
  const existing = parsed(old.schema);
  const out: PairResult = { messages: [], incompatibilities: [] };
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  if (forward) {
    const found = canRead(existing, fresh, options).incompatibilities;
    add(out, found, 'forward', old, existing, 'old', 'new', !backward);
  }
  if (backward) {
    const found = canRead(fresh, existing, options).incompatibilities;
    add(out, found, 'backward', old, existing, 'new', 'old', true);
  }
  return out;
}

function add(
  out: PairResult,
  found: readonly Incompatibility[],
  direction: Direction,
  old: PreviousSchema,
  existing: ParsedAvroSchema,
  reader: Role,
  writer: Role,
  appendSchema: boolean,
): void {
  if (found.length === 0) return;
  for (const inc of found) {
    out.messages.push(formatConfluentIncompatibility(inc, reader, writer));
    out.incompatibilities.push({ ...inc, direction, oldVersion: old.version });
  }
  if (!appendSchema) return;
  if (old.version !== undefined) out.messages.push(`{oldSchemaVersion: ${old.version}}`);
  const text = toAvroString(existing.root);
  out.messages.push(
    text.length <= MAX_OLD_SCHEMA_CHARS
      ? `{oldSchema: '${text}'}`
      : `{oldSchema: <truncated to ${MAX_OLD_SCHEMA_CHARS} characters> '${text.slice(0, MAX_OLD_SCHEMA_CHARS)}'}`,
  );
}
