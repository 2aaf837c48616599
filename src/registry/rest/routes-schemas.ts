// /schemas: by global id (the deserializer's lookup), the subjects and versions using an id, the
// list of every schema, and the schema types this registry accepts.
import { SUPPORTED_SCHEMA_TYPES } from '../store/schema-rules.ts';
import { flag, parseId } from './params.ts';
import type { Route } from './route.ts';

export const schemaRoutes: Route[] = [
  { path: [], methods: { GET: async () => ({ body: {} }) } },
  { path: ['schemas', 'types'], methods: { GET: async () => ({ body: [...SUPPORTED_SCHEMA_TYPES] }) } },
  {
    path: ['schemas'],
    methods: {
      GET: async ({ store, query }) => {
        const list = await store.listSchemas({
          subjectPrefix: query.get('subjectPrefix') ?? '',
          deleted: flag(query, 'deleted'),
          latestOnly: flag(query, 'latestOnly'),
        });
        return { body: list.map((v) => ({ subject: v.subject, version: v.version, id: v.id, schema: v.schema })) };
      },
    },
  },
  {
    path: ['schemas', 'ids', ':id'],
    // Confluent leaves schemaType out for AVRO, and references out when there are none.
    methods: { GET: async ({ store, params }) => ({ body: { schema: (await store.getSchemaById(parseId(params.id!))).schema } }) },
  },
  {
    path: ['schemas', 'ids', ':id', 'schema'],
    methods: { GET: async ({ store, params }) => ({ raw: (await store.getSchemaById(parseId(params.id!))).schema }) },
  },
  {
    path: ['schemas', 'ids', ':id', 'subjects'],
    methods: {
      GET: async ({ store, params, query }) => ({ body: await store.subjectsForId(parseId(params.id!), flag(query, 'deleted')) }),
    },
  },
  {
    path: ['schemas', 'ids', ':id', 'versions'],
    methods: {
      GET: async ({ store, params, query }) => ({ body: await store.versionsForId(parseId(params.id!), flag(query, 'deleted')) }),
    },
  },
];
