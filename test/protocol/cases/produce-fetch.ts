// Produce and Fetch cases: record batches built by each peer on the way in, by Brook on the way out.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Fetch } from '../../../src/protocol/apis/fetch.ts';
import { Produce } from '../../../src/protocol/apis/produce.ts';
import { validateProducedRecords } from '../../../src/protocol/record-batch.ts';
import { decodeRecords, simpleBatch } from '../../../src/protocol/records.ts';
import { platformatic, uuidBuffer } from '../peers.ts';
import { kjsReq, kjsRes, pltReq, pltRes, type RequestCase, type ResponseCase, versions } from './kit.ts';

const require = createRequire(import.meta.url);

const T0 = 1_700_000_000_000n;
const CLICKS_ID = '5b6e3a52-8d4f-4c1e-9a7b-2f0c1d9e8a11';
const ORDERS_ID = 'c0ffee00-1234-4abc-8def-001122334455';

// ---- Produce ----

interface Msg {
  topic: string;
  partition: number;
  key: string;
  value: string;
  timestamp: bigint;
}

const messages: Msg[] = [
  { topic: 'clicks', partition: 0, key: 'user-1', value: '{"page":"/home"}', timestamp: T0 },
  { topic: 'clicks', partition: 0, key: 'user-2', value: '{"page":"/cart"}', timestamp: T0 + 5n },
  { topic: 'clicks', partition: 2, key: 'user-3', value: '{"page":"/pay"}', timestamp: T0 + 9n },
  { topic: 'orders', partition: 1, key: 'order-9', value: '{"total":42}', timestamp: T0 + 11n },
];

const groups = (): { topic: string; partitions: { partition: number; msgs: Msg[] }[] }[] => {
  const out: { topic: string; partitions: { partition: number; msgs: Msg[] }[] }[] = [];
  for (const m of messages) {
    let t = out.find((x) => x.topic === m.topic);
    if (!t) out.push((t = { topic: m.topic, partitions: [] }));
    let p = t.partitions.find((x) => x.partition === m.partition);
    if (!p) t.partitions.push((p = { partition: m.partition, msgs: [] }));
    p.msgs.push(m);
  }
  return out;
};

const txn = { transactionalId: 'clickstream-txn', producerId: 4242n, producerEpoch: 3 };

function pltBatch(msgs: Msg[]): Buffer {
  const pm = msgs.map((m) => ({ ...m, key: Buffer.from(m.key), value: Buffer.from(m.value) }));
  return Buffer.from(platformatic.createRecordsBatch(pm, txn).buffer);
}

function produceCanonical(batch: (msgs: Msg[]) => Buffer, transactionalId: string | null) {
  return {
    transactionalId,
    acks: -1,
    timeoutMs: 30000,
    topicData: groups().map((t) => ({
      name: t.topic,
      partitionData: t.partitions.map((p) => ({ index: p.partition, records: batch(p.msgs) })),
    })),
  };
}

// kafkajs builds its batch in produce/v3/request.js; this mirrors that function to know the bytes.
const KjsRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/index.js').RecordBatch;
const KjsRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');
const kjsTopicData = () =>
  groups().map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p) => ({
      partition: p.partition,
      firstSequence: 7,
      messages: p.msgs.map((m) => ({ key: m.key, value: m.value, timestamp: Number(m.timestamp) })),
    })),
  }));

async function kjsBatches(): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const t of kjsTopicData()) {
    for (const p of t.partitions) {
      const ts = p.messages.map((m) => m.timestamp).sort();
      const first = ts[0] as number;
      const records = p.messages.map((m, i) => KjsRecord({ ...m, offsetDelta: i, timestampDelta: m.timestamp - first }));
      const batch = await KjsRecordBatch({
        compression: 0,
        records,
        firstTimestamp: first,
        maxTimestamp: ts[ts.length - 1],
        producerId: txn.producerId.toString(),
        producerEpoch: txn.producerEpoch,
        firstSequence: p.firstSequence,
        transactional: true,
        lastOffsetDelta: records.length - 1,
      });
      out.set(`${t.topic}:${p.partition}`, Buffer.from(batch.buffer));
    }
  }
  return out;
}
const kjsBatchBytes = await kjsBatches();

/** Brook must see valid batches holding the records the peer was given. */
function checkProducedRecords(decoded: Record<string, any>): void {
  for (const t of decoded.topicData) {
    for (const p of t.partitionData) {
      const headers = validateProducedRecords(p.records);
      assert.equal(headers.length, 1);
      const recs = decodeRecords(p.records, headers[0] as never);
      const want = messages.filter((m) => m.topic === t.name && m.partition === p.index);
      assert.deepEqual(
        recs.map((r) => [r.key?.toString(), r.value?.toString()]),
        want.map((m) => [m.key, m.value]),
      );
    }
  }
}

