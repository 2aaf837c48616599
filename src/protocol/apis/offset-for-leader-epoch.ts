// OffsetForLeaderEpoch (key 23): the end offset of a leader epoch, which consumers use
// to detect log truncation (KIP-101, KIP-320).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const OffsetForLeaderEpoch = defineApi({
  key: 23,
  name: 'OffsetForLeaderEpoch',
  versions: '0-4',
  flexible: '4+',
  request: [
    field('replicaId', 'int32', { v: '3+', default: -2 }),
    field(
      'topics',
      arrayOf([
        field('topic', 'string'),
        field(
          'partitions',
          arrayOf([
            field('partition', 'int32'),
            field('currentLeaderEpoch', 'int32', { v: '2+', default: -1 }),
            field('leaderEpoch', 'int32'),
          ]),
        ),
      ]),
    ),
  ],
  response: [
    field('throttleTimeMs', 'int32', { v: '2+' }),
    field(
      'topics',
      arrayOf([
        field('topic', 'string'),
        field(
          'partitions',
          arrayOf([
            field('errorCode', 'int16'),
            field('partition', 'int32'),
            field('leaderEpoch', 'int32', { v: '1+', default: -1 }),
            field('endOffset', 'int64', { default: -1n }),
          ]),
        ),
      ]),
    ),
  ],
});
