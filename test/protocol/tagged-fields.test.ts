// Tagged fields (KIP-482): unknown tags are skipped wherever they appear, known ones round-trip,
// and fields holding their defaults are not written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteReader, ByteWriter } from '../../src/common/bytes.ts';
import { ProtocolError } from '../../src/common/errors.ts';
import { ApiVersions, CreateTopics, Fetch, Produce } from '../../src/protocol/apis/index.ts';
import { arrayOf, field, type MessageSchema, message } from '../../src/protocol/schema.ts';

const decode = (schema: MessageSchema, version: number, bytes: Buffer) => {
  const r = new ByteReader(bytes);
  const out = schema.read(r, version);
  assert.equal(r.remaining, 0, 'bytes left over');
  return out;
};

// A message as an older and a newer peer know it: the newer one adds tags at every level.
const older = message('Sample', '0+', [
  field('name', 'string'),
  field('items', arrayOf([field('id', 'int32'), field('note', 'string', { tag: 0, nullable: '0+', default: null })])),
]);
const newer = message('Sample', '0+', [
  field('name', 'string'),
  field(
    'items',
    arrayOf([
      field('id', 'int32'),
      field('note', 'string', { tag: 0, nullable: '0+', default: null }),
      field('weight', 'int64', { tag: 7 }),
    ]),
  ),
  // Declared out of tag order on purpose: the wire order is by tag (KIP-482).
  field('labels', arrayOf('string'), { tag: 200 }),
  field('owner', [field('id', 'int32'), field('host', 'string')], { tag: 3 }),
]);

test('unknown tags are skipped at the top level and inside array elements', () => {
  const value = {
    name: 'clicks',
    items: [
      { id: 1, note: 'first', weight: 5n },
      { id: 2, note: null, weight: 0n },
    ],
    owner: { id: 9, host: 'broker-9' },
    labels: ['a', 'b'],
  };
  const bytes = newer.encode(0, value);
  assert.deepEqual(decode(older, 0, bytes), {
    name: 'clicks',
    items: [
      { id: 1, note: 'first' },
      { id: 2, note: null },
    ],
  });
  assert.deepEqual(decode(newer, 0, bytes), value);
});

test('tags are written in ascending order with their sizes, and tag numbers above 127 take two bytes', () => {
  const bytes = newer.encode(0, { name: '', items: [], owner: { id: 1, host: 'h' }, labels: ['x'] });
  // name '' (01), items [] (01), two tags: 3 -> struct {int32 1, 'h', no tags}, 200 -> ['x']
  assert.equal(bytes.toString('hex'), ['01', '01', '02', '03', '07', '00000001', '0268', '00', 'c801', '03', '02', '0278'].join(''));
});

test('a tagged field whose size disagrees with its content is refused', () => {
  // owner claims 2 bytes but its struct needs 7.
  const bad = Buffer.from('01' + '01' + '01' + '03' + '02' + '00000001' + '0268' + '00', 'hex');
  assert.throws(() => decode(newer, 0, bad), ProtocolError);
});

test('a tagged field claiming more bytes than remain is refused', () => {
  const bad = Buffer.from('0101' + '01' + '63' + 'ff0f' + '00', 'hex');
  assert.throws(() => decode(older, 0, bad), ProtocolError);
});

test('ApiVersions v3 feature tags round-trip, and an unknown top-level tag is skipped', () => {
  const value = {
    errorCode: 0,
    apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }],
    throttleTimeMs: 0,
    supportedFeatures: [{ name: 'metadata.version', minVersion: 1, maxVersion: 21 }],
    finalizedFeaturesEpoch: 42n,
    finalizedFeatures: [{ name: 'metadata.version', maxVersionLevel: 21, minVersionLevel: 21 }],
    zkMigrationReady: true,
  };
  for (const v of [3, 4]) {
    const bytes = ApiVersions.response.encode(v, value);
    assert.deepEqual(decode(ApiVersions.response, v, bytes), value);
  }
  // Defaults are not written: the body ends with an empty tag section.
  const plain = ApiVersions.response.encode(3, {
    errorCode: 0,
    apiKeys: [],
    throttleTimeMs: 0,
    finalizedFeaturesEpoch: -1n,
    zkMigrationReady: false,
  });
  assert.equal(plain.toString('hex'), '0000' + '01' + '00000000' + '00');
  // A broker newer than this code may add tag 9: it is skipped.
  const withUnknown = Buffer.concat([plain.subarray(0, plain.length - 1), Buffer.from('01' + '09' + '03' + 'aabbcc', 'hex')]);
  assert.deepEqual(decode(ApiVersions.response, 3, withUnknown), {
    errorCode: 0,
    apiKeys: [],
    throttleTimeMs: 0,
    supportedFeatures: [],
    finalizedFeaturesEpoch: -1n,
    finalizedFeatures: [],
    zkMigrationReady: false,
  });
});

const records = Buffer.from('not a real batch');

test('Fetch response partition tags (DivergingEpoch, CurrentLeader, SnapshotId) and NodeEndpoints round-trip', () => {
  const partition = {
    partitionIndex: 0,
    errorCode: 6,
    highWatermark: 10n,
    lastStableOffset: 10n,
    logStartOffset: 0n,
    divergingEpoch: { epoch: 4, endOffset: 8n },
    currentLeader: { leaderId: 2, leaderEpoch: 5 },
    snapshotId: { endOffset: 7n, epoch: 3 },
    abortedTransactions: null,
    preferredReadReplica: -1,
    records,
  };
  const value = {
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId: 0,
    responses: [{ topic: 'clicks', topicId: Buffer.alloc(16), partitions: [partition] }],
    nodeEndpoints: [{ nodeId: 2, host: 'b2', port: 9092, rack: null }],
  };
  for (const v of [12, 16, 17]) {
    const got = decode(Fetch.response, v, Fetch.response.encode(v, value));
    assert.deepEqual(got.responses[0].partitions[0], partition);
    assert.deepEqual(got.nodeEndpoints, v >= 16 ? value.nodeEndpoints : []);
  }
});

