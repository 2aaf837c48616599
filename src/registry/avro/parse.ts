// Schema text to a validated ParsedAvroSchema: avsc decides what is valid Avro (names, defaults,
// unions), then Brook builds its own model from the JSON, keeping what avsc drops (field
// positions, aliases, docs, enum defaults, custom attributes) for the checker and the renderers.
import avsc from 'avsc';
import { parsingCanonicalForm } from './canonical.ts';
import { AvroSchemaError } from './errors.ts';
import {
  type AvroSchema,
  type Field,
  type FieldOrder,
  isPrimitiveName,
  type NamedSchema,
  type Props,
  type RecordSchema,
  unqualify,
} from './model.ts';

export interface ParsedAvroSchema {
  /** The text as given. */
  readonly text: string;
  /** The JSON as given (before Brook desugars `{"type":"SomeName"}` references). */
  readonly json: unknown;
  readonly root: AvroSchema;
  /** Parsing Canonical Form (Avro specification): equal for schemas that read data alike. */
  readonly canonical: string;
  /** The avsc type that validated the schema (built with wrapUnions: true). */
  readonly avscType: avsc.Type;
}

/** Deeper JSON is refused before any recursive walk, so hostile input cannot exhaust the stack. */
export const MAX_SCHEMA_DEPTH = 1000;

// Avro's SCHEMA_RESERVED and FIELD_RESERVED: every other attribute is kept as a custom property.
const SCHEMA_RESERVED = new Set(['doc', 'fields', 'items', 'name', 'namespace', 'size', 'symbols', 'values', 'type', 'aliases']);
const ENUM_RESERVED = new Set([...SCHEMA_RESERVED, 'default']);
const FIELD_RESERVED = new Set(['default', 'doc', 'name', 'order', 'type', 'aliases']);
const TYPE_KEYWORDS = new Set([
  'record',
  'error',
  'enum',
  'fixed',
  'array',
  'map',
  'null',
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'bytes',
  'string',
]);

