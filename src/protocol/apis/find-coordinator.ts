// FindCoordinator (key 10): locates the group or transaction coordinator. v4 batches several
// keys into one request (KIP-699), which moves every per-key answer into the Coordinators array.
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const FindCoordinator = defineApi({
  key: 10,
  name: 'FindCoordinator',
  versions: '0-6',
  flexible: '3+',
  request: [
    field('key', 'string', { v: '0-3' }),
    field('keyType', 'int8', { v: '1+' }),
    field('coordinatorKeys', arrayOf('string'), { v: '4+' }),
  ],
  response: [
    field('throttleTimeMs', 'int32', { v: '1+' }),
    field('errorCode', 'int16', { v: '0-3' }),
    field('errorMessage', 'string', { v: '1-3', nullable: '1-3' }),
    field('nodeId', 'int32', { v: '0-3' }),
    field('host', 'string', { v: '0-3' }),
    field('port', 'int32', { v: '0-3' }),
    field(
      'coordinators',
      arrayOf([
        field('key', 'string', { v: '4+' }),
        field('nodeId', 'int32', { v: '4+' }),
        field('host', 'string', { v: '4+' }),
        field('port', 'int32', { v: '4+' }),
        field('errorCode', 'int16', { v: '4+' }),
        field('errorMessage', 'string', { v: '4+', nullable: '4+' }),
      ]),
      { v: '4+' },
    ),
  ],
});
