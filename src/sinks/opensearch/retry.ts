// When and how often to try OpenSearch again: 429 (the cluster pushing back) and 5xx are worth
// another attempt after an exponentially growing pause, as are network failures; 4xx are not.
import { OpenSearchError } from './errors.ts';
import type { HttpResult } from './http-client.ts';

export interface RetryInfo {
  operation: string;
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  /** One line for a log. */
  message: string;
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  onRetry?(info: RetryInfo): void;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 10, initialBackoffMs: 100, maxBackoffMs: 10_000 };

export function retryPolicy(opts: Partial<RetryPolicy>): RetryPolicy {
  return {
    retries: opts.retries ?? DEFAULT_RETRY.retries,
    initialBackoffMs: opts.initialBackoffMs ?? DEFAULT_RETRY.initialBackoffMs,
    maxBackoffMs: opts.maxBackoffMs ?? DEFAULT_RETRY.maxBackoffMs,
    ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
  };
}

export const isRetriableStatus = (status: number): boolean => status === 429 || status >= 500;

/** The pause before retry `attempt` (1-based): initial * 2^(attempt-1), capped; a Retry-After header can lengthen it. */
export function backoffMs(policy: RetryPolicy, attempt: number, retryAfter?: string | string[]): number {
  const exp = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  const after = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
  return Number.isFinite(after) && after > 0 ? Math.max(exp, Math.min(after * 1000, policy.maxBackoffMs)) : exp;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs one request until it gets an answer that is not 429/5xx or the retries run out; returns the
 * last answer (the caller reports a status it does not like) and rethrows a lasting network error.
 */
export async function withRetry(operation: string, policy: RetryPolicy, fn: () => Promise<HttpResult>): Promise<HttpResult> {
  for (let attempt = 1; ; attempt++) {
    let cause: string;
    let retryAfter: string | string[] | undefined;
    try {
      const res = await fn();
      if (!isRetriableStatus(res.status) || attempt > policy.retries) return res;
      cause = `HTTP ${res.status}`;
      retryAfter = res.headers['retry-after'];
    } catch (err) {
      if (!(err instanceof OpenSearchError) || !err.retriable || attempt > policy.retries) throw err;
      cause = err.message;
    }
    const delayMs = backoffMs(policy, attempt, retryAfter);
    policy.onRetry?.({ operation, attempt, delayMs, message: `${operation} failed (${cause}); retry ${attempt} in ${delayMs} ms` });
    await sleep(delayMs);
  }
}
