// Fetch (key 1): reads record batches. Brook starts at v4, the first version that only carries
// RecordBatch v2 and isolation levels (KIP-98); v7 adds fetch sessions (KIP-227), v12 is flexible with
// diverging-epoch tags (KIP-595), v13 names topics by id (KIP-516), v15-v17 add KRaft replica tags.
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const Fetch = defineApi({
  key: 1,
  name: 'Fetch',
  versions: '4-17',
  flexible: '12+',
  request: [
    field('clusterId', 'string', { v: '12+', nullable: '12+', tag: 0, default: null }),
    field('replicaId', 'int32', { v: '0-14', default: -1 }),
    field(
      'replicaState',
      [field('replicaId', 'int32', { v: '15+', default: -1 }), field('replicaEpoch', 'int64', { v: '15+', default: -1n })],
      { v: '15+', tag: 1 },
    ),
    field('maxWaitMs', 'int32'),
    field('minBytes', 'int32'),
    field('maxBytes', 'int32', { v: '3+', default: 0x7fffffff }),
    field('isolationLevel', 'int8', { v: '4+' }),
    field('sessionId', 'int32', { v: '7+' }),
    field('sessionEpoch', 'int32', { v: '7+', default: -1 }),
    field(
      'topics',
      arrayOf([
        field('topic', 'string', { v: '0-12' }),
        field('topicId', 'uuid', { v: '13+' }),
        field(
          'partitions',
          arrayOf([
            field('partition', 'int32'),
            field('currentLeaderEpoch', 'int32', { v: '9+', default: -1 }),
            field('fetchOffset', 'int64'),
            field('lastFetchedEpoch', 'int32', { v: '12+', default: -1 }),
            field('logStartOffset', 'int64', { v: '5+', default: -1n }),
            field('partitionMaxBytes', 'int32'),
            field('replicaDirectoryId', 'uuid', { v: '17+', tag: 0 }),
          ]),
        ),
      ]),
    ),
    field(
      'forgottenTopicsData',
      arrayOf([
        field('topic', 'string', { v: '7-12' }),
        field('topicId', 'uuid', { v: '13+' }),
        field('partitions', arrayOf('int32'), { v: '7+' }),
      ]),
      { v: '7+' },
    ),
    field('rackId', 'string', { v: '11+' }),
  ],
  response: [
    field('throttleTimeMs', 'int32', { v: '1+' }),
    field('errorCode', 'int16', { v: '7+' }),
    field('sessionId', 'int32', { v: '7+' }),
    field(
      'responses',
      arrayOf([
        field('topic', 'string', { v: '0-12' }),
        field('topicId', 'uuid', { v: '13+' }),
        field(
          'partitions',
          arrayOf([
            field('partitionIndex', 'int32'),
            field('errorCode', 'int16'),
            field('highWatermark', 'int64'),
            field('lastStableOffset', 'int64', { v: '4+', default: -1n }),
            field('logStartOffset', 'int64', { v: '5+', default: -1n }),
            field(
              'divergingEpoch',
              [field('epoch', 'int32', { v: '12+', default: -1 }), field('endOffset', 'int64', { v: '12+', default: -1n })],
              { v: '12+', tag: 0 },
            ),
            field(
              'currentLeader',
              [field('leaderId', 'int32', { v: '12+', default: -1 }), field('leaderEpoch', 'int32', { v: '12+', default: -1 })],
              { v: '12+', tag: 1 },
            ),
            field('snapshotId', [field('endOffset', 'int64', { default: -1n }), field('epoch', 'int32', { default: -1 })], {
              v: '12+',
              tag: 2,
            }),
            field('abortedTransactions', arrayOf([field('producerId', 'int64', { v: '4+' }), field('firstOffset', 'int64', { v: '4+' })]), {
              v: '4+',
              nullable: '4+',
            }),
            field('preferredReadReplica', 'int32', { v: '11+', default: -1 }),
            field('records', 'records', { nullable: '0+' }),
          ]),
        ),
      ]),
    ),
    field(
      'nodeEndpoints',
      arrayOf([
        field('nodeId', 'int32', { v: '16+' }),
        field('host', 'string', { v: '16+' }),
        field('port', 'int32', { v: '16+' }),
        field('rack', 'string', { v: '16+', nullable: '16+', default: null }),
      ]),
      { v: '16+', tag: 0 },
    ),
  ],
});
