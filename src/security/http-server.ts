// HTTP or HTTPS for the registry and the dashboard, with the broker's TLS settings (certificate,
// key, the CA for client certificates, ssl.client.auth), and the base URL clients should use.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { BrookError } from '../common/errors.ts';
import type { ListenerTls } from './listeners.ts';
import { presentedUnverifiedCertificate, tlsServerOptions } from './tls.ts';

/** The same shape as a broker listener's TLS: `{ cert, key, ca?, clientAuth? }`. */
export type WebTls = ListenerTls;

export function checkWebTls(tls: WebTls, part: string): void {
  if (!tls.cert || !tls.key)
    throw new BrookError('WEB_TLS', `the ${part}'s TLS needs a certificate and a key: pass --tls-cert and --tls-key`);
  const clientAuth = tls.clientAuth ?? 'none';
  if (!['none', 'requested', 'required'].includes(clientAuth)) {
    throw new BrookError('WEB_TLS', `the ${part}'s client authentication must be none, requested or required, got '${clientAuth}'`);
  }
  if (clientAuth !== 'none' && !tls.ca) {
    throw new BrookError(
      'WEB_TLS',
      `the ${part}'s client authentication '${clientAuth}' needs the CA that signs client certificates: pass --tls-ca`,
    );
  }
}

/** An HTTPS server when `tls` is given, plain HTTP otherwise. */
export function createWebServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  tls: WebTls | undefined,
  part: string,
): Server {
  if (!tls) return createHttpServer(handler);
  checkWebTls(tls, part);
  const server = createHttpsServer(tlsServerOptions(tls), handler);
  if (tls.clientAuth === 'requested') {
    // 'requested' lets clients without a certificate in, but one that is sent must verify (as the broker does).
    server.on('secureConnection', (socket: TLSSocket) => {
      if (presentedUnverifiedCertificate(socket) !== null) socket.destroy();
    });
  }
  return server;
}

/** http(s)://host:port for a bound address; a wildcard address is shown as localhost. */
export function webUrl(tls: boolean, address: { host: string; port: number }): string {
  const host =
    address.host === '0.0.0.0' || address.host === '::' ? 'localhost' : address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${tls ? 'https' : 'http'}://${host}:${address.port}`;
}
