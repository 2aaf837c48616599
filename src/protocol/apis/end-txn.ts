// EndTxn (key 26): commits or aborts a transaction. v5 (KIP-890) is unstable in the reference
// definitions, so Brook declares v0-4 only; the broker serves no transaction API yet (declared for the codec).
import { defineApi } from '../api.ts';
import { field } from '../schema.ts';

export const EndTxn = defineApi({
  key: 26,
  name: 'EndTxn',
  versions: '0-4',
  flexible: '3+',
  request: [field('transactionalId', 'string'), field('producerId', 'int64'), field('producerEpoch', 'int16'), field('committed', 'bool')],
  response: [
    field('throttleTimeMs', 'int32'),
    field('errorCode', 'int16'),
    field('producerId', 'int64', { v: '5+', default: -1n }),
    field('producerEpoch', 'int16', { v: '5+', default: -1 }),
  ],
});
