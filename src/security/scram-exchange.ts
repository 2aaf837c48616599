// SCRAM server side (RFC 5802 section 5, RFC 7677): client-first -> server-first (nonce, salt,
// iterations) -> client-final with proof -> server-final with the server signature. An unknown
// user gets a made-up salt and fails at the proof, so probing cannot tell users apart.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CredentialStore } from './credential-store.ts';
import { invalidCredentials, SaslAuthenticationError } from './sasl-errors.ts';
import type { SaslExchange } from './sasl-server.ts';
import { DEFAULT_ITERATIONS, hash, hmac, type ScramCredential, type ScramMechanism } from './scram.ts';

/** Per-process secret behind the made-up salts of unknown users (stable while the broker runs). */
const FAKE_SALT_KEY = randomBytes(32);

/**
 * RFC 5802 section 5.1, as Kafka's ScramFormatter.username: ',' and '=' in a name travel as '=2C'
 * and '=3D' (librdkafka, kafkajs and the Java client escape them); any other '=' fails the login.
 */
function decodeSaslName(s: string): string {
  if (/=(?!2C|3D)/.test(s)) throw new SaslAuthenticationError('Invalid SCRAM user name: = must be escaped as =2C or =3D');
  return s.replaceAll('=2C', ',').replaceAll('=3D', '=');
}

function attributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    if (!/^[A-Za-z]=/.test(part)) throw new SaslAuthenticationError(`Invalid SCRAM message: bad attribute '${part.slice(0, 40)}'`);
    out.set(part[0] as string, part.slice(2));
  }
  return out;
}

export function scramExchange(mechanism: ScramMechanism, store: CredentialStore): SaslExchange {
  let state:
    | { step: 'first' }
    | {
        step: 'final';
        gs2: string;
        bare: string;
        serverFirst: string;
        nonce: string;
        user: string;
        cred: ScramCredential | undefined;
        fake: boolean;
      }
    | { step: 'done' } = { step: 'first' };
  return async (bytes) => {
    const text = bytes.toString('utf8');
    if (state.step === 'first') {
      // gs2-header: channel binding flag, optional authzid; Kafka supports no channel binding.
      const m = /^([ny]),(a=[^,]*)?,(n=[^,]*,r=[^,]+(?:,.*)?)$/.exec(text);
      if (!m) throw new SaslAuthenticationError(`Invalid SCRAM client-first message for ${mechanism}`);
      const bare = m[3] as string;
      const attrs = attributes(bare);
      const user = decodeSaslName(attrs.get('n') ?? '');
      const clientNonce = attrs.get('r') ?? '';
      if (user === '' || clientNonce === '') throw new SaslAuthenticationError('Invalid SCRAM client-first message: empty user or nonce');
      const authzid = m[2] ? decodeSaslName(m[2].slice(2)) : '';
      if (authzid !== '' && authzid !== user) {
        throw new SaslAuthenticationError('Authentication failed: Client requested an authorization id that is different from username');
      }
      const cred = store.get(user, mechanism);
      const salt = cred?.salt ?? createHmac('sha256', FAKE_SALT_KEY).update(`${mechanism}\0${user}`).digest();
      const iterations = cred?.iterations ?? DEFAULT_ITERATIONS;
      const nonce = clientNonce + randomBytes(24).toString('base64');
      const serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${iterations}`;
      state = { step: 'final', gs2: `${m[1]},${m[2] ?? ''},`, bare, serverFirst, nonce, user, cred, fake: !cred };
      return { reply: Buffer.from(serverFirst) };
    }
    if (state.step === 'final') {
      const s = state;
      state = { step: 'done' };
      const m = /^(c=[^,]*,r=[^,]*(?:,.*)?),p=([A-Za-z0-9+/=]+)$/.exec(text);
      if (!m) throw new SaslAuthenticationError(`Invalid SCRAM client-final message for ${mechanism}`);
      const attrs = attributes(m[1] as string);
      if (attrs.get('c') !== Buffer.from(s.gs2).toString('base64')) throw new SaslAuthenticationError('Invalid SCRAM channel binding');
      // Kafka accepts a nonce that ends with the server's: librdkafka sends the client nonce twice.
      if (!(attrs.get('r') ?? '').endsWith(s.nonce))
        throw new SaslAuthenticationError('Invalid SCRAM nonce: it does not match the server-first message');
      if (s.fake || !s.cred) throw invalidCredentials(mechanism);
      const authMessage = `${s.bare},${s.serverFirst},${m[1]}`;
      const proof = Buffer.from(m[2] as string, 'base64');
      const signature = hmac(mechanism, s.cred.storedKey, authMessage);
      if (proof.length !== signature.length) throw invalidCredentials(mechanism);
      const clientKey = Buffer.alloc(proof.length);
      for (let i = 0; i < proof.length; i++) clientKey[i] = (proof[i] as number) ^ (signature[i] as number);
      if (!timingSafeEqual(hash(mechanism, clientKey), s.cred.storedKey)) throw invalidCredentials(mechanism);
      const serverSignature = hmac(mechanism, s.cred.serverKey, authMessage);
      return { reply: Buffer.from(`v=${serverSignature.toString('base64')}`), user: s.user };
    }
    throw new SaslAuthenticationError(`${mechanism} exchange is already complete`);
  };
}
