// SaslHandshake (key 17): picks a SASL mechanism. From v1 the SASL tokens travel in
// SaslAuthenticate requests instead of raw bytes on the socket (KIP-152).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const SaslHandshake = defineApi({
  key: 17,
  name: 'SaslHandshake',
  versions: '0-1',
  flexible: 'none',
  request: [field('mechanism', 'string')],
  response: [field('errorCode', 'int16'), field('mechanisms', arrayOf('string'))],
});
