// The envelope both checkpoint stores put around a checkpoint's bytes, so that a torn, truncated or
// damaged copy is recognized rather than decoded: magic, format version, checkpoint id, payload
// length, and a CRC-32C over all of it.
import { crc32c } from '../../common/crc32c.ts';

/** "BRCK" */
const MAGIC = 0x4252434b;
const VERSION = 1;
/** magic u32, version u8, 3 reserved, id u64, length u32, crc u32 (all big-endian). */
export const HEADER_BYTES = 24;
const CRC_AT = 20;

export function wrap(id: number, payload: Uint8Array): Buffer {
  return Buffer.concat([header(id, payload), payload]);
}

/**
 * The envelope's header alone, CRC included, for writers that put header and payload out side by
 * side (a file's writev) instead of copying a checkpoint of tens of MB into one buffer.
 */
export function header(id: number, payload: Uint8Array): Buffer {
  const out = Buffer.alloc(HEADER_BYTES);
  out.writeUInt32BE(MAGIC, 0);
  out.writeUInt8(VERSION, 4);
  out.writeBigUInt64BE(BigInt(id), 8);
  out.writeUInt32BE(payload.byteLength, 16);
  const body = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  out.writeUInt32BE(crc32c(body, 0, body.length, crc32c(out, 0, CRC_AT)) >>> 0, CRC_AT);
  return out;
}

export type Unwrapped = { ok: true; id: number; payload: Uint8Array } | { ok: false; reason: string };

/** The payload, or why these bytes are not a complete checkpoint. */
export function unwrap(bytes: Uint8Array): Unwrapped {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < HEADER_BYTES)
    return { ok: false, reason: `${buf.length} bytes, shorter than the ${HEADER_BYTES}-byte header (torn write?)` };
  if (buf.readUInt32BE(0) !== MAGIC) return { ok: false, reason: 'not a Brook checkpoint (bad magic)' };
  const version = buf.readUInt8(4);
  if (version !== VERSION) return { ok: false, reason: `envelope version ${version}, this Brook reads ${VERSION}` };
  const length = buf.readUInt32BE(16);
  if (buf.length !== HEADER_BYTES + length) {
    return { ok: false, reason: `holds ${buf.length - HEADER_BYTES} payload bytes, the header says ${length} (torn write?)` };
  }
  if (buf.readUInt32BE(CRC_AT) !== checksum(buf)) return { ok: false, reason: 'CRC-32C mismatch (damaged)' };
  return { ok: true, id: Number(buf.readBigUInt64BE(8)), payload: buf.subarray(HEADER_BYTES) };
}

/** CRC-32C of the header up to the CRC field, continued over the payload. */
function checksum(buf: Buffer): number {
  return crc32c(buf, HEADER_BYTES, buf.length, crc32c(buf, 0, CRC_AT)) >>> 0;
}
