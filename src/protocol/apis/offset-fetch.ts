// OffsetFetch (key 9): reads committed offsets. A null topics array (v2+) asks for all of a
// group's offsets; v8 batches several groups in one request (KIP-709), v9 adds member id and epoch (KIP-848).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const OffsetFetch = defineApi({
  key: 9,
  name: 'OffsetFetch',
  versions: '0-9',
  flexible: '6+',
  request: [
    field('groupId', 'string', { v: '0-7' }),
    field('topics', arrayOf([field('name', 'string', { v: '0-7' }), field('partitionIndexes', arrayOf('int32'), { v: '0-7' })]), {
      v: '0-7',
      nullable: '2-7',
    }),
    field(
      'groups',
      arrayOf([
        field('groupId', 'string', { v: '8+' }),
        field('memberId', 'string', { v: '9+', nullable: '9+', default: null }),
        field('memberEpoch', 'int32', { v: '9+', default: -1 }),
        field('topics', arrayOf([field('name', 'string', { v: '8+' }), field('partitionIndexes', arrayOf('int32'), { v: '8+' })]), {
          v: '8+',
          nullable: '8+',
        }),
      ]),
      { v: '8+' },
    ),
    field('requireStable', 'bool', { v: '7+' }),
  ],
  response: [
    field('throttleTimeMs', 'int32', { v: '3+' }),
    field(
      'topics',
      arrayOf([
        field('name', 'string', { v: '0-7' }),
        field(
          'partitions',
          arrayOf([
            field('partitionIndex', 'int32', { v: '0-7' }),
            field('committedOffset', 'int64', { v: '0-7' }),
            field('committedLeaderEpoch', 'int32', { v: '5-7', default: -1 }),
            field('metadata', 'string', { v: '0-7', nullable: '0-7' }),
            field('errorCode', 'int16', { v: '0-7' }),
          ]),
          { v: '0-7' },
        ),
      ]),
      { v: '0-7' },
    ),
    field('errorCode', 'int16', { v: '2-7' }),
    field(
      'groups',
      arrayOf([
        field('groupId', 'string', { v: '8+' }),
        field(
          'topics',
          arrayOf([
            field('name', 'string', { v: '8+' }),
            field(
              'partitions',
              arrayOf([
                field('partitionIndex', 'int32', { v: '8+' }),
                field('committedOffset', 'int64', { v: '8+' }),
                field('committedLeaderEpoch', 'int32', { v: '8+', default: -1 }),
                field('metadata', 'string', { v: '8+', nullable: '8+' }),
                field('errorCode', 'int16', { v: '8+' }),
              ]),
              { v: '8+' },
            ),
          ]),
          { v: '8+' },
        ),
        field('errorCode', 'int16', { v: '8+' }),
      ]),
      { v: '8+' },
    ),
  ],
});
