// One partition's Kafka record batch (magic 2, KIP-98) written record by record into one growing
// buffer: a record costs a few varints and two copies, where the Kafka client builds a Buffer per
// field and concatenates them twice (about 3 µs a record, most of the generator's time).
import { crc32c } from '../common/crc32c.ts';
import {
  ATTRIBUTES,
  BASE_SEQUENCE,
  BASE_TIMESTAMP,
  BATCH_HEADER_SIZE,
  CRC,
  LAST_OFFSET_DELTA,
  LOG_OVERHEAD,
  MAX_TIMESTAMP,
  PARTITION_LEADER_EPOCH,
  PRODUCER_EPOCH,
  PRODUCER_ID,
  RECORDS_COUNT,
} from '../protocol/record-batch.ts';

/** Producer identity stamped into a batch; -1 / -1 / -1 when the producer is not idempotent. */
export interface ProducerStamp {
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
}

/** Compresses the records section; `codec` is the batch attribute's value (1 gzip ... 4 zstd). */
export interface Compressor {
  codec: number;
  compress(records: Buffer): Buffer;
}

const zigzag = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1);

function uvarintSize(v: number): number {
  let size = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    size++;
  }
  return size;
}

/** Unsigned varint of a safe integer (timestamp deltas may pass 32 bits). */
function putUvarint(buf: Buffer, pos: number, v: number): number {
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v = v > 0xffffffff ? Math.floor(v / 128) : v >>> 7;
  }
  buf[pos++] = v;
  return pos;
}

export class BatchBuilder {
  #buf: Buffer;
  #pos = BATCH_HEADER_SIZE;
  #count = 0;
  #baseTimestamp = 0;
  #maxTimestamp = 0;

  constructor(initialBytes = 64 * 1024) {
    this.#buf = Buffer.allocUnsafe(Math.max(initialBytes, BATCH_HEADER_SIZE + 64));
  }

  get count(): number {
    return this.#count;
  }

  /** Bytes of the batch so far, header included. */
  get sizeBytes(): number {
    return this.#pos;
  }

  /** Bytes `append` would add for this record. */
  static recordSize(key: Buffer, value: Buffer): number {
    // Upper bound on the varints: 10 bytes for the timestamp delta, 5 for the others.
    return 5 + 1 + 10 + 5 + 5 + key.length + 5 + value.length + 1;
  }

  /** Appends a record (no headers), the timestamp in epoch ms. */
  append(key: Buffer, value: Buffer, timestamp: number): void {
    if (this.#count === 0) {
      this.#baseTimestamp = timestamp;
      this.#maxTimestamp = timestamp;
    } else if (timestamp > this.#maxTimestamp) this.#maxTimestamp = timestamp;
    const tsDelta = zigzag(timestamp - this.#baseTimestamp);
    const offsetDelta = this.#count * 2;
    const keyLen = key.length * 2;
    const valueLen = value.length * 2;
    const bodyLen =
      1 + uvarintSize(tsDelta) + uvarintSize(offsetDelta) + uvarintSize(keyLen) + key.length + uvarintSize(valueLen) + value.length + 1;
    if (this.#pos + 5 + bodyLen > this.#buf.length) this.#grow(5 + bodyLen);
    const buf = this.#buf;
    let p = putUvarint(buf, this.#pos, bodyLen * 2);
    buf[p++] = 0; // attributes
    p = putUvarint(buf, p, tsDelta);
    p = putUvarint(buf, p, offsetDelta);
    p = putUvarint(buf, p, keyLen);
    p += key.copy(buf, p);
    p = putUvarint(buf, p, valueLen);
    p += value.copy(buf, p);
    buf[p++] = 0; // no headers
    this.#pos = p;
    this.#count++;
  }

  /**
   * The finished batch (the builder is spent afterwards). The records section is compressed when
   * a compressor is given; the stamp can be rewritten later with `restamp`.
   */
  seal(stamp: ProducerStamp, compressor?: Compressor): Buffer {
    if (this.#count === 0) throw new Error('an empty record batch cannot be sealed');
    let batch = this.#buf.subarray(0, this.#pos);
    let attributes = 0;
    if (compressor) {
      const compressed = compressor.compress(batch.subarray(BATCH_HEADER_SIZE));
      const out = Buffer.allocUnsafe(BATCH_HEADER_SIZE + compressed.length);
      compressed.copy(out, BATCH_HEADER_SIZE);
      batch = out;
      attributes = compressor.codec;
    }
    batch.writeBigInt64BE(0n, 0);
    batch.writeInt32BE(batch.length - LOG_OVERHEAD, 8);
    // -1: no leader epoch known to the producer (the leader stamps its own).
    batch.writeInt32BE(-1, PARTITION_LEADER_EPOCH);
    batch[16] = 2; // magic
    batch.writeInt16BE(attributes, ATTRIBUTES);
    batch.writeInt32BE(this.#count - 1, LAST_OFFSET_DELTA);
    batch.writeBigInt64BE(BigInt(this.#baseTimestamp), BASE_TIMESTAMP);
    batch.writeBigInt64BE(BigInt(this.#maxTimestamp), MAX_TIMESTAMP);
    batch.writeInt32BE(this.#count, RECORDS_COUNT);
    restamp(batch, stamp);
    this.#buf = Buffer.alloc(0);
    return batch;
  }

  #grow(need: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#pos + need));
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
  }
}

/** Writes the producer id, epoch and base sequence into a sealed batch and updates its CRC. */
export function restamp(batch: Buffer, stamp: ProducerStamp): void {
  batch.writeBigInt64BE(stamp.producerId, PRODUCER_ID);
  batch.writeInt16BE(stamp.producerEpoch, PRODUCER_EPOCH);
  batch.writeInt32BE(stamp.baseSequence, BASE_SEQUENCE);
  batch.writeUInt32BE(crc32c(batch, ATTRIBUTES, batch.length), CRC);
}
