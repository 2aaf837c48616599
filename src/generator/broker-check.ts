// One connection to the first bootstrap broker before the run, with an ApiVersions request (which
// brokers answer before authentication), to name TLS mistakes the Kafka client reports as a bare
// "Connection closed": under TLS 1.3 a refused client certificate only shows after the handshake.
import { createConnection, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { ApiVersions } from '../protocol/apis/api-versions.ts';
import { frame } from '../protocol/framing.ts';
import { encodeRequest } from '../protocol/headers.ts';
import { fatalConnectionError } from './fatal-errors.ts';
import type { KafkaConnection } from './properties.ts';

export interface BrokerCheck {
  /** These settings can never work: stop with this message. */
  fatal?: string;
  /** Probably a mistake, but a broker restarting looks the same: say it and go on. */
  hint?: string;
}

const isTlsRecord = (b: Buffer) => b.length >= 3 && b[0]! >= 0x14 && b[0]! <= 0x17 && b[1] === 0x03;

/** A broker that is down or slow is not this check's business: the producer's retries deal with it. */
export async function checkBroker(conn: KafkaConnection, timeoutMs = 5000): Promise<BrokerCheck> {
  const first = conn.bootstrap?.[0] ?? '';
  const m = /^\[?(.*?)\]?:(\d+)$/.exec(first);
  if (!m) return {};
  const host = m[1]!;
  const port = Number(m[2]);
  return new Promise<BrokerCheck>((resolve) => {
    let asked = false;
    const socket: Socket = conn.tls
      ? connectTls({ ...conn.tls, host, port, ...(isIP(host) === 0 ? { servername: host } : {}) })
      : createConnection({ host, port });
    const done = (result: BrokerCheck) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({}), timeoutMs);
    socket.once(conn.tls ? 'secureConnect' : 'connect', () => {
      const request = encodeRequest(
        ApiVersions,
        { apiKey: ApiVersions.key, apiVersion: 0, correlationId: 1, clientId: 'brook-generate' },
        {},
      );
      socket.write(Buffer.concat(frame([request])));
      asked = true;
    });
    socket.once('data', (chunk: Buffer) =>
      done(!conn.tls && isTlsRecord(chunk) ? { fatal: `the broker at ${first} requires TLS: add -ssl (or -mtls, -sse, -iam)` } : {}),
    );
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (conn.tls && err.code === 'ECONNRESET' && err.message.includes('before secure TLS connection')) {
        done({
          fatal: `the broker at ${first} closed the connection during the TLS handshake: is it a TLS listener? (a plaintext one needs no -ssl)`,
        });
      } else {
        const fatal = fatalConnectionError(err);
        done(fatal ? { fatal } : {});
      }
    });
    socket.once('close', () =>
      done(
        asked && !conn.tls
          ? {
              hint: `the broker at ${first} closed the connection without answering: if it is a TLS listener, add -ssl (or -mtls, -sse, -iam)`,
            }
          : {},
      ),
    );
  });
}
