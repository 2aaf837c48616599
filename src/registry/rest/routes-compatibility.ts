// /compatibility: would this schema be accepted? Against one version, or (…/versions) against what
// a registration would be checked against; verbose=true adds Confluent's list of reasons.
import type { Verdict } from '../store/schema-rules.ts';
import { flag, parseVersion } from './params.ts';
import type { Route, RouteHandler } from './route.ts';

const answer = (verdict: Verdict, verbose: boolean) =>
  verbose ? { is_compatible: verdict.compatible, messages: [...verdict.messages] } : { is_compatible: verdict.compatible };

const check =
  (all: boolean): RouteHandler =>
  async ({ store, params, query, body }) => {
    const b = await body();
    const version = all ? 'all' : parseVersion(params.version!);
    return { body: answer(await store.testCompatibility(params.subject!, version, b.schema, b.schemaType), flag(query, 'verbose')) };
  };

export const compatibilityRoutes: Route[] = [
  { path: ['compatibility', 'subjects', ':subject', 'versions'], methods: { POST: check(true) } },
  { path: ['compatibility', 'subjects', ':subject', 'versions', ':version'], methods: { POST: check(false) } },
];
