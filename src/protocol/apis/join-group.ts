// JoinGroup (key 11): joins a consumer group and returns the elected leader's member list.
// v5 adds static membership (KIP-345), v8 a reason (KIP-800), v9 skipAssignment (KIP-814).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const JoinGroup = defineApi({
  key: 11,
  name: 'JoinGroup',
  versions: '0-9',
  flexible: '6+',
  request: [
    field('groupId', 'string'),
    field('sessionTimeoutMs', 'int32'),
    field('rebalanceTimeoutMs', 'int32', { v: '1+', default: -1 }),
    field('memberId', 'string'),
    field('groupInstanceId', 'string', { v: '5+', nullable: '5+', default: null }),
    field('protocolType', 'string'),
    field('protocols', arrayOf([field('name', 'string'), field('metadata', 'bytes')])),
    field('reason', 'string', { v: '8+', nullable: '8+', default: null }),
  ],
  response: [
    field('throttleTimeMs', 'int32', { v: '2+' }),
    field('errorCode', 'int16'),
    field('generationId', 'int32', { default: -1 }),
    field('protocolType', 'string', { v: '7+', nullable: '7+', default: null }),
    field('protocolName', 'string', { nullable: '7+' }),
    field('leader', 'string'),
    field('skipAssignment', 'bool', { v: '9+' }),
    field('memberId', 'string'),
    field(
      'members',
      arrayOf([
        field('memberId', 'string'),
        field('groupInstanceId', 'string', { v: '5+', nullable: '5+', default: null }),
        field('metadata', 'bytes'),
      ]),
    ),
  ],
});
