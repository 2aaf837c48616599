// Avro schema resolution as a check: can data written with one schema be read with another? It
// follows Apache Avro's SchemaCompatibility checker (the one Confluent runs) step for step, so
// verdicts, incompatibility types and locations match what Confluent reports.
import {
  type AvroSchema,
  type EnumSchema,
  type Field,
  type FixedSchema,
  isNamed,
  javaTypeName,
  type NamedSchema,
  type RecordSchema,
  unqualify,
} from '../avro/model.ts';
import type { ParsedAvroSchema } from '../avro/parse.ts';
import { type Incompatibility, IncompatibilityType } from './incompatibility.ts';

export interface CanReadOptions {
  /**
   * Compare record, enum and fixed names (and the reader's aliases) without their namespaces, as
   * avsc's resolver option of the same name does. Off, names must match in full. Brook's serde
   * turns it on (clickstream: one ClickEvent under two namespaces); the registry leaves it off.
   */
  readonly ignoreNamespaces?: boolean;
}

export interface ReadCheck {
  readonly compatible: boolean;
  /** Every incompatibility found, in the order Avro's checker finds them. */
  readonly incompatibilities: readonly Incompatibility[];
}

/** Can a reader with schema `reader` decode every datum written with schema `writer`? */
export function canRead(
  reader: AvroSchema | ParsedAvroSchema,
  writer: AvroSchema | ParsedAvroSchema,
  options: CanReadOptions = {},
): ReadCheck {
  const checker = new Checker(options.ignoreNamespaces === true);
  const incompatibilities = checker.fresh(rootOf(reader), rootOf(writer));
  return { compatible: incompatibilities.length === 0, incompatibilities };
}

function rootOf(s: AvroSchema | ParsedAvroSchema): AvroSchema {
  return 'root' in s ? s.root : s;
}

const IN_PROGRESS = Symbol('in progress');
type Memo = Map<AvroSchema, Map<AvroSchema, readonly Incompatibility[] | typeof IN_PROGRESS>>;

// Promotions the specification allows: writer type -> reader types that can read it.
const PROMOTIONS: Readonly<Record<string, readonly string[]>> = {
  long: ['int'],
  float: ['int', 'long'],
  double: ['int', 'long', 'float'],
  bytes: ['string'],
  string: ['bytes'],
};

class Checker {
  // One memo per top-level check, keyed by object identity: a pair met again (a recursive type)
  // is compatible while in progress, and later returns the first result, locations included,
  // exactly as Avro's ReaderWriterCompatibilityChecker does.
  readonly #memo: Memo = new Map();
  readonly #ignoreNamespaces: boolean;

  constructor(ignoreNamespaces: boolean) {
    this.#ignoreNamespaces = ignoreNamespaces;
  }

  /** A check that starts a location of its own at "/" (Avro's public getCompatibility). */
  fresh(reader: AvroSchema, writer: AvroSchema): readonly Incompatibility[] {
    return this.#check('', reader, writer, []);
  }