const produceRequests: RequestCase[] = [
  ...versions(3, 11).map((v) =>
    pltReq(
      Produce,
      v,
      [-1, 30000, messages.map((m) => ({ ...m, key: Buffer.from(m.key), value: Buffer.from(m.value) })), txn],
      produceCanonical(pltBatch, txn.transactionalId),
      checkProducedRecords,
    ),
  ),
  ...versions(3, 7).map((v) =>
    kjsReq(
      Produce,
      'produce',
      v,
      {
        acks: -1,
        timeout: 30000,
        transactionalId: txn.transactionalId,
        producerId: txn.producerId.toString(),
        producerEpoch: 3,
        topicData: kjsTopicData(),
      },
      produceCanonical((msgs) => kjsBatchBytes.get(`${msgs[0]?.topic}:${msgs[0]?.partition}`) as Buffer, txn.transactionalId),
      checkProducedRecords,
    ),
  ),
];

const produceResponse = {
  responses: [
    {
      name: 'clicks',
      partitionResponses: [
        { index: 0, errorCode: 0, baseOffset: 1200n, logAppendTimeMs: -1n, logStartOffset: 100n, recordErrors: [], errorMessage: null },
        { index: 2, errorCode: 0, baseOffset: 77n, logAppendTimeMs: T0, logStartOffset: 0n, recordErrors: [], errorMessage: null },
      ],
    },
    {
      name: 'orders',
      partitionResponses: [
        {
          index: 1,
          errorCode: 0,
          baseOffset: 5n,
          logAppendTimeMs: -1n,
          logStartOffset: 0n,
          recordErrors: [],
          errorMessage: null,
          currentLeader: { leaderId: 2, leaderEpoch: 14 },
        },
      ],
    },
  ],
  throttleTimeMs: 25,
  nodeEndpoints: [{ nodeId: 2, host: 'broker-2.brook.local', port: 9093, rack: 'eu-west-1b' }],
};

const kjsProduceExpect = (v: number) => ({
  topics: [
    {
      topicName: 'clicks',
      partitions: [
        { partition: 0, errorCode: 0, baseOffset: '1200', logAppendTime: '-1', ...(v >= 5 && { logStartOffset: '100' }) },
        { partition: 2, errorCode: 0, baseOffset: '77', logAppendTime: String(T0), ...(v >= 5 && { logStartOffset: '0' }) },
      ],
    },
    { topicName: 'orders', partitions: [{ partition: 1, errorCode: 0, baseOffset: '5', logAppendTime: '-1' }] },
  ],
  // KIP-219: from v6 kafkajs reports the broker's throttle as client-side throttle.
  ...(v >= 6 ? { throttleTime: 0, clientSideThrottleTime: 25 } : { throttleTime: 25 }),
});

const produceResponses: ResponseCase[] = [
  ...versions(3, 11).map((v) => pltRes(Produce, v, produceResponse)),
  ...versions(3, 7).map((v) => kjsRes(Produce, 'produce', v, produceResponse, kjsProduceExpect(v))),
];

// ---- Fetch ----

function fetchCanonical(v: number) {
  return {
    replicaId: -1,
    maxWaitMs: 500,
    minBytes: 1,
    maxBytes: 52428800,
    isolationLevel: 1,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      {
        topic: v <= 12 ? 'clicks' : '',
        topicId: v >= 13 ? uuidBuffer(CLICKS_ID) : Buffer.alloc(16),
        partitions: [
          { partition: 0, currentLeaderEpoch: 7, fetchOffset: 1200n, lastFetchedEpoch: 6, logStartOffset: -1n, partitionMaxBytes: 1048576 },
          { partition: 2, currentLeaderEpoch: 7, fetchOffset: 77n, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1048576 },
        ],
      },
    ],
    forgottenTopicsData: [
      { topic: v <= 12 ? 'orders' : '', topicId: v >= 13 ? uuidBuffer(ORDERS_ID) : Buffer.alloc(16), partitions: [1, 3] },
    ],
    rackId: 'eu-west-1a',
  };
}

const pltFetchArgs = (v: number) => [
  500,
  1,
  52428800,
  1,
  0,
  -1,
  [
    {
      topicId: v >= 13 ? CLICKS_ID : 'clicks',
      partitions: [
        { partition: 0, currentLeaderEpoch: 7, fetchOffset: 1200n, lastFetchedEpoch: 6, partitionMaxBytes: 1048576 },
        { partition: 2, currentLeaderEpoch: 7, fetchOffset: 77n, lastFetchedEpoch: -1, partitionMaxBytes: 1048576 },
      ],
    },
  ],
  [{ topicId: v >= 13 ? ORDERS_ID : 'orders', partitions: [1, 3] }],
  'eu-west-1a',
];

