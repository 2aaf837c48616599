// Frames values of one writer schema for one topic: resolves the schema id (Confluent) or version
// UUID (Glue) once, then encodes each value into a reused scratch buffer without allocating.
import { deflateSync } from 'node:zlib';
import { type AvroType, isAvroType, plainType, type SchemaInput, schemaText } from './avro-types.ts';
import { errorMessage, SerdeError, SerdeErrorCode } from './errors.ts';
import { CONFLUENT_HEADER_SIZE, Framing, GLUE_HEADER_SIZE, GlueCompression, glueHeader, isUuid, writeConfluentHeader } from './framing.ts';
import type { SchemaSource } from './schema-source.ts';
import { SubjectNameStrategy, subjectName } from './subject-name.ts';

/** The Glue serde library's registry when none is configured. */
export const DEFAULT_GLUE_REGISTRY = 'default-registry';

export interface EncoderOptions {
  /** Writer schema: JSON text (registered as given), a parsed schema object, or an avsc Type. */
  schema: SchemaInput;
  topic: string;
  /** Default `confluent`. */
  framing?: Framing;
  /** Whether this encoder frames record keys (subject `<topic>-key`). Default false. */
  isKey?: boolean;
  /** Where ids come from. Not needed when `schemaId` / `schemaVersionId` is given. */
  source?: SchemaSource;
  /**
   * Register the schema when the registry does not have it. Defaults follow each ecosystem:
   * true for Confluent (auto.register.schemas), false for Glue (schemaAutoRegistrationEnabled).
   */
  autoRegister?: boolean;
  /** Confluent: how the subject is named. Default TopicNameStrategy. */
  subjectNameStrategy?: SubjectNameStrategy;
  /** Confluent: use this subject instead of the strategy's. */
  subject?: string;
  /** Confluent: a known schema id; the registry is not asked. */
  schemaId?: number;
  /** Glue: registry name. Default `default-registry`. */
  registryName?: string;
  /** Glue: schema name. Default the topic (the Glue serde's default naming strategy). */
  schemaName?: string;
  /** Glue: a known schema version UUID; the registry is not asked. */
  schemaVersionId?: string;
  /** Glue: compress the Avro body with zlib (compression byte 5). Default none. */
  compression?: GlueCompression;
  /** First size of the scratch buffer; it doubles when a value does not fit. Default 1024. */
  initialBufferSize?: number;
}

export class AvroEncoder<T = unknown> {
  /** The writer schema as an avsc Type. */
  readonly type: AvroType;
  /** The schema text sent to the registry. */
  readonly schemaText: string;
  readonly framing: Framing;
  /** Confluent subject, or `registry/schemaName` for Glue: where the schema is looked up. */
  readonly subject: string;
  readonly #opts: EncoderOptions;
  readonly #compress: boolean;
  #schemaId: number | undefined;
  #schemaVersionId: string | undefined;
  /** Framing header bytes; undefined until the id or UUID is known. */
  #header: Buffer | undefined;
  /** Reused output buffer; bytes [0, header.length) always hold the header. */
  #scratch: Buffer;
  #ready: Promise<this> | undefined;

