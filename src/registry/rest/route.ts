// What a route handler receives and returns: decoded path parameters, the query, the body on demand.
import type { SchemaStore } from '../store/store.ts';
import type { Reply } from './http.ts';

export interface RouteContext {
  store: SchemaStore;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The JSON object body (read on demand, so GETs never wait for one). */
  body(): Promise<Record<string, unknown>>;
}

export type RouteHandler = (ctx: RouteContext) => Promise<Reply>;

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Route {
  /** Path segments; `:name` captures one (URL-decoded) segment. */
  path: readonly string[];
  methods: Partial<Record<Method, RouteHandler>>;
}
