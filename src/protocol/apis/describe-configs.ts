// DescribeConfigs (key 32): topic and broker configs. v1 adds config sources and synonyms
// (KIP-226), v3 types and documentation (KIP-569).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const DescribeConfigs = defineApi({
  key: 32,
  name: 'DescribeConfigs',
  versions: '0-4',
  flexible: '4+',
  request: [
    field(
      'resources',
      arrayOf([
        field('resourceType', 'int8'),
        field('resourceName', 'string'),
        field('configurationKeys', arrayOf('string'), { nullable: '0+' }),
      ]),
    ),
    field('includeSynonyms', 'bool', { v: '1+' }),
    field('includeDocumentation', 'bool', { v: '3+' }),
  ],
  response: [
    field('throttleTimeMs', 'int32'),
    field(
      'results',
      arrayOf([
        field('errorCode', 'int16'),
        field('errorMessage', 'string', { nullable: '0+' }),
        field('resourceType', 'int8'),
        field('resourceName', 'string'),
        field(
          'configs',
          arrayOf([
            field('name', 'string'),
            field('value', 'string', { nullable: '0+' }),
            field('readOnly', 'bool'),
            field('isDefault', 'bool', { v: '0' }),
            field('configSource', 'int8', { v: '1+', default: -1 }),
            field('isSensitive', 'bool'),
            field(
              'synonyms',
              arrayOf([
                field('name', 'string', { v: '1+' }),
                field('value', 'string', { v: '1+', nullable: '0+' }),
                field('source', 'int8', { v: '1+' }),
              ]),
              { v: '1+' },
            ),
            field('configType', 'int8', { v: '3+' }),
            field('documentation', 'string', { v: '3+', nullable: '0+' }),
          ]),
        ),
      ]),
    ),
  ],
});
