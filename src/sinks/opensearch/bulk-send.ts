// Sends one batch through _bulk until every action is indexed or refused for good: the whole
// request again on 429/5xx/network errors, only the refused items again when some got 429/5xx,
// with backoff; items refused with other statuses (mapping errors) come back as failures.
import { type BulkAction, decodeBulkResponse, encodeBulk, NDJSON } from './bulk.ts';
import { describeErrorBody, OpenSearchError } from './errors.ts';
import type { OpenSearchHttp } from './http-client.ts';
import { backoffMs, isRetriableStatus, type RetryPolicy, sleep } from './retry.ts';

export interface ItemFailure {
  index: string;
  id: string;
  status: number;
  type: string;
  reason: string;
}

export interface BatchResult {
  indexed: number;
  failures: ItemFailure[];
  requests: number;
  retries: number;
}

export async function sendBatch(client: OpenSearchHttp, actions: readonly BulkAction[], policy: RetryPolicy): Promise<BatchResult> {
  const result: BatchResult = { indexed: 0, failures: [], requests: 0, retries: 0 };
  let pending = actions;
  for (let attempt = 1; pending.length > 0; attempt++) {
    let cause: string;
    let retryAfter: string | string[] | undefined;
    try {
      result.requests++;
      const res = await client.request('POST', '/_bulk', { body: encodeBulk(pending), contentType: NDJSON });
      if (res.status >= 200 && res.status < 300) {
        const outcomes = decodeBulkResponse(res.text, pending.length);
        const again: BulkAction[] = [];
        let refusal = '';
        outcomes.forEach((o, i) => {
          const a = pending[i]!;
          if (o.ok) result.indexed++;
          else if (o.retriable) {
            again.push(a);
            refusal ||= `${o.status} ${o.type}`;
          } else result.failures.push({ index: a.index, id: a.id, status: o.status, type: o.type, reason: o.reason });
        });
        pending = again;
        if (pending.length === 0) break;
        cause = `${pending.length} of ${outcomes.length} documents refused with ${refusal}`;
      } else if (isRetriableStatus(res.status)) {
        cause = `HTTP ${res.status}: ${describeErrorBody(res.text)}`;
        retryAfter = res.headers['retry-after'];
      } else {
        throw statusError(client, res.status, res.text, pending.length);
      }
    } catch (err) {
      if (!(err instanceof OpenSearchError) || !err.retriable) throw err;
      cause = err.message;
    }
    if (attempt > policy.retries) {
      throw new OpenSearchError(
        'BULK_RETRIES',
        `OpenSearch at ${client.display} still refused ${pending.length} ${pending.length === 1 ? 'document' : 'documents'} after ${policy.retries} retries (${cause}), ` +
          `e.g. ${pending[0]!.index}/${pending[0]!.id}. The cluster is overloaded or down: give it capacity, then restart the job from its checkpoint.`,
      );
    }
    const delayMs = backoffMs(policy, attempt, retryAfter);
    result.retries++;
    policy.onRetry?.({
      operation: 'bulk indexing',
      attempt,
      delayMs,
      message: `bulk indexing into ${client.display}: ${cause}; retry ${attempt} in ${delayMs} ms`,
    });
    await sleep(delayMs);
  }
  return result;
}

function statusError(client: OpenSearchHttp, status: number, text: string, count: number): OpenSearchError {
  const what = `_bulk of ${count} ${count === 1 ? 'document' : 'documents'} to ${client.display} failed with HTTP ${status}: ${describeErrorBody(text)}`;
  if (status === 401 || status === 403)
    return new OpenSearchError(
      'AUTH',
      `${what}. Check the credentials (${client.authDescription}) and that the user may write to the indexes (indices:data/write/bulk).`,
    );
  return new OpenSearchError('HTTP', what);
}

/** A loud, complete message: every refused document's index, id and reason (the first 5, then a count). */
export function itemFailureError(failures: readonly ItemFailure[], display: string): OpenSearchError {
  const shown = failures.slice(0, 5).map((f) => `${f.index}/${f.id}: ${f.status} ${f.type}: ${f.reason}`);
  const more = failures.length > 5 ? `; and ${failures.length - 5} more` : '';
  return new OpenSearchError(
    'BULK_ITEM',
    `OpenSearch at ${display} refused ${failures.length} ${failures.length === 1 ? 'document' : 'documents'}: ${shown.join('; ')}${more}. ` +
      'These are not retried: a 4xx means the document or the index is at fault, not the load. Fix the mapping ' +
      "('brook opensearch setup' creates the right one) or the permission, then restart the job from its checkpoint.",
  );
}
