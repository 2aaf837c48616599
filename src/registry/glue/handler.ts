// The AWS JSON 1.1 transport for the Glue operations, as a node:http handler the registry server
// mounts beside the Confluent REST API: a POST with `X-Amz-Target: AWSGlue.<Operation>`.

import { randomUUID } from 'node:crypto';
import { channel } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BrookError } from '../../common/errors.ts';
import type { GlueBackend } from './backend.ts';
import { GlueError } from './errors.ts';
import { dispatchGlue, errorReply, type GlueReply } from './service.ts';

const events = channel('brook:registry:glue');

const TARGET_PREFIX = 'AWSGlue.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

export interface GlueHandlerOptions {
  backend: GlueBackend;
  /** Region written into ARNs. */
  region?: string;
  /** Account id written into ARNs. */
  accountId?: string;
  /**
   * Largest request body accepted. A SchemaDefinition may be 170,000 characters, and JSON escaping
   * can make each six bytes long, hence the 2 MiB default.
   */
  maxBodyBytes?: number;
}

export type GlueHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * True for a request the Glue handler should serve; the server's router asks this first. The target
 * header decides, not the path: the SDK posts to its endpoint's path plus `/` (an endpoint of
 * `http://host:8081/glue` posts to `/glue/`), and Confluent REST clients never send X-Amz-Target.
 */
export function isGlueRequest(req: IncomingMessage): boolean {
  const target = req.headers['x-amz-target'];
  return req.method === 'POST' && typeof target === 'string' && target.startsWith(TARGET_PREFIX);
}

type Body = { ok: true; bytes: Buffer } | { ok: false };

function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      resolve({ ok: false });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop buffering; the reply closes the connection, so the rest is never read.
        req.off('data', onData);
        req.off('end', onEnd);
        resolve({ ok: false });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve({ ok: true, bytes: Buffer.concat(chunks, size) });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

function parseBody(bytes: Buffer): unknown {
  const text = bytes.toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new GlueError('SerializationException', `The request body is not valid JSON: ${(err as Error).message}`);
  }
}

function send(res: ServerResponse, reply: GlueReply, close: boolean): void {
  const payload = JSON.stringify(reply.body);
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
  };
  if (reply.errorType) headers['x-amzn-errortype'] = reply.errorType;
  if (close) headers.connection = 'close';
  res.writeHead(reply.status, headers);
  res.end(payload);
}

export function createGlueHandler(options: GlueHandlerOptions): GlueHandler {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const maxBodyBytes = options.maxBodyBytes ?? 2 * 1024 * 1024;
  if (!/^[a-z0-9-]+$/.test(region)) {
    throw new BrookError('GLUE_CONFIG', `region '${region}' must be lowercase letters, digits and hyphens, like us-east-1`);
  }
  if (!/^\d{12}$/.test(accountId)) {
    throw new BrookError('GLUE_CONFIG', `accountId '${accountId}' must be 12 digits, like 000000000000`);
  }
  const ctx = { backend: options.backend, scope: { region, accountId } };

  // The Authorization header (AWS4-HMAC-SHA256 ...) is accepted and not verified: signature
  // verification, and mapping the access key to a principal, come with the security issue.
  return (req, res) => {
    const started = performance.now();
    const target = req.headers['x-amz-target'];
    const operation = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
    // Subscribers to `brook:registry:glue` see every call, and the cause behind an InternalServiceException.
    const finish = (reply: GlueReply, close = false) => {
      if (!res.headersSent && !res.destroyed) send(res, reply, close);
      if (events.hasSubscribers) {
        events.publish({
          operation,
          status: reply.status,
          errorType: reply.errorType,
          durationMs: performance.now() - started,
          cause: reply.cause,
        });
      }
    };
    const serve = async () => {
      const body = await readBody(req, maxBodyBytes);
      if (!body.ok) {
        finish(errorReply(new GlueError('RequestEntityTooLargeException', `The request body exceeds ${maxBodyBytes} bytes`)), true);
        return;
      }
      if (req.method !== 'POST' || operation === undefined) {
        const got = typeof target === 'string' ? `'${target}'` : 'none';
        finish(
          errorReply(
            new GlueError(
              'UnknownOperationException',
              `Glue requests are a POST with X-Amz-Target: AWSGlue.<Operation>; got ${req.method} with ${got}`,
            ),
          ),
        );
        return;
      }
      let parsed: unknown;
      try {
        parsed = parseBody(body.bytes);
      } catch (err) {
        finish(errorReply(err));
        return;
      }
      finish(await dispatchGlue(ctx, operation, parsed));
    };
    serve().catch((err: unknown) => finish(errorReply(err), true));
  };
}
