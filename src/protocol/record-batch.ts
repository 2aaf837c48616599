// RecordBatch v2 (magic 2) header: layout, parsing, validation and the in-place edits a broker
// makes (base offset; max timestamp and CRC for LogAppendTime topics). Records are not touched.

import { crc32c } from '../common/crc32c.ts';
import { ProtocolError } from '../common/errors.ts';

// Byte positions inside a batch (Kafka's DefaultRecordBatch layout).
export const BASE_OFFSET = 0;
export const BATCH_LENGTH = 8; // counts the bytes after this field
export const PARTITION_LEADER_EPOCH = 12;
export const MAGIC = 16;
export const CRC = 17; // covers ATTRIBUTES .. end of batch
export const ATTRIBUTES = 21;
export const LAST_OFFSET_DELTA = 23;
export const BASE_TIMESTAMP = 27;
export const MAX_TIMESTAMP = 35;
export const PRODUCER_ID = 43;
export const PRODUCER_EPOCH = 51;
export const BASE_SEQUENCE = 53;
export const RECORDS_COUNT = 57;
export const BATCH_HEADER_SIZE = 61;
/** Bytes before the batch length counts from: base offset + length field. */
export const LOG_OVERHEAD = 12;

export const Compression = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
export const COMPRESSION_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
const COMPRESSION_MASK = 0x07;
const TIMESTAMP_TYPE_BIT = 0x08;
const TRANSACTIONAL_BIT = 0x10;
const CONTROL_BIT = 0x20;

export const NO_PRODUCER_ID = -1n;
export const NO_SEQUENCE = -1;

