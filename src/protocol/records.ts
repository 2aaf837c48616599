// Records inside a RecordBatch v2: decoding and encoding, and a builder for whole batches. The
// broker's hot path never calls this (it stores batches as received); the group coordinator,
// log compaction and tests do. Compression here covers the codecs Node ships (gzip, zstd).
import { gunzipSync, gzipSync, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { ByteReader, ByteWriter } from '../common/bytes.ts';
import { crc32c } from '../common/crc32c.ts';
import { ProtocolError } from '../common/errors.ts';
import {
  ATTRIBUTES,
  BATCH_HEADER_SIZE,
  type BatchHeader,
  COMPRESSION_NAMES,
  Compression,
  CRC,
  compressionOf,
  LOG_OVERHEAD,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
} from './record-batch.ts';

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface KafkaRecord {
  offsetDelta: number;
  timestampDelta: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

const MAX_DECOMPRESSED = 256 * 1024 * 1024;

function decompress(codec: number, data: Buffer): Buffer {
  switch (codec) {
    case Compression.none:
      return data;
    case Compression.gzip:
      return gunzipSync(data, { maxOutputLength: MAX_DECOMPRESSED });
    case Compression.zstd:
      return zstdDecompressSync(data, { maxOutputLength: MAX_DECOMPRESSED });
    default:
      throw new ProtocolError(`cannot decompress ${COMPRESSION_NAMES[codec] ?? codec} batches here (Brook stores them as received)`);
  }
}

function compress(codec: number, data: Buffer): Buffer {
  switch (codec) {
    case Compression.none:
      return data;
    case Compression.gzip:
      return gzipSync(data);
    case Compression.zstd:
      return zstdCompressSync(data);
    default:
      throw new ProtocolError(`cannot compress with ${COMPRESSION_NAMES[codec] ?? codec}`);
  }
}

export const canDecompress = (codec: number): boolean =>
  codec === Compression.none || codec === Compression.gzip || codec === Compression.zstd;

/** Decodes the records of a batch whose header is `h`, found in `buf`. */
export function decodeRecords(buf: Buffer, h: BatchHeader): KafkaRecord[] {
  const body = decompress(compressionOf(h), buf.subarray(h.position + BATCH_HEADER_SIZE, h.position + h.size));
  const r = new ByteReader(body);
  if (h.recordCount > body.length) throw new ProtocolError(`batch claims ${h.recordCount} records in ${body.length} bytes`);
  const out: KafkaRecord[] = [];
  for (let i = 0; i < h.recordCount; i++) {
    const len = r.varint();
    const end = r.offset + len;
    if (len < 0 || end > r.end) throw new ProtocolError(`record ${i} length ${len} out of bounds`);
    r.int8(); // record attributes: unused
    const timestampDelta = r.varlong();
    const offsetDelta = r.varint();
    const keyLen = r.varint();
    const key = keyLen < 0 ? null : Buffer.from(r.bytes(keyLen));
    const valueLen = r.varint();
    const value = valueLen < 0 ? null : Buffer.from(r.bytes(valueLen));
    const headerCount = r.varint();
    if (headerCount < 0 || headerCount > end - r.offset) throw new ProtocolError(`record ${i}: bad header count ${headerCount}`);
    const headers: RecordHeader[] = [];
    for (let j = 0; j < headerCount; j++) {
      const hk = r.varint();
      if (hk < 0) throw new ProtocolError(`record ${i}: null header key`);
      const hkey = r.utf8(hk);
      const hv = r.varint();
      headers.push({ key: hkey, value: hv < 0 ? null : Buffer.from(r.bytes(hv)) });
    }
    if (r.offset !== end) throw new ProtocolError(`record ${i}: length ${len} does not match content`);
    out.push({ offsetDelta, timestampDelta, key, value, headers });
  }
  return out;
}

function writeBytesVarint(w: ByteWriter, b: Buffer | null): void {
  if (b === null) w.varint(-1);
  else w.varint(b.length).bytes(b);
}

export function encodeRecord(w: ByteWriter, rec: KafkaRecord): void {
  const body = new ByteWriter(64);
  body.int8(0).varlong(rec.timestampDelta).varint(rec.offsetDelta);
  writeBytesVarint(body, rec.key);
  writeBytesVarint(body, rec.value);
  body.varint(rec.headers.length);
  for (const hd of rec.headers) {
    body.varint(Buffer.byteLength(hd.key)).utf8(hd.key);
    writeBytesVarint(body, hd.value);
  }
  const bytes = body.toBuffer();
  w.varint(bytes.length).bytes(bytes);
}

export interface BatchOptions {
  baseOffset?: bigint;
  baseTimestamp: bigint;
  maxTimestamp?: bigint;
  lastOffsetDelta?: number;
  compression?: number;
  attributes?: number;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  partitionLeaderEpoch?: number;
}

/** Builds a complete, checksummed batch. `lastOffsetDelta` may exceed the count (compacted batches). */
export function buildBatch(records: KafkaRecord[], opts: BatchOptions): Buffer {
  const w = new ByteWriter(256);
  for (const rec of records) encodeRecord(w, rec);
  const codec = opts.compression ?? Compression.none;
  const body = compress(codec, w.toBuffer());
  const size = BATCH_HEADER_SIZE + body.length;
  const buf = Buffer.allocUnsafe(size);
  const lastDelta = opts.lastOffsetDelta ?? Math.max(0, ...records.map((r) => r.offsetDelta));
  let maxTs = opts.maxTimestamp ?? opts.baseTimestamp;
  if (opts.maxTimestamp === undefined) {
    // bigint timestamps: Math.max does not take them.
    for (const r of records) if (opts.baseTimestamp + r.timestampDelta > maxTs) maxTs = opts.baseTimestamp + r.timestampDelta;
  }
  buf.writeBigInt64BE(opts.baseOffset ?? 0n, 0);
  buf.writeInt32BE(size - LOG_OVERHEAD, 8);
  buf.writeInt32BE(opts.partitionLeaderEpoch ?? 0, 12);
  buf.writeInt8(2, 16);
  buf.writeInt16BE(((opts.attributes ?? 0) & ~0x07) | codec, ATTRIBUTES);
  buf.writeInt32BE(lastDelta, 23);
  buf.writeBigInt64BE(opts.baseTimestamp, 27);
  buf.writeBigInt64BE(maxTs, 35);
  buf.writeBigInt64BE(opts.producerId ?? NO_PRODUCER_ID, 43);
  buf.writeInt16BE(opts.producerEpoch ?? -1, 51);
  buf.writeInt32BE(opts.baseSequence ?? NO_SEQUENCE, 53);
  buf.writeInt32BE(records.length, 57);
  body.copy(buf, BATCH_HEADER_SIZE);
  buf.writeUInt32BE(crc32c(buf, ATTRIBUTES, size), CRC);
  return buf;
}

/** Convenience for simple keyed records stamped at one time. */
export function simpleBatch(
  entries: { key: Buffer | string | null; value: Buffer | string | null; headers?: RecordHeader[] }[],
  timestampMs: bigint,
  opts: Partial<BatchOptions> = {},
): Buffer {
  const toBuf = (x: Buffer | string | null) => (x === null ? null : Buffer.isBuffer(x) ? x : Buffer.from(x));
  return buildBatch(
    entries.map((e, i) => ({ offsetDelta: i, timestampDelta: 0n, key: toBuf(e.key), value: toBuf(e.value), headers: e.headers ?? [] })),
    { baseTimestamp: timestampMs, ...opts },
  );
}
