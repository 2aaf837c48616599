// SyncGroup (key 14): the leader hands out assignments; every member receives its own.
// v5 echoes the protocol type and name so a client can check them (KIP-559).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const SyncGroup = defineApi({
  key: 14,
  name: 'SyncGroup',
  versions: '0-5',
  flexible: '4+',
  request: [
    field('groupId', 'string'),
    field('generationId', 'int32'),
    field('memberId', 'string'),
    field('groupInstanceId', 'string', { v: '3+', nullable: '3+', default: null }),
    field('protocolType', 'string', { v: '5+', nullable: '5+', default: null }),
    field('protocolName', 'string', { v: '5+', nullable: '5+', default: null }),
    field('assignments', arrayOf([field('memberId', 'string'), field('assignment', 'bytes')])),
  ],
  response: [
    field('throttleTimeMs', 'int32', { v: '1+' }),
    field('errorCode', 'int16'),
    field('protocolType', 'string', { v: '5+', nullable: '5+', default: null }),
    field('protocolName', 'string', { v: '5+', nullable: '5+', default: null }),
    field('assignment', 'bytes'),
  ],
});
