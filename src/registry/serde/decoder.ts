// Decodes schema-registry framed Avro records of either framing (detected from the first byte) into
// plain objects: writer schemas are fetched once per id / UUID, resolved to the reader schema with
// namespaces ignored, and cached, so decodeSync serves every later record without awaiting.
import { inflateSync } from 'node:zlib';
import { type AvroType, isAvroType, plainType, type Resolver, resolve, type SchemaInput } from './avro-types.ts';
import { describeRef, errorMessage, refDetails, type SchemaRef, SerdeError, SerdeErrorCode } from './errors.ts';
import {
  CONFLUENT_HEADER_SIZE,
  CONFLUENT_MAGIC_BYTE,
  GLUE_COMPRESSION_NONE,
  GLUE_COMPRESSION_ZLIB,
  GLUE_HEADER_SIZE,
  GLUE_HEADER_VERSION_BYTE,
  hexToUuid,
  readFrameHeader,
} from './framing.ts';
import type { SchemaSource } from './schema-source.ts';

export interface DecoderOptions {
  source: SchemaSource;
  /**
   * The schema values are read as. Writer schemas are resolved to it by Avro's rules with
   * namespaces ignored (fields matched by name, defaults filled in). Given as text or a schema
   * object, values are plain objects; given as an avsc Type, values are that Type's records.
   * Without it, values are decoded with each record's writer schema.
   */
  readerSchema?: SchemaInput;
  /** Upper bound of an inflated Glue zlib body; larger ones are malformed. Default 16 MiB. */
  maxInflatedBytes?: number;
  /**
   * How long the registry's "unknown schema" answer is remembered, so a stream of records with a
   * bad id costs one registry call per id, not per record. Default 10 000 ms.
   */
  unknownSchemaTtlMs?: number;
  /** Clock for the TTL above. Default Date.now. */
  now?: () => number;
}

interface Entry {
  ref: SchemaRef;
  /** Type the body is read with: the reader type (resolver set) or the writer type. */
  type: AvroType;
  resolver: Resolver | undefined;
}

interface Failure {
  error: SerdeError;
  until: number;
}

const MAX_REMEMBERED_FAILURES = 10_000;

export class AvroDecoder<T = unknown> {
  readonly #source: SchemaSource;
  readonly #reader: AvroType | undefined;
  readonly #maxInflated: number;
  readonly #unknownTtl: number;
  readonly #now: () => number;
  readonly #byId = new Map<number, Entry>();
  readonly #byVersion = new Map<string, Entry>();
  readonly #inflight = new Map<string, Promise<Entry>>();
  readonly #failures = new Map<string, Failure>();
  // Most streams carry one Glue schema version: compare its 16 bytes instead of building a key.
  readonly #lastVersionBytes = Buffer.alloc(16);
  #lastVersionEntry: Entry | undefined;

  constructor(opts: DecoderOptions) {
    this.#source = opts.source;
    if (opts.readerSchema !== undefined) {
      this.#reader = isAvroType(opts.readerSchema) ? opts.readerSchema : plainType(opts.readerSchema, 'reader schema');
    }
    this.#maxInflated = opts.maxInflatedBytes ?? 16 << 20;
    this.#unknownTtl = opts.unknownSchemaTtlMs ?? 10_000;
    this.#now = opts.now ?? Date.now;
  }

  /** The reader type, when one was given. */
  get readerType(): AvroType | undefined {
    return this.#reader;
  }

  /**
   * Decodes without awaiting. Throws SERDE_SCHEMA_NOT_CACHED when the record's writer schema
   * has not been fetched yet: then await decode(buf) (or prefetch) and carry on synchronously.
   * Other failures throw their SerdeError (see errors.ts).
   */
  decodeSync(buf: Uint8Array): T {
    const b = asBuffer(buf);
    const entry = this.#cached(b);
    if (entry !== undefined) return this.#read(entry, b);
    const ref = refOf(b);
    this.#throwRememberedFailure(ref);
    throw new SerdeError(
      SerdeErrorCode.SCHEMA_NOT_CACHED,
      `${describeRef(ref)} is not cached yet: await decode() or prefetch() before decodeSync()`,
      refDetails(ref),
    );
  }