  constructor(opts: EncoderOptions) {
    this.#opts = opts;
    this.framing = opts.framing ?? Framing.CONFLUENT;
    if (this.framing !== Framing.CONFLUENT && this.framing !== Framing.GLUE) {
      throw new SerdeError(SerdeErrorCode.UNSUPPORTED, `unknown framing '${String(this.framing)}': use 'confluent' or 'glue'`);
    }
    if (isAvroType(opts.schema)) {
      this.type = opts.schema;
      this.schemaText = schemaText(opts.schema);
    } else {
      this.type = plainType(opts.schema, `writer schema for topic '${opts.topic}'`);
      this.schemaText = typeof opts.schema === 'string' ? opts.schema : JSON.stringify(opts.schema);
    }
    this.#compress = this.framing === Framing.GLUE && opts.compression === GlueCompression.ZLIB;
    if (this.framing === Framing.CONFLUENT) {
      this.subject =
        opts.subject ?? subjectName(opts.subjectNameStrategy ?? SubjectNameStrategy.TOPIC, opts.topic, opts.isKey ?? false, this.type.name);
      if (opts.schemaId !== undefined) this.#setSchemaId(opts.schemaId);
    } else {
      this.subject = `${opts.registryName ?? DEFAULT_GLUE_REGISTRY}/${opts.schemaName ?? opts.topic}`;
      if (opts.schemaVersionId !== undefined) this.#setSchemaVersionId(opts.schemaVersionId);
    }
    // Memory of its own, not a slice of Node's shared pool that encodeCopy's buffers come from.
    this.#scratch = Buffer.allocUnsafeSlow(Math.max(opts.initialBufferSize ?? 1024, GLUE_HEADER_SIZE + 1));
    if (this.#header) this.#header.copy(this.#scratch, 0);
    if (!this.#header && !opts.source) {
      throw new SerdeError(
        SerdeErrorCode.UNSUPPORTED,
        `encoder for '${this.subject}' needs a schema source, or a known schema id / version UUID`,
      );
    }
  }

  /** Creates an encoder and resolves its schema id / version UUID with the registry. */
  static async create<T = unknown>(opts: EncoderOptions): Promise<AvroEncoder<T>> {
    return new AvroEncoder<T>(opts).ready();
  }

  /** Resolves the schema id / UUID once (looked up or registered); later calls return at once. */
  ready(): Promise<this> {
    if (this.#header) return Promise.resolve(this);
    this.#ready ??= this.#resolve().then(
      () => this,
      (err: unknown) => {
        this.#ready = undefined; // the next call asks the registry again
        throw err;
      },
    );
    return this.#ready;
  }

  get schemaId(): number | undefined {
    return this.#schemaId;
  }

  get schemaVersionId(): string | undefined {
    return this.#schemaVersionId;
  }

  /**
   * Writes the framed record into `target` at `offset` and returns the end offset. When it does
   * not fit, returns minus the number of missing bytes (as avsc's Type#encode) and the bytes of
   * `target` from `offset` on are unspecified.
   */
  encodeInto(value: T, target: Buffer, offset = 0): number {
    const header = this.#requireHeader();
    if (this.#compress) return this.#compressedInto(value, target, offset, header);
    const end = this.#write(value, target, offset + header.length);
    if (end < 0) return end;
    if (this.framing === Framing.CONFLUENT) writeConfluentHeader(target, offset, this.#schemaId!);
    else header.copy(target, offset);
    return end;
  }

  /**
   * The framed record as a view of the encoder's scratch buffer: valid only until the next
   * encode / encodeCopy call on this encoder, which overwrites it. Hand it to something that
   * copies it before that (a producer's batch builder does), or use encodeCopy.
   */
  encode(value: T): Buffer {
    const header = this.#requireHeader();
    if (this.#compress) return this.#compressed(value, header);
    let end = this.#write(value, this.#scratch, header.length);
    while (end < 0) {
      this.#grow(this.#scratch.length - end);
      end = this.#write(value, this.#scratch, header.length);
    }
    return this.#scratch.subarray(0, end);
  }

  /** The framed record in a buffer of its own, for callers that keep it. */
  encodeCopy(value: T): Buffer {
    const view = this.encode(value);
    return this.#compress ? view : Buffer.from(view);
  }

  #write(value: T, target: Buffer, pos: number): number {
    try {
      return this.type.encode(value, target, pos);
    } catch (err) {
      throw this.#invalidValue(value, err);
    }
  }

  #compressedBody(value: T): Buffer {
    let end = this.#write(value, this.#scratch, 0);
    while (end < 0) {
      this.#grow(this.#scratch.length - end);
      end = this.#write(value, this.#scratch, 0);
    }
    return deflateSync(this.#scratch.subarray(0, end));
  }

  #compressed(value: T, header: Buffer): Buffer {
    const body = this.#compressedBody(value);
    const out = Buffer.allocUnsafe(header.length + body.length);
    header.copy(out, 0);
    body.copy(out, header.length);
    return out;
  }

  #compressedInto(value: T, target: Buffer, offset: number, header: Buffer): number {
    const body = this.#compressedBody(value);
    const end = offset + header.length + body.length;
    if (end > target.length) return target.length - end;
    header.copy(target, offset);
    body.copy(target, offset + header.length);
    return end;
  }

  #grow(atLeast: number): void {
    let size = this.#scratch.length * 2;
    while (size < atLeast) size *= 2;
    this.#scratch = Buffer.allocUnsafeSlow(size);
    // The scratch keeps the header in place, so encode() writes only the body. In compressed
    // mode the body starts at 0 and the header is not kept here.
    if (this.#header && !this.#compress) this.#header.copy(this.#scratch, 0);
  }

  #requireHeader(): Buffer {
    const header = this.#header;
    if (header === undefined) {
      throw new SerdeError(
        SerdeErrorCode.ENCODER_NOT_READY,
        `encoder for '${this.subject}' has no schema ${this.framing === Framing.CONFLUENT ? 'id' : 'version UUID'} yet: await ready() first`,
      );
    }
    return header;
  }