  #check(token: string, reader: AvroSchema, writer: AvroSchema, location: string[]): readonly Incompatibility[] {
    location.push(token);
    let byWriter = this.#memo.get(reader);
    if (byWriter === undefined) this.#memo.set(reader, (byWriter = new Map()));
    const memoized = byWriter.get(writer);
    let result: readonly Incompatibility[];
    if (memoized === IN_PROGRESS) {
      result = []; // compatible unless proven otherwise
    } else if (memoized !== undefined) {
      result = memoized;
    } else {
      byWriter.set(writer, IN_PROGRESS);
      result = this.#calculate(reader, writer, location);
      byWriter.set(writer, result);
    }
    location.pop();
    return result;
  }

  #calculate(reader: AvroSchema, writer: AvroSchema, location: string[]): readonly Incompatibility[] {
    if (reader.type === writer.type) {
      switch (reader.type) {
        case 'array':
          return this.#check('items', reader.items, (writer as typeof reader).items, location);
        case 'map':
          return this.#check('values', reader.values, (writer as typeof reader).values, location);
        case 'fixed':
          return [...this.#names(reader, writer as FixedSchema, location), ...this.#size(reader, writer as FixedSchema, location)];
        case 'enum':
          return [...this.#names(reader, writer as EnumSchema, location), ...this.#symbols(reader, writer as EnumSchema, location)];
        case 'record':
          return [...this.#names(reader, writer as RecordSchema, location), ...this.#fields(reader, writer as RecordSchema, location)];
        case 'union':
          return this.#writerUnion(reader, writer as typeof reader, location);
        default:
          return [];
      }
    }
    if (writer.type === 'union') {
      // A non-union reader must read every branch the writer may have chosen.
      return writer.branches.flatMap((branch, i) => this.#check(String(i), reader, branch, location));
    }
    if (reader.type === 'union') {
      // The writer's type must be readable by some reader branch; Avro reports only the miss. A
      // named branch whose name does not match cannot read it (the specification's "match"), so
      // it is passed over unchecked: n records against n records cost n full checks, not n².
      const readable = reader.branches.some((branch) => !this.#otherName(branch, writer) && this.fresh(branch, writer).length === 0);
      if (readable) return [];
      return [
        incompatible(
          IncompatibilityType.MISSING_UNION_BRANCH,
          reader,
          writer,
          `reader union lacking writer type: ${javaTypeName(writer)}`,
          location,
        ),
      ];
    }
    if (PROMOTIONS[reader.type]?.includes(writer.type)) return [];
    return [
      incompatible(
        IncompatibilityType.TYPE_MISMATCH,
        reader,
        writer,
        `reader type: ${javaTypeName(reader)} not compatible with writer type: ${javaTypeName(writer)}`,
        location,
      ),
    ];
  }

  // Both unions: each writer branch must be readable by the reader union. Avro records the
  // missing branch at <location>/<writer branch index> and drops the details of why.
  #writerUnion(reader: AvroSchema, writer: { readonly branches: readonly AvroSchema[] }, location: string[]): Incompatibility[] {
    const out: Incompatibility[] = [];
    for (const [i, branch] of writer.branches.entries()) {
      location.push(String(i));
      if (this.fresh(reader, branch).length > 0) {
        out.push(
          incompatible(
            IncompatibilityType.MISSING_UNION_BRANCH,
            reader,
            writer as AvroSchema,
            `reader union lacking writer type: ${javaTypeName(branch)}`,
            location,
          ),
        );
      }
      location.pop();
    }
    return out;
  }

  #names(reader: NamedSchema, writer: NamedSchema, location: string[]): Incompatibility[] {
    if (this.#namesMatch(reader, writer)) return [];
    location.push('name');
    const found = incompatible(IncompatibilityType.NAME_MISMATCH, reader, writer, `expected: ${writer.fullName}`, location);
    location.pop();
    return [found];
  }

  #otherName(reader: AvroSchema, writer: AvroSchema): boolean {
    return isNamed(reader) && reader.type === writer.type && !this.#namesMatch(reader, writer as NamedSchema);
  }

  #namesMatch(reader: NamedSchema, writer: NamedSchema): boolean {
    if (!this.#ignoreNamespaces) return reader.fullName === writer.fullName || reader.aliases.includes(writer.fullName);
    return reader.name === writer.name || reader.aliases.some((alias) => unqualify(alias) === writer.name);
  }

  #size(reader: FixedSchema, writer: FixedSchema, location: string[]): Incompatibility[] {
    if (reader.size === writer.size) return [];
    location.push('size');
    const found = incompatible(
      IncompatibilityType.FIXED_SIZE_MISMATCH,
      reader,
      writer,
      `expected: ${writer.size}, found: ${reader.size}`,
      location,
    );
    location.pop();
    return [found];
  }

  #symbols(reader: EnumSchema, writer: EnumSchema, location: string[]): Incompatibility[] {
    const missing = [...new Set(writer.symbols)].filter((s) => !reader.symbols.includes(s)).sort();
    // The reader's enum default stands in for any symbol it lacks.
    if (missing.length === 0 || (reader.default !== undefined && reader.symbols.includes(reader.default))) return [];
    location.push('symbols');
    const found = incompatible(IncompatibilityType.MISSING_ENUM_SYMBOLS, reader, writer, `[${missing.join(', ')}]`, location);
    location.pop();
    return [found];
  }

  #fields(reader: RecordSchema, writer: RecordSchema, location: string[]): Incompatibility[] {
    const out: Incompatibility[] = [];
    location.push('fields');
    for (const field of reader.fields) {
      location.push(String(field.pos));
      const matches = writerFields(writer, field);
      if (matches.length > 1) {
        const names = matches.map((m) => m.name).join(', ');
        const message = `Reader record field ${field.name} matches multiple fields in writer record schema ${writer.fullName}: ${names}`;
        out.push(incompatible(IncompatibilityType.AMBIGUOUS_FIELD_ALIAS, reader, writer, message, location));
      } else if (matches.length === 0) {
        // Writer fields the reader lacks are skipped; reader fields the writer lacks need a default.
        if (!field.hasDefault)
          out.push(incompatible(IncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE, reader, writer, field.name, location));
      } else {
        out.push(...this.#check('type', field.type, matches[0]!.type, location));
      }
      location.pop();
    }
    location.pop();
    return out;
  }
}

// Field lookup by name, built once per writer record: wide records stay linear to check.
const fieldIndexes = new WeakMap<RecordSchema, ReadonlyMap<string, Field>>();

/** The writer fields a reader field reads: the one with its name, and those named by its aliases. */
function writerFields(writer: RecordSchema, field: Field): Field[] {
  let index = fieldIndexes.get(writer);
  if (index === undefined) fieldIndexes.set(writer, (index = new Map(writer.fields.map((f) => [f.name, f]))));
  const found: Field[] = [];
  for (const name of [field.name, ...field.aliases]) {
    const match = index.get(name);
    if (match !== undefined && !found.includes(match)) found.push(match);
  }
  return found;
}

function incompatible(
  type: IncompatibilityType,
  reader: AvroSchema,
  writer: AvroSchema,
  message: string,
  location: readonly string[],
): Incompatibility {
  return { type, location: pointer(location), message, reader, writer };
}

// Avro's Incompatibility.getLocation: drop the root token, escape as a JSON pointer.
function pointer(location: readonly string[]): string {
  return `/${location
    .slice(1)
    .map((t) => t.replaceAll('~', '~0').replaceAll('/', '~1'))
    .join('/')}`;
}
