// A node:http server on an ephemeral port mounting the Glue handler over the in-memory backend, and
// the real AWS SDK Glue client pointed at it. Other requests get a 404, as the registry router would.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GlueClient } from '@aws-sdk/client-glue';
import { createGlueHandler, type GlueHandlerOptions, isGlueRequest } from '../../../src/registry/glue/handler.ts';
import { MemoryGlueBackend } from './memory-backend.ts';

export interface GlueHarness {
  backend: MemoryGlueBackend;
  client: GlueClient;
  url: string;
  close(): Promise<void>;
}

export async function startGlueHarness(options: Partial<GlueHandlerOptions> = {}): Promise<GlueHarness> {
  const backend = (options.backend as MemoryGlueBackend | undefined) ?? new MemoryGlueBackend();
  const glue = createGlueHandler({ ...options, backend });
  const server = createServer((req, res) => {
    if (isGlueRequest(req)) return glue(req, res);
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error_code":404,"message":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // One attempt: the SDK would otherwise retry InternalServiceException, hiding what the test asserts.
  const client = new GlueClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 1,
  });
  return {
    backend,
    client,
    url,
    async close() {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/** Posts a raw body with the given target, for what the SDK cannot send (bad JSON, unknown targets). */
export async function rawCall(
  url: string,
  target: string | undefined,
  body: string,
): Promise<{ status: number; headers: Headers; json: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
  if (target !== undefined) headers['x-amz-target'] = target;
  const res = await fetch(`${url}/`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}
