// The _bulk wire format, sans IO: the NDJSON request (an `index` action line, then the document,
// each ending in a newline, the last one too) and the per-item outcome of a response, in order.
import { OpenSearchError } from './errors.ts';
import { isRetriableStatus } from './retry.ts';

export interface BulkAction {
  index: string;
  /** The deterministic row id: indexing it again replaces the document (an upsert). */
  id: string;
  /** The document as JSON. */
  source: string;
}

export type ItemOutcome = { ok: true } | { ok: false; retriable: boolean; status: number; type: string; reason: string };

export const NDJSON = 'application/x-ndjson';

export function encodeBulk(actions: readonly BulkAction[]): string {
  let out = '';
  for (const a of actions) out += `{"index":{"_index":${JSON.stringify(a.index)},"_id":${JSON.stringify(a.id)}}}\n${a.source}\n`;
  return out;
}

interface ItemError {
  type?: unknown;
  reason?: unknown;
  caused_by?: { type?: unknown; reason?: unknown };
}

/** One outcome per action, in request order (the documented `items` contract). */
export function decodeBulkResponse(text: string, count: number): ItemOutcome[] {
  let body: { errors?: unknown; items?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new OpenSearchError('PROTOCOL', `the _bulk answer is not JSON: ${text.slice(0, 200)}`);
  }
  if (!Array.isArray(body.items) || body.items.length !== count)
    throw new OpenSearchError(
      'PROTOCOL',
      `the _bulk answer has ${Array.isArray(body.items) ? body.items.length : 'no'} items for ${count} actions; is this OpenSearch?`,
    );
  return body.items.map((entry: unknown): ItemOutcome => {
    const item =
      entry !== null && typeof entry === 'object' ? (Object.values(entry)[0] as { status?: unknown; error?: unknown }) : undefined;
    const status = typeof item?.status === 'number' ? item.status : 0;
    if (status >= 200 && status < 300 && item?.error === undefined) return { ok: true };
    const e = (item?.error ?? {}) as ItemError | string;
    const type = typeof e === 'string' ? 'error' : typeof e.type === 'string' ? e.type : 'error';
    let reason = typeof e === 'string' ? e : typeof e.reason === 'string' ? e.reason : `status ${status}`;
    // mapper_parsing_exception says which field; its cause says why (out of range, not a number).
    if (typeof e !== 'string' && typeof e.caused_by?.reason === 'string')
      reason += ` (caused by ${e.caused_by.type}: ${e.caused_by.reason})`;
    return { ok: false, retriable: isRetriableStatus(status), status, type, reason };
  });
}
