// The two schema-registry wire framings, as pure functions over buffers: Confluent (magic byte 0,
// int32 schema id) and AWS Glue (header version 3, compression byte, 16-byte schema version UUID).
import { deflateSync } from 'node:zlib';
import { SerdeError, SerdeErrorCode } from './errors.ts';

export const Framing = { CONFLUENT: 'confluent', GLUE: 'glue' } as const;
export type Framing = (typeof Framing)[keyof typeof Framing];

/** Confluent wire format: [0][schema id, int32 big-endian][Avro binary]. */
export const CONFLUENT_MAGIC_BYTE = 0;
export const CONFLUENT_HEADER_SIZE = 5;

// AWS Glue Schema Registry serde (AWSSchemaRegistryConstants): HEADER_VERSION_BYTE = 3,
// COMPRESSION_BYTE = 5 (zlib, java.util.zip.Deflater defaults), COMPRESSION_DEFAULT_BYTE = 0,
// then the schema version UUID as most- then least-significant 64 bits, big-endian.
export const GLUE_HEADER_VERSION_BYTE = 3;
export const GLUE_COMPRESSION_NONE = 0;
export const GLUE_COMPRESSION_ZLIB = 5;
export const GLUE_HEADER_SIZE = 18;

export const GlueCompression = { NONE: 'none', ZLIB: 'zlib' } as const;
export type GlueCompression = (typeof GlueCompression)[keyof typeof GlueCompression];

/** What a record's header says; `bodyOffset` is where the Avro body (or zlib stream) starts. */
export type FrameHeader =
  | { framing: 'confluent'; schemaId: number; bodyOffset: number }
  | { framing: 'glue'; schemaVersionHex: string; compressed: boolean; bodyOffset: number };

export function writeConfluentHeader(target: Uint8Array, offset: number, schemaId: number): number {
  target[offset] = CONFLUENT_MAGIC_BYTE;
  // Java clients write and read the id as a signed int; ids are positive in practice.
  target[offset + 1] = schemaId >>> 24;
  target[offset + 2] = (schemaId >>> 16) & 0xff;
  target[offset + 3] = (schemaId >>> 8) & 0xff;
  target[offset + 4] = schemaId & 0xff;
  return offset + CONFLUENT_HEADER_SIZE;
}

export function glueHeader(schemaVersionId: string, compression: GlueCompression): Buffer {
  const header = Buffer.alloc(GLUE_HEADER_SIZE);
  header[0] = GLUE_HEADER_VERSION_BYTE;
  header[1] = compression === GlueCompression.ZLIB ? GLUE_COMPRESSION_ZLIB : GLUE_COMPRESSION_NONE;
  uuidToBytes(schemaVersionId).copy(header, 2);
  return header;
}

/**
 * Reads the framing header. Throws SERDE_UNKNOWN_MAGIC_BYTE for any first byte but 0 and 3, and
 * SERDE_MALFORMED_HEADER for a record shorter than its header or an unknown Glue compression byte.
 */
export function readFrameHeader(buf: Uint8Array): FrameHeader {
  if (buf.length === 0) {
    throw new SerdeError(SerdeErrorCode.MALFORMED_HEADER, 'empty record value: expected a schema-registry framed Avro record');
  }
  const first = buf[0]!;
  if (first === CONFLUENT_MAGIC_BYTE) {
    if (buf.length < CONFLUENT_HEADER_SIZE) {
      throw new SerdeError(
        SerdeErrorCode.MALFORMED_HEADER,
        `record of ${buf.length} bytes is shorter than the 5-byte Confluent header (magic byte 0, schema id)`,
      );
    }
    const schemaId = ((buf[1]! << 24) | (buf[2]! << 16) | (buf[3]! << 8) | buf[4]!) >>> 0;
    return { framing: Framing.CONFLUENT, schemaId, bodyOffset: CONFLUENT_HEADER_SIZE };
  }
  if (first === GLUE_HEADER_VERSION_BYTE) {
    if (buf.length < GLUE_HEADER_SIZE) {
      throw new SerdeError(
        SerdeErrorCode.MALFORMED_HEADER,
        `record of ${buf.length} bytes is shorter than the 18-byte Glue header (version 3, compression, schema version UUID)`,
      );
    }
    const schemaVersionHex = hexOf(buf, 2, GLUE_HEADER_SIZE);
    const compression = buf[1]!;
    if (compression !== GLUE_COMPRESSION_NONE && compression !== GLUE_COMPRESSION_ZLIB) {
      throw new SerdeError(
        SerdeErrorCode.MALFORMED_HEADER,
        `Glue record for schema version ${hexToUuid(schemaVersionHex)} has compression byte ${compression}; expected 0 (none) or 5 (zlib)`,
        { schemaVersionId: hexToUuid(schemaVersionHex) },
      );
    }
    return {
      framing: Framing.GLUE,
      schemaVersionHex,
      compressed: compression === GLUE_COMPRESSION_ZLIB,
      bodyOffset: GLUE_HEADER_SIZE,
    };
  }
  throw new SerdeError(
    SerdeErrorCode.UNKNOWN_MAGIC_BYTE,
    `unknown magic byte ${first} (0x${first.toString(16).padStart(2, '0')}): expected 0 (Confluent framing) or 3 (Glue framing); the producer did not use a schema-registry serializer`,
  );
}

/** Confluent framing around an already encoded Avro body (allocates; the encoders write in place). */
export function frameConfluent(schemaId: number, body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(CONFLUENT_HEADER_SIZE + body.length);
  writeConfluentHeader(out, 0, schemaId);
  out.set(body, CONFLUENT_HEADER_SIZE);
  return out;
}

/** Glue framing around an Avro body; with zlib the body is deflated here. */
export function frameGlue(schemaVersionId: string, body: Uint8Array, compression: GlueCompression = GlueCompression.NONE): Buffer {
  const payload = compression === GlueCompression.ZLIB ? deflateSync(body) : body;
  const out = Buffer.allocUnsafe(GLUE_HEADER_SIZE + payload.length);
  glueHeader(schemaVersionId, compression).copy(out, 0);
  out.set(payload, GLUE_HEADER_SIZE);
  return out;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: string): boolean {
  return UUID_PATTERN.test(s);
}

/** 16 bytes, big-endian, in the order the UUID's hex digits are written (= Java's msb, lsb). */
export function uuidToBytes(uuid: string): Buffer {
  if (!isUuid(uuid)) {
    throw new SerdeError(SerdeErrorCode.INVALID_SCHEMA, `'${uuid}' is not a schema version UUID (8-4-4-4-12 hex digits)`);
  }
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

export function hexToUuid(hex: string): string {
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function uuidToHex(uuid: string): string {
  return uuid.replace(/-/g, '').toLowerCase();
}

export function hexOf(buf: Uint8Array, start: number, end: number): string {
  return Buffer.isBuffer(buf)
    ? buf.toString('hex', start, end)
    : Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('hex');
}
