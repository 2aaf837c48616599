// The dashboard server: the JSON API (/api/...), live updates by server-sent events (a `commit`
// event per store commit, a `pipeline` snapshot every 2 s while a page is open) and the web page;
// over HTTPS with `tls`, and with `auth` only to users of the users file.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen } from '../common/listen.ts';
import { RESULT_TABLES, type ResultTable } from '../jobs/clickstream/rows.ts';
import type { KafkaConnectionOptions } from '../processor/kafka/retry.ts';
import type { JobMetrics } from '../processor/metrics.ts';
import { HttpAuthenticator } from '../security/http-auth.ts';
import type { HttpClientTls } from '../security/http-client.ts';
import { checkWebTls, createWebServer, type WebTls, webUrl } from '../security/http-server.ts';
import type { AnalyticsStore, CommitInfo } from '../sinks/duckdb/analytics-store.types.ts';
import { allCharts, chartAnswer } from './charts-api.ts';
import { EventHub } from './events.ts';
import { maxCheckpointAgeOf, processorHealth, startupGraceOf } from './health.ts';
import { HttpError, sendError, sendJson, sendRefusal } from './http.ts';
import { PipelineMonitor } from './pipeline.ts';
import { parseRange } from './range.ts';
import { RegistryReader } from './schemas.ts';
import { StaticFiles } from './static.ts';

export interface DashboardOptions {
  /** 0 picks a free port (tests); the CLI's default is 8080. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  store: AnalyticsStore;
  kafka: { bootstrap: string[]; connection?: KafkaConnectionOptions };
  /** Confluent REST URL of the schema registry (`user:password@` becomes basic auth); without it the Schemas view says how to set one. */
  registryUrl?: string;
  /** Trust a private CA (`ca`) or present a client certificate (`cert`, `key`) to an HTTPS registry. */
  registryTls?: HttpClientTls;
  /** Serve HTTPS: the broker listener's TLS shape, `{ cert, key, ca?, clientAuth? }` (PEM). */
  tls?: WebTls;
  /**
   * Let in only the users of this file (brook web-users), by HTTP basic auth or a client certificate.
   * Both roles may view everything; any request that is not GET or HEAD needs admin. Without it the dashboard is open.
   */
  auth?: { usersFile: string };
  /** The processor's metrics when it runs in this process (`brook up`). */
  processor?: () => JobMetrics | undefined;
  signal?: AbortSignal;
  /** Period of the pipeline snapshots pushed to open pages. Default 2000 ms. */
  pipelineEveryMs?: number;
}

export interface Dashboard {
  readonly address: { host: string; port: number };
  /** The page's URL, e.g. http://127.0.0.1:8080/. */
  readonly url: string;
  close(): Promise<void>;
}

export const API_ENDPOINTS = [
  'GET /api/charts?last=15m | from=&to= [&bucketMs=]',
  'GET /api/charts/:id?last=15m | from=&to= [&bucketMs=]',
  'GET /api/pipeline',
  'GET /api/health[?maxCheckpointAge=300&startupGrace=120] (200 or 503; needs no login)',
  'GET /api/schemas',
  'GET /api/schemas/:subject/versions/:version',
  'GET /api/store',
  'GET /api/store/:table/latest?limit=20',
  'GET /api/events (text/event-stream)',
];

function segments(pathname: string): string[] {
  try {
    return pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
  } catch {
    throw new HttpError(400, 'bad_path', `the path '${pathname}' is not valid percent-encoding`);
  }
}

