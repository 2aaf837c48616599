// A stand-in for an OpenSearch domain with the security plugin and its Dashboards, built from
// their documented REST APIs: basic auth, index creation (400 resource_already_exists_exception
// the second time) and mappings, the saved-objects import, and the security plugin's roles and
// role mappings. It records every request.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  authorized: boolean;
  body: string;
  headers: IncomingMessage['headers'];
}

export interface FakeOpenSearch {
  url: string;
  requests: Recorded[];
  roles: Map<string, unknown>;
  roleMappings: Map<string, unknown>;
  close(): Promise<void>;
}

export async function startFakeOpenSearch(user: string, password: string): Promise<FakeOpenSearch> {
  const requests: Recorded[] = [];
  const indexes = new Map<string, { properties: unknown }>();
  const roles = new Map<string, unknown>();
  const roleMappings = new Map<string, unknown>();
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const authorized = req.headers.authorization === expected;
    requests.push({ method: req.method ?? '', path: url.pathname, authorized, body, headers: req.headers });
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (!authorized) return send(401, { error: 'Unauthorized', status: 401 });
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'POST' && url.pathname === '/api/saved_objects/_import') {
      if (req.headers['osd-xsrf'] !== 'true') return send(400, { message: 'Request must contain a osd-xsrf header.' });
      const objects = body.split('\n').filter((l) => l.startsWith('{"')).length;
      return send(200, { success: true, successCount: objects });
    }
    if (req.method === 'PUT' && parts[0] === '_plugins' && parts[3] === 'roles') {
      roles.set(parts[4]!, JSON.parse(body));
      return send(200, { status: 'OK', message: `'${parts[4]}' updated.` });
    }
    if (req.method === 'PUT' && parts[0] === '_plugins' && parts[3] === 'rolesmapping') {
      roleMappings.set(parts[4]!, JSON.parse(body));
      return send(200, { status: 'OK', message: `'${parts[4]}' updated.` });
    }
    if (req.method === 'PUT' && parts.length === 1 && !parts[0]!.startsWith('_')) {
      const index = parts[0]!;
      if (indexes.has(index))
        return send(400, { error: { type: 'resource_already_exists_exception', reason: `index [${index}] already exists` }, status: 400 });
      indexes.set(index, (JSON.parse(body) as { mappings: { properties: unknown } }).mappings);
      return send(200, { acknowledged: true, shards_acknowledged: true, index });
    }
    if (req.method === 'GET' && parts.length === 2 && parts[1] === '_mapping' && indexes.has(parts[0]!))
      return send(200, { [parts[0]!]: { mappings: indexes.get(parts[0]!) } });
    send(404, { error: { type: 'not_found', reason: `${req.method} ${url.pathname}` }, status: 404 });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    roles,
    roleMappings,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