  /** Decodes, fetching the writer schema first when it is not cached (one fetch per id). */
  decode(buf: Uint8Array): Promise<T> {
    const b = asBuffer(buf);
    const entry = this.#cached(b);
    if (entry === undefined) return this.#loadAndRead(b);
    // Cached: no async function frame to suspend and resume, only the promise the caller awaits.
    try {
      return Promise.resolve(this.#read(entry, b));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  async #loadAndRead(buf: Buffer): Promise<T> {
    return this.#read(await this.#load(refOf(buf)), buf);
  }

  /** Fetches and caches the writer schema of a record, or of a known id / UUID. */
  async prefetch(what: Uint8Array | { schemaId: number } | { schemaVersionId: string }): Promise<void> {
    let ref: SchemaRef;
    if (what instanceof Uint8Array) ref = refOf(asBuffer(what));
    else if ('schemaId' in what) ref = { kind: 'confluent', id: what.schemaId };
    else ref = { kind: 'glue', versionId: what.schemaVersionId.toLowerCase() };
    await this.#load(ref);
  }

  /** Whether decodeSync can serve this record without a registry call. */
  isCached(buf: Uint8Array): boolean {
    return this.#cached(asBuffer(buf)) !== undefined;
  }

  // Hot path: header bytes to cache entry with no allocation; undefined means "take the slow path"
  // (not cached, or a header that readFrameHeader will reject with the precise error).
  #cached(buf: Buffer): Entry | undefined {
    const first = buf[0];
    if (first === CONFLUENT_MAGIC_BYTE && buf.length >= CONFLUENT_HEADER_SIZE) {
      return this.#byId.get(((buf[1]! << 24) | (buf[2]! << 16) | (buf[3]! << 8) | buf[4]!) >>> 0);
    }
    const compression = buf[1];
    if (
      first === GLUE_HEADER_VERSION_BYTE &&
      buf.length >= GLUE_HEADER_SIZE &&
      (compression === GLUE_COMPRESSION_NONE || compression === GLUE_COMPRESSION_ZLIB)
    ) {
      const last = this.#lastVersionBytes;
      const lastEntry = this.#lastVersionEntry;
      if (lastEntry !== undefined) {
        let same = true;
        for (let i = 0; i < 16; i++) {
          if (buf[i + 2] !== last[i]) {
            same = false;
            break;
          }
        }
        if (same) return lastEntry;
      }
      const entry = this.#byVersion.get(buf.toString('hex', 2, GLUE_HEADER_SIZE));
      if (entry !== undefined) {
        buf.copy(last, 0, 2, GLUE_HEADER_SIZE);
        this.#lastVersionEntry = entry;
      }
      return entry;
    }
    return undefined;
  }

  #read(entry: Entry, buf: Buffer): T {
    let body = buf;
    let pos: number;
    if (buf[0] === CONFLUENT_MAGIC_BYTE) {
      pos = CONFLUENT_HEADER_SIZE;
    } else if (buf[1] === GLUE_COMPRESSION_NONE) {
      pos = GLUE_HEADER_SIZE;
    } else {
      // #cached let only compression bytes 0 and 5 through.
      body = this.#inflate(entry.ref, buf);
      pos = 0;
    }
    let result: { value: unknown; offset: number };
    try {
      result = entry.type.decode(body, pos, entry.resolver);
    } catch (err) {
      throw malformed(entry.ref, `the Avro body does not parse: ${errorMessage(err)}`, err);
    }
    if (result.offset < 0) throw malformed(entry.ref, `the Avro body is truncated (${body.length - pos} bytes)`);
    if (result.offset !== body.length) {
      throw malformed(entry.ref, `${body.length - result.offset} trailing bytes after the Avro body (${result.offset - pos} bytes)`);
    }
    return result.value as T;
  }

