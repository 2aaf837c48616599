// LeaveGroup (key 13): removes members from a group. v3 batches members for static membership
// (KIP-345) and replaces the single MemberId; v5 adds a reason per member (KIP-800).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const LeaveGroup = defineApi({
  key: 13,
  name: 'LeaveGroup',
  versions: '0-5',
  flexible: '4+',
  request: [
    field('groupId', 'string'),
    field('memberId', 'string', { v: '0-2' }),
    field(
      'members',
      arrayOf([
        field('memberId', 'string', { v: '3+' }),
        field('groupInstanceId', 'string', { v: '3+', nullable: '3+', default: null }),
        field('reason', 'string', { v: '5+', nullable: '5+', default: null }),
      ]),
      { v: '3+' },
    ),
  ],
  response: [
    field('throttleTimeMs', 'int32', { v: '1+' }),
    field('errorCode', 'int16'),
    field(
      'members',
      arrayOf([
        field('memberId', 'string', { v: '3+' }),
        field('groupInstanceId', 'string', { v: '3+', nullable: '3+' }),
        field('errorCode', 'int16', { v: '3+' }),
      ]),
      { v: '3+' },
    ),
  ],
});