export interface BatchHeader {
  /** Position of the batch in the buffer it was parsed from. */
  position: number;
  /** Whole batch size in bytes, including the base offset and length fields. */
  size: number;
  baseOffset: bigint;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export const compressionOf = (h: BatchHeader): number => h.attributes & COMPRESSION_MASK;
export const isLogAppendTime = (h: BatchHeader): boolean => (h.attributes & TIMESTAMP_TYPE_BIT) !== 0;
export const isTransactional = (h: BatchHeader): boolean => (h.attributes & TRANSACTIONAL_BIT) !== 0;
export const isControl = (h: BatchHeader): boolean => (h.attributes & CONTROL_BIT) !== 0;
export const lastOffsetOf = (h: BatchHeader): bigint => h.baseOffset + BigInt(h.lastOffsetDelta);
/** Last sequence number in the batch, wrapping at 2^31 as Kafka's sequences do. */
export const lastSequenceOf = (h: BatchHeader): number =>
  h.baseSequence === NO_SEQUENCE ? NO_SEQUENCE : (h.baseSequence + h.lastOffsetDelta) % 2 ** 31;

/** Reads a header at `pos`. Checks only that the header fits; see validateBatch for the rest. */
export function readBatchHeader(buf: Buffer, pos: number): BatchHeader {
  if (pos + BATCH_HEADER_SIZE > buf.length) {
    throw new ProtocolError(`record batch header truncated at ${pos}: ${buf.length - pos} of ${BATCH_HEADER_SIZE} bytes`);
  }
  return {
    position: pos,
    size: buf.readInt32BE(pos + BATCH_LENGTH) + LOG_OVERHEAD,
    baseOffset: buf.readBigInt64BE(pos + BASE_OFFSET),
    partitionLeaderEpoch: buf.readInt32BE(pos + PARTITION_LEADER_EPOCH),
    magic: buf.readInt8(pos + MAGIC),
    crc: buf.readUInt32BE(pos + CRC),
    attributes: buf.readInt16BE(pos + ATTRIBUTES),
    lastOffsetDelta: buf.readInt32BE(pos + LAST_OFFSET_DELTA),
    baseTimestamp: buf.readBigInt64BE(pos + BASE_TIMESTAMP),
    maxTimestamp: buf.readBigInt64BE(pos + MAX_TIMESTAMP),
    producerId: buf.readBigInt64BE(pos + PRODUCER_ID),
    producerEpoch: buf.readInt16BE(pos + PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(pos + BASE_SEQUENCE),
    recordCount: buf.readInt32BE(pos + RECORDS_COUNT),
  };
}

/** Why a batch is invalid, as a Kafka error name the broker can answer with. */
export class InvalidBatchError extends ProtocolError {
  readonly kafkaError: 'CORRUPT_MESSAGE' | 'INVALID_RECORD' | 'UNSUPPORTED_FOR_MESSAGE_FORMAT';
  constructor(kafkaError: InvalidBatchError['kafkaError'], message: string) {
    super(message);
    this.kafkaError = kafkaError;
  }
}

/**
 * Validates one batch at `pos` as the log stores it: length within the buffer, magic 2, CRC-32C,
 * a sane record count and offset delta. Returns its header.
 */
export function validateBatch(buf: Buffer, pos: number): BatchHeader {
  if (buf.length - pos < LOG_OVERHEAD) throw new InvalidBatchError('CORRUPT_MESSAGE', `batch at ${pos} truncated`);
  const length = buf.readInt32BE(pos + BATCH_LENGTH);
  const magicAt = pos + MAGIC;
  if (magicAt < buf.length && buf.readInt8(magicAt) !== 2) {
    throw new InvalidBatchError(
      'UNSUPPORTED_FOR_MESSAGE_FORMAT',
      `batch at ${pos} has magic ${buf.readInt8(magicAt)}; Brook stores only record batch v2 (Kafka 0.11+ clients)`,
    );
  }
  if (length < BATCH_HEADER_SIZE - LOG_OVERHEAD || pos + LOG_OVERHEAD + length > buf.length) {
    throw new InvalidBatchError('CORRUPT_MESSAGE', `batch at ${pos} claims ${length} bytes, ${buf.length - pos - LOG_OVERHEAD} present`);
  }
  const h = readBatchHeader(buf, pos);
  const actual = crc32c(buf, pos + ATTRIBUTES, pos + h.size);
  if (actual !== h.crc) {
    throw new InvalidBatchError('CORRUPT_MESSAGE', `batch at ${pos}: CRC-32C ${actual.toString(16)} != stored ${h.crc.toString(16)}`);
  }
  if (h.recordCount < 0 || h.lastOffsetDelta < 0 || h.recordCount > h.lastOffsetDelta + 1) {
    throw new InvalidBatchError('INVALID_RECORD', `batch at ${pos}: ${h.recordCount} records with last offset delta ${h.lastOffsetDelta}`);
  }
  return h;
}

/**
 * Validates a produced record set: one or more whole batches, each as a fresh client batch
 * (records numbered from delta 0 without gaps, not a control batch).
 */
export function validateProducedRecords(buf: Buffer): BatchHeader[] {
  const batches: BatchHeader[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const h = validateBatch(buf, pos);
    if (h.recordCount === 0 || h.recordCount !== h.lastOffsetDelta + 1) {
      throw new InvalidBatchError(
        'INVALID_RECORD',
        `produced batch has ${h.recordCount} records but last offset delta ${h.lastOffsetDelta}`,
      );
    }
    if (isControl(h)) throw new InvalidBatchError('INVALID_RECORD', 'clients may not produce control batches');
    batches.push(h);
    pos += h.size;
  }
  if (batches.length === 0) throw new InvalidBatchError('INVALID_RECORD', 'empty record set');
  return batches;
}

/** Writes the base offset in place; it lies outside the CRC, so the checksum stays valid. */
export function setBaseOffset(buf: Buffer, pos: number, baseOffset: bigint): void {
  buf.writeBigInt64BE(baseOffset, pos + BASE_OFFSET);
}

/** Marks a batch LogAppendTime with the broker's clock and refreshes its CRC (Kafka does the same). */
export function setLogAppendTime(buf: Buffer, h: BatchHeader, timestampMs: bigint): void {
  const pos = h.position;
  buf.writeInt16BE(h.attributes | TIMESTAMP_TYPE_BIT, pos + ATTRIBUTES);
  buf.writeBigInt64BE(timestampMs, pos + MAX_TIMESTAMP);
  buf.writeUInt32BE(crc32c(buf, pos + ATTRIBUTES, pos + h.size), pos + CRC);
}

/** Iterates batch headers in a buffer of whole batches, stopping at the first partial one. */
export function* batchHeaders(buf: Buffer, start = 0, end = buf.length): Generator<BatchHeader> {
  let pos = start;
  while (pos + BATCH_HEADER_SIZE <= end) {
    const size = buf.readInt32BE(pos + BATCH_LENGTH) + LOG_OVERHEAD;
    if (size < BATCH_HEADER_SIZE || pos + size > end) return;
    yield readBatchHeader(buf, pos);
    pos += size;
  }
}
