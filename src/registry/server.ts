// The schema registry server: opens the store (ready only after replaying `_schemas`), then serves the
// Confluent REST API and, on the same port, the Glue API (POST / with X-Amz-Target: AWSGlue.*);
// over HTTPS with `tls`, and with `auth` only to users of the users file, by role.

import { channel } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen } from '../common/listen.ts';
import { type AuthDecision, HttpAuthenticator } from '../security/http-auth.ts';
import { createWebServer, type WebTls, webUrl } from '../security/http-server.ts';
import { glueRoleFor, restRoleFor } from './access.ts';
import { createGlueHandler, isGlueRequest } from './glue/handler.ts';
import { createRestHandler } from './rest/handler.ts';
import { send } from './rest/http.ts';
import { createGlueBackend } from './store/glue-backend.ts';
import { SchemaStore, type SchemaStoreOptions } from './store/store.ts';

const events = channel('brook:registry');

export interface StartRegistryOptions {
  /** Kafka bootstrap servers, `host:port[,host:port]`. */
  bootstrap: string | string[];
  /** Default 8081 (Confluent's); 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default `_schemas`. */
  topic?: string;
  /** Replication factor of `_schemas` when the registry creates it (default 1; 3 on Kafka/MSK). */
  replicationFactor?: number;
  signal?: AbortSignal;
  /** Largest request body, bytes (default 2 MiB). */
  maxBodyBytes?: number;
  /** The Glue API's ARN scope, or false to serve the Confluent API only. */
  glue?: false | { region?: string; accountId?: string };
  /** Timeouts, staleness and Kafka client options of the store. */
  store?: Omit<SchemaStoreOptions, 'bootstrap' | 'topic' | 'replicationFactor'>;
  /** Serve HTTPS: the broker listener's TLS shape, `{ cert, key, ca?, clientAuth? }` (PEM). */
  tls?: WebTls;
  /**
   * Let in only the users of this file (brook web-users), by HTTP basic auth or a client certificate:
   * read-only may read, look up and test compatibility; writes, config, mode and deletes need admin.
   * Without it the registry is open, as Confluent's is by default.
   */
  auth?: { usersFile: string };
}

export interface Registry {
  readonly address: { host: string; port: number };
  /** Base URL for clients, e.g. http://127.0.0.1:8081 (https with `tls`). */
  readonly url: string;
  readonly store: SchemaStore;
  close(): Promise<void>;
}

export async function startRegistry(options: StartRegistryOptions): Promise<Registry> {
  const host = options.host ?? '127.0.0.1';
  const store = await SchemaStore.open({
    ...options.store,
    bootstrap: options.bootstrap,
    topic: options.topic ?? '_schemas',
    replicationFactor: options.replicationFactor ?? 1,
  });
  let server: ReturnType<typeof createWebServer>;
  try {
    const rest = createRestHandler(store, { ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}) });
    const glue = options.glue === false ? null : createGlueHandler({ backend: createGlueBackend(store), ...options.glue });
    const serve = (req: IncomingMessage, res: ServerResponse) => {
      if (glue && isGlueRequest(req)) glue(req, res);
      else rest(req, res);
    };
    const auth = options.auth ? new HttpAuthenticator({ usersFile: options.auth.usersFile, realm: 'brook-registry' }) : null;
    const guarded =
      auth === null
        ? serve
        : (req: IncomingMessage, res: ServerResponse) => {
            const glueCall = glue !== null && isGlueRequest(req);
            const needed = glueCall ? glueRoleFor(req) : restRoleFor(req.method ?? 'GET', pathnameOf(req.url));
            auth.authorize(req, needed).then(
              (d) => (d.ok ? serve(req, res) : refuse(res, d, glueCall, auth.challenge)),
              (err: unknown) => refuse(res, { ok: false, status: 503, message: (err as Error).message }, glueCall, auth.challenge),
            );
          };
    server = createWebServer(guarded, options.tls, 'registry');
    await listen(server, options.port ?? 8081, host);
  } catch (err) {
    await store.close();
    throw err;
  }
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error('registry server has no TCP address');
  const address = { host: bound.address, port: bound.port };
  const url = webUrl(options.tls !== undefined, address);
  events.publish({ type: 'registry-started', url, topic: store.topic });

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Requests in flight get a moment to finish; keep-alive connections then go.
      const force = setTimeout(() => server.closeAllConnections(), 2000);
      await stopped;
      clearTimeout(force);
      await store.close();
      events.publish({ type: 'registry-stopped', url });
    })();
    return closing;
  };
  if (options.signal?.aborted) void close();
  else options.signal?.addEventListener('abort', () => void close(), { once: true });
  return { address, url, store, close };
}

/** 401 (with the challenge) or 403 in Confluent's error shape, or in Glue's for a Glue call. */
function refuse(res: ServerResponse, d: AuthDecision & { ok: false }, glueCall: boolean, challenge: string): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = d.status === 401 ? { 'www-authenticate': challenge } : {};
  if (glueCall) {
    const type = d.status === 401 ? 'UnrecognizedClientException' : d.status === 403 ? 'AccessDeniedException' : 'InternalServiceException';
    const body = JSON.stringify({ __type: type, Message: d.message });
    res.writeHead(d.status, { ...headers, 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
    res.end(body);
    return;
  }
  // Confluent's codes: 40101 unauthorized, 40301 forbidden.
  send(res, { status: d.status, body: { error_code: d.status * 100 + 1, message: d.message }, headers });
}

/** The request's path; one that does not parse needs admin like any unknown request (the router then answers it). */
function pathnameOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://registry').pathname;
  } catch {
    return '/?';
  }
}
