// DeleteGroups (key 42): deletes empty consumer groups and their committed offsets (KIP-229).
// Declared from the Kafka protocol guide (the reference folder has no definition for it).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const DeleteGroups = defineApi({
  key: 42,
  name: 'DeleteGroups',
  versions: '0-2',
  flexible: '2+',
  request: [field('groupsNames', arrayOf('string'))],
  response: [field('throttleTimeMs', 'int32'), field('results', arrayOf([field('groupId', 'string'), field('errorCode', 'int16')]))],
});
