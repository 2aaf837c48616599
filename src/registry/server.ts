// The schema registry server: opens the store (ready only after replaying `_schemas`), then serves the
// Confluent REST API and, on the same port, the Glue API (POST / with X-Amz-Target: AWSGlue.*).

import { channel } from 'node:diagnostics_channel';
import { createServer } from 'node:http';
import { listen } from '../common/listen.ts';
import { createGlueHandler, isGlueRequest } from './glue/handler.ts';
import { createRestHandler } from './rest/handler.ts';
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
}

export interface Registry {
  readonly address: { host: string; port: number };
  /** Base URL for clients, e.g. http://127.0.0.1:8081. */
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
  const rest = createRestHandler(store, { ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}) });
  const glue = options.glue === false ? null : createGlueHandler({ backend: createGlueBackend(store), ...options.glue });
  const server = createServer((req, res) => {
    if (glue && isGlueRequest(req)) glue(req, res);
    else rest(req, res);
  });
  try {
    await listen(server, options.port ?? 8081, host);
  } catch (err) {
    await store.close();
    throw err;
  }
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error('registry server has no TCP address');
  const address = { host: bound.address, port: bound.port };
  const urlHost =
    address.host === '0.0.0.0' || address.host === '::' ? 'localhost' : address.host.includes(':') ? `[${address.host}]` : address.host;
  const url = `http://${urlHost}:${address.port}`;
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
