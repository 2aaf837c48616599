// SaslAuthenticate (key 36): carries SASL tokens (KIP-152); v1 adds the session lifetime
// for re-authentication (KIP-368).
import { defineApi } from '../api.ts';
import { field } from '../schema.ts';

export const SaslAuthenticate = defineApi({
  key: 36,
  name: 'SaslAuthenticate',
  versions: '0-2',
  flexible: '2+',
  request: [field('authBytes', 'bytes')],
  response: [
    field('errorCode', 'int16'),
    field('errorMessage', 'string', { nullable: '0+' }),
    field('authBytes', 'bytes'),
    field('sessionLifetimeMs', 'int64', { v: '1+' }),
  ],
});
