// WriteTxnMarkers (key 27): the transaction coordinator asks partition leaders to write commit
// or abort markers (KIP-98).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const WriteTxnMarkers = defineApi({
  key: 27,
  name: 'WriteTxnMarkers',
  versions: '0-1',
  flexible: '1+',
  request: [
    field(
      'markers',
      arrayOf([
        field('producerId', 'int64'),
        field('producerEpoch', 'int16'),
        field('transactionResult', 'bool'),
        field('topics', arrayOf([field('name', 'string'), field('partitionIndexes', arrayOf('int32'))])),
        field('coordinatorEpoch', 'int32'),
      ]),
    ),
  ],
  response: [
    field(
      'markers',
      arrayOf([
        field('producerId', 'int64'),
        field(
          'topics',
          arrayOf([field('name', 'string'), field('partitions', arrayOf([field('partitionIndex', 'int32'), field('errorCode', 'int16')]))]),
        ),
      ]),
    ),
  ],
});
