// DeleteTopics (key 20): deletes topics; v6 names them by name or by id (KIP-516).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const DeleteTopics = defineApi({
  key: 20,
  name: 'DeleteTopics',
  versions: '0-6',
  flexible: '4+',
  request: [
    field('topics', arrayOf([field('name', 'string', { v: '6+', nullable: '6+', default: null }), field('topicId', 'uuid', { v: '6+' })]), {
      v: '6+',
    }),
    field('topicNames', arrayOf('string'), { v: '0-5' }),
    field('timeoutMs', 'int32'),
  ],
  response: [
    field('throttleTimeMs', 'int32', { v: '1+' }),
    field(
      'responses',
      arrayOf([
        field('name', 'string', { nullable: '6+' }),
        field('topicId', 'uuid', { v: '6+' }),
        field('errorCode', 'int16'),
        field('errorMessage', 'string', { v: '5+', nullable: '5+', default: null }),
      ]),
    ),
  ],
});
