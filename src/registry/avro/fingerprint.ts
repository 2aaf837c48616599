// Schema fingerprints as the Avro specification recommends them: SHA-256 and the 64-bit Rabin
// fingerprint "CRC-64-AVRO" (what avro-tools and single-object encoding use), both taken over the
// UTF-8 bytes of the Parsing Canonical Form.
import { createHash } from 'node:crypto';

// The specification's EMPTY: the CRC starts from it rather than 0 so leading zero bytes count.
const EMPTY = 0xc15d213aa4d7a795n;
const MASK = 0xffffffffffffffffn;

const TABLE: bigint[] = Array.from({ length: 256 }, (_, i) => {
  let fp = BigInt(i);
  for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (EMPTY & -(fp & 1n) & MASK);
  return fp;
});

/** CRC-64-AVRO of the bytes (a string is taken as UTF-8), as an unsigned 64-bit value. */
export function crc64Avro(data: Uint8Array | string): bigint {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fp = EMPTY;
  for (const b of bytes) fp = (fp >> 8n) ^ TABLE[Number((fp ^ BigInt(b)) & 0xffn)]!;
  return fp;
}

export interface SchemaFingerprints {
  /** SHA-256 of the canonical form, lower-case hex. */
  readonly sha256: string;
  /** CRC-64-AVRO, unsigned. Java's SchemaNormalization.parsingFingerprint64 prints BigInt.asIntN(64, crc64). */
  readonly crc64: bigint;
  /** CRC-64-AVRO as 16 lower-case hex digits, most significant first. */
  readonly crc64Hex: string;
  /** CRC-64-AVRO as 8 bytes, little-endian: Java's fingerprint("CRC-64-AVRO"), single-object encoding's header. */
  readonly crc64Bytes: Buffer;
}

/** Fingerprints of a Parsing Canonical Form string (ParsedAvroSchema.canonical). */
export function fingerprints(canonical: string): SchemaFingerprints {
  const crc64 = crc64Avro(canonical);
  const crc64Bytes = Buffer.alloc(8);
  crc64Bytes.writeBigUInt64LE(crc64);
  return {
    sha256: createHash('sha256').update(canonical, 'utf8').digest('hex'),
    crc64,
    crc64Hex: crc64.toString(16).padStart(16, '0'),
    crc64Bytes,
  };
}
