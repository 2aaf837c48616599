// A small declarative language for Kafka message schemas (fields with version ranges, nullable
// ranges, flexible versions and tagged fields, KIP-482) and the codec that reads and writes any
// declared message at any version. Each API file in ./apis declares its request and response here.
import { type ByteReader, ByteWriter } from '../common/bytes.ts';
import { ProtocolError } from '../common/errors.ts';

export type Primitive =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'string'
  | 'bytes'
  | 'uuid'
  | 'records';

/** A struct is a list of fields; `arrayOf` marks an array of primitives or structs. */
export type FieldType = Primitive | Field[] | ArrayType;
export interface ArrayType {
  readonly arrayOf: Primitive | Field[];
}

export interface Range {
  readonly min: number;
  readonly max: number;
}

export interface Field {
  readonly name: string;
  readonly type: FieldType;
  readonly versions: Range;
  readonly nullable: Range | null;
  readonly tag: number | null;
  readonly taggedVersions: Range | null;
  readonly defaultValue: unknown;
}

export interface FieldOptions {
  /** Versions in which the field exists: '0+', '3+', '0-4' (default '0+'). */
  v?: string;
  /** Versions in which the field may be null. */
  nullable?: string;
  /** Tag number for a tagged field (flexible versions only); `v` is then its tagged versions. */
  tag?: number;
  /** Value used when the field is absent from the object or from the version read. */
  default?: unknown;
}

const NONE: Range = { min: 1, max: 0 };

export function range(spec: string): Range {
  if (spec === 'none') return NONE;
  const plus = /^(\d+)\+$/.exec(spec);
  if (plus) return { min: Number(plus[1]), max: Number.MAX_SAFE_INTEGER };
  const span = /^(\d+)(?:-(\d+))?$/.exec(spec);
  if (!span) throw new Error(`bad version range '${spec}'`);
  return { min: Number(span[1]), max: Number(span[2] ?? span[1]) };
}

const within = (r: Range | null, v: number): boolean => r !== null && v >= r.min && v <= r.max;

export function arrayOf(element: Primitive | Field[]): ArrayType {
  return { arrayOf: element };
}

export function field(name: string, type: FieldType, opts: FieldOptions = {}): Field {
  const versions = range(opts.v ?? '0+');
  const nullable = opts.nullable ? range(opts.nullable) : null;
  let defaultValue = opts.default;
  if (defaultValue === undefined) defaultValue = typeDefault(type, nullable !== null && nullable.min === 0);
  return {
    name,
    type,
    versions: opts.tag === undefined ? versions : { min: 0, max: Number.MAX_SAFE_INTEGER },
    nullable,
    tag: opts.tag ?? null,
    taggedVersions: opts.tag === undefined ? null : versions,
    defaultValue,
  };
}

function typeDefault(type: FieldType, nullFromStart: boolean): unknown {
  // A struct that is never null defaults to its fields' defaults, as in Kafka (e.g. an absent
  // CurrentLeader tag reads as {leaderId: -1, leaderEpoch: -1}).
  if (Array.isArray(type)) return nullFromStart ? null : Object.freeze(structDefault(type));
  if (typeof type !== 'string') return [];
  switch (type) {
    case 'bool':
      return false;
    case 'int64':
      return 0n;
    case 'string':
      return nullFromStart ? null : '';
    case 'bytes':
      return Buffer.alloc(0);
    case 'uuid':
      return ZERO_UUID;
    case 'records':
      return null;
    default:
      return 0;
  }
}

export const ZERO_UUID = Buffer.alloc(16);

function structDefault(fields: Field[]): Message {
  const out: Message = {};
  for (const f of fields) out[f.name] = freshDefault(f);
  return out;
}

/** A field's default as a value a decoded message may own: arrays and structs are new each time. */
function freshDefault(f: Field): unknown {
  const d = f.defaultValue;
  if (Array.isArray(d)) return [];
  if (Array.isArray(f.type) && d !== null && typeof d === 'object') return structDefault(f.type);
  return d;
}

// Decoded messages are plain objects; handlers read the fields their API version defines.
export type Message = Record<string, any>;

export interface MessageSchema {
  readonly name: string;
  readonly flexible: Range;
  read(reader: ByteReader, version: number): Message;
  write(writer: ByteWriter, version: number, value: Message): void;
  encode(version: number, value: Message): Buffer;
}

