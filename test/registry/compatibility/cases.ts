// Schema-evolution cases: registered versions, a candidate, the levels under which the candidate
// may be registered, and what Avro's checker reports in each direction against the latest.
import type { IncompatibilityType } from '../../../src/registry/compatibility/incompatibility.ts';
import type { CompatibilityLevel } from '../../../src/registry/compatibility/levels.ts';

export interface Expected {
  readonly type: IncompatibilityType;
  readonly location: string;
  /** Avro's detail text; compared when given. */
  readonly message?: string;
}

export interface EvolutionCase {
  readonly name: string;
  /** Registered versions, oldest first (version numbers 1, 2, ...). */
  readonly previous: readonly string[];
  /** The schema being registered. */
  readonly next: string;
  /** Levels under which `next` is accepted; NONE always is, every level not listed refuses. */
  readonly passes: readonly CompatibilityLevel[];
  /** `next` reading data of the latest version (the BACKWARD direction). */
  readonly backward: readonly Expected[];
  /** The latest version reading data of `next` (the FORWARD direction). */
  readonly forward: readonly Expected[];
  /** For transitive cases: the same two directions against the oldest version. */
  readonly oldest?: { readonly backward: readonly Expected[]; readonly forward: readonly Expected[] };
  readonly ignoreNamespaces?: boolean;
}

const ALL: readonly CompatibilityLevel[] = ['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE'];
const BACKWARD_ONLY: readonly CompatibilityLevel[] = ['BACKWARD', 'BACKWARD_TRANSITIVE'];
const FORWARD_ONLY: readonly CompatibilityLevel[] = ['FORWARD', 'FORWARD_TRANSITIVE'];
const NOTHING: readonly CompatibilityLevel[] = [];

const NS = 'brook.test';

type Json = Record<string, unknown>;

/** A record named brook.test.Event (override with `more`), as schema text. */
function record(fields: readonly Json[], more: Json = {}): string {
  return JSON.stringify({ type: 'record', name: 'Event', namespace: NS, ...more, fields });
}

function field(name: string, type: unknown, more: Json = {}): Json {
  return { name, type, ...more };
}

const missingDefault = (location: string, name: string): Expected => ({
  type: 'READER_FIELD_MISSING_DEFAULT_VALUE',
  location,
  message: name,
});
const typeMismatch = (location: string, reader: string, writer: string): Expected => ({
  type: 'TYPE_MISMATCH',
  location,
  message: `reader type: ${reader} not compatible with writer type: ${writer}`,
});
const nameMismatch = (location: string, expected: string): Expected => ({
  type: 'NAME_MISMATCH',
  location,
  message: `expected: ${expected}`,
});
const missingBranch = (location: string, writer: string): Expected => ({
  type: 'MISSING_UNION_BRANCH',
  location,
  message: `reader union lacking writer type: ${writer}`,
});

function promotion(from: string, to: string): EvolutionCase {
  return {
    name: `promotion ${from} -> ${to}: new readers read old data, old readers cannot`,
    previous: [record([field('v', from)])],
    next: record([field('v', to)]),
    passes: BACKWARD_ONLY,
    backward: [],
    forward: [typeMismatch('/fields/0/type', from.toUpperCase(), to.toUpperCase())],
  };
}

function demotion(from: string, to: string): EvolutionCase {
  return {
    name: `demotion ${from} -> ${to}: only old readers can read new data`,
    previous: [record([field('v', from)])],
    next: record([field('v', to)]),
    passes: FORWARD_ONLY,
    backward: [typeMismatch('/fields/0/type', to.toUpperCase(), from.toUpperCase())],
    forward: [],
  };
}

const kind = (symbols: readonly string[], more: Json = {}) => ({ type: 'enum', name: 'Kind', symbols, ...more });
const hash = (size: number, name = 'Hash') => ({ type: 'fixed', name, size });

// Brook's own copy of the clickstream event (clickstream spec 1), in the producer's namespace.
const CLICK_FIELDS: readonly Json[] = [
  field('ip', 'string'),
  field('eventtimestamp', 'long'),
  field('devicetype', 'string'),
  field('event_type', ['string', 'null']),
  field('product_type', ['string', 'null']),
  field('userid', 'int'),
  field('globalseq', 'long'),
  field('prevglobalseq', 'long', { default: 0 }),
];
const click = (fields: readonly Json[] = CLICK_FIELDS, namespace = 'samples.clickstream.avro') =>
  JSON.stringify({ namespace, type: 'record', name: 'ClickEvent', fields });
