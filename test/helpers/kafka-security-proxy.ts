// A TLS and SASL front for a real Brook broker, for tests (the broker itself has neither yet): it
// terminates TLS (optionally demanding a client certificate), runs the SASL exchange server-side
// (PLAIN, SCRAM-SHA-256/512, OAUTHBEARER), then forwards every request frame to the broker as is.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { ApiDefinition } from '../../src/protocol/api.ts';
import { ApiVersions } from '../../src/protocol/apis/api-versions.ts';
import { SaslAuthenticate } from '../../src/protocol/apis/sasl-authenticate.ts';
import { SaslHandshake } from '../../src/protocol/apis/sasl-handshake.ts';
import { ErrorCode } from '../../src/protocol/error-codes.ts';
import { FrameDecoder, frame } from '../../src/protocol/framing.ts';
import { encodeResponse, readHeaderPrefix, readRequestHeader } from '../../src/protocol/headers.ts';
import type { Message } from '../../src/protocol/schema.ts';
import { startTempBroker, type TempBroker } from './temp-broker.ts';
import { WireClient } from './wire-client.ts';

export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'OAUTHBEARER';

export interface SecurityProxyOptions {
  tls?: { cert: Buffer; key: Buffer; ca?: Buffer; requireClientCert?: boolean };
  sasl?: {
    mechanisms: SaslMechanism[];
    /** User name -> password, for PLAIN and SCRAM. */
    users?: Record<string, string>;
    /** Checks an OAUTHBEARER token: returns the principal, throws (with the reason) to refuse it. */
    checkToken?: (token: string) => string;
  };
  /** The host clients are sent back to by Metadata; default 127.0.0.1. */
  advertisedHost?: string;
}

/** What the proxy saw, for the tests to check. */
export interface ProxyLog {
  connections: number;
  authenticated: { mechanism: SaslMechanism; principal: string }[];
  /** Every OAUTHBEARER token presented, good or bad. */
  tokens: string[];
  /** Refused handshakes and authentications, with the reason. */
  failures: string[];
  /** Subject CN of each verified client certificate. */
  clientCertificates: string[];
  /** TLS SNI names sent by clients. */
  serverNames: string[];
}

export interface SecureBroker {
  /** host:port of the proxy: the only address clients are given. */
  bootstrap: string;
  broker: TempBroker;
  log: ProxyLog;
  close(): Promise<void>;
}

class Refused extends Error {}

interface Step {
  reply: Buffer;
  /** Set when the exchange succeeded. */
  principal?: string;
}
type Exchange = (authBytes: Buffer) => Step;

const invalid = (mechanism: string) =>
  new Refused(`Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`);

function plain(users: Record<string, string>): Exchange {
  return (bytes) => {
    const [, user, password] = bytes.toString('utf8').split('\0');
    if (user === undefined || users[user] === undefined || users[user] !== password) throw invalid('PLAIN');
    return { reply: Buffer.alloc(0), principal: user };
  };
}

/** RFC 5802 server side (RFC 7677 for SHA-256): two rounds, the client's proof checked against StoredKey. */
function scram(mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512', users: Record<string, string>): Exchange {
  const hash = mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
  const hmac = (key: Buffer, text: string) => createHmac(hash, key).update(text).digest();
  let first: { gs2: string; bare: string; user: string; nonce: string; serverFirst: string; salted: Buffer } | undefined;
  return (bytes) => {
    const text = bytes.toString('utf8');
    if (!first) {
      const m = /^([ny][^,]*,[^,]*,)(n=([^,]*),r=([^,]+).*)$/.exec(text);
      if (!m) throw new Refused(`malformed SCRAM client-first message '${text}'`);
      const user = m[3]!.replaceAll('=2C', ',').replaceAll('=3D', '=');
      const password = users[user];
      if (password === undefined) throw invalid(mechanism);
      const salt = randomBytes(16);
      const nonce = m[4]! + randomBytes(18).toString('base64');
      const serverFirst = `r=${nonce},s=${salt.toString('base64')},i=4096`;
      const salted = pbkdf2Sync(password, salt, 4096, hash === 'sha256' ? 32 : 64, hash);
      first = { gs2: m[1]!, bare: m[2]!, user, nonce, serverFirst, salted };
      return { reply: Buffer.from(serverFirst) };
    }
    const m = /^(c=([^,]*),r=([^,]*)),p=([^,]+)$/.exec(text);
    if (!m || m[2] !== Buffer.from(first.gs2).toString('base64') || m[3] !== first.nonce)
      throw new Refused('malformed SCRAM client-final message');
    const authMessage = `${first.bare},${first.serverFirst},${m[1]}`;
    const clientKey = hmac(first.salted, 'Client Key');
    const storedKey = createHash(hash).update(clientKey).digest();
    const proof = Buffer.from(m[4]!, 'base64');
    const signature = hmac(storedKey, authMessage);
    if (proof.length !== signature.length) throw invalid(mechanism);
    const candidate = createHash(hash)
      .update(proof.map((b, i) => b ^ signature[i]!))
      .digest();
    if (!timingSafeEqual(candidate, storedKey)) throw invalid(mechanism);
    const serverSignature = hmac(hmac(first.salted, 'Server Key'), authMessage);
    return { reply: Buffer.from(`v=${serverSignature.toString('base64')}`), principal: first.user };
  };
}

