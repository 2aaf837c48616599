// Retrying Kafka client calls: which @platformatic/kafka errors are worth another attempt (a
// broker down or moving), exponential backoff that a close interrupts, and a one-line cause for
// messages. The client's own retries stay short so that every longer wait is reported here.
import type { BaseOptions } from '@platformatic/kafka';

/** TLS and SASL settings passed through to the client, as the generator's sink does. */
export type KafkaConnectionOptions = Pick<BaseOptions, 'tls' | 'sasl' | 'tlsServerName'>;

export interface RetryInfo {
  /** What was being attempted: 'fetch', 'metadata', 'commit', ... */
  operation: string;
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  error: Error;
  /** One line for a log: the operation, the cause and when the next attempt comes. */
  message: string;
}

export interface RetryPolicy {
  /** Retries after the first attempt before giving up. Default: unbounded for reads. */
  maxRetries?: number;
  /** First backoff; doubles up to maxBackoffMs. Default 100. */
  initialBackoffMs?: number;
  /** Default 5000. */
  maxBackoffMs?: number;
  onRetry?(info: RetryInfo): void;
}

/** The client's own retry settings: a couple of quick attempts (metadata refresh on a moved leader). */
export const CLIENT_RETRIES = { retries: 2, retryDelay: 100 } as const;

interface ErrorLike {
  code?: unknown;
  apiId?: unknown;
  canRetry?: unknown;
  errors?: unknown;
  cause?: unknown;
  message?: unknown;
}

/** Every error in a client error's tree (MultipleErrors nest, causes chain). */
export function* errorTree(err: unknown, depth = 0): Generator<ErrorLike> {
  if (err === null || typeof err !== 'object' || depth > 8) return;
  const e = err as ErrorLike;
  yield e;
  if (Array.isArray(e.errors)) for (const inner of e.errors) yield* errorTree(inner, depth + 1);
  if (e.cause !== undefined) yield* errorTree(e.cause, depth + 1);
}

export function hasApiError(err: unknown, apiId: string): boolean {
  for (const e of errorTree(err)) if (e.apiId === apiId) return true;
  return false;
}

/**
 * Worth retrying: the network (a broker down, restarting, or unreachable for now) or a protocol
 * error Kafka marks retriable (leader moving, coordinator loading). Authentication, authorization
 * and unknown topics are not: waiting does not fix them.
 */
export function isTransient(err: unknown): boolean {
  let network = false;
  let protocol = false;
  for (const e of errorTree(err)) {
    if (e.code === 'PLT_KFK_AUTHENTICATION' || e.code === 'PLT_KFK_USER' || e.canRetry === false) return false;
    if (typeof e.apiId === 'string') {
      if (e.apiId.endsWith('_AUTHORIZATION_FAILED') || e.apiId === 'UNKNOWN_TOPIC_OR_PARTITION') return false;
      protocol = true;
    }
    // Timeouts carry the network code too.
    if (e.code === 'PLT_KFK_NETWORK') network = true;
  }
  return network || protocol;
}

/** The innermost distinct messages of a client error, joined: "Connection to 127.0.0.1:9092 failed". */
export function describe(err: unknown): string {
  const leaves: string[] = [];
  for (const e of errorTree(err)) {
    const inner = Array.isArray(e.errors) && e.errors.length > 0;
    if (!inner && typeof e.message === 'string' && e.message !== '' && !leaves.includes(e.message)) leaves.push(e.message);
  }
  if (leaves.length === 0) return err instanceof Error ? err.message : String(err);
  return leaves.slice(-3).join('; ');
}

export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const first = policy.initialBackoffMs ?? 100;
  return Math.min(policy.maxBackoffMs ?? 5000, first * 2 ** Math.min(30, Math.max(0, attempt - 1)));
}

/** Resolves after `ms`, or at once (to false) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (completed: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(completed);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `fn` until it succeeds, retrying transient errors with backoff and reporting each retry.
 * Throws the last error when it is not transient, retries run out, or `signal` aborts.
 */
export async function withRetry<T>(operation: string, policy: RetryPolicy, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (signal.aborted || !isTransient(err) || attempt > (policy.maxRetries ?? Number.POSITIVE_INFINITY)) throw err;
      const delayMs = backoffMs(policy, attempt);
      const error = err instanceof Error ? err : new Error(String(err));
      policy.onRetry?.({
        operation,
        attempt,
        delayMs,
        error,
        message: `${operation} failed (${describe(err)}); retry ${attempt} in ${delayMs} ms`,
      });
      if (!(await sleep(delayMs, signal))) throw err;
    }
  }
}
