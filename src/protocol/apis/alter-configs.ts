// AlterConfigs (key 33): replaces a resource's whole config set (the legacy, non-incremental form).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const AlterConfigs = defineApi({
  key: 33,
  name: 'AlterConfigs',
  versions: '0-2',
  flexible: '2+',
  request: [
    field(
      'resources',
      arrayOf([
        field('resourceType', 'int8'),
        field('resourceName', 'string'),
        field('configs', arrayOf([field('name', 'string'), field('value', 'string', { nullable: '0+' })])),
      ]),
    ),
    field('validateOnly', 'bool'),
  ],
  response: [
    field('throttleTimeMs', 'int32'),
    field(
      'responses',
      arrayOf([
        field('errorCode', 'int16'),
        field('errorMessage', 'string', { nullable: '0+' }),
        field('resourceType', 'int8'),
        field('resourceName', 'string'),
      ]),
    ),
  ],
});
