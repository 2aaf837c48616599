// Transactions and SASL: InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn,
// TxnOffsetCommit, SaslHandshake, SaslAuthenticate.
import { AddOffsetsToTxn } from '../../../src/protocol/apis/add-offsets-to-txn.ts';
import { AddPartitionsToTxn } from '../../../src/protocol/apis/add-partitions-to-txn.ts';
import { EndTxn } from '../../../src/protocol/apis/end-txn.ts';
import { InitProducerId } from '../../../src/protocol/apis/init-producer-id.ts';
import { SaslAuthenticate } from '../../../src/protocol/apis/sasl-authenticate.ts';
import { SaslHandshake } from '../../../src/protocol/apis/sasl-handshake.ts';
import { TxnOffsetCommit } from '../../../src/protocol/apis/txn-offset-commit.ts';
import { kjsReq, kjsRes, pltReq, pltRes, type RequestCase, type ResponseCase, versions } from './kit.ts';

const TXN = 'clickstream-txn';
const PID = 4242n;
const EPOCH = 3;
const GROUP = 'clickstream-processor';

function throttle(v: number, since: number, clientSide: number, ms: number) {
  if (v >= clientSide) return { throttleTime: 0, clientSideThrottleTime: ms };
  return v >= since ? { throttleTime: ms } : {};
}

// ---- InitProducerId ----

const initCanonical = { transactionalId: TXN, transactionTimeoutMs: 60000, producerId: PID, producerEpoch: EPOCH };
const initResponse = { throttleTimeMs: 0, errorCode: 0, producerId: 4243n, producerEpoch: 0 };

const initProducerId = {
  requests: [
    ...versions(0, 5).map((v) => pltReq(InitProducerId, v, [TXN, 60000, PID, EPOCH], initCanonical)),
    ...versions(0, 1).map((v) =>
      kjsReq(InitProducerId, 'initProducerId', v, { transactionalId: TXN, transactionTimeout: 60000 }, initCanonical),
    ),
    // An idempotent, non-transactional producer sends a null transactional id.
    kjsReq(
      InitProducerId,
      'initProducerId',
      0,
      { transactionalId: null, transactionTimeout: 60000 },
      { ...initCanonical, transactionalId: null },
    ),
  ],
  responses: [
    ...versions(0, 5).map((v) => pltRes(InitProducerId, v, initResponse)),
    ...versions(0, 1).map((v) =>
      kjsRes(InitProducerId, 'initProducerId', v, initResponse, {
        ...throttle(v, 0, 1, 0),
        errorCode: 0,
        producerId: '4243',
        producerEpoch: 0,
      }),
    ),
  ],
};

// ---- AddPartitionsToTxn ----

const txnTopics = [
  { name: 'clicks', partitions: [0, 2] },
  { name: 'orders', partitions: [1] },
];

const addPartitionsCanonical = (v: number) =>
  v >= 4
    ? {
        transactions: [
          { transactionalId: TXN, producerId: PID, producerEpoch: EPOCH, verifyOnly: true, topics: txnTopics },
          {
            transactionalId: 'audit-txn',
            producerId: 77n,
            producerEpoch: 0,
            verifyOnly: true,
            topics: [{ name: 'audit', partitions: [0] }],
          },
        ],
      }
    : { v3AndBelowTransactionalId: TXN, v3AndBelowProducerId: PID, v3AndBelowProducerEpoch: EPOCH, v3AndBelowTopics: txnTopics };

const pltTransactions = [
  { transactionalId: TXN, producerId: PID, producerEpoch: EPOCH, verifyOnly: true, topics: txnTopics },
  { transactionalId: 'audit-txn', producerId: 77n, producerEpoch: 0, verifyOnly: true, topics: [{ name: 'audit', partitions: [0] }] },
];

const topicResults = [
  {
    name: 'clicks',
    resultsByPartition: [
      { partitionIndex: 0, partitionErrorCode: 0 },
      { partitionIndex: 2, partitionErrorCode: 0 },
    ],
  },
  { name: 'orders', resultsByPartition: [{ partitionIndex: 1, partitionErrorCode: 0 }] },
];

const addPartitionsResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  resultsByTransaction: [{ transactionalId: TXN, topicResults }],
  resultsByTopicV3AndBelow: topicResults,
};

