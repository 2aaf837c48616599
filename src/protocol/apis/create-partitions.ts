// CreatePartitions (key 37): adds partitions to existing topics (KIP-195).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const CreatePartitions = defineApi({
  key: 37,
  name: 'CreatePartitions',
  versions: '0-3',
  flexible: '2+',
  request: [
    field(
      'topics',
      arrayOf([
        field('name', 'string'),
        field('count', 'int32'),
        field('assignments', arrayOf([field('brokerIds', arrayOf('int32'))]), { nullable: '0+' }),
      ]),
    ),
    field('timeoutMs', 'int32'),
    field('validateOnly', 'bool'),
  ],
  response: [
    field('throttleTimeMs', 'int32'),
    field(
      'results',
      arrayOf([field('name', 'string'), field('errorCode', 'int16'), field('errorMessage', 'string', { nullable: '0+', default: null })]),
    ),
  ],
});