export const CLICK_EVENT_PRODUCER = click();
/** The same record as the original's stream-processing job registers it. */
export const CLICK_EVENT_FLINK = click(CLICK_FIELDS, 'tutorial.buildon.aws.streaming.avro');
const clickWith = (name: string, replace: (f: Json) => Json | undefined) =>
  click(CLICK_FIELDS.map((f) => (f.name === name ? replace(f) : f)).filter((f): f is Json => f !== undefined));

const node = (value: string, extra: readonly Json[] = []) =>
  record([field('value', value), field('next', ['null', 'Node'], { default: null }), ...extra], { name: 'Node' });
const tree = (value: string) => record([field('value', value), field('children', { type: 'array', items: 'Tree' })], { name: 'Tree' });

export const CASES: readonly EvolutionCase[] = [
  // Fields
  {
    name: 'field added with a default',
    previous: [record([field('id', 'string')])],
    next: record([field('id', 'string'), field('n', 'int', { default: 0 })]),
    passes: ALL,
    backward: [],
    forward: [],
  },
  {
    name: 'field added without a default',
    previous: [record([field('id', 'string')])],
    next: record([field('id', 'string'), field('n', 'int')]),
    passes: FORWARD_ONLY,
    backward: [missingDefault('/fields/1', 'n')],
    forward: [],
  },
  {
    name: 'field with a default removed',
    previous: [record([field('id', 'string'), field('n', 'int', { default: 0 })])],
    next: record([field('id', 'string')]),
    passes: ALL,
    backward: [],
    forward: [],
  },
  {
    name: 'field without a default removed',
    previous: [record([field('id', 'string'), field('n', 'int')])],
    next: record([field('id', 'string')]),
    passes: BACKWARD_ONLY,
    backward: [],
    forward: [missingDefault('/fields/1', 'n')],
  },
  {
    name: 'optional field added (null union, default null)',
    previous: [record([field('id', 'string')])],
    next: record([field('id', 'string'), field('note', ['null', 'string'], { default: null })]),
    passes: ALL,
    backward: [],
    forward: [],
  },
  {
    name: 'required field made optional',
    previous: [record([field('id', 'string')])],
    next: record([field('id', ['null', 'string'], { default: null })]),
    passes: BACKWARD_ONLY,
    backward: [],
    forward: [typeMismatch('/fields/0/type/0', 'STRING', 'NULL')],
  },
  {
    name: 'optional field made required',
    previous: [record([field('id', ['null', 'string'], { default: null })])],
    next: record([field('id', 'string')]),
    passes: FORWARD_ONLY,
    backward: [typeMismatch('/fields/0/type/0', 'STRING', 'NULL')],
    forward: [],
  },
  {
    name: 'fields reordered',
    previous: [record([field('a', 'string'), field('b', 'int'), field('c', 'long')])],
    next: record([field('c', 'long'), field('a', 'string'), field('b', 'int')]),
    passes: ALL,
    backward: [],
    forward: [],
  },
  {
    name: 'doc and sort order changed',
    previous: [record([field('a', 'string')])],
    next: record([field('a', 'string', { doc: 'the a', order: 'descending' })], { doc: 'An event' }),
    passes: ALL,
    backward: [],
    forward: [],
  },

  // Primitive promotions (specification: int -> long, float, double; long -> float, double; float -> double)
  promotion('int', 'long'),
  promotion('int', 'float'),
  promotion('int', 'double'),
  promotion('long', 'float'),
  promotion('long', 'double'),
  promotion('float', 'double'),
  demotion('long', 'int'),
  demotion('double', 'float'),
  {
    name: 'string -> bytes (promotable both ways)',
    previous: [record([field('v', 'string')])],
    next: record([field('v', 'bytes')]),
    passes: ALL,
    backward: [],
    forward: [],
  },
  {
    name: 'bytes -> string (promotable both ways)',
    previous: [record([field('v', 'bytes')])],
    next: record([field('v', 'string')]),
    passes: ALL,
    backward: [],
    forward: [],
  },
  {
    name: 'int -> string',
    previous: [record([field('v', 'int')])],
    next: record([field('v', 'string')]),
    passes: NOTHING,
    backward: [typeMismatch('/fields/0/type', 'STRING', 'INT')],
    forward: [typeMismatch('/fields/0/type', 'INT', 'STRING')],
  },
  {
    name: 'boolean -> int',
    previous: [record([field('v', 'boolean')])],
    next: record([field('v', 'int')]),
    passes: NOTHING,
    backward: [typeMismatch('/fields/0/type', 'INT', 'BOOLEAN')],
    forward: [typeMismatch('/fields/0/type', 'BOOLEAN', 'INT')],
  },

  // Enums
  {
    name: 'enum symbol added',
    previous: [record([field('kind', kind(['A', 'B']))])],
    next: record([field('kind', kind(['A', 'B', 'C']))]),
    passes: BACKWARD_ONLY,
    backward: [],
    forward: [{ type: 'MISSING_ENUM_SYMBOLS', location: '/fields/0/type/symbols', message: '[C]' }],
  },
  {
    name: 'enum symbol removed',
    previous: [record([field('kind', kind(['A', 'B', 'C']))])],
    next: record([field('kind', kind(['A', 'B']))]),
    passes: FORWARD_ONLY,
    backward: [{ type: 'MISSING_ENUM_SYMBOLS', location: '/fields/0/type/symbols', message: '[C]' }],
    forward: [],
  },
  {
    name: 'enum symbol added where the old enum has a default',
    previous: [record([field('kind', kind(['A', 'B'], { default: 'A' }))])],
    next: record([field('kind', kind(['A', 'B', 'C'], { default: 'A' }))]),
    passes: ALL,
    backward: [],
    forward: [],
  },
  {
    name: 'enum symbols removed where the new enum has a default',
    previous: [record([field('kind', kind(['A', 'B', 'C', 'D']))])],
    next: record([field('kind', kind(['A', 'B'], { default: 'A' }))]),
    passes: ALL,
    backward: [],
    forward: [],
  },
  {
    name: 'two enum symbols removed (listed sorted)',
    previous: [record([field('kind', kind(['D', 'C', 'A', 'B']))])],
    next: record([field('kind', kind(['A', 'B']))]),
    passes: FORWARD_ONLY,
    backward: [{ type: 'MISSING_ENUM_SYMBOLS', location: '/fields/0/type/symbols', message: '[C, D]' }],
    forward: [],
  },
  {
    name: 'enum renamed',
    previous: [record([field('kind', kind(['A']))])],
    next: record([field('kind', { type: 'enum', name: 'Sort', symbols: ['A'] })]),
    passes: NOTHING,
    backward: [nameMismatch('/fields/0/type/name', 'brook.test.Kind')],
    forward: [nameMismatch('/fields/0/type/name', 'brook.test.Sort')],
  },

  // Fixed
  {
    name: 'fixed size changed',
    previous: [record([field('h', hash(16))])],
    next: record([field('h', hash(32))]),
    passes: NOTHING,
    backward: [{ type: 'FIXED_SIZE_MISMATCH', location: '/fields/0/type/size', message: 'expected: 16, found: 32' }],
    forward: [{ type: 'FIXED_SIZE_MISMATCH', location: '/fields/0/type/size', message: 'expected: 32, found: 16' }],
  },
  {
    name: 'fixed renamed',
    previous: [record([field('h', hash(16))])],
    next: record([field('h', hash(16, 'Digest'))]),
    passes: NOTHING,
    backward: [nameMismatch('/fields/0/type/name', 'brook.test.Hash')],
    forward: [nameMismatch('/fields/0/type/name', 'brook.test.Digest')],
  },

  // Unions
  {
    name: 'union branch added',
    previous: [record([field('v', ['null', 'string'], { default: null })])],
    next: record([field('v', ['null', 'string', 'int'], { default: null })]),
    passes: BACKWARD_ONLY,
    backward: [],
    forward: [missingBranch('/fields/0/type/2', 'INT')],
  },
  {
    name: 'union branch removed',
    previous: [record([field('v', ['null', 'string', 'int'], { default: null })])],
    next: record([field('v', ['null', 'string'], { default: null })]),
    passes: FORWARD_ONLY,
    backward: [missingBranch('/fields/0/type/2', 'INT')],
    forward: [],
  },
  {
    name: 'union branches reordered',
    previous: [record([field('v', ['null', 'string', 'int'], { default: null })])],
    next: record([field('v', ['null', 'int', 'string'], { default: null })]),
    passes: ALL,
    backward: [],
    forward: [],
  },
  {
    name: 'int widened into a nullable long union (every writer branch reported)',
    previous: [record([field('v', 'int')])],
    next: record([field('v', ['null', 'long'], { default: null })]),
    passes: BACKWARD_ONLY,
    backward: [],
    forward: [typeMismatch('/fields/0/type/0', 'INT', 'NULL'), typeMismatch('/fields/0/type/1', 'INT', 'LONG')],
  },
  {
    name: 'union collapsed to a type that reads every branch',
    previous: [record([field('v', ['int', 'long'])])],
    next: record([field('v', 'long')]),
    passes: ALL,
    backward: [],
    forward: [],
  },
  {
    name: 'record inside a union gains a required field (Avro reports the branch only)',
    previous: [record([field('v', ['null', { type: 'record', name: 'Inner', fields: [field('a', 'int')] }], { default: null })])],
    next: record([
      field('v', ['null', { type: 'record', name: 'Inner', fields: [field('a', 'int'), field('b', 'string')] }], { default: null }),
    ]),
    passes: FORWARD_ONLY,
    backward: [missingBranch('/fields/0/type/1', 'RECORD')],
    forward: [],
  },

  // Nested records, arrays and maps
  {
    name: 'nested record gains a required field',
    previous: [record([field('id', 'string'), field('loc', { type: 'record', name: 'Location', fields: [field('lat', 'double')] })])],
    next: record([
      field('id', 'string'),
      field('loc', { type: 'record', name: 'Location', fields: [field('lat', 'double'), field('lon', 'double')] }),
    ]),
    passes: FORWARD_ONLY,
    backward: [missingDefault('/fields/1/type/fields/1', 'lon')],
    forward: [],
  },
  {
    name: 'nested record field widened',
    previous: [record([field('id', 'string'), field('loc', { type: 'record', name: 'Location', fields: [field('lat', 'float')] })])],
    next: record([field('id', 'string'), field('loc', { type: 'record', name: 'Location', fields: [field('lat', 'double')] })]),
    passes: BACKWARD_ONLY,
    backward: [],
    forward: [typeMismatch('/fields/1/type/fields/0/type', 'FLOAT', 'DOUBLE')],
  },
  {
    name: 'array of records: item gains a required field',
    previous: [record([field('items', { type: 'array', items: { type: 'record', name: 'Item', fields: [field('sku', 'string')] } })])],
    next: record([
      field('items', { type: 'array', items: { type: 'record', name: 'Item', fields: [field('sku', 'string'), field('qty', 'int')] } }),
    ]),
    passes: FORWARD_ONLY,
    backward: [missingDefault('/fields/0/type/items/fields/1', 'qty')],
    forward: [],
  },
  {
    name: 'map of records: value field widened',
    previous: [record([field('stats', { type: 'map', values: { type: 'record', name: 'Stat', fields: [field('count', 'int')] } })])],
    next: record([field('stats', { type: 'map', values: { type: 'record', name: 'Stat', fields: [field('count', 'long')] } })]),
    passes: BACKWARD_ONLY,
    backward: [],
    forward: [typeMismatch('/fields/0/type/values/fields/0/type', 'INT', 'LONG')],
  },
  {
    name: 'array items changed from int to string',
    previous: [record([field('xs', { type: 'array', items: 'int' })])],
    next: record([field('xs', { type: 'array', items: 'string' })]),
    passes: NOTHING,
    backward: [typeMismatch('/fields/0/type/items', 'STRING', 'INT')],
    forward: [typeMismatch('/fields/0/type/items', 'INT', 'STRING')],
  },
  {
    name: 'array changed to map',
    previous: [record([field('tags', { type: 'array', items: 'string' })])],
    next: record([field('tags', { type: 'map', values: 'string' })]),
    passes: NOTHING,
    backward: [typeMismatch('/fields/0/type', 'MAP', 'ARRAY')],
    forward: [typeMismatch('/fields/0/type', 'ARRAY', 'MAP')],
  },

  // Renames and aliases
  {
    name: 'record renamed without an alias',
    previous: [record([field('id', 'string')])],
    next: record([field('id', 'string')], { name: 'Occurrence' }),
    passes: NOTHING,
    backward: [nameMismatch('/name', 'brook.test.Event')],
    forward: [nameMismatch('/name', 'brook.test.Occurrence')],
  },
  {
    name: 'record renamed with an alias to the old name',
    previous: [record([field('id', 'string')])],
    next: record([field('id', 'string')], { name: 'Occurrence', aliases: ['Event'] }),
    passes: BACKWARD_ONLY,
    backward: [],
    forward: [nameMismatch('/name', 'brook.test.Occurrence')],
  },
  {
    name: 'field renamed without an alias',
    previous: [record([field('user', 'string')])],
    next: record([field('login', 'string')]),
    passes: NOTHING,
    backward: [missingDefault('/fields/0', 'login')],
    forward: [missingDefault('/fields/0', 'user')],
  },
  {
    name: 'field renamed with an alias to the old name',
    previous: [record([field('user', 'string')])],
    next: record([field('login', 'string', { aliases: ['user'] })]),
    passes: BACKWARD_ONLY,
    backward: [],
    forward: [missingDefault('/fields/0', 'user')],
  },
  {
    name: 'field renamed with an alias, default on both sides',
    previous: [record([field('user', 'string', { default: '' })])],
    next: record([field('login', 'string', { aliases: ['user'], default: '' })]),
    passes: ALL,
    backward: [],
    forward: [],
  },

  // Namespaces
  {
    name: 'namespace changed (names compared in full)',
    previous: [record([field('id', 'string')], { namespace: 'a.b' })],
    next: record([field('id', 'string')], { namespace: 'c.d' }),
    passes: NOTHING,
    backward: [nameMismatch('/name', 'a.b.Event')],
    forward: [nameMismatch('/name', 'c.d.Event')],
  },
  {
    name: 'namespace changed with ignoreNamespaces',
    previous: [record([field('id', 'string')], { namespace: 'a.b' })],
    next: record([field('id', 'string')], { namespace: 'c.d' }),
    passes: ALL,
    backward: [],
    forward: [],
    ignoreNamespaces: true,
  },
  {
    name: 'namespace changed, alias names the old full name',
    previous: [record([field('id', 'string')], { namespace: 'a.b' })],
    next: record([field('id', 'string')], { namespace: 'c.d', aliases: ['a.b.Event'] }),
    passes: BACKWARD_ONLY,
    backward: [],
    forward: [nameMismatch('/name', 'c.d.Event')],
  },
  {
    name: 'nested type referred to by short name, then by full name',
    previous: [
      record([field('x', { type: 'record', name: 'Inner', fields: [field('a', 'int')] }), field('y', 'Inner')], { namespace: 'a.b' }),
    ],
    next: record([field('x', { type: 'record', name: 'a.b.Inner', fields: [field('a', 'int')] }), field('y', 'a.b.Inner')], {
      namespace: 'a.b',
    }),
    passes: ALL,
    backward: [],
    forward: [],
  },
  {
    name: 'nested type moved to another namespace',
    previous: [record([field('x', { type: 'record', name: 'Inner', fields: [field('a', 'int')] })])],
    next: record([field('x', { type: 'record', name: 'Inner', namespace: 'other', fields: [field('a', 'int')] })]),
    passes: NOTHING,
    backward: [nameMismatch('/fields/0/type/name', 'brook.test.Inner')],
    forward: [nameMismatch('/fields/0/type/name', 'other.Inner')],
  },

  // The clickstream event
  {
    name: 'clickstream: producer ClickEvent -> the job namespace (names compared in full)',
    previous: [CLICK_EVENT_PRODUCER],
    next: CLICK_EVENT_FLINK,
    passes: NOTHING,
    backward: [nameMismatch('/name', 'samples.clickstream.avro.ClickEvent')],
    forward: [nameMismatch('/name', 'tutorial.buildon.aws.streaming.avro.ClickEvent')],
  },
  {
    name: 'clickstream: producer ClickEvent -> the job namespace with ignoreNamespaces',
    previous: [CLICK_EVENT_PRODUCER],
    next: CLICK_EVENT_FLINK,
    passes: ALL,
    backward: [],
    forward: [],
    ignoreNamespaces: true,
  },
  {
    name: 'clickstream: optional session id added',
    previous: [CLICK_EVENT_PRODUCER],
    next: click([...CLICK_FIELDS, field('session_id', ['null', 'string'], { default: null })]),
    passes: ALL,
    backward: [],
    forward: [],
  },
  {
    name: 'clickstream: prevglobalseq (default 0) removed',
    previous: [CLICK_EVENT_PRODUCER],
    next: clickWith('prevglobalseq', () => undefined),
    passes: ALL,
    backward: [],
    forward: [],
  },
  {
    name: 'clickstream: devicetype removed',
    previous: [CLICK_EVENT_PRODUCER],
    next: clickWith('devicetype', () => undefined),
    passes: BACKWARD_ONLY,
    backward: [],
    forward: [missingDefault('/fields/2', 'devicetype')],
  },
  {
    name: 'clickstream: userid int -> long',
    previous: [CLICK_EVENT_PRODUCER],
    next: clickWith('userid', (f) => ({ ...f, type: 'long' })),
    passes: BACKWARD_ONLY,
    backward: [],
    forward: [typeMismatch('/fields/5/type', 'INT', 'LONG')],
  },
  {
    name: 'clickstream: event_type made required',
    previous: [CLICK_EVENT_PRODUCER],
    next: clickWith('event_type', (f) => ({ ...f, type: 'string' })),
    passes: FORWARD_ONLY,
    backward: [typeMismatch('/fields/3/type/1', 'STRING', 'NULL')],
    forward: [],
  },

  // Recursive types
  {
    name: 'linked list gains a field with a default',
    previous: [node('int')],
    next: node('int', [field('label', 'string', { default: '' })]),
    passes: ALL,
    backward: [],
    forward: [],
  },
  {
    name: 'linked list value widened',
    previous: [node('int')],
    next: node('long'),
    passes: BACKWARD_ONLY,
    backward: [],
    forward: [typeMismatch('/fields/0/type', 'INT', 'LONG')],
  },
  {
    name: 'linked list gains a required field',
    previous: [node('int')],
    next: node('int', [field('label', 'string')]),
    passes: FORWARD_ONLY,
    backward: [missingDefault('/fields/2', 'label')],
    forward: [],
  },
  {
    name: 'tree (record recursive through an array) value widened',
    previous: [tree('int')],
    next: tree('long'),
    passes: BACKWARD_ONLY,
    backward: [],
    forward: [typeMismatch('/fields/0/type', 'INT', 'LONG')],
  },

  // Transitive against non-transitive: three versions, only the first and last disagree
  {
    name: 'transitive backward: v3 reads v2 but not v1',
    previous: [record([field('a', 'string')]), record([field('a', 'string'), field('b', 'int', { default: 0 })])],
    next: record([field('b', 'int')]),
    passes: ['BACKWARD'],
    backward: [],
    forward: [missingDefault('/fields/0', 'a')],
    oldest: { backward: [missingDefault('/fields/0', 'b')], forward: [missingDefault('/fields/0', 'a')] },
  },
  {
    name: 'transitive forward: v2 reads v3 but v1 does not',
    previous: [record([field('a', 'string'), field('b', 'int')]), record([field('a', 'string'), field('b', 'int', { default: 0 })])],
    next: record([field('a', 'string')]),
    passes: ['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FULL'],
    backward: [],
    forward: [],
    oldest: { backward: [], forward: [missingDefault('/fields/1', 'b')] },
  },
  {
    name: 'three versions, each step compatible every way',
    previous: [record([field('a', 'string')]), record([field('a', 'string'), field('b', 'int', { default: 0 })])],
    next: record([field('a', 'string'), field('b', 'int', { default: 0 }), field('c', ['null', 'long'], { default: null })]),
    passes: ALL,
    backward: [],
    forward: [],
    oldest: { backward: [], forward: [] },
  },

  // Schemas that are not records
  {
    name: 'top-level string -> bytes',
    previous: ['"string"'],
    next: '{"type":"bytes"}',
    passes: ALL,
    backward: [],
    forward: [],
  },
  {
    name: 'top-level map values widened',
    previous: ['{"type":"map","values":"int"}'],
    next: '{"type":"map","values":"long"}',
    passes: BACKWARD_ONLY,
    backward: [],
    forward: [typeMismatch('/values', 'INT', 'LONG')],
  },
  {
    name: 'top-level union gains a branch',
    previous: ['["string","int"]'],
    next: '["string","int","boolean"]',
    passes: BACKWARD_ONLY,
    backward: [],
    forward: [missingBranch('/2', 'BOOLEAN')],
  },
];
