// AddOffsetsToTxn (key 25): adds a group's offsets topic partition to a transaction (KIP-98).
import { defineApi } from '../api.ts';
import { field } from '../schema.ts';

export const AddOffsetsToTxn = defineApi({
  key: 25,
  name: 'AddOffsetsToTxn',
  versions: '0-4',
  flexible: '3+',
  request: [field('transactionalId', 'string'), field('producerId', 'int64'), field('producerEpoch', 'int16'), field('groupId', 'string')],
  response: [field('throttleTimeMs', 'int32'), field('errorCode', 'int16')],
});
