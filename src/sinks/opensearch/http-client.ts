// A small HTTP(S) client for the OpenSearch and OpenSearch Dashboards REST APIs: keep-alive
// connections, a custom CA, auth on every request, a timeout, a Content-Length on every body
// (OpenSearch parses _bulk best unchunked), and no exception for HTTP error statuses: callers decide.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { getCACertificates } from 'node:tls';
import { createSigner, describeAuth, type OpenSearchAuth, type Signer } from './auth.ts';
import { OpenSearchError } from './errors.ts';

export interface OpenSearchConnectionOptions {
  /** http(s)://host:port[/base-path]; user:password in the URL means basic auth. */
  url: string;
  auth?: OpenSearchAuth;
  /** PEM CA certificate(s) to trust on top of the public roots (a private or self-signed cluster). */
  ca?: string | Buffer;
  /** The same, read from a file. */
  caFile?: string;
  /** Per request. Default 30 s. */
  requestTimeoutMs?: number;
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export interface RequestOptions {
  query?: Record<string, string>;
  /** A JSON value (sent as application/json) or raw bytes/text with `contentType`. */
  json?: unknown;
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

const TLS_CODES = /^(ERR_TLS_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET|VERIFY)|ERR_SSL_)/;

export class OpenSearchHttp {
  readonly url: URL;
  /** The URL without credentials, for messages. */
  readonly display: string;
  readonly #basePath: string;
  readonly #agent: http.Agent;
  readonly #timeoutMs: number;
  readonly #auth: OpenSearchAuth | undefined;
  #signer: Promise<Signer> | undefined;

  constructor(opts: OpenSearchConnectionOptions) {
    let url: URL;
    try {
      url = new URL(opts.url);
    } catch {
      throw new OpenSearchError('CONFIG', `'${opts.url}' is not a URL; give http(s)://host:port`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new OpenSearchError('CONFIG', `'${opts.url}' must start with http:// or https://`);
    this.#auth =
      opts.auth ??
      (url.username !== ''
        ? { type: 'basic', username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
        : undefined);
    url.username = '';
    url.password = '';
    this.url = url;
    this.display = url.origin + url.pathname.replace(/\/+$/, '');
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#timeoutMs = opts.requestTimeoutMs ?? 30_000;
    const ca = opts.ca ?? (opts.caFile === undefined ? undefined : readCa(opts.caFile));
    this.#agent =
      url.protocol === 'https:'
        ? // Node's default trust (bundled roots plus NODE_EXTRA_CA_CERTS) and the custom CA, not the custom CA alone.
          new https.Agent({ keepAlive: true, ...(ca === undefined ? {} : { ca: [...getCACertificates('default'), ca.toString()] }) })
        : new http.Agent({ keepAlive: true });
  }

  get authDescription(): string {
    return describeAuth(this.#auth);
  }

  /** One request; throws only when no HTTP answer came (network, TLS, timeout, signing). */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<HttpResult> {
    const body =
      opts.json !== undefined ? Buffer.from(JSON.stringify(opts.json)) : opts.body === undefined ? undefined : Buffer.from(opts.body);
    const fullPath = `${this.#basePath}${path}`;
    const query = opts.query ?? {};
    const qs = new URLSearchParams(query).toString();
    const headers: Record<string, string> = {
      host: this.url.host,
      accept: 'application/json',
      ...(body === undefined
        ? {}
        : { 'content-type': opts.json !== undefined ? 'application/json' : (opts.contentType ?? 'application/json') }),
      ...(body === undefined ? {} : { 'content-length': String(body.length) }),
      ...opts.headers,
    };
    this.#signer ??= createSigner(this.#auth);
    const signed = await (await this.#signer)({ method, url: this.url, path: fullPath, query, headers, body });
    const transport = this.url.protocol === 'https:' ? https : http;
    return new Promise<HttpResult>((resolve, reject) => {
      const req = transport.request(
        {
          protocol: this.url.protocol,
          hostname: this.url.hostname,
          port: this.url.port === '' ? undefined : Number(this.url.port),
          method,
          path: qs === '' ? fullPath : `${fullPath}?${qs}`,
          headers: signed,
          agent: this.#agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => reject(this.#networkError(method, fullPath, err)));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.setTimeout(this.#timeoutMs, () => req.destroy(new Error(`no answer within ${this.#timeoutMs} ms`)));
      req.on('error', (err) => reject(this.#networkError(method, fullPath, err)));
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }

  #networkError(method: string, path: string, err: Error): OpenSearchError {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && TLS_CODES.test(code)) {
      return new OpenSearchError(
        'TLS',
        `TLS to ${this.display} failed (${code}: ${err.message}): pass the cluster's CA certificate with --ca FILE`,
        { cause: err },
      );
    }
    return new OpenSearchError('UNREACHABLE', `${method} ${this.display}${path.slice(this.#basePath.length)} failed: ${err.message}`, {
      retriable: true,
      cause: err,
    });
  }
}

function readCa(file: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (err) {
    throw new OpenSearchError('CONFIG', `cannot read the CA file '${file}': ${(err as Error).message}`);
  }
  if (!pem.toString('latin1').includes('-----BEGIN CERTIFICATE-----'))
    throw new OpenSearchError('CONFIG', `the CA file '${file}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return pem;
}
