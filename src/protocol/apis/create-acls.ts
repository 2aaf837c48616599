// CreateAcls (key 30): creates ACL bindings; v1 adds pattern types (KIP-290).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const CreateAcls = defineApi({
  key: 30,
  name: 'CreateAcls',
  versions: '0-3',
  flexible: '2+',
  request: [
    field(
      'creations',
      arrayOf([
        field('resourceType', 'int8'),
        field('resourceName', 'string'),
        field('resourcePatternType', 'int8', { v: '1+', default: 3 }),
        field('principal', 'string'),
        field('host', 'string'),
        field('operation', 'int8'),
        field('permissionType', 'int8'),
      ]),
    ),
  ],
  response: [
    field('throttleTimeMs', 'int32'),
    field('results', arrayOf([field('errorCode', 'int16'), field('errorMessage', 'string', { nullable: '0+' })])),
  ],
});
