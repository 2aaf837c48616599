// Two canonical renderings of a schema. Parsing Canonical Form (Avro specification) keeps only
// what decoding needs; the normalized form (Confluent's normalize=true) keeps everything a user
// wrote but in one order, so two texts that differ only in layout become the same schema.
import type { AvroSchema, Field, NamedSchema, Props } from './model.ts';

const q = JSON.stringify;

/**
 * Parsing Canonical Form: [PRIMITIVES] bare primitive names, [FULLNAMES] full names and no
 * namespace, [STRIP] only name/type/fields/symbols/items/values/size, [ORDER] in that order,
 * [STRINGS]/[INTEGERS] as JSON.parse leaves them, [WHITESPACE] none. A named type is spelled out
 * at its first appearance and referred to by full name after that.
 */
export function parsingCanonicalForm(schema: AvroSchema): string {
  return pcf(schema, new Set());
}

function pcf(s: AvroSchema, seen: Set<string>): string {
  switch (s.type) {
    case 'union':
      return `[${s.branches.map((b) => pcf(b, seen)).join(',')}]`;
    case 'array':
      return `{"type":"array","items":${pcf(s.items, seen)}}`;
    case 'map':
      return `{"type":"map","values":${pcf(s.values, seen)}}`;
    case 'record':
    case 'enum':
    case 'fixed': {
      if (seen.has(s.fullName)) return q(s.fullName);
      seen.add(s.fullName);
      // An "error" is a record to a reader: Java's SchemaNormalization prints its type as "record".
      const head = `{"name":${q(s.fullName)},"type":"${s.type}"`;
      if (s.type === 'enum') return `${head},"symbols":[${s.symbols.map((x) => q(x)).join(',')}]}`;
      if (s.type === 'fixed') return `${head},"size":${s.size}}`;
      return `${head},"fields":[${s.fields.map((f) => `{"name":${q(f.name)},"type":${pcf(f.type, seen)}}`).join(',')}]}`;
    }
    default:
      return q(s.type);
  }
}

/**
 * Brook's normalize=true form. Confluent documents its normalization as a canonical order that
 * keeps the whole schema; Brook's choice, modelled on Confluent's AvroSchemaUtils:
 * - the Parsing Canonical Form skeleton: full names, no namespace attribute, keys in PCF order,
 *   a named type spelled out once and referred to by full name after that;
 * - kept after the skeleton: logicalType (right after the type, or after size), then for named
 *   types doc, aliases (full names, sorted), the enum default; for fields order (only when not
 *   ascending), doc, aliases (sorted), default; then every other attribute sorted by key;
 * - a primitive with no attribute left is its bare name.
 * Confluent also prints "order" for ascending fields; Brook leaves the default out, so a
 * schema that never mentions order does not grow one.
 */
export function normalizedForm(schema: AvroSchema): string {
  return norm(schema, new Set());
}

function sortedProps(p: Props, skipLogical: boolean): string {
  let out = '';
  for (const key of Object.keys(p).sort()) {
    if (skipLogical && key === 'logicalType') continue;
    out += `,${q(key)}:${q(p[key])}`;
  }
  return out;
}

function logical(p: Props): string {
  return typeof p.logicalType === 'string' ? `,"logicalType":${q(p.logicalType)}` : '';
}

function withProps(head: string, p: Props): string {
  return `${head}${logical(p)}${sortedProps(p, typeof p.logicalType === 'string')}}`;
}

function norm(s: AvroSchema, seen: Set<string>): string {
  switch (s.type) {
    case 'union':
      return `[${s.branches.map((b) => norm(b, seen)).join(',')}]`;
    case 'array':
      return withProps(`{"type":"array","items":${norm(s.items, seen)}`, s.props);
    case 'map':
      return withProps(`{"type":"map","values":${norm(s.values, seen)}`, s.props);
    case 'record':
    case 'enum':
    case 'fixed':
      return normNamed(s, seen);
    default:
      return Object.keys(s.props).length === 0 ? q(s.type) : withProps(`{"type":${q(s.type)}`, s.props);
  }
}

function normNamed(s: NamedSchema, seen: Set<string>): string {
  if (seen.has(s.fullName)) return q(s.fullName);
  seen.add(s.fullName);
  let out = `{"name":${q(s.fullName)},"type":"${s.type === 'record' && s.isError ? 'error' : s.type}"`;
  if (s.type === 'enum') out += `,"symbols":[${s.symbols.map((x) => q(x)).join(',')}]`;
  else if (s.type === 'fixed') out += `,"size":${s.size}${logical(s.props)}`;
  else out += `,"fields":[${s.fields.map((f) => normField(f, seen)).join(',')}]`;
  if (s.doc) out += `,"doc":${q(s.doc)}`;
  if (s.aliases.length > 0) out += `,"aliases":${q([...s.aliases].sort())}`;
  if (s.type === 'enum' && s.default !== undefined) out += `,"default":${q(s.default)}`;
  return `${out}${sortedProps(s.props, s.type === 'fixed' && typeof s.props.logicalType === 'string')}}`;
}

function normField(f: Field, seen: Set<string>): string {
  let out = `{"name":${q(f.name)},"type":${norm(f.type, seen)}`;
  if (f.order !== 'ascending') out += `,"order":${q(f.order)}`;
  if (f.doc !== undefined) out += `,"doc":${q(f.doc)}`;
  if (f.aliases.length > 0) out += `,"aliases":${q([...f.aliases].sort())}`;
  if (f.hasDefault) out += `,"default":${q(f.default)}`;
  return `${out}${sortedProps(f.props, false)}}`;
}
