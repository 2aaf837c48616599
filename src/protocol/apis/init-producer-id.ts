// InitProducerId (key 22): allocates a producer id and epoch for idempotent and
// transactional producers (KIP-98); v3 passes the current id and epoch so they can be bumped (KIP-360).
import { defineApi } from '../api.ts';
import { field } from '../schema.ts';

export const InitProducerId = defineApi({
  key: 22,
  name: 'InitProducerId',
  versions: '0-5',
  flexible: '2+',
  request: [
    field('transactionalId', 'string', { nullable: '0+' }),
    field('transactionTimeoutMs', 'int32'),
    field('producerId', 'int64', { v: '3+', default: -1n }),
    field('producerEpoch', 'int16', { v: '3+', default: -1 }),
  ],
  response: [
    field('throttleTimeMs', 'int32'),
    field('errorCode', 'int16'),
    field('producerId', 'int64', { default: -1n }),
    field('producerEpoch', 'int16'),
  ],
});
