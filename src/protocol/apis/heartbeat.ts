// Heartbeat (key 12): keeps a classic group member alive between rebalances.
import { defineApi } from '../api.ts';
import { field } from '../schema.ts';

export const Heartbeat = defineApi({
  key: 12,
  name: 'Heartbeat',
  versions: '0-4',
  flexible: '4+',
  request: [
    field('groupId', 'string'),
    field('generationId', 'int32'),
    field('memberId', 'string'),
    field('groupInstanceId', 'string', { v: '3+', nullable: '3+', default: null }),
  ],
  response: [field('throttleTimeMs', 'int32', { v: '1+' }), field('errorCode', 'int16')],
});