const kjsFetchArgs = {
  replicaId: -1,
  maxWaitTime: 500,
  minBytes: 1,
  maxBytes: 52428800,
  isolationLevel: 1,
  sessionId: 0,
  sessionEpoch: -1,
  topics: [
    {
      topic: 'clicks',
      partitions: [
        { partition: 0, currentLeaderEpoch: 7, fetchOffset: '1200', maxBytes: 1048576 },
        { partition: 2, currentLeaderEpoch: 7, fetchOffset: '77', maxBytes: 1048576 },
      ],
    },
  ],
  forgottenTopics: [{ topic: 'orders', partitions: [1, 3] }],
  rackId: 'eu-west-1a',
};

const fetchRequests: RequestCase[] = [
  // Both peers are consumers: replica id -1 (none from v15) and no follower log start offset.
  ...versions(4, 17).map((v) => pltReq(Fetch, v, pltFetchArgs(v), fetchCanonical(v))),
  ...versions(4, 11).map((v) => kjsReq(Fetch, 'fetch', v, kjsFetchArgs, fetchCanonical(v))),
];

const batch0 = simpleBatch(
  [
    { key: 'user-1', value: '{"page":"/home"}' },
    { key: 'user-2', value: '{"page":"/cart"}' },
  ],
  T0,
  { baseOffset: 1200n },
);

function fetchResponse(v: number) {
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId: 918273,
    responses: [
      {
        topic: v <= 12 ? 'clicks' : '',
        topicId: v >= 13 ? uuidBuffer(CLICKS_ID) : Buffer.alloc(16),
        partitions: [
          {
            partitionIndex: 0,
            errorCode: 0,
            highWatermark: 1202n,
            lastStableOffset: 1202n,
            logStartOffset: 100n,
            abortedTransactions: [{ producerId: 4242n, firstOffset: 1100n }],
            preferredReadReplica: -1,
            records: batch0,
            currentLeader: { leaderId: 1, leaderEpoch: 7 },
          },
          {
            partitionIndex: 2,
            errorCode: 0,
            highWatermark: 77n,
            lastStableOffset: 77n,
            logStartOffset: 0n,
            abortedTransactions: null,
            preferredReadReplica: -1,
            records: null,
          },
        ],
      },
    ],
    nodeEndpoints: [{ nodeId: 1, host: 'broker-1.brook.local', port: 9092, rack: null }],
  };
}

function checkPltRecords(parsed: any): void {
  const [batch] = parsed.responses[0].partitions[0].records;
  assert.equal(batch.firstOffset, 1200n);
  assert.deepEqual(
    batch.records.map((r: any) => [r.key.toString(), r.value.toString()]),
    [
      ['user-1', '{"page":"/home"}'],
      ['user-2', '{"page":"/cart"}'],
    ],
  );
}

const kjsFetchExpect = (v: number) => ({
  ...(v >= 8 ? { throttleTime: 0, clientSideThrottleTime: 0 } : { throttleTime: 0 }),
  ...(v >= 7 && { errorCode: 0, sessionId: 918273 }),
  responses: [
    {
      topicName: 'clicks',
      partitions: [
        {
          partition: 0,
          errorCode: 0,
          highWatermark: '1202',
          lastStableOffset: '1202',
          ...(v >= 5 && { lastStartOffset: '100' }),
          abortedTransactions: [{ producerId: '4242', firstOffset: '1100' }],
          ...(v >= 11 && { preferredReadReplica: -1 }),
        },
        { partition: 2, errorCode: 0, highWatermark: '77', abortedTransactions: [] },
      ],
    },
  ],
});

function checkKjsRecords(parsed: any): void {
  const msgs = parsed.responses[0].partitions[0].messages;
  assert.deepEqual(
    msgs.map((m: any) => [m.offset, m.key.toString(), m.value.toString()]),
    [
      ['1200', 'user-1', '{"page":"/home"}'],
      ['1201', 'user-2', '{"page":"/cart"}'],
    ],
  );
  assert.deepEqual(parsed.responses[0].partitions[1].messages, []);
}

const fetchResponses: ResponseCase[] = [
  ...versions(4, 17).map((v) =>
    pltRes(Fetch, v, fetchResponse(v), {
      // Platformatic names v4-v12 topics `topicId` although they carry names; records come back parsed.
      ignore: ['/responses/*/partitions/*/records', ...(v <= 12 ? ['/responses/*/topicId'] : [])],
      check: (parsed) => {
        checkPltRecords(parsed);
        if (v <= 12) assert.equal(parsed.responses[0].topicId, 'clicks');
      },
    }),
  ),
  ...versions(4, 11).map((v) => kjsRes(Fetch, 'fetch', v, fetchResponse(v), kjsFetchExpect(v), checkKjsRecords)),
];

export const requestCases: RequestCase[] = [...produceRequests, ...fetchRequests];
export const responseCases: ResponseCase[] = [...produceResponses, ...fetchResponses];
