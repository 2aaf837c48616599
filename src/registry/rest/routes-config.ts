// /config and /mode, global and per subject: compatibility level (defaultToGlobal on reads) and
// READWRITE / READONLY / IMPORT (force to enter IMPORT over existing schemas).
import { compatibilityOf, flag, modeOf } from './params.ts';
import type { Route } from './route.ts';

export const configRoutes: Route[] = [
  {
    path: ['config'],
    methods: {
      GET: async ({ store }) => ({ body: { compatibilityLevel: await store.getConfig(null) } }),
      PUT: async ({ store, body }) => ({
        body: { compatibility: (await store.setConfig(null, compatibilityOf(await body()))).compatibility },
      }),
      DELETE: async ({ store }) => ({ body: { compatibilityLevel: (await store.setConfig(null, null)).previous } }),
    },
  },
  {
    path: ['config', ':subject'],
    methods: {
      GET: async ({ store, params, query }) => ({
        body: { compatibilityLevel: await store.getConfig(params.subject!, flag(query, 'defaultToGlobal')) },
      }),
      PUT: async ({ store, params, body }) => ({
        body: { compatibility: (await store.setConfig(params.subject!, compatibilityOf(await body()))).compatibility },
      }),
      DELETE: async ({ store, params }) => ({ body: { compatibilityLevel: (await store.setConfig(params.subject!, null)).previous } }),
    },
  },
  {
    path: ['mode'],
    methods: {
      GET: async ({ store }) => ({ body: { mode: await store.getMode(null) } }),
      PUT: async ({ store, query, body }) => ({
        body: { mode: (await store.setMode(null, modeOf(await body()), flag(query, 'force'))).mode },
      }),
    },
  },
  {
    path: ['mode', ':subject'],
    methods: {
      GET: async ({ store, params, query }) => ({ body: { mode: await store.getMode(params.subject!, flag(query, 'defaultToGlobal')) } }),
      PUT: async ({ store, params, query, body }) => ({
        body: { mode: (await store.setMode(params.subject!, modeOf(await body()), flag(query, 'force'))).mode },
      }),
      DELETE: async ({ store, params }) => ({ body: { mode: (await store.setMode(params.subject!, null)).previous } }),
    },
  },
];