export function message(name: string, flexibleVersions: string, fields: Field[]): MessageSchema {
  const flexible = range(flexibleVersions);
  return {
    name,
    flexible,
    read: (reader, version) => readStruct(reader, fields, version, within(flexible, version), name),
    write: (writer, version, value) => writeStruct(writer, fields, version, within(flexible, version), value, name),
    encode(version, value) {
      const w = new ByteWriter();
      writeStruct(w, fields, version, within(flexible, version), value, name);
      return w.toBuffer();
    },
  };
}

// ---- reading ----

function readStruct(r: ByteReader, fields: Field[], version: number, flex: boolean, path: string): Message {
  const out: Message = {};
  for (const f of fields) {
    if (f.tag !== null || !within(f.versions, version)) {
      out[f.name] = freshDefault(f);
      continue;
    }
    out[f.name] = readValue(r, f, f.type, version, flex, `${path}.${f.name}`);
  }
  if (flex) readTaggedFields(r, fields, version, out, path);
  return out;
}

function readTaggedFields(r: ByteReader, fields: Field[], version: number, out: Message, path: string): void {
  const count = r.uvarint();
  if (count > r.remaining) throw new ProtocolError(`${path}: ${count} tagged fields claimed, ${r.remaining} bytes left`);
  for (let i = 0; i < count; i++) {
    const tag = r.uvarint();
    const size = r.uvarint();
    const f = fields.find((x) => x.tag === tag && within(x.taggedVersions, version));
    if (!f) {
      r.skip(size);
      continue;
    }
    const end = r.offset + size;
    out[f.name] = readValue(r, f, f.type, version, true, `${path}.${f.name}`);
    if (r.offset !== end) throw new ProtocolError(`${path}.${f.name}: tagged field size ${size} does not match its content`);
  }
}

function readLength(r: ByteReader, flex: boolean, int16: boolean): number {
  if (flex) return r.uvarint() - 1;
  return int16 ? r.int16() : r.int32();
}

function readValue(r: ByteReader, f: Field, type: FieldType, version: number, flex: boolean, path: string): unknown {
  if (typeof type === 'string') return readPrimitive(r, f, type, version, flex, path);
  if (Array.isArray(type)) {
    // A nullable struct is prefixed by an int8 marker: -1 for null, 1 for present.
    if (within(f.nullable, version) && r.int8() < 0) return null;
    return readStruct(r, type, version, flex, path);
  }
  const n = readLength(r, flex, false);
  if (n < 0) {
    if (within(f.nullable, version)) return null;
    throw new ProtocolError(`${path}: null array in a version where it is not nullable`);
  }
  // Every element takes at least one byte, so a count beyond the remaining bytes is a lie.
  if (n > r.remaining) throw new ProtocolError(`${path}: array of ${n} claimed, ${r.remaining} bytes left`);
  const el = (type as ArrayType).arrayOf;
  const arr = new Array(n);
  for (let i = 0; i < n; i++) {
    arr[i] = typeof el === 'string' ? readPrimitive(r, f, el, version, flex, path) : readStruct(r, el, version, flex, path);
  }
  return arr;
}

function readPrimitive(r: ByteReader, f: Field, type: Primitive, version: number, flex: boolean, path: string): unknown {
  switch (type) {
    case 'bool':
      return r.bool();
    case 'int8':
      return r.int8();
    case 'int16':
      return r.int16();
    case 'uint16':
      return r.uint16();
    case 'int32':
      return r.int32();
    case 'uint32':
      return r.uint32();
    case 'int64':
      return r.int64();
    case 'float64':
      return r.float64();
    case 'uuid':
      return r.bytes(16);
    case 'string': {
      const n = readLength(r, flex, true);
      if (n < 0) {
        if (within(f.nullable, version)) return null;
        throw new ProtocolError(`${path}: null string in a version where it is not nullable`);
      }
      return r.utf8(n);
    }
    case 'bytes':
    case 'records': {
      const n = readLength(r, flex, false);
      if (n < 0) {
        if (within(f.nullable, version)) return null;
        throw new ProtocolError(`${path}: null bytes in a version where they are not nullable`);
      }
      return r.bytes(n);
    }
  }
}

// ---- writing ----

