// CreateTopics (key 19): creates topics. v5 returns the created topic's configs (KIP-525);
// v7 returns its topic id (KIP-516).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const CreateTopics = defineApi({
  key: 19,
  name: 'CreateTopics',
  versions: '0-7',
  flexible: '5+',
  request: [
    field(
      'topics',
      arrayOf([
        field('name', 'string'),
        field('numPartitions', 'int32'),
        field('replicationFactor', 'int16'),
        field('assignments', arrayOf([field('partitionIndex', 'int32'), field('brokerIds', arrayOf('int32'))])),
        field('configs', arrayOf([field('name', 'string'), field('value', 'string', { nullable: '0+' })])),
      ]),
    ),
    field('timeoutMs', 'int32', { default: 60000 }),
    field('validateOnly', 'bool', { v: '1+' }),
  ],
  response: [
    field('throttleTimeMs', 'int32', { v: '2+' }),
    field(
      'topics',
      arrayOf([
        field('name', 'string'),
        field('topicId', 'uuid', { v: '7+' }),
        field('errorCode', 'int16'),
        field('errorMessage', 'string', { v: '1+', nullable: '0+' }),
        field('topicConfigErrorCode', 'int16', { v: '5+', tag: 0 }),
        field('numPartitions', 'int32', { v: '5+', default: -1 }),
        field('replicationFactor', 'int16', { v: '5+', default: -1 }),
        field(
          'configs',
          arrayOf([
            field('name', 'string', { v: '5+' }),
            field('value', 'string', { v: '5+', nullable: '5+' }),
            field('readOnly', 'bool', { v: '5+' }),
            field('configSource', 'int8', { v: '5+', default: -1 }),
            field('isSensitive', 'bool', { v: '5+' }),
          ]),
          { v: '5+', nullable: '5+' },
        ),
      ]),
    ),
  ],
});
