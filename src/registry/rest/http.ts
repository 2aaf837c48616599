// HTTP plumbing of the Confluent REST API: request bodies (content types Confluent accepts, a size
// limit, JSON), and replies in `application/vnd.schemaregistry.v1+json` with Confluent's error shape.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RegistryError } from '../store/errors.ts';

export const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** What Confluent's REST layer consumes: its own types, plain JSON, and (for old clients) octet-stream. */
const ACCEPTED_BODY_TYPES = new Set([
  'application/vnd.schemaregistry.v1+json',
  'application/vnd.schemaregistry+json',
  'application/json',
  'application/octet-stream',
]);

export interface Reply {
  status?: number;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (the `/schema` endpoints answer the bare schema text). */
  raw?: string;
  headers?: Record<string, string>;
}

/** Reads a JSON object body; an absent body reads as {} (the handler then names what is missing). */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const type = (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (type !== '' && !ACCEPTED_BODY_TYPES.has(type)) {
    throw new RegistryError('UNSUPPORTED_MEDIA_TYPE', `Content type '${type}' is not accepted; send ${CONTENT_TYPE} or application/json`);
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks, size).toString('utf8').trim();
  if (text === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new RegistryError('BAD_REQUEST', `The request body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RegistryError('BAD_REQUEST', 'The request body must be a JSON object, like {"schema": "..."}');
  }
  return body as Record<string, unknown>;
}

function tooLarge(limit: number): RegistryError {
  return new RegistryError('PAYLOAD_TOO_LARGE', `The request body exceeds ${limit} bytes; send a smaller schema`);
}

export function send(res: ServerResponse, reply: Reply): void {
  const payload = reply.raw ?? JSON.stringify(reply.body ?? {});
  res.writeHead(reply.status ?? 200, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(payload),
    ...reply.headers,
  });
  res.end(payload);
}

/** Confluent's error body: {"error_code": 40401, "message": "..."}. */
export function errorReply(err: RegistryError): Reply {
  return { status: err.httpStatus, body: { error_code: err.errorCode, message: err.message } };
}
