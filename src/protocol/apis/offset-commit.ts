// OffsetCommit (key 8): commits consumer group offsets. v8 is flexible; v9 carries a member
// epoch in place of the generation id for the new group protocol (KIP-848).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const OffsetCommit = defineApi({
  key: 8,
  name: 'OffsetCommit',
  versions: '0-9',
  flexible: '8+',
  request: [
    field('groupId', 'string'),
    field('generationIdOrMemberEpoch', 'int32', { v: '1+', default: -1 }),
    field('memberId', 'string', { v: '1+' }),
    field('groupInstanceId', 'string', { v: '7+', nullable: '7+', default: null }),
    field('retentionTimeMs', 'int64', { v: '2-4', default: -1n }),
    field(
      'topics',
      arrayOf([
        field('name', 'string'),
        field(
          'partitions',
          arrayOf([
            field('partitionIndex', 'int32'),
            field('committedOffset', 'int64'),
            field('committedLeaderEpoch', 'int32', { v: '6+', default: -1 }),
            field('commitTimestamp', 'int64', { v: '1', default: -1n }),
            field('committedMetadata', 'string', { nullable: '0+' }),
          ]),
        ),
      ]),
    ),
  ],
  response: [
    field('throttleTimeMs', 'int32', { v: '3+' }),
    field(
      'topics',
      arrayOf([field('name', 'string'), field('partitions', arrayOf([field('partitionIndex', 'int32'), field('errorCode', 'int16')]))]),
    ),
  ],
});
