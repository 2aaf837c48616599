// DescribeUserScramCredentials (key 50, KIP-554): mechanisms and iteration counts of SCRAM users;
// a null or empty user list asks for every user. Never returns salts or keys.
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const DescribeUserScramCredentials = defineApi({
  key: 50,
  name: 'DescribeUserScramCredentials',
  versions: '0-0',
  flexible: '0+',
  request: [field('users', arrayOf([field('name', 'string')]), { nullable: '0+' })],
  response: [
    field('throttleTimeMs', 'int32'),
    field('errorCode', 'int16'),
    field('errorMessage', 'string', { nullable: '0+' }),
    field(
      'results',
      arrayOf([
        field('user', 'string'),
        field('errorCode', 'int16'),
        field('errorMessage', 'string', { nullable: '0+' }),
        field('credentialInfos', arrayOf([field('mechanism', 'int8'), field('iterations', 'int32')])),
      ]),
    ),
  ],
});