const addPartitionsToTxn = {
  requests: [
    ...versions(0, 5).map((v) =>
      pltReq(AddPartitionsToTxn, v, [v >= 4 ? pltTransactions : pltTransactions.slice(0, 1)], addPartitionsCanonical(v)),
    ),
    ...versions(0, 1).map((v) =>
      kjsReq(
        AddPartitionsToTxn,
        'addPartitionsToTxn',
        v,
        {
          transactionalId: TXN,
          producerId: String(PID),
          producerEpoch: EPOCH,
          topics: txnTopics.map((t) => ({ topic: t.name, partitions: t.partitions })),
        },
        addPartitionsCanonical(v),
      ),
    ),
  ],
  responses: [
    // Up to v3 platformatic folds the per-topic results into one unnamed transaction.
    ...versions(0, 3).map((v) =>
      pltRes(AddPartitionsToTxn, v, addPartitionsResponse, {
        expect: { throttleTimeMs: 0, resultsByTransaction: [{ transactionalId: '', topicResults }] },
      }),
    ),
    ...versions(4, 5).map((v) => pltRes(AddPartitionsToTxn, v, addPartitionsResponse)),
    ...versions(0, 1).map((v) =>
      kjsRes(AddPartitionsToTxn, 'addPartitionsToTxn', v, addPartitionsResponse, {
        ...throttle(v, 0, 1, 0),
        errors: topicResults.map((t) => ({
          topic: t.name,
          partitionErrors: t.resultsByPartition.map((p) => ({ partition: p.partitionIndex, errorCode: p.partitionErrorCode })),
        })),
      }),
    ),
  ],
};

// ---- AddOffsetsToTxn and EndTxn ----

const addOffsetsCanonical = { transactionalId: TXN, producerId: PID, producerEpoch: EPOCH, groupId: GROUP };
const endCanonical = { transactionalId: TXN, producerId: PID, producerEpoch: EPOCH, committed: true };
const okResponse = { throttleTimeMs: 0, errorCode: 0 };

const addOffsetsAndEnd = {
  requests: [
    ...versions(0, 4).map((v) => pltReq(AddOffsetsToTxn, v, [TXN, PID, EPOCH, GROUP], addOffsetsCanonical)),
    ...versions(0, 1).map((v) =>
      kjsReq(
        AddOffsetsToTxn,
        'addOffsetsToTxn',
        v,
        { transactionalId: TXN, producerId: String(PID), producerEpoch: EPOCH, groupId: GROUP },
        addOffsetsCanonical,
      ),
    ),
    ...versions(0, 4).map((v) => pltReq(EndTxn, v, [TXN, PID, EPOCH, true], endCanonical)),
    ...versions(0, 1).map((v) =>
      kjsReq(
        EndTxn,
        'endTxn',
        v,
        { transactionalId: TXN, producerId: String(PID), producerEpoch: EPOCH, transactionResult: true },
        endCanonical,
      ),
    ),
  ],
  responses: [
    ...versions(0, 4).map((v) => pltRes(AddOffsetsToTxn, v, okResponse)),
    ...versions(0, 1).map((v) => kjsRes(AddOffsetsToTxn, 'addOffsetsToTxn', v, okResponse, { ...throttle(v, 0, 1, 0), errorCode: 0 })),
    // 48 = INVALID_TXN_STATE.
    ...versions(0, 4).map((v) => pltRes(EndTxn, v, { throttleTimeMs: 0, errorCode: 48 })),
    ...versions(0, 1).map((v) => kjsRes(EndTxn, 'endTxn', v, okResponse, { ...throttle(v, 0, 1, 0), errorCode: 0 })),
  ],
};

// ---- TxnOffsetCommit ----

const txnCommitCanonical = {
  transactionalId: TXN,
  groupId: GROUP,
  producerId: PID,
  producerEpoch: EPOCH,
  generationId: 12,
  memberId: 'brook-consumer-1-6a1f0c',
  groupInstanceId: null,
  topics: [
    {
      name: 'clicks',
      partitions: [
        { partitionIndex: 0, committedOffset: 1202n, committedLeaderEpoch: 7, committedMetadata: '' },
        { partitionIndex: 2, committedOffset: 77n, committedLeaderEpoch: -1, committedMetadata: null },
      ],
    },
  ],
};

