// DescribeGroups (key 15): state, protocol and members of classic groups.
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const DescribeGroups = defineApi({
  key: 15,
  name: 'DescribeGroups',
  versions: '0-5',
  flexible: '5+',
  request: [field('groups', arrayOf('string')), field('includeAuthorizedOperations', 'bool', { v: '3+' })],
  response: [
    field('throttleTimeMs', 'int32', { v: '1+' }),
    field(
      'groups',
      arrayOf([
        field('errorCode', 'int16'),
        field('groupId', 'string'),
        field('groupState', 'string'),
        field('protocolType', 'string'),
        field('protocolData', 'string'),
        field(
          'members',
          arrayOf([
            field('memberId', 'string'),
            field('groupInstanceId', 'string', { v: '4+', nullable: '4+', default: null }),
            field('clientId', 'string'),
            field('clientHost', 'string'),
            field('memberMetadata', 'bytes'),
            field('memberAssignment', 'bytes'),
          ]),
        ),
        field('authorizedOperations', 'int32', { v: '3+', default: -2147483648 }),
      ]),
    ),
  ],
});