/** RFC 7628 initial response: `n,,` ^A `auth=Bearer <token>` ^A [key=value ^A]* ^A. */
function oauthBearer(log: ProxyLog, checkToken: (token: string) => string): Exchange {
  return (bytes) => {
    const parts = bytes.toString('utf8').split('\x01');
    const wellFormed = /^[ny][^,]*,[^,]*,$/.test(parts[0]!) && parts.length >= 4 && parts.at(-1) === '' && parts.at(-2) === '';
    const auth = wellFormed ? parts.slice(1, -2).find((kv) => kv.startsWith('auth=')) : undefined;
    const token = auth && /^auth=Bearer (\S+)$/i.exec(auth)?.[1];
    if (!token) throw new Refused('malformed OAUTHBEARER initial response');
    log.tokens.push(token);
    try {
      return { reply: Buffer.alloc(0), principal: checkToken(token) };
    } catch (err) {
      throw new Refused(`invalid OAUTHBEARER token: ${(err as Error).message}`);
    }
  };
}

export async function startSecureBroker(options: SecurityProxyOptions): Promise<SecureBroker> {
  const log: ProxyLog = { connections: 0, authenticated: [], tokens: [], failures: [], clientCertificates: [], serverNames: [] };
  const mechanisms = options.sasl?.mechanisms ?? [];
  const sockets = new Set<Socket>();
  let upstreamPort = 0;
  let apiKeys: Message[] = [];

  function newExchange(mechanism: SaslMechanism): Exchange {
    const users = options.sasl?.users ?? {};
    if (mechanism === 'PLAIN') return plain(users);
    if (mechanism === 'OAUTHBEARER') return oauthBearer(log, options.sasl?.checkToken ?? (() => 'anonymous'));
    return scram(mechanism, users);
  }

  function serve(client: Socket): void {
    log.connections++;
    const tlsClient = client as TLSSocket;
    if (options.tls) {
      if (tlsClient.servername) log.serverNames.push(tlsClient.servername);
      const cn = tlsClient.getPeerCertificate().subject?.CN;
      if (cn) log.clientCertificates.push(String(cn));
    }
    const upstream = connect(upstreamPort, '127.0.0.1');
    upstream.setNoDelay(true);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => closeBoth());
      s.once('close', () => {
        sockets.delete(s);
        closeBoth();
      });
    }
    function closeBoth() {
      client.destroy();
      upstream.destroy();
    }
    // Responses come back byte for byte; the proxy writes to the client itself only before authentication.
    upstream.pipe(client);
    const reply = (api: ApiDefinition, version: number, correlationId: number, body: Message) =>
      client.write(Buffer.concat(frame(encodeResponse(api, version, correlationId, body))));
    const decoder = new FrameDecoder(100 * 1024 * 1024);
    let authenticated = options.sasl === undefined;
    let mechanism: SaslMechanism | undefined;
    let exchange: Exchange | undefined;

    function beforeAuthentication(f: Buffer): void {
      const { apiKey, apiVersion, correlationId } = readHeaderPrefix(f);
      if (apiKey === ApiVersions.key) {
        // Kafka answers an unknown ApiVersions version with v0 and UNSUPPORTED_VERSION.
        const known = apiVersion <= ApiVersions.maxVersion;
        const errorCode = known ? ErrorCode.NONE : ErrorCode.UNSUPPORTED_VERSION;
        reply(ApiVersions, known ? apiVersion : 0, correlationId, { errorCode, apiKeys, throttleTimeMs: 0 });
      } else if (apiKey === SaslHandshake.key && apiVersion === 1 && !exchange) {
        const requested = SaslHandshake.request.read(readRequestHeader(f, SaslHandshake).body, 1).mechanism as SaslMechanism;
        const enabled = mechanisms.includes(requested);
        reply(SaslHandshake, 1, correlationId, { errorCode: enabled ? ErrorCode.NONE : ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms });
        if (!enabled) {
          log.failures.push(`SASL mechanism ${requested} is not enabled`);
          client.end();
          return;
        }
        mechanism = requested;
        exchange = newExchange(requested);
      } else if (apiKey === SaslAuthenticate.key && exchange && apiVersion <= SaslAuthenticate.maxVersion) {
        const { authBytes } = SaslAuthenticate.request.read(readRequestHeader(f, SaslAuthenticate).body, apiVersion);
        try {
          const step = exchange(authBytes as Buffer);
          reply(SaslAuthenticate, apiVersion, correlationId, {
            errorCode: 0,
            errorMessage: null,
            authBytes: step.reply,
            sessionLifetimeMs: 0n,
          });
          if (step.principal !== undefined) {
            authenticated = true;
            log.authenticated.push({ mechanism: mechanism!, principal: step.principal });
          }
        } catch (err) {
          if (!(err instanceof Refused)) throw err;
          // As Kafka: the error in the response, then the connection is closed.
          log.failures.push(`${mechanism}: ${err.message}`);
          const body = {
            errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED,
            errorMessage: err.message,
            authBytes: Buffer.alloc(0),
            sessionLifetimeMs: 0n,
          };
          reply(SaslAuthenticate, apiVersion, correlationId, body);
          client.end();
        }
      } else {
        log.failures.push(`request ${apiKey} v${apiVersion} before authentication`);
        closeBoth();
      }
    }

    client.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = decoder.push(chunk);
      } catch {
        closeBoth();
        return;
      }
      for (const f of frames) {
        if (client.destroyed || client.writableEnded) return;
        if (authenticated) {
          upstream.write(Buffer.concat(frame([f])));
          continue;
        }
        try {
          beforeAuthentication(f);
        } catch (err) {
          log.failures.push(`malformed request before authentication: ${(err as Error).message}`);
          closeBoth();
          return;
        }
      }
    });
  }

  let server: Server;
  if (options.tls) {
    const { cert, key, ca, requireClientCert } = options.tls;
    const verify = requireClientCert ? { ca, requestCert: true, rejectUnauthorized: true } : {};
    server = createTlsServer({ cert, key, ...verify }, serve);
    server.on('tlsClientError', (err) => log.failures.push(`TLS: ${err.message}`));
  } else {
    server = createServer(serve);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  let broker: TempBroker;
  try {
    broker = await startTempBroker({ advertisedListener: `${options.advertisedHost ?? '127.0.0.1'}:${port}` });
  } catch (err) {
    server.close();
    throw err;
  }
  upstreamPort = broker.broker.address.port;
  // The broker's own APIs, plus the two SASL ones the proxy speaks for it (SaslHandshake v1 only: v0 means raw tokens).
  const wire = await WireClient.connect(upstreamPort);
  const versions = await wire.send(ApiVersions, 0, {});
  wire.close();
  apiKeys = (versions.apiKeys as Message[]).filter((k) => k.apiKey !== SaslHandshake.key && k.apiKey !== SaslAuthenticate.key);
  if (options.sasl) {
    apiKeys.push({ apiKey: SaslHandshake.key, minVersion: 1, maxVersion: 1 });
    apiKeys.push({ apiKey: SaslAuthenticate.key, minVersion: 0, maxVersion: SaslAuthenticate.maxVersion });
  }

  return {
    bootstrap: `127.0.0.1:${port}`,
    broker,
    log,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      await broker.dispose();
    },
  };
}
