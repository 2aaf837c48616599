// DeleteRecords (key 21): moves a partition's log start offset forward (KIP-107).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const DeleteRecords = defineApi({
  key: 21,
  name: 'DeleteRecords',
  versions: '0-2',
  flexible: '2+',
  request: [
    field(
      'topics',
      arrayOf([field('name', 'string'), field('partitions', arrayOf([field('partitionIndex', 'int32'), field('offset', 'int64')]))]),
    ),
    field('timeoutMs', 'int32'),
  ],
  response: [
    field('throttleTimeMs', 'int32'),
    field(
      'topics',
      arrayOf([
        field('name', 'string'),
        field('partitions', arrayOf([field('partitionIndex', 'int32'), field('lowWatermark', 'int64'), field('errorCode', 'int16')])),
      ]),
    ),
  ],
});
