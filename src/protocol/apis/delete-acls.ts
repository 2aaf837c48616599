// DeleteAcls (key 31): deletes ACL bindings that match filters; v1 adds pattern types (KIP-290).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const DeleteAcls = defineApi({
  key: 31,
  name: 'DeleteAcls',
  versions: '0-3',
  flexible: '2+',
  request: [
    field(
      'filters',
      arrayOf([
        field('resourceTypeFilter', 'int8'),
        field('resourceNameFilter', 'string', { nullable: '0+' }),
        field('patternTypeFilter', 'int8', { v: '1+', default: 3 }),
        field('principalFilter', 'string', { nullable: '0+' }),
        field('hostFilter', 'string', { nullable: '0+' }),
        field('operation', 'int8'),
        field('permissionType', 'int8'),
      ]),
    ),
  ],
  response: [
    field('throttleTimeMs', 'int32'),
    field(
      'filterResults',
      arrayOf([
        field('errorCode', 'int16'),
        field('errorMessage', 'string', { nullable: '0+' }),
        field(
          'matchingAcls',
          arrayOf([
            field('errorCode', 'int16'),
            field('errorMessage', 'string', { nullable: '0+' }),
            field('resourceType', 'int8'),
            field('resourceName', 'string'),
            field('patternType', 'int8', { v: '1+', default: 3 }),
            field('principal', 'string'),
            field('host', 'string'),
            field('operation', 'int8'),
            field('permissionType', 'int8'),
          ]),
        ),
      ]),
    ),
  ],
});