  #inflate(ref: SchemaRef, buf: Buffer): Buffer {
    try {
      return inflateSync(buf.subarray(GLUE_HEADER_SIZE), { maxOutputLength: this.#maxInflated });
    } catch (err) {
      throw malformed(ref, `the zlib-compressed body does not inflate (limit ${this.#maxInflated} bytes): ${errorMessage(err)}`, err);
    }
  }

  #load(ref: SchemaRef): Promise<Entry> {
    const key = keyOf(ref);
    const inflight = this.#inflight.get(key);
    if (inflight !== undefined) return inflight;
    this.#throwRememberedFailure(ref);
    const p = this.#fetch(ref).then(
      (entry) => {
        this.#inflight.delete(key);
        if (ref.kind === 'confluent') this.#byId.set(ref.id, entry);
        else this.#byVersion.set(ref.versionId.replace(/-/g, ''), entry);
        return entry;
      },
      (err: unknown) => {
        this.#inflight.delete(key);
        const error = asSerdeError(ref, err);
        this.#remember(key, error);
        throw error;
      },
    );
    this.#inflight.set(key, p);
    return p;
  }

  async #fetch(ref: SchemaRef): Promise<Entry> {
    const text =
      ref.kind === 'confluent' ? await this.#source.getSchemaById(ref.id) : await this.#source.getSchemaByVersionId(ref.versionId);
    let writer: AvroType;
    try {
      writer = plainType(text, `the writer schema of ${describeRef(ref)}`);
    } catch (err) {
      throw new SerdeError(SerdeErrorCode.INVALID_SCHEMA, errorMessage(err), { ...refDetails(ref), cause: err });
    }
    if (this.#reader === undefined) return { ref, type: writer, resolver: undefined };
    try {
      return { ref, type: this.#reader, resolver: resolve(this.#reader, writer, describeRef(ref)) };
    } catch (err) {
      throw new SerdeError(SerdeErrorCode.UNRESOLVABLE_SCHEMA, errorMessage(err), { ...refDetails(ref), cause: err });
    }
  }

  // Answers that cannot change are remembered for good (the schema behind an id is immutable);
  // "unknown" for a while (a registry still loading may know it later); outages not at all.
  #remember(key: string, error: SerdeError): void {
    let until: number;
    if (error.code === SerdeErrorCode.INVALID_SCHEMA || error.code === SerdeErrorCode.UNRESOLVABLE_SCHEMA) until = Infinity;
    else if (error.code === SerdeErrorCode.UNKNOWN_SCHEMA) until = this.#now() + this.#unknownTtl;
    else return;
    if (this.#failures.size >= MAX_REMEMBERED_FAILURES) {
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
    this.#failures.set(key, { error, until });
  }

  #throwRememberedFailure(ref: SchemaRef): void {
    if (this.#failures.size === 0) return;
    const key = keyOf(ref);
    const failure = this.#failures.get(key);
    if (failure === undefined) return;
    if (failure.until > this.#now()) throw failure.error;
    this.#failures.delete(key);
  }
}

function asBuffer(buf: Uint8Array): Buffer {
  return Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** The schema reference in a record's header; throws the header's typed error. */
function refOf(buf: Buffer): SchemaRef {
  const header = readFrameHeader(buf);
  return header.framing === 'confluent'
    ? { kind: 'confluent', id: header.schemaId }
    : { kind: 'glue', versionId: hexToUuid(header.schemaVersionHex) };
}

function keyOf(ref: SchemaRef): string {
  return ref.kind === 'confluent' ? `c:${ref.id}` : `g:${ref.versionId}`;
}

function malformed(ref: SchemaRef, what: string, cause?: unknown): SerdeError {
  return new SerdeError(SerdeErrorCode.MALFORMED_DATUM, `malformed record for ${describeRef(ref)}: ${what}`, { ...refDetails(ref), cause });
}

function asSerdeError(ref: SchemaRef, err: unknown): SerdeError {
  if (err instanceof SerdeError) return err;
  return new SerdeError(SerdeErrorCode.REGISTRY_ERROR, `fetching ${describeRef(ref)} failed: ${errorMessage(err)}`, {
    ...refDetails(ref),
    cause: err,
  });
}
