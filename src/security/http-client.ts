// A `fetch` for HTTPS servers with a private CA or mutual TLS: the global fetch trusts only the
// system roots and cannot present a client certificate, so this one goes through node:https with
// its own agent. Also: basic auth credentials taken out of a URL (fetch refuses such URLs).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

export interface HttpClientTls {
  /** PEM CA certificate(s) to trust instead of the system roots (e.g. the Brook CA). */
  ca?: string | Buffer;
  /** PEM client certificate and key, for a server that asks for one (mutual TLS). */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Passphrase of an encrypted key. */
  passphrase?: string;
}

export type TlsFetch = typeof fetch & {
  /** Closes the agent's idle connections. */
  close(): void;
};

// Statuses whose response has no body: the Response constructor refuses one.
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function headersOf(res: IncomingMessage): Headers {
  const h = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) h.append(name, v);
  }
  return h;
}

/**
 * The subset of fetch Brook's HTTP clients use (method, headers, a string or bytes body, a signal)
 * with the given TLS settings. Errors look like fetch's: a TypeError whose `cause` is the socket error.
 */
export function createTlsFetch(tls: HttpClientTls): TlsFetch {
  const agent = new Agent({
    keepAlive: true,
    ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
    ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
    ...(tls.key !== undefined ? { key: tls.key } : {}),
    ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
  });
  const tlsFetch = (async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const headers: Record<string, string> = {};
    new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined)).forEach((v, k) => {
      headers[k] = v;
    });
    const body = init.body;
    if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
      throw new TypeError('this fetch sends string or byte bodies only');
    }
    const signal = init.signal ?? undefined;
    signal?.throwIfAborted();
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Response>((resolve, reject) => {
      const req = send(url, { method, headers, ...(url.protocol === 'https:' ? { agent } : {}), ...(signal ? { signal } : {}) }, (res) => {
        const status = res.statusCode ?? 0;
        const stream = NULL_BODY.has(status) || method === 'HEAD' ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        if (stream === null) res.resume();
        resolve(new Response(stream, { status, statusText: res.statusMessage ?? '', headers: headersOf(res) }));
      });
      req.on('error', (err) => reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: err })));
      req.end(body ?? undefined);
    });
  }) as TlsFetch;
  tlsFetch.close = () => agent.destroy();
  return tlsFetch;
}

/** Splits `https://user:pass@host/` into the URL without credentials and an Authorization value. */
export function credentialsOutOfUrl(raw: string): { url: string; authorization: string | undefined } {
  const url = new URL(raw);
  if (url.username === '' && url.password === '') return { url: url.href.replace(/\/+$/, ''), authorization: undefined };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return { url: url.href.replace(/\/+$/, ''), authorization: basicAuthorization(user, password) };
}

export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}
