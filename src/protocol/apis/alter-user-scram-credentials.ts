// AlterUserScramCredentials (key 51, KIP-554): deletes and upserts SCRAM credentials. The client
// sends the salt and salted password; the broker derives and keeps StoredKey and ServerKey.
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const AlterUserScramCredentials = defineApi({
  key: 51,
  name: 'AlterUserScramCredentials',
  versions: '0-0',
  flexible: '0+',
  request: [
    field('deletions', arrayOf([field('name', 'string'), field('mechanism', 'int8')])),
    field(
      'upsertions',
      arrayOf([
        field('name', 'string'),
        field('mechanism', 'int8'),
        field('iterations', 'int32'),
        field('salt', 'bytes'),
        field('saltedPassword', 'bytes'),
      ]),
    ),
  ],
  response: [
    field('throttleTimeMs', 'int32'),
    field('results', arrayOf([field('user', 'string'), field('errorCode', 'int16'), field('errorMessage', 'string', { nullable: '0+' })])),
  ],
});
