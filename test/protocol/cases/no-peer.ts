// API versions neither peer library speaks (WriteTxnMarkers is broker-to-broker; ListOffsets v10 is
// newer than both). Their expected bytes are assembled by hand from the Kafka protocol guide.

import type { ApiDefinition } from '../../../src/protocol/api.ts';
import { ListOffsets } from '../../../src/protocol/apis/list-offsets.ts';
import { WriteTxnMarkers } from '../../../src/protocol/apis/write-txn-markers.ts';
import type { Message } from '../../../src/protocol/schema.ts';

export interface NoPeerCase {
  api: ApiDefinition;
  version: number;
  request: Message;
  requestBytes: Buffer;
  response: Message;
  responseBytes: Buffer;
}

// Raw big-endian pieces: classic (int16/int32 lengths) and compact (uvarint length + 1, KIP-482).
const i8 = (n: number) => Buffer.from([n & 0xff]);
const i16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const i32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const i64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return b;
};
const str = (s: string) => Buffer.concat([i16(Buffer.byteLength(s)), Buffer.from(s)]);
const cstr = (s: string) => Buffer.concat([i8(Buffer.byteLength(s) + 1), Buffer.from(s)]); // lengths below 127 fit one byte
const arr = (items: Buffer[]) => Buffer.concat([i32(items.length), ...items]);
const carr = (items: Buffer[]) => Buffer.concat([i8(items.length + 1), ...items]);
const NO_TAGS = i8(0);
const cat = (...parts: Buffer[]) => Buffer.concat(parts);

const listOffsetsV10: NoPeerCase = {
  api: ListOffsets,
  version: 10,
  request: {
    replicaId: -1,
    isolationLevel: 1,
    topics: [{ name: 'clicks', partitions: [{ partitionIndex: 0, currentLeaderEpoch: 7, timestamp: -3n }] }],
    timeoutMs: 15000,
  },
  requestBytes: cat(
    i32(-1),
    i8(1),
    carr([cat(cstr('clicks'), carr([cat(i32(0), i32(7), i64(-3n), NO_TAGS)]), NO_TAGS)]),
    i32(15000),
    NO_TAGS,
  ),
  response: {
    throttleTimeMs: 0,
    topics: [
      { name: 'clicks', partitions: [{ partitionIndex: 0, errorCode: 0, timestamp: 1_700_000_000_004n, offset: 1201n, leaderEpoch: 7 }] },
    ],
  },
  responseBytes: cat(
    i32(0),
    carr([cat(cstr('clicks'), carr([cat(i32(0), i16(0), i64(1_700_000_000_004n), i64(1201n), i32(7), NO_TAGS)]), NO_TAGS)]),
    NO_TAGS,
  ),
};

const markers = {
  markers: [
    {
      producerId: 4242n,
      producerEpoch: 3,
      transactionResult: true,
      topics: [
        { name: 'clicks', partitionIndexes: [0, 2] },
        { name: '__consumer_offsets', partitionIndexes: [17] },
      ],
      coordinatorEpoch: 5,
    },
  ],
};

const markerResults = {
  markers: [
    {
      producerId: 4242n,
      topics: [
        {
          name: 'clicks',
          partitions: [
            { partitionIndex: 0, errorCode: 0 },
            { partitionIndex: 2, errorCode: 0 },
          ],
        },
        { name: '__consumer_offsets', partitions: [{ partitionIndex: 17, errorCode: 0 }] },
      ],
    },
  ],
};

const writeTxnMarkersV0: NoPeerCase = {
  api: WriteTxnMarkers,
  version: 0,
  request: markers,
  requestBytes: arr([
    cat(
      i64(4242n),
      i16(3),
      i8(1),
      arr([cat(str('clicks'), arr([i32(0), i32(2)])), cat(str('__consumer_offsets'), arr([i32(17)]))]),
      i32(5),
    ),
  ]),
  response: markerResults,
  responseBytes: arr([
    cat(
      i64(4242n),
      arr([
        cat(str('clicks'), arr([cat(i32(0), i16(0)), cat(i32(2), i16(0))])),
        cat(str('__consumer_offsets'), arr([cat(i32(17), i16(0))])),
      ]),
    ),
  ]),
};

const writeTxnMarkersV1: NoPeerCase = {
  api: WriteTxnMarkers,
  version: 1,
  request: markers,
  requestBytes: cat(
    carr([
      cat(
        i64(4242n),
        i16(3),
        i8(1),
        carr([cat(cstr('clicks'), carr([i32(0), i32(2)]), NO_TAGS), cat(cstr('__consumer_offsets'), carr([i32(17)]), NO_TAGS)]),
        i32(5),
        NO_TAGS,
      ),
    ]),
    NO_TAGS,
  ),
  response: markerResults,
  responseBytes: cat(
    carr([
      cat(
        i64(4242n),
        carr([
          cat(cstr('clicks'), carr([cat(i32(0), i16(0), NO_TAGS), cat(i32(2), i16(0), NO_TAGS)]), NO_TAGS),
          cat(cstr('__consumer_offsets'), carr([cat(i32(17), i16(0), NO_TAGS)]), NO_TAGS),
        ]),
        NO_TAGS,
      ),
    ]),
    NO_TAGS,
  ),
};

export const noPeerCases: NoPeerCase[] = [listOffsetsV10, writeTxnMarkersV0, writeTxnMarkersV1];
