// TLS for SSL and SASL_SSL listeners: server options from the listener's PEM files and
// `ssl.client.auth`, and the client certificate's subject as Kafka prints it (RFC 2253).

import { X509Certificate } from 'node:crypto';
import type { PeerCertificate, TLSSocket, TlsOptions } from 'node:tls';
import type { ListenerTls } from './listeners.ts';

export function tlsServerOptions(tls: ListenerTls): TlsOptions {
  const clientAuth = tls.clientAuth ?? 'none';
  return {
    cert: tls.cert,
    key: tls.key,
    ...(tls.ca ? { ca: tls.ca } : {}),
    minVersion: 'TLSv1.2',
    // 'requested' asks for a certificate but lets clients without one in; one that is sent must
    // still verify (checked after the handshake, as Java's wantClientAuth does).
    requestCert: clientAuth !== 'none',
    rejectUnauthorized: clientAuth === 'required',
  };
}

/**
 * The verified client certificate's subject DN in RFC 2253 order (most specific first, as Java's
 * X500Principal.getName() gives it: `CN=alice,OU=eng,O=Brook`), or null when there is none.
 */
export function peerSubjectDn(socket: TLSSocket): string | null {
  if (!socket.authorized) return null;
  const cert: PeerCertificate = socket.getPeerCertificate();
  if (!cert?.raw) return null;
  return subjectDnOf(new X509Certificate(cert.raw));
}

export function subjectDnOf(cert: X509Certificate): string {
  // Node prints the subject one attribute per line, in certificate order, values escaped per RFC 2253.
  return cert.subject.split('\n').filter(Boolean).reverse().join(',');
}

/** Whether a client sent a certificate that did not verify (refused on 'requested' listeners). */
export function presentedUnverifiedCertificate(socket: TLSSocket): string | null {
  if (socket.authorized) return null;
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return null;
  return String(socket.authorizationError ?? 'certificate not trusted');
}

/** OpenSSL's "4057...:error:0A0000C7:SSL routines:fn:peer did not return a certificate:file:line:" as its reason only. */
export function tlsErrorReason(err: Error): string {
  const m = /^[0-9A-Fa-f]+:error:[0-9A-Fa-f]+:[^:]*:[^:]*:([^:]+)/.exec(err.message.trim());
  return m ? (m[1] as string) : err.message.trim();
}