test('a tagged struct holding its defaults is not written, and reads back as those defaults', () => {
  const produced = (extra: Record<string, unknown>) => ({
    responses: [
      {
        name: 'clicks',
        partitionResponses: [
          {
            index: 0,
            errorCode: 0,
            baseOffset: 1n,
            logAppendTimeMs: -1n,
            logStartOffset: 0n,
            recordErrors: [],
            errorMessage: null,
            ...extra,
          },
        ],
      },
    ],
    throttleTimeMs: 0,
  });
  const a = Produce.response.encode(10, produced({}));
  const b = Produce.response.encode(10, produced({ currentLeader: { leaderId: -1, leaderEpoch: -1 } }));
  assert.equal(b.toString('hex'), a.toString('hex'));
  assert.notEqual(
    Produce.response.encode(10, produced({ currentLeader: { leaderId: 2, leaderEpoch: -1 } })).toString('hex'),
    a.toString('hex'),
  );
  const got = decode(Produce.response, 10, a);
  assert.deepEqual(got.responses[0].partitionResponses[0].currentLeader, { leaderId: -1, leaderEpoch: -1 });
  assert.deepEqual(got.nodeEndpoints, []);
  // Each decoded message owns its defaults: changing one does not leak into the next.
  got.responses[0].partitionResponses[0].currentLeader.leaderId = 99;
  (got.nodeEndpoints as unknown[]).push({ nodeId: 1 });
  const again = decode(Produce.response, 10, a);
  assert.equal(again.responses[0].partitionResponses[0].currentLeader.leaderId, -1);
  assert.deepEqual(again.nodeEndpoints, []);
});

test('Fetch request tags: ClusterId (v12+), ReplicaState (v15+), ReplicaDirectoryId (v17+)', () => {
  const dir = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  const value = {
    clusterId: 'brook-cluster-1',
    replicaState: { replicaId: 3, replicaEpoch: 17n },
    maxWaitMs: 500,
    minBytes: 1,
    maxBytes: 1024,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      {
        topicId: dir,
        partitions: [
          {
            partition: 0,
            currentLeaderEpoch: 1,
            fetchOffset: 0n,
            lastFetchedEpoch: -1,
            logStartOffset: 0n,
            partitionMaxBytes: 1024,
            replicaDirectoryId: dir,
          },
        ],
      },
    ],
    forgottenTopicsData: [],
    rackId: '',
  };
  const got17 = decode(Fetch.request, 17, Fetch.request.encode(17, value));
  assert.equal(got17.clusterId, 'brook-cluster-1');
  assert.deepEqual(got17.replicaState, { replicaId: 3, replicaEpoch: 17n });
  assert.deepEqual(got17.topics[0].partitions[0].replicaDirectoryId, dir);
  // v12 knows ClusterId only; ReplicaState falls back to its defaults and is not sent.
  const got12 = decode(
    Fetch.request,
    12,
    Fetch.request.encode(12, { ...value, replicaId: -1, topics: [{ topic: 'clicks', partitions: value.topics[0]?.partitions }] }),
  );
  assert.equal(got12.clusterId, 'brook-cluster-1');
  assert.deepEqual(got12.replicaState, { replicaId: -1, replicaEpoch: -1n });
  assert.deepEqual(got12.topics[0].partitions[0].replicaDirectoryId, Buffer.alloc(16));
  // A consumer sends no tags at all: the clusterId default is null.
  const plain = decode(Fetch.request, 13, Fetch.request.encode(13, { ...value, clusterId: null, replicaState: undefined }));
  assert.equal(plain.clusterId, null);
});

test('CreateTopics v5+ TopicConfigErrorCode is a tag inside each topic', () => {
  const topic = {
    name: 't',
    topicId: Buffer.alloc(16),
    errorCode: 0,
    errorMessage: null,
    topicConfigErrorCode: 29,
    numPartitions: 1,
    replicationFactor: 1,
    configs: null,
  };
  const bytes = CreateTopics.response.encode(5, { throttleTimeMs: 0, topics: [topic] });
  assert.equal(decode(CreateTopics.response, 5, bytes).topics[0].topicConfigErrorCode, 29);
  // In v4 (not flexible) the tag does not exist and reads as its default.
  assert.equal(
    decode(CreateTopics.response, 4, CreateTopics.response.encode(4, { throttleTimeMs: 0, topics: [topic] })).topics[0]
      .topicConfigErrorCode,
    0,
  );
});

test('an unknown tag in the request header v2 is skipped', async () => {
  const { readRequestHeader } = await import('../../src/protocol/headers.ts');
  const w = new ByteWriter();
  w.int16(Produce.key).int16(9).int32(5).int16(2).utf8('id');
  w.uvarint(1)
    .uvarint(4)
    .uvarint(2)
    .bytes(Buffer.from([1, 2]));
  w.uvarint(0); // the body: nothing more needed for this check
  const { header, body } = readRequestHeader(w.toBuffer(), Produce);
  assert.deepEqual(header, { apiKey: 0, apiVersion: 9, correlationId: 5, clientId: 'id' });
  assert.equal(body.remaining, 1);
});
