// /subjects: list, register (POST .../versions), look up (POST /subjects/{s}), read versions, and
// soft or permanent deletes of a version or a whole subject.
import type { SubjectVersion } from '../store/queries.ts';
import { flag, optionalInt, parseVersion } from './params.ts';
import type { Route } from './route.ts';

const versionBody = (v: SubjectVersion) => ({ subject: v.subject, version: v.version, id: v.id, schema: v.schema });

export const subjectRoutes: Route[] = [
  {
    path: ['subjects'],
    methods: {
      GET: async ({ store, query }) => ({ body: await store.listSubjects(flag(query, 'deleted'), query.get('subjectPrefix') ?? '') }),
    },
  },
  {
    path: ['subjects', ':subject'],
    methods: {
      POST: async ({ store, params, query, body }) => {
        const b = await body();
        return { body: versionBody(await store.lookup(params.subject!, b.schema, b.schemaType, flag(query, 'deleted'))) };
      },
      DELETE: async ({ store, params, query }) => ({ body: await store.deleteSubject(params.subject!, flag(query, 'permanent')) }),
    },
  },
  {
    path: ['subjects', ':subject', 'versions'],
    methods: {
      GET: async ({ store, params, query }) => ({ body: await store.listVersions(params.subject!, flag(query, 'deleted')) }),
      POST: async ({ store, params, query, body }) => {
        const b = await body();
        const id = optionalInt(b, 'id');
        const version = optionalInt(b, 'version');
        const result = await store.register(params.subject!, {
          schema: b.schema as string,
          schemaType: (b.schemaType as string | undefined | null) ?? 'AVRO',
          references: Array.isArray(b.references) ? b.references : [],
          normalize: flag(query, 'normalize'),
          // Confluent sends id -1 / version -1 meaning "not given".
          ...(id !== undefined && id >= 0 ? { id } : {}),
          ...(version !== undefined && version >= 0 ? { version } : {}),
        });
        return { body: { id: result.id } };
      },
    },
  },
  {
    path: ['subjects', ':subject', 'versions', ':version'],
    methods: {
      GET: async ({ store, params, query }) => ({
        body: versionBody(await store.getVersion(params.subject!, parseVersion(params.version!), flag(query, 'deleted'))),
      }),
      DELETE: async ({ store, params, query }) => ({
        body: await store.deleteVersion(params.subject!, parseVersion(params.version!), flag(query, 'permanent')),
      }),
    },
  },
  {
    path: ['subjects', ':subject', 'versions', ':version', 'schema'],
    methods: {
      GET: async ({ store, params, query }) => ({
        raw: (await store.getVersion(params.subject!, parseVersion(params.version!), flag(query, 'deleted'))).schema,
      }),
    },
  },
  {
    path: ['subjects', ':subject', 'versions', ':version', 'referencedby'],
    methods: {
      // Schema references are not supported, so nothing refers to anything; the version must exist.
      GET: async ({ store, params }) => {
        await store.getVersion(params.subject!, parseVersion(params.version!), true);
        return { body: [] };
      },
    },
  },
];