/** Parses and validates an Avro schema; throws AvroSchemaError (Confluent 42201) when it is not one. */
export function parseAvroSchema(input: string | object): ParsedAvroSchema {
  let text: string;
  try {
    text = typeof input === 'string' ? input : JSON.stringify(input);
  } catch (err) {
    throw new AvroSchemaError(`not JSON: ${(err as Error).message}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AvroSchemaError(`not JSON: ${(err as Error).message}`, { cause: err });
  }
  checkDepth(json);
  let avscType: avsc.Type;
  try {
    // wrapUnions: an unwrapped union refuses ambiguous branches (["int","long"]) that Avro allows.
    const forAvsc = desugar(json, null, new Set(), true) as avsc.Schema;
    avscType = avsc.Type.forSchema(forAvsc, { wrapUnions: true, noAnonymousTypes: true });
  } catch (err) {
    throw new AvroSchemaError((err as Error).message, { cause: err });
  }
  const root = build(desugar(json, null, new Set(), false), null, new Map());
  return { text, json, root, canonical: parsingCanonicalForm(root), avscType };
}

function checkDepth(json: unknown): void {
  const stack: Array<[unknown, number]> = [[json, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_SCHEMA_DEPTH) throw new AvroSchemaError(`the JSON nests deeper than ${MAX_SCHEMA_DEPTH} levels`);
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// Two places where Java Avro (and so Confluent) accepts what avsc refuses; rewriting the JSON
// given to avsc lets both agree:
// - {"type":"a.b.Name"} is a reference to a defined type (Java's "unions with self reference");
// - a short name that is not defined in the enclosing namespace falls back to the null
//   namespace (Java's Names.get), which avsc spells with a leading dot.
// `forAvsc` false keeps the second rewrite out of the JSON Brook builds its model from.
function desugar(json: unknown, namespace: string | null, defined: Set<string>, forAvsc: boolean): unknown {
  if (typeof json === 'string') return reference(json, namespace, defined, forAvsc);
  if (Array.isArray(json)) return json.map((b) => desugar(b, namespace, defined, forAvsc));
  if (!isObject(json)) return json;
  const type = json.type;
  if (typeof type === 'string' && !TYPE_KEYWORDS.has(type)) return reference(type, namespace, defined, forAvsc);
  if (type === 'array' && 'items' in json) return { ...json, items: desugar(json.items, namespace, defined, forAvsc) };
  if (type === 'map' && 'values' in json) return { ...json, values: desugar(json.values, namespace, defined, forAvsc) };
  if ((type === 'record' || type === 'error' || type === 'enum' || type === 'fixed') && typeof json.name === 'string') {
    const identity = nameOf(json.name, json.namespace, namespace);
    defined.add(identity.fullName);
    if ((type === 'record' || type === 'error') && Array.isArray(json.fields)) {
      const fields = json.fields.map((f) =>
        isObject(f) && 'type' in f ? { ...f, type: desugar(f.type, identity.namespace, defined, forAvsc) } : f,
      );
      return { ...json, fields };
    }
  }
  return json;
}

function reference(name: string, namespace: string | null, defined: ReadonlySet<string>, forAvsc: boolean): string {
  if (!forAvsc || TYPE_KEYWORDS.has(name) || name.includes('.') || namespace === null) return name;
  return !defined.has(`${namespace}.${name}`) && defined.has(name) ? `.${name}` : name;
}

/** The specification's naming: a dotted name is full; else the explicit namespace ("" = none) or the enclosing one. */
function nameOf(given: string, explicit: unknown, enclosing: string | null): { fullName: string; namespace: string | null } {
  if (given.includes('.')) return { fullName: given, namespace: given.slice(0, given.lastIndexOf('.')) };
  const namespace = typeof explicit === 'string' ? (explicit === '' ? null : explicit) : enclosing;
  return { fullName: namespace === null ? given : `${namespace}.${given}`, namespace };
}

// fromEntries defines keys as own properties: a "__proto__" attribute stays an attribute.
function props(json: Record<string, unknown>, reserved: ReadonlySet<string>): Props {
  return Object.fromEntries(Object.entries(json).filter(([key]) => !reserved.has(key)));
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function invalid(detail: string): never {
  throw new AvroSchemaError(detail);
}

// References try the enclosing namespace first and then the null namespace, as Java Avro's
// Names.get does.
function build(json: unknown, namespace: string | null, names: Map<string, NamedSchema>): AvroSchema {
  if (typeof json === 'string') {
    if (isPrimitiveName(json)) return { type: json, props: {} };
    const qualified = json.includes('.') || namespace === null ? json : `${namespace}.${json}`;
    return names.get(qualified) ?? names.get(json) ?? invalid(`undefined type name: ${json}`);
  }
  if (Array.isArray(json)) return { type: 'union', branches: json.map((b) => build(b, namespace, names)) };
  if (!isObject(json)) return invalid(`not a schema: ${JSON.stringify(json)}`);
  const type = json.type;
  if (isPrimitiveName(type)) return { type, props: props(json, SCHEMA_RESERVED) };
  switch (type) {
    case 'array':
      return { type: 'array', items: build(json.items, namespace, names), props: props(json, SCHEMA_RESERVED) };
    case 'map':
      return { type: 'map', values: build(json.values, namespace, names), props: props(json, SCHEMA_RESERVED) };
    case 'record':
    case 'error':
    case 'enum':
    case 'fixed':
      return buildNamed(json, type, namespace, names);
    default:
      return invalid(`unknown type: ${JSON.stringify(type)}`);
  }
}

function buildNamed(
  json: Record<string, unknown>,
  type: 'record' | 'error' | 'enum' | 'fixed',
  enclosing: string | null,
  names: Map<string, NamedSchema>,
): NamedSchema {
  const given = typeof json.name === 'string' ? json.name : invalid(`a ${type} needs a name`);
  const { fullName, namespace } = nameOf(given, json.namespace, enclosing);
  if (names.has(fullName)) invalid(`duplicate type name: ${fullName}`);
  const aliases = Array.isArray(json.aliases)
    ? json.aliases.map((a) => {
        const alias = String(a);
        return alias.includes('.') || namespace === null ? alias : `${namespace}.${alias}`;
      })
    : [];
  const base = { fullName, name: unqualify(fullName), namespace, aliases, doc: optionalString(json.doc) };

  if (type === 'enum') {
    const symbols = Array.isArray(json.symbols) ? json.symbols.map(String) : invalid(`enum ${fullName} needs symbols`);
    const schema: NamedSchema = {
      ...base,
      type: 'enum',
      symbols,
      default: optionalString(json.default),
      props: props(json, ENUM_RESERVED),
    };
    names.set(fullName, schema);
    return schema;
  }
  if (type === 'fixed') {
    const size = typeof json.size === 'number' ? json.size : invalid(`fixed ${fullName} needs a size`);
    const schema: NamedSchema = { ...base, type: 'fixed', size, props: props(json, SCHEMA_RESERVED) };
    names.set(fullName, schema);
    return schema;
  }
  // Registered before its fields are built, so a field can refer back to the record.
  const fields: Field[] = [];
  const record: RecordSchema = { ...base, type: 'record', isError: type === 'error', fields, props: props(json, SCHEMA_RESERVED) };
  names.set(fullName, record);
  const fieldJson = Array.isArray(json.fields) ? json.fields : invalid(`record ${fullName} needs fields`);
  for (const [pos, f] of fieldJson.entries()) {
    if (!isObject(f) || typeof f.name !== 'string') invalid(`record ${fullName} has a field without a name`);
    const order: FieldOrder = f.order === 'descending' || f.order === 'ignore' ? f.order : 'ascending';
    fields.push({
      name: f.name,
      type: build(f.type, namespace, names),
      pos,
      doc: optionalString(f.doc),
      hasDefault: 'default' in f,
      default: f.default,
      order,
      aliases: Array.isArray(f.aliases) ? f.aliases.map(String) : [],
      props: props(f, FIELD_RESERVED),
    });
  }
  return record;
}
