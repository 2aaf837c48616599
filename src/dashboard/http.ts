// JSON replies and errors for the dashboard's HTTP API: one error shape ({ error, message }) for
// every failure, and bigint-safe serialization (Kafka offsets are bigints in the client).
import type { ServerResponse } from 'node:http';

export class HttpError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Offsets stay far below 2^53 in practice; JSON has no bigint. */
export function toJson(body: unknown): string {
  return JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
}

export function sendJson(res: ServerResponse, status: number, body: unknown, head = false): void {
  const text = toJson(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    // Live data: a cached answer is a wrong answer.
    'cache-control': 'no-store',
  });
  res.end(head ? undefined : text);
}

export function sendError(res: ServerResponse, err: unknown, head = false): void {
  const e =
    err instanceof HttpError ? err : new HttpError(500, 'internal', `the dashboard failed to answer: ${(err as Error)?.message ?? err}`);
  sendJson(res, e.status, { error: e.code, message: e.message }, head);
}

/** 401 (with the `WWW-Authenticate` challenge, so a browser asks for a login) or 403, in the API's error shape. */
export function sendRefusal(res: ServerResponse, status: number, message: string, challenge: string | undefined, head = false): void {
  if (challenge) res.setHeader('www-authenticate', challenge);
  const code = status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : 'unavailable';
  sendJson(res, status, { error: code, message }, head);
}
