// A schema as Apache Avro's Java Schema.toString() prints it: compact JSON, "type" first, names
// relative to the enclosing namespace, custom attributes in the order given. Confluent stores and
// returns schemas in this form, and prints it in compatibility messages ({oldSchema: '...'}).
import type { AvroSchema, Field, NamedSchema, Props } from './model.ts';

const q = JSON.stringify;

interface Names {
  space: string | null;
  readonly known: Set<string>;
}

/** The Java toString() text of a schema (or of a fragment: it starts with no enclosing namespace). */
export function toAvroString(schema: AvroSchema): string {
  return render(schema, { space: null, known: new Set() });
}

function writeProps(p: Props): string {
  let out = '';
  for (const [key, value] of Object.entries(p)) out += `,${q(key)}:${q(value)}`;
  return out;
}

// Name.getQualified: the short name when the namespace is the enclosing one.
function qualified(fullName: string, namespace: string | null, space: string | null): string {
  return namespace === null || namespace === space ? fullName.slice(fullName.lastIndexOf('.') + 1) : fullName;
}

function render(s: AvroSchema, names: Names): string {
  switch (s.type) {
    case 'union':
      return `[${s.branches.map((b) => render(b, names)).join(',')}]`;
    case 'array':
      return `{"type":"array","items":${render(s.items, names)}${writeProps(s.props)}}`;
    case 'map':
      return `{"type":"map","values":${render(s.values, names)}${writeProps(s.props)}}`;
    case 'record':
    case 'enum':
    case 'fixed':
      return renderNamed(s, names);
    default:
      return Object.keys(s.props).length === 0 ? q(s.type) : `{"type":${q(s.type)}${writeProps(s.props)}}`;
  }
}

function renderNamed(s: NamedSchema, names: Names): string {
  if (names.known.has(s.fullName)) return q(qualified(s.fullName, s.namespace, names.space));
  names.known.add(s.fullName);
  const type = s.type === 'record' && s.isError ? 'error' : s.type;
  let out = `{"type":"${type}","name":${q(s.name)}`;
  if (s.namespace !== null) {
    if (s.namespace !== names.space) out += `,"namespace":${q(s.namespace)}`;
  } else if (names.space !== null) {
    out += ',"namespace":""';
  }
  const saved = names.space;
  if (s.doc !== undefined) out += `,"doc":${q(s.doc)}`;
  if (s.type === 'record') {
    names.space = s.namespace;
    out += `,"fields":[${s.fields.map((f) => renderField(f, names)).join(',')}]`;
  } else if (s.type === 'enum') {
    out += `,"symbols":${q(s.symbols)}`;
    if (s.default !== undefined) out += `,"default":${q(s.default)}`;
  } else {
    out += `,"size":${s.size}`;
  }
  out += writeProps(s.props);
  if (s.aliases.length > 0) out += `,"aliases":${q(s.aliases.map((a) => qualified(a, aliasSpace(a), s.namespace)))}`;
  names.space = saved;
  return `${out}}`;
}

function aliasSpace(alias: string): string | null {
  const dot = alias.lastIndexOf('.');
  return dot < 0 ? null : alias.slice(0, dot);
}

function renderField(f: Field, names: Names): string {
  let out = `{"name":${q(f.name)},"type":${render(f.type, names)}`;
  if (f.doc !== undefined) out += `,"doc":${q(f.doc)}`;
  if (f.hasDefault) out += `,"default":${q(f.default)}`;
  if (f.order !== 'ascending') out += `,"order":${q(f.order)}`;
  if (f.aliases.length > 0) out += `,"aliases":${q(f.aliases)}`;
  return `${out}${writeProps(f.props)}}`;
}
