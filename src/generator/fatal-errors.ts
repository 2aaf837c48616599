// Connection errors that no retry can fix: a refused SASL login, a TLS certificate one side does
// not accept, TLS against a plaintext listener or the reverse. Java's producer fails records at once
// on these instead of retrying; so does the generator, with a message that says what to check.
import { errorTree } from '../processor/kafka/retry.ts';

/** Node's codes for a server certificate the client does not accept. */
const UNTRUSTED_SERVER = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A sentence saying what is wrong and what to change, or undefined when a retry may help. */
export function fatalConnectionError(err: unknown): string | undefined {
  let authentication = false;
  let detail: string | undefined;
  for (const e of errorTree(err)) {
    const code = typeof e.code === 'string' ? e.code : '';
    const message = typeof e.message === 'string' ? e.message : '';
    if (code === 'PLT_KFK_AUTHENTICATION') authentication = true;
    // The broker's own words (SaslAuthenticate error_message), or what failed before it was asked.
    const server = (e as { serverErrorMessage?: unknown }).serverErrorMessage;
    if (typeof server === 'string' && server !== '') detail = server;
    else if (code === 'MSK_IAM_TOKEN') detail = message;
    if (UNTRUSTED_SERVER.has(code)) {
      return `the broker's TLS certificate is not trusted (${message}): give the CA that signed it in ssl.truststore.location (PEM) of the -pfp file`;
    }
    if (code.startsWith('ERR_SSL_') && code.includes('ALERT')) {
      const alert = code.slice('ERR_SSL_'.length).toLowerCase().replaceAll('_', ' ');
      return `the broker refused the TLS handshake (${alert}): it may require a client certificate it trusts (-mtls, with ssl.keystore.location and ssl.key.location in the -pfp file)`;
    }
    if (code === 'PLT_KFK_USER' && message.startsWith('Broker requires TLS')) {
      return 'the broker requires TLS: add -ssl (or -mtls, -sse, -iam), or security.protocol=SSL or SASL_SSL in the -pfp file';
    }
    if (code === 'PLT_KFK_USER' && message.startsWith('TLS handshake failed')) {
      return 'the broker closed the connection during the TLS handshake: is this a TLS listener? (plaintext ones need no -ssl)';
    }
  }
  if (authentication) {
    return `SASL authentication failed${detail ? ` (${detail})` : ''}: check the user name and password (BROOK_SASL_PASSWORD for -sse, sasl.jaas.config for -pfp) or the AWS credentials for MSK IAM`;
  }
  return undefined;
}
