// IncrementalAlterConfigs (key 44): sets, deletes, appends to or subtracts from
// individual config values (KIP-339).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const IncrementalAlterConfigs = defineApi({
  key: 44,
  name: 'IncrementalAlterConfigs',
  versions: '0-1',
  flexible: '1+',
  request: [
    field(
      'resources',
      arrayOf([
        field('resourceType', 'int8'),
        field('resourceName', 'string'),
        field(
          'configs',
          arrayOf([field('name', 'string'), field('configOperation', 'int8'), field('value', 'string', { nullable: '0+' })]),
        ),
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