  #invalidValue(value: T, err: unknown): SerdeError {
    const paths: string[] = [];
    try {
      this.type.isValid(value, { errorHook: (path) => paths.push(path.join('.') || '<root>') });
    } catch {}
    const where = paths.length > 0 ? ` (invalid at ${paths.join(', ')})` : '';
    const ref = this.framing === Framing.CONFLUENT ? `schema id ${this.#schemaId}` : `schema version ${this.#schemaVersionId}`;
    return new SerdeError(
      SerdeErrorCode.INVALID_VALUE,
      `value does not match the writer schema ${this.type.name ?? this.type.typeName} (${ref}, '${this.subject}')${where}: ${errorMessage(err)}`,
      { schemaId: this.#schemaId, schemaVersionId: this.#schemaVersionId, cause: err },
    );
  }

  async #resolve(): Promise<void> {
    const source = this.#opts.source!;
    if (this.framing === Framing.CONFLUENT) {
      const id = await source.getOrRegisterId(this.subject, this.schemaText, this.#opts.autoRegister ?? true);
      this.#setSchemaId(id);
    } else {
      const versionId = await source.getOrRegisterVersionId(
        { registryName: this.#opts.registryName ?? DEFAULT_GLUE_REGISTRY, schemaName: this.#opts.schemaName ?? this.#opts.topic },
        this.schemaText,
        this.#opts.autoRegister ?? false,
      );
      this.#setSchemaVersionId(versionId);
    }
  }

  #setSchemaId(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) {
      throw new SerdeError(SerdeErrorCode.INVALID_SCHEMA, `schema id ${id} is not an int32 id`, { schemaId: id });
    }
    this.#schemaId = id;
    const header = Buffer.allocUnsafe(CONFLUENT_HEADER_SIZE);
    writeConfluentHeader(header, 0, id);
    this.#setHeader(header);
  }

  #setSchemaVersionId(versionId: string): void {
    if (!isUuid(versionId)) {
      throw new SerdeError(SerdeErrorCode.INVALID_SCHEMA, `'${versionId}' is not a schema version UUID`, { schemaVersionId: versionId });
    }
    this.#schemaVersionId = versionId.toLowerCase();
    this.#setHeader(glueHeader(versionId, this.#compress ? GlueCompression.ZLIB : GlueCompression.NONE));
  }

  #setHeader(header: Buffer): void {
    this.#header = header;
    // The constructor sets the header before the scratch exists when the id is given up front.
    if (this.#scratch && !this.#compress) header.copy(this.#scratch, 0);
  }
}
