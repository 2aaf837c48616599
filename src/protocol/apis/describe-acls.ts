// DescribeAcls (key 29): lists ACL bindings that match a filter; v1 adds pattern types (KIP-290).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const DescribeAcls = defineApi({
  key: 29,
  name: 'DescribeAcls',
  versions: '0-3',
  flexible: '2+',
  request: [
    field('resourceTypeFilter', 'int8'),
    field('resourceNameFilter', 'string', { nullable: '0+' }),
    field('patternTypeFilter', 'int8', { v: '1+', default: 3 }),
    field('principalFilter', 'string', { nullable: '0+' }),
    field('hostFilter', 'string', { nullable: '0+' }),
    field('operation', 'int8'),
    field('permissionType', 'int8'),
  ],
  response: [
    field('throttleTimeMs', 'int32'),
    field('errorCode', 'int16'),
    field('errorMessage', 'string', { nullable: '0+' }),
    field(
      'resources',
      arrayOf([
        field('resourceType', 'int8'),
        field('resourceName', 'string'),
        field('patternType', 'int8', { v: '1+', default: 3 }),
        field(
          'acls',
          arrayOf([field('principal', 'string'), field('host', 'string'), field('operation', 'int8'), field('permissionType', 'int8')]),
        ),
      ]),
    ),
  ],
});