function limitOf(query: URLSearchParams): number {
  const raw = query.get('limit') ?? '20';
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 1000)
    throw new HttpError(400, 'bad_limit', `limit must be a whole number from 1 to 1000, got '${raw}'`);
  return n;
}

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  const { store } = options;
  // First, before anything holds resources: a missing users file or bad TLS settings stop the start.
  if (options.tls) checkWebTls(options.tls, 'dashboard');
  const auth = options.auth ? new HttpAuthenticator({ usersFile: options.auth.usersFile, realm: 'brook-dashboard' }) : null;
  const files = new StaticFiles();
  const pipeline = new PipelineMonitor({
    bootstrap: options.kafka.bootstrap,
    ...(options.kafka.connection ? { connection: options.kafka.connection } : {}),
    ...(options.processor ? { processor: options.processor } : {}),
  });
  const registry = options.registryUrl
    ? new RegistryReader(options.registryUrl, options.registryTls ? { tls: options.registryTls } : {})
    : undefined;

  let pushTimer: NodeJS.Timeout | undefined;
  const pushPipeline = () => {
    pipeline.snapshot().then(
      (snap) => hub.send('pipeline', snap),
      () => undefined,
    );
  };
  // Snapshots cost the broker a few requests: taken only while someone watches.
  const hub = new EventHub((clients) => {
    if (clients > 0 && pushTimer === undefined) {
      pushTimer = setInterval(pushPipeline, options.pipelineEveryMs ?? 2000);
      pushTimer.unref();
    } else if (clients === 0 && pushTimer !== undefined) {
      clearInterval(pushTimer);
      pushTimer = undefined;
    }
  });
  const unsubscribe = store.onCommit((info: CommitInfo) => {
    hub.send('commit', { at: Date.now(), tables: info.tables, rows: info.rows, maxWindowEnd: info.maxWindowEnd });
  });

  const api = async (req: IncomingMessage, res: ServerResponse, parts: string[], query: URLSearchParams): Promise<void> => {
    const head = req.method === 'HEAD';
    const [, what, a, b, c] = parts;
    if (what === undefined) return sendJson(res, 200, { endpoints: API_ENDPOINTS }, head);
    if (what === 'charts' && b === undefined) {
      const range = parseRange(query, Date.now());
      return sendJson(res, 200, a === undefined ? await allCharts(store, range) : await chartAnswer(store, a, range), head);
    }
    if (what === 'pipeline' && a === undefined) return sendJson(res, 200, await pipeline.snapshot(), head);
    if (what === 'health' && a === undefined) {
      const maxAge = maxCheckpointAgeOf(query);
      const now = Date.now();
      let health = processorHealth(options.processor?.(), now, maxAge, startupGraceOf(query));
      if (health.healthy) {
        // The store must answer too: a locked or broken file is not healthy.
        health = await store.stats().then(
          () => health,
          (err: unknown) => ({ healthy: false, reason: `the analytics store does not answer: ${(err as Error).message}`, at: now }),
        );
      }
      return sendJson(res, health.healthy ? 200 : 503, health, head);
    }
    if (what === 'schemas') {
      if (!registry) throw new HttpError(503, 'no_registry', 'no schema registry is configured: start the dashboard with --registry URL');
      if (a === undefined) return sendJson(res, 200, await registry.snapshot(), head);
      if (b === undefined) return sendJson(res, 200, await registry.schema(a, 'latest'), head);
      if (b === 'versions' && c !== undefined && parts.length === 5) return sendJson(res, 200, await registry.schema(a, c), head);
    }
    if (what === 'store') {
      if (a === undefined) {
        const tables = await store.stats();
        const ends = tables.map((t) => t.maxWindowEnd).filter((x): x is number => x !== null);
        return sendJson(
          res,
          200,
          { path: store.path, rows: tables.reduce((n, t) => n + t.rows, 0), maxWindowEnd: ends.length ? Math.max(...ends) : null, tables },
          head,
        );
      }
      if (b === 'latest' && c === undefined) {
        if (!(RESULT_TABLES as readonly string[]).includes(a)) {
          throw new HttpError(404, 'unknown_table', `no table '${a}': the tables are ${RESULT_TABLES.join(', ')}`);
        }
        return sendJson(res, 200, { table: a, rows: await store.latest(a as ResultTable, limitOf(query)) }, head);
      }
    }
    if (what === 'events' && a === undefined) {
      hub.accept(res, { event: 'hello', data: { at: Date.now() } });
      pushPipeline();
      return;
    }
    throw new HttpError(404, 'not_found', `no API endpoint ${req.method} ${parts.join('/')}: see GET /api for the list`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Health probes (load balancers, container checks) carry no login; the answer says only healthy or not, and why.
    const probe = (req.method === 'GET' || req.method === 'HEAD') && new URL(req.url ?? '/', 'http://dashboard').pathname === '/api/health';
    if (auth && !probe) {
      // Viewing is read-only; a state-changing request (none today) would need admin.
      const needed = req.method === 'GET' || req.method === 'HEAD' ? 'read-only' : 'admin';
      const d = await auth.authorize(req, needed);
      if (!d.ok) return sendRefusal(res, d.status, d.message, d.status === 401 ? auth.challenge : undefined, req.method === 'HEAD');
    }
    const url = new URL(req.url ?? '/', 'http://dashboard');
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      throw new HttpError(405, 'method_not_allowed', `${req.method} is not supported: the dashboard only answers GET and HEAD`);
    }
    if (isApi) return api(req, res, segments(url.pathname), url.searchParams);
    if (files.serve(req, res, url.pathname)) return;
    throw new HttpError(404, 'not_found', `no page at ${url.pathname}: the dashboard is at /`);
  };

  const server = createWebServer(
    (req, res) => {
      handle(req, res).catch((err: unknown) => {
        // The client may be gone, or the answer half-written: then only closing is left.
        if (res.headersSent) res.destroy();
        else sendError(res, err, req.method === 'HEAD');
      });
    },
    options.tls,
    'dashboard',
  );
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  await listen(server, options.port, host);
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error('dashboard server has no TCP address');
  const address = { host: bound.address, port: bound.port };
  const url = `${webUrl(options.tls !== undefined, address)}/`;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      unsubscribe();
      if (pushTimer) clearInterval(pushTimer);
      hub.close();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 1000);
      await stopped;
      clearTimeout(force);
      await pipeline.close();
    })();
    return closing;
  };
  if (options.signal?.aborted) void close();
  else options.signal?.addEventListener('abort', () => void close(), { once: true });
  return { address, url, close };
}
