// Produce (key 0): appends record batches to partitions. Brook speaks v3+ only, the versions that
// carry RecordBatch v2 (KIP-98); v8 adds per-record errors (KIP-467), v9 is flexible (KIP-482) and
// v10 adds the leader hints CurrentLeader and NodeEndpoints as tagged fields (KIP-951).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const Produce = defineApi({
  key: 0,
  name: 'Produce',
  versions: '3-11',
  flexible: '9+',
  request: [
    field('transactionalId', 'string', { v: '3+', nullable: '3+', default: null }),
    field('acks', 'int16'),
    field('timeoutMs', 'int32'),
    field(
      'topicData',
      arrayOf([
        field('name', 'string'),
        field('partitionData', arrayOf([field('index', 'int32'), field('records', 'records', { nullable: '0+' })])),
      ]),
    ),
  ],
  response: [
    field(
      'responses',
      arrayOf([
        field('name', 'string'),
        field(
          'partitionResponses',
          arrayOf([
            field('index', 'int32'),
            field('errorCode', 'int16'),
            field('baseOffset', 'int64'),
            field('logAppendTimeMs', 'int64', { v: '2+', default: -1n }),
            field('logStartOffset', 'int64', { v: '5+', default: -1n }),
            field(
              'recordErrors',
              arrayOf([
                field('batchIndex', 'int32', { v: '8+' }),
                field('batchIndexErrorMessage', 'string', { v: '8+', nullable: '8+', default: null }),
              ]),
              { v: '8+' },
            ),
            field('errorMessage', 'string', { v: '8+', nullable: '8+', default: null }),
            field(
              'currentLeader',
              [field('leaderId', 'int32', { v: '10+', default: -1 }), field('leaderEpoch', 'int32', { v: '10+', default: -1 })],
              { v: '10+', tag: 0 },
            ),
          ]),
        ),
      ]),
    ),
    field('throttleTimeMs', 'int32', { v: '1+' }),
    field(
      'nodeEndpoints',
      arrayOf([
        field('nodeId', 'int32', { v: '10+' }),
        field('host', 'string', { v: '10+' }),
        field('port', 'int32', { v: '10+' }),
        field('rack', 'string', { v: '10+', nullable: '10+', default: null }),
      ]),
      { v: '10+', tag: 0 },
    ),
  ],
});