function writeStruct(w: ByteWriter, fields: Field[], version: number, flex: boolean, value: Message, path: string): void {
  let tagged: Field[] | null = null;
  for (const f of fields) {
    if (f.tag !== null) {
      if (flex && within(f.taggedVersions, version) && !isDefault(f.type, value[f.name], f.defaultValue)) {
        if (tagged === null) tagged = [];
        tagged.push(f);
      }
      continue;
    }
    if (!within(f.versions, version)) continue;
    const v = value[f.name];
    writeValue(w, f, f.type, version, flex, v === undefined ? f.defaultValue : v, `${path}.${f.name}`);
  }
  if (!flex) return;
  if (tagged === null) {
    w.uvarint(0);
    return;
  }
  tagged.sort((a, b) => (a.tag as number) - (b.tag as number));
  w.uvarint(tagged.length);
  for (const f of tagged) {
    const inner = new ByteWriter(64);
    writeValue(inner, f, f.type, version, true, value[f.name], `${path}.${f.name}`);
    w.uvarint(f.tag as number).uvarint(inner.length);
    for (const chunk of inner.toChunks()) w.bytes(chunk);
  }
}

function isDefault(type: FieldType, v: unknown, d: unknown): boolean {
  if (v === undefined || v === d) return true;
  if (Array.isArray(v)) return v.length === 0 && Array.isArray(d);
  if (Buffer.isBuffer(v) && Buffer.isBuffer(d)) return v.equals(d);
  // Like Kafka's generated writers, a tagged struct whose every field holds its default is not
  // written (e.g. Produce's CurrentLeader {-1, -1}): peers read an absent tag as that default.
  if (Array.isArray(type)) {
    if (v === null || typeof v !== 'object') return v === null;
    const struct = v as Message;
    return type.every((sub) => isDefault(sub.type, struct[sub.name], sub.defaultValue));
  }
  return false;
}

function writeLength(w: ByteWriter, flex: boolean, int16: boolean, n: number): void {
  if (flex) w.uvarint(n + 1);
  else if (int16) w.int16(n);
  else w.int32(n);
}

function writeValue(w: ByteWriter, f: Field, type: FieldType, version: number, flex: boolean, v: unknown, path: string): void {
  if (typeof type === 'string') {
    writePrimitive(w, f, type, version, flex, v, path);
    return;
  }
  if (Array.isArray(type)) {
    if (v === null) {
      if (!within(f.nullable, version)) throw new Error(`${path}: null struct in version ${version}`);
      w.int8(-1);
      return;
    }
    if (within(f.nullable, version)) w.int8(1);
    writeStruct(w, type, version, flex, v as Message, path);
    return;
  }
  if (v === null) {
    if (!within(f.nullable, version)) throw new Error(`${path}: null array in version ${version}`);
    writeLength(w, flex, false, -1);
    return;
  }
  const arr = v as unknown[];
  writeLength(w, flex, false, arr.length);
  const el = (type as ArrayType).arrayOf;
  for (const item of arr) {
    if (typeof el === 'string') writePrimitive(w, f, el, version, flex, item, path);
    else writeStruct(w, el, version, flex, item as Message, path);
  }
}

function writePrimitive(w: ByteWriter, f: Field, type: Primitive, version: number, flex: boolean, v: unknown, path: string): void {
  switch (type) {
    case 'bool':
      w.bool(Boolean(v));
      return;
    case 'int8':
      w.int8(v as number);
      return;
    case 'int16':
      w.int16(v as number);
      return;
    case 'uint16':
      w.uint16(v as number);
      return;
    case 'int32':
      w.int32(v as number);
      return;
    case 'uint32':
      w.uint32(v as number);
      return;
    case 'int64':
      w.int64(typeof v === 'bigint' ? v : BigInt(v as number));
      return;
    case 'float64':
      w.float64(v as number);
      return;
    case 'uuid':
      w.bytes((v as Buffer | null) ?? ZERO_UUID);
      return;
    case 'string': {
      if (v === null || v === undefined) {
        if (!within(f.nullable, version)) throw new Error(`${path}: null string in version ${version}`);
        writeLength(w, flex, true, -1);
        return;
      }
      const s = v as string;
      writeLength(w, flex, true, Buffer.byteLength(s));
      w.utf8(s);
      return;
    }
    case 'bytes':
    case 'records': {
      if (v === null || v === undefined) {
        if (!within(f.nullable, version)) throw new Error(`${path}: null bytes in version ${version}`);
        writeLength(w, flex, false, -1);
        return;
      }
      const chunks = Array.isArray(v) ? (v as Buffer[]) : [v as Buffer];
      let n = 0;
      for (const c of chunks) n += c.length;
      writeLength(w, flex, false, n);
      for (const c of chunks) w.bytes(c);
      return;
    }
  }
}