const txnCommitResponse = {
  throttleTimeMs: 0,
  topics: [
    {
      name: 'clicks',
      partitions: [
        { partitionIndex: 0, errorCode: 0 },
        { partitionIndex: 2, errorCode: 0 },
      ],
    },
  ],
};

const txnOffsetCommit = {
  requests: [
    ...versions(0, 4).map((v) =>
      pltReq(
        TxnOffsetCommit,
        v,
        [TXN, GROUP, PID, EPOCH, 12, txnCommitCanonical.memberId, null, txnCommitCanonical.topics],
        txnCommitCanonical,
      ),
    ),
    ...versions(0, 1).map((v) =>
      kjsReq(
        TxnOffsetCommit,
        'txnOffsetCommit',
        v,
        {
          transactionalId: TXN,
          groupId: GROUP,
          producerId: String(PID),
          producerEpoch: EPOCH,
          topics: txnCommitCanonical.topics.map((t) => ({
            topic: t.name,
            partitions: t.partitions.map((p) => ({
              partition: p.partitionIndex,
              offset: String(p.committedOffset),
              metadata: p.committedMetadata,
            })),
          })),
        },
        txnCommitCanonical,
      ),
    ),
  ],
  responses: [
    ...versions(0, 4).map((v) => pltRes(TxnOffsetCommit, v, txnCommitResponse)),
    ...versions(0, 1).map((v) =>
      kjsRes(TxnOffsetCommit, 'txnOffsetCommit', v, txnCommitResponse, {
        ...throttle(v, 0, 1, 0),
        topics: [
          {
            topic: 'clicks',
            partitions: [
              { partition: 0, errorCode: 0 },
              { partition: 2, errorCode: 0 },
            ],
          },
        ],
      }),
    ),
  ],
};

// ---- SASL ----

const mechanisms = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];
const clientFirst = Buffer.from('n,,n=processor,r=fyko+d2lbbFgONRv9qkxdawL');
const serverFirst = Buffer.from('r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096');
const lengthPrefixed = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);

const saslAuthenticateResponse = { errorCode: 0, errorMessage: null, authBytes: serverFirst, sessionLifetimeMs: 3_600_000n };

const sasl = {
  requests: [
    ...versions(0, 1).map((v) => pltReq(SaslHandshake, v, ['SCRAM-SHA-256'], { mechanism: 'SCRAM-SHA-256' })),
    ...versions(0, 1).map((v) => kjsReq(SaslHandshake, 'saslHandshake', v, { mechanism: 'SCRAM-SHA-256' }, { mechanism: 'SCRAM-SHA-256' })),
    ...versions(0, 2).map((v) => pltReq(SaslAuthenticate, v, [clientFirst], { authBytes: clientFirst })),
    // kafkajs hands SaslAuthenticate bytes its SASL mechanisms already framed with their length.
    ...versions(0, 1).map((v) =>
      kjsReq(SaslAuthenticate, 'saslAuthenticate', v, { authBytes: lengthPrefixed(clientFirst) }, { authBytes: clientFirst }),
    ),
  ],
  responses: [
    ...versions(0, 1).map((v) => pltRes(SaslHandshake, v, { errorCode: 0, mechanisms })),
    ...versions(0, 1).map((v) =>
      kjsRes(SaslHandshake, 'saslHandshake', v, { errorCode: 0, mechanisms }, { errorCode: 0, enabledMechanisms: mechanisms }),
    ),
    // Platformatic reports a v0 session lifetime of 0.
    ...versions(0, 2).map((v) => pltRes(SaslAuthenticate, v, saslAuthenticateResponse)),
    ...versions(0, 1).map((v) =>
      kjsRes(SaslAuthenticate, 'saslAuthenticate', v, saslAuthenticateResponse, {
        errorCode: 0,
        errorMessage: null,
        authBytes: lengthPrefixed(serverFirst),
        ...(v >= 1 && { sessionLifetimeMs: '3600000' }),
      }),
    ),
  ],
};

const all = [initProducerId, addPartitionsToTxn, addOffsetsAndEnd, txnOffsetCommit, sasl];
export const requestCases: RequestCase[] = all.flatMap((a) => a.requests);
export const responseCases: ResponseCase[] = all.flatMap((a) => a.responses);
