// Whether a `brook up` (or `brook process --dashboard-port`) container is healthy, judged from its
// dashboard's /api/pipeline: the processor runs in the process and has checkpointed recently. A
// job that stopped making checkpoints (stuck, or cut off from Kafka) is unhealthy.

export interface HealthOptions {
  /** The dashboard's pipeline endpoint, e.g. http://127.0.0.1:8080/api/pipeline. */
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

interface PipelineAnswer {
  at?: number;
  processor?: { uptimeMs?: number; lastCheckpointAt?: number | null; checkpoints?: number } | null;
}

export async function checkHealth(opts: HealthOptions): Promise<Health> {
  let answer: PipelineAnswer;
  try {
    const res = await (opts.fetch ?? fetch)(opts.url, { signal: AbortSignal.timeout(opts.timeoutMs) });
    if (!res.ok) return { healthy: false, reason: `${opts.url} answered HTTP ${res.status}` };
    answer = (await res.json()) as PipelineAnswer;
  } catch (err) {
    return { healthy: false, reason: `${opts.url} did not answer: ${(err as Error).message}` };
  }
  const p = answer.processor;
  if (!p) return { healthy: false, reason: 'the dashboard answers but no processor runs in its process' };
  // Both times come from the container's own clock, so skew with the caller does not matter.
  const now = typeof answer.at === 'number' ? answer.at : Date.now();
  if (p.lastCheckpointAt === null || p.lastCheckpointAt === undefined) {
    const up = p.uptimeMs ?? 0;
    return up <= opts.startupGraceMs
      ? { healthy: true, reason: `starting: no checkpoint yet after ${Math.round(up / 1000)} s` }
      : { healthy: false, reason: `no checkpoint after ${Math.round(up / 1000)} s` };
  }
  const age = now - p.lastCheckpointAt;
  return age <= opts.maxCheckpointAgeMs
    ? { healthy: true, reason: `last checkpoint ${Math.round(age / 1000)} s ago` }
    : { healthy: false, reason: `last checkpoint ${Math.round(age / 1000)} s ago (limit ${Math.round(opts.maxCheckpointAgeMs / 1000)} s)` };
}

/** The options from the environment the container runs with (the same BROOK_DASHBOARD_PORT as brook up). */
export function healthOptionsFromEnv(env: NodeJS.ProcessEnv): HealthOptions {
  const seconds = (name: string, dflt: number): number => {
    const n = Number(env[name]);
    return (env[name] && Number.isFinite(n) && n > 0 ? n : dflt) * 1000;
  };
  const port = env.BROOK_DASHBOARD_PORT || '8080';
  return {
    url: env.BROOK_HEALTH_URL || `http://127.0.0.1:${port}/api/pipeline`,
    maxCheckpointAgeMs: seconds('BROOK_HEALTH_MAX_CHECKPOINT_AGE_SECONDS', 300),
    startupGraceMs: seconds('BROOK_HEALTH_STARTUP_GRACE_SECONDS', 180),
    timeoutMs: seconds('BROOK_HEALTH_TIMEOUT_SECONDS', 8),
  };
}
