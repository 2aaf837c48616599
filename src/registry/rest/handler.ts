// The Confluent Schema Registry REST API as one node:http handler: routes by path (405 for a known
// path with the wrong method, 404 for anything else), answers RegistryErrors in Confluent's shape,
// and reports every request on the `brook:registry:http` diagnostics channel.
import { channel } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RegistryError } from '../store/errors.ts';
import type { SchemaStore } from '../store/store.ts';
import { errorReply, type Reply, readJsonBody, send } from './http.ts';
import type { Method, Route } from './route.ts';
import { compatibilityRoutes } from './routes-compatibility.ts';
import { configRoutes } from './routes-config.ts';
import { schemaRoutes } from './routes-schemas.ts';
import { subjectRoutes } from './routes-subjects.ts';

const events = channel('brook:registry:http');

export const ROUTES: readonly Route[] = [...schemaRoutes, ...subjectRoutes, ...configRoutes, ...compatibilityRoutes];

export interface RestHandlerOptions {
  /** Largest request body, bytes (default 2 MiB: a schema of up to ~1 MB, JSON-escaped). */
  maxBodyBytes?: number;
}

export type RestHandler = (req: IncomingMessage, res: ServerResponse) => void;

function match(route: Route, segments: string[]): Record<string, string> | null {
  if (route.path.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const want = route.path[i]!;
    if (want.startsWith(':')) params[want.slice(1)] = segments[i]!;
    else if (want !== segments[i]) return null;
  }
  return params;
}

/** Splits before decoding, so a subject may hold an encoded `/` (%2F). */
function segmentsOf(pathname: string): string[] {
  const raw = pathname.split('/').filter((s) => s !== '');
  try {
    return raw.map((s) => decodeURIComponent(s));
  } catch {
    throw new RegistryError('BAD_REQUEST', `The path ${pathname} is not validly URL-encoded; encode subjects with encodeURIComponent`);
  }
}

export function createRestHandler(store: SchemaStore, options: RestHandlerOptions = {}): RestHandler {
  const maxBodyBytes = options.maxBodyBytes ?? 2 * 1024 * 1024;

  const route = async (req: IncomingMessage): Promise<Reply> => {
    const url = new URL(req.url ?? '/', 'http://registry');
    const segments = segmentsOf(url.pathname);
    const method = (req.method ?? 'GET').toUpperCase();
    let allowed: string[] | null = null;
    for (const r of ROUTES) {
      const params = match(r, segments);
      if (!params) continue;
      const handler = r.methods[method as Method];
      if (!handler) {
        allowed = Object.keys(r.methods);
        continue;
      }
      return handler({ store, params, query: url.searchParams, body: () => readJsonBody(req, maxBodyBytes) });
    }
    if (allowed) {
      const reply = errorReply(
        new RegistryError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${url.pathname}; use ${allowed.join(' or ')}`),
      );
      return { ...reply, headers: { allow: allowed.join(', ') } };
    }
    throw new RegistryError(
      'ROUTE_NOT_FOUND',
      `No such endpoint: ${method} ${url.pathname}. Brook serves the Confluent Schema Registry API (/subjects, /schemas, /config, /mode, /compatibility)`,
    );
  };

  return (req, res) => {
    const started = performance.now();
    let cause: unknown;
    const finish = (reply: Reply) => {
      // A refused body is answered before it is read in full: close rather than drain it.
      if (reply.status === 413) reply.headers = { ...reply.headers, connection: 'close' };
      if (!res.headersSent && !res.destroyed) send(res, reply);
      if (events.hasSubscribers) {
        const body = reply.body as { error_code?: number } | undefined;
        events.publish({
          method: req.method,
          url: req.url,
          status: reply.status ?? 200,
          errorCode: body?.error_code,
          durationMs: performance.now() - started,
          cause,
        });
      }
    };
    route(req).then(finish, (err: unknown) => {
      if (err instanceof RegistryError) {
        finish(errorReply(err));
        return;
      }
      cause = err;
      finish({
        status: 500,
        body: { error_code: 500, message: 'Internal error while serving this request; subscribe to brook:registry:http for the cause' },
      });
    });
  };
}
