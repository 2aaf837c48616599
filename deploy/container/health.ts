// Whether a `brook up` (or `brook process --dashboard-port`) container is healthy: asks its
// dashboard's GET /api/health, which judges the processor in that process (a checkpoint within
// the allowed age, after a start-up grace) and the store, with no Kafka calls and no login.
// A job that stopped making checkpoints (stuck, or cut off from Kafka) is unhealthy.

export interface HealthOptions {
  /** The dashboard's health endpoint, e.g. http://127.0.0.1:8080/api/health. */
  url: string;
  /** Oldest acceptable last checkpoint. */
  maxCheckpointAgeMs: number;
  /** A job younger than this may have no checkpoint yet. */
  startupGraceMs: number;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export interface Health {
  healthy: boolean;
  reason: string;
}

export async function checkHealth(opts: HealthOptions): Promise<Health> {
  const url = new URL(opts.url);
  url.searchParams.set('maxCheckpointAge', String(opts.maxCheckpointAgeMs / 1000));
  url.searchParams.set('startupGrace', String(opts.startupGraceMs / 1000));
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url, { signal: AbortSignal.timeout(opts.timeoutMs) });
  } catch (err) {
    return { healthy: false, reason: `${opts.url} did not answer: ${(err as Error).message}` };
  }
  // 200 and 503 carry the verdict and its reason; anything else is not Brook's health endpoint.
  if (res.status !== 200 && res.status !== 503) return { healthy: false, reason: `${opts.url} answered HTTP ${res.status}` };
  try {
    const answer = (await res.json()) as { healthy?: unknown; reason?: unknown };
    return { healthy: res.status === 200 && answer.healthy === true, reason: String(answer.reason ?? `HTTP ${res.status}`) };
  } catch {
    return { healthy: false, reason: `${opts.url} answered HTTP ${res.status} without a JSON body` };
  }
}

/** The options from the environment the container runs with (the same BROOK_DASHBOARD_PORT as brook up). */
export function healthOptionsFromEnv(env: NodeJS.ProcessEnv): HealthOptions {
  const seconds = (name: string, dflt: number): number => {
    const n = Number(env[name]);
    return (env[name] && Number.isFinite(n) && n > 0 ? n : dflt) * 1000;
  };
  const port = env.BROOK_DASHBOARD_PORT || '8080';
  return {
    url: env.BROOK_HEALTH_URL || `http://127.0.0.1:${port}/api/health`,
    maxCheckpointAgeMs: seconds('BROOK_HEALTH_MAX_CHECKPOINT_AGE_SECONDS', 300),
    startupGraceMs: seconds('BROOK_HEALTH_STARTUP_GRACE_SECONDS', 180),
    timeoutMs: seconds('BROOK_HEALTH_TIMEOUT_SECONDS', 8),
  };
}
