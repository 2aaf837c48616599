// ApiVersions (key 18): what the broker speaks. v3 is flexible and carries the client's name
// (KIP-511) plus feature tags (KIP-584); its response still uses response header v0 (see headers.ts).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const ApiVersions = defineApi({
  key: 18,
  name: 'ApiVersions',
  versions: '0-4',
  flexible: '3+',
  request: [field('clientSoftwareName', 'string', { v: '3+' }), field('clientSoftwareVersion', 'string', { v: '3+' })],
  response: [
    field('errorCode', 'int16'),
    field('apiKeys', arrayOf([field('apiKey', 'int16'), field('minVersion', 'int16'), field('maxVersion', 'int16')])),
    field('throttleTimeMs', 'int32', { v: '1+' }),
    field(
      'supportedFeatures',
      arrayOf([field('name', 'string', { v: '3+' }), field('minVersion', 'int16', { v: '3+' }), field('maxVersion', 'int16', { v: '3+' })]),
      { v: '3+', tag: 0 },
    ),
    field('finalizedFeaturesEpoch', 'int64', { v: '3+', tag: 1, default: -1n }),
    field(
      'finalizedFeatures',
      arrayOf([
        field('name', 'string', { v: '3+' }),
        field('maxVersionLevel', 'int16', { v: '3+' }),
        field('minVersionLevel', 'int16', { v: '3+' }),
      ]),
      { v: '3+', tag: 2 },
    ),
    field('zkMigrationReady', 'bool', { v: '3+', tag: 3 }),
  ],
});
