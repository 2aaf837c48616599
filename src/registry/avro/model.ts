// The parsed shape of an Avro schema, walked by the canonical forms, the Java-style rendering and
// the compatibility checker. A named type is one object shared by every reference to it, so a
// recursive schema is a cyclic graph and object identity means "the same definition".

export const PRIMITIVE_TYPES = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'] as const;
export type PrimitiveName = (typeof PRIMITIVE_TYPES)[number];

export function isPrimitiveName(name: unknown): name is PrimitiveName {
  return typeof name === 'string' && (PRIMITIVE_TYPES as readonly string[]).includes(name);
}

/** Attributes the specification does not define (logicalType included), in the order given. */
export type Props = Readonly<Record<string, unknown>>;

export interface PrimitiveSchema {
  readonly type: PrimitiveName;
  readonly props: Props;
}

export interface ArraySchema {
  readonly type: 'array';
  readonly items: AvroSchema;
  readonly props: Props;
}

export interface MapSchema {
  readonly type: 'map';
  readonly values: AvroSchema;
  readonly props: Props;
}

export interface UnionSchema {
  readonly type: 'union';
  readonly branches: readonly AvroSchema[];
}

interface NamedSchemaBase {
  /** Namespace-qualified name: what the specification calls the fullname. */
  readonly fullName: string;
  /** The last component of the fullname. */
  readonly name: string;
  readonly namespace: string | null;
  /** Aliases as fullnames (an unqualified alias takes the type's namespace). */
  readonly aliases: readonly string[];
  readonly doc: string | undefined;
  readonly props: Props;
}

export type FieldOrder = 'ascending' | 'descending' | 'ignore';

export interface Field {
  readonly name: string;
  readonly type: AvroSchema;
  /** Index in the record's field list: the number in compatibility locations (/fields/3). */
  readonly pos: number;
  readonly doc: string | undefined;
  /** True when the schema gives a default, `null` included. */
  readonly hasDefault: boolean;
  readonly default: unknown;
  readonly order: FieldOrder;
  readonly aliases: readonly string[];
  readonly props: Props;
}

export interface RecordSchema extends NamedSchemaBase {
  readonly type: 'record';
  /** Declared as "error" (a protocol error record): read and resolved like any record. */
  readonly isError: boolean;
  readonly fields: readonly Field[];
}

export interface EnumSchema extends NamedSchemaBase {
  readonly type: 'enum';
  readonly symbols: readonly string[];
  /** The enum's own default (Avro 1.9+), used for writer symbols the reader lacks. */
  readonly default: string | undefined;
}

export interface FixedSchema extends NamedSchemaBase {
  readonly type: 'fixed';
  readonly size: number;
}

export type NamedSchema = RecordSchema | EnumSchema | FixedSchema;
export type AvroSchema = PrimitiveSchema | ArraySchema | MapSchema | UnionSchema | NamedSchema;

export function isNamed(schema: AvroSchema): schema is NamedSchema {
  return schema.type === 'record' || schema.type === 'enum' || schema.type === 'fixed';
}

/** The type as Apache Avro's Java `Schema.Type` prints it (RECORD, INT, ...): used in messages. */
export function javaTypeName(schema: AvroSchema): string {
  return schema.type.toUpperCase();
}

/** The last dotted component of a name. */
export function unqualify(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? name : name.slice(dot + 1);
}
