// ListOffsets (key 2): finds offsets by timestamp. v0 returns an array of old-style offsets;
// v1+ a single offset and its timestamp; v7 adds max-timestamp lookups (KIP-734), v10 a timeout (KIP-1075).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const ListOffsets = defineApi({
  key: 2,
  name: 'ListOffsets',
  versions: '0-10',
  flexible: '6+',
  request: [
    field('replicaId', 'int32'),
    field('isolationLevel', 'int8', { v: '2+' }),
    field(
      'topics',
      arrayOf([
        field('name', 'string'),
        field(
          'partitions',
          arrayOf([
            field('partitionIndex', 'int32'),
            field('currentLeaderEpoch', 'int32', { v: '4+', default: -1 }),
            field('timestamp', 'int64'),
            field('maxNumOffsets', 'int32', { v: '0', default: 1 }),
          ]),
        ),
      ]),
    ),
    field('timeoutMs', 'int32', { v: '10+' }),
  ],
  response: [
    field('throttleTimeMs', 'int32', { v: '2+' }),
    field(
      'topics',
      arrayOf([
        field('name', 'string'),
        field(
          'partitions',
          arrayOf([
            field('partitionIndex', 'int32'),
            field('errorCode', 'int16'),
            field('oldStyleOffsets', arrayOf('int64'), { v: '0' }),
            field('timestamp', 'int64', { v: '1+', default: -1n }),
            field('offset', 'int64', { v: '1+', default: -1n }),
            field('leaderEpoch', 'int32', { v: '4+', default: -1 }),
          ]),
        ),
      ]),
    ),
  ],
});
