// A tiny Confluent Schema Registry for the serde tests (node:http), following the documented REST
// shapes: {"schema": "..."} bodies, {"id": N}, {"error_code": 40403, "message": "..."}. It counts
// requests, can hold answers until released, and can inject 5xx answers, resets and hangs.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = { kind: 'status'; status: number; body: unknown } | { kind: 'drop' } | { kind: 'hang' };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakeConfluentRegistry {
  url: string;
  requests: RecordedRequest[];
  /** Requests whose method and path match. */
  count(method: string, pathPrefix: string): number;
  /** Adds a schema under an id without a subject (as if registered elsewhere). */
  addSchema(id: number, schema: string, schemaType?: string): void;
  /** The next requests get these faults, in order. */
  inject(...faults: Fault[]): void;
  /** Holds GET /schemas/ids answers until the returned function is called. */
  hold(): () => void;
  /** Resolves once this many requests have arrived in total. */
  received(n: number): Promise<void>;
  /** Answers 401 unless the request carries these basic-auth credentials. */
  requireAuth(username: string, password: string): void;
  close(): Promise<void>;
}

export async function startFakeConfluentRegistry(): Promise<FakeConfluentRegistry> {
  const schemas = new Map<number, { schema: string; schemaType?: string }>();
  const subjects = new Map<string, number[]>();
  const configs = new Map<string, string>();
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let gate: Promise<void> | undefined;
  let auth: string | undefined;
  let nextId = 1;

  const idOf = (schema: string): number | undefined => {
    const key = normalize(schema);
    for (const [id, s] of schemas) if (normalize(s.schema) === key) return id;
    return undefined;
  };

  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      void handle(req, res, body);
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    requests.push({ method, path, headers: req.headers, body });
    for (const w of waiters.filter((w) => requests.length >= w.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
      res.end(JSON.stringify(payload));
    };
    const fault = faults.shift();
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'status') return send(fault.status, fault.body);
    if (auth !== undefined && req.headers.authorization !== auth) {
      return send(401, { error_code: 401, message: 'Unauthorized' });
    }

    let m: RegExpExecArray | null;
    if (method === 'GET' && (m = /^\/schemas\/ids\/(\d+)$/.exec(path))) {
      if (gate) await gate;
      const s = schemas.get(Number(m[1]));
      if (!s) return send(404, { error_code: 40403, message: `Schema ${m[1]} not found` });
      return send(200, s.schemaType ? { schema: s.schema, schemaType: s.schemaType } : { schema: s.schema });
    }
    if (method === 'POST' && (m = /^\/subjects\/([^/]+)\/versions$/.exec(path))) {
      const subject = decodeURIComponent(m[1]!);
      const { schema } = JSON.parse(body) as { schema: string };
      try {
        JSON.parse(schema);
      } catch {
        return send(422, { error_code: 42201, message: 'Invalid schema' });
      }
      if (schema.includes('"incompatible"')) {
        return send(409, { error_code: 409, message: 'Schema being registered is incompatible with an earlier schema' });
      }
      let id = idOf(schema);
      if (id === undefined) {
        id = nextId++;
        schemas.set(id, { schema });
      }
      const versions = subjects.get(subject) ?? [];
      if (!versions.includes(id)) versions.push(id);
      subjects.set(subject, versions);
      return send(200, { id });
    }
    if (method === 'POST' && (m = /^\/subjects\/([^/]+)$/.exec(path))) {
      const subject = decodeURIComponent(m[1]!);
      const versions = subjects.get(subject);
      if (!versions) return send(404, { error_code: 40401, message: `Subject '${subject}' not found.` });
      const { schema } = JSON.parse(body) as { schema: string };
      const id = idOf(schema);
      if (id === undefined || !versions.includes(id)) return send(404, { error_code: 40403, message: 'Schema not found' });
      return send(200, { subject, id, version: versions.indexOf(id) + 1, schema: schemas.get(id)!.schema });
    }
    if ((m = /^\/config\/([^/]+)$/.exec(path))) {
      const subject = decodeURIComponent(m[1]!);
      if (method === 'PUT') {
        const { compatibility } = JSON.parse(body) as { compatibility: string };
        configs.set(subject, compatibility);
        return send(200, { compatibility });
      }
      const level = configs.get(subject);
      if (!level)
        return send(404, { error_code: 40408, message: `Subject '${subject}' does not have subject-level compatibility configured` });
      return send(200, { compatibilityLevel: level });
    }
    return send(404, { error_code: 404, message: 'HTTP 404 Not Found' });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (method, prefix) => requests.filter((r) => r.method === method && r.path.startsWith(prefix)).length,
    addSchema(id, schema, schemaType) {
      schemas.set(id, schemaType ? { schema, schemaType } : { schema });
      nextId = Math.max(nextId, id + 1);
    },
    inject: (...f) => {
      faults.push(...f);
    },
    hold() {
      let release!: () => void;
      gate = new Promise<void>((r) => {
        release = r;
      });
      return () => {
        gate = undefined;
        release();
      };
    },
    received: (n) =>
      requests.length >= n
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiters.push({ n, resolve });
          }),
    requireAuth(username, password) {
      auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function normalize(schema: string): string {
  try {
    return JSON.stringify(JSON.parse(schema));
  } catch {
    return schema;
  }
}
