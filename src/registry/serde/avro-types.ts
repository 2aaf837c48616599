// Turning schema text into avsc types that decode to plain objects, and resolving a writer schema
// to a reader schema with namespaces ignored (clickstream spec 1: both ClickEvent namespaces read).
import type { Type as AvroType, Schema } from 'avsc';
import avsc from 'avsc';
import { SerdeError, SerdeErrorCode } from './errors.ts';

export type { AvroType };
export type Resolver = ReturnType<AvroType['createResolver']>;

/** A schema as callers give it: JSON text, a parsed JSON schema object, or an avsc Type. */
export type SchemaInput = string | Schema | AvroType;

export function isAvroType(x: unknown): x is AvroType {
  return avsc.Type.isType(x);
}

/**
 * Parses schema text into a type whose records decode to plain objects (prototype
 * Object.prototype, no avsc methods), so values compare, spread and serialize like JSON objects.
 */
export function plainType(schema: string | Schema, what: string): AvroType {
  let parsed: Schema;
  if (typeof schema === 'string') {
    try {
      parsed = JSON.parse(schema) as Schema;
    } catch (err) {
      throw new SerdeError(SerdeErrorCode.INVALID_SCHEMA, `${what} is not JSON: ${(err as Error).message}`, { cause: err });
    }
  } else {
    parsed = schema;
  }
  let type: AvroType;
  try {
    type = avsc.Type.forSchema(parsed, { omitRecordMethods: true });
  } catch (err) {
    throw new SerdeError(SerdeErrorCode.INVALID_SCHEMA, `${what} is not a valid Avro schema: ${(err as Error).message}`, { cause: err });
  }
  makeRecordsPlain(type, new Set());
  return type;
}

// avsc builds each record value with `new Record(...)`; with omitRecordMethods the prototype is
// empty, and pointing it at Object.prototype makes the values plain objects at no decoding cost.
// Only types this module created are touched: a caller's own Type keeps its record classes.
function makeRecordsPlain(type: AvroType, seen: Set<AvroType>): void {
  if (seen.has(type)) return;
  seen.add(type);
  const t = type as AvroType & {
    recordConstructor?: { prototype: object };
    fields?: { type: AvroType }[];
    itemsType?: AvroType;
    valuesType?: AvroType;
    types?: AvroType[];
    underlyingType?: AvroType;
  };
  if (t.typeName === 'record' && t.recordConstructor) t.recordConstructor.prototype = Object.prototype;
  for (const f of t.fields ?? []) makeRecordsPlain(f.type, seen);
  for (const u of t.types ?? []) makeRecordsPlain(u, seen);
  if (t.itemsType) makeRecordsPlain(t.itemsType, seen);
  if (t.valuesType) makeRecordsPlain(t.valuesType, seen);
  if (t.underlyingType) makeRecordsPlain(t.underlyingType, seen);
}

/** The schema text to register for a type: its full JSON form, with doc, aliases and defaults. */
export function schemaText(type: AvroType): string {
  return JSON.stringify(type.schema({ exportAttrs: true }));
}

/**
 * How to read values written with `writer` as `reader`: undefined when the two are the same
 * schema (read directly), else an avsc resolver that matches named types by unqualified name.
 * Throws SERDE_UNRESOLVABLE_SCHEMA when Avro's resolution rules do not allow it.
 */
export function resolve(reader: AvroType, writer: AvroType, ref: string): Resolver | undefined {
  if (reader.equals(writer)) return undefined;
  try {
    return reader.createResolver(writer, { ignoreNamespaces: true });
  } catch (err) {
    throw new SerdeError(
      SerdeErrorCode.UNRESOLVABLE_SCHEMA,
      `${ref}: the writer schema ${describe(writer)} cannot be read as the reader schema ${describe(reader)}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

function describe(type: AvroType): string {
  return type.name ?? type.typeName;
}
