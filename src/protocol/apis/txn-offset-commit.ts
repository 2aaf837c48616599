// TxnOffsetCommit (key 28): commits offsets inside a transaction. v3 adds group membership
// fields so the coordinator can fence zombies (KIP-447).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const TxnOffsetCommit = defineApi({
  key: 28,
  name: 'TxnOffsetCommit',
  versions: '0-4',
  flexible: '3+',
  request: [
    field('transactionalId', 'string'),
    field('groupId', 'string'),
    field('producerId', 'int64'),
    field('producerEpoch', 'int16'),
    field('generationId', 'int32', { v: '3+', default: -1 }),
    field('memberId', 'string', { v: '3+' }),
    field('groupInstanceId', 'string', { v: '3+', nullable: '3+', default: null }),
    field(
      'topics',
      arrayOf([
        field('name', 'string'),
        field(
          'partitions',
          arrayOf([
            field('partitionIndex', 'int32'),
            field('committedOffset', 'int64'),
            field('committedLeaderEpoch', 'int32', { v: '2+', default: -1 }),
            field('committedMetadata', 'string', { nullable: '0+' }),
          ]),
        ),
      ]),
    ),
  ],
  response: [
    field('throttleTimeMs', 'int32'),
    field(
      'topics',
      arrayOf([field('name', 'string'), field('partitions', arrayOf([field('partitionIndex', 'int32'), field('errorCode', 'int16')]))]),
    ),
  ],
});
