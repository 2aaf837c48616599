// ListGroups (key 16): every group the coordinator knows. v4 filters by state (KIP-518),
// v5 by group type (KIP-848).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const ListGroups = defineApi({
  key: 16,
  name: 'ListGroups',
  versions: '0-5',
  flexible: '3+',
  request: [field('statesFilter', arrayOf('string'), { v: '4+' }), field('typesFilter', arrayOf('string'), { v: '5+' })],
  response: [
    field('throttleTimeMs', 'int32', { v: '1+' }),
    field('errorCode', 'int16'),
    field(
      'groups',
      arrayOf([
        field('groupId', 'string'),
        field('protocolType', 'string'),
        field('groupState', 'string', { v: '4+' }),
        field('groupType', 'string', { v: '5+' }),
      ]),
    ),
  ],
});
