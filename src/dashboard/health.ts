// GET /api/health: whether this process is doing its work, for load balancers, container health
// checks and `curl -f`. No Kafka calls (unlike /api/pipeline): the processor running here must
// have checkpointed within the allowed age (after a start-up grace), and the store must answer.
import type { JobMetrics } from '../processor/metrics.ts';
import { HttpError } from './http.ts';

export interface Health {
  healthy: boolean;
  reason: string;
  at: number;
}

/** Defaults: a checkpoint within 5 minutes; a processor younger than 2 minutes may have none yet. */
export const HEALTH_DEFAULTS = { maxCheckpointAgeMs: 300_000, startupGraceMs: 120_000 };

export function processorHealth(m: JobMetrics | undefined, now: number, maxCheckpointAgeMs: number, startupGraceMs: number): Health {
  if (m === undefined) return { healthy: true, reason: 'no processor runs in this process: the dashboard and its store answer', at: now };
  const last = m.lastCheckpoint;
  if (last === undefined) {
    return m.uptimeMs <= startupGraceMs
      ? { healthy: true, reason: `starting: no checkpoint yet after ${Math.round(m.uptimeMs / 1000)} s`, at: now }
      : { healthy: false, reason: `no checkpoint after ${Math.round(m.uptimeMs / 1000)} s`, at: now };
  }
  const age = now - last.at;
  return age <= maxCheckpointAgeMs
    ? { healthy: true, reason: `last checkpoint ${Math.round(age / 1000)} s ago`, at: now }
    : {
        healthy: false,
        reason: `last checkpoint ${Math.round(age / 1000)} s ago (limit ${Math.round(maxCheckpointAgeMs / 1000)} s)`,
        at: now,
      };
}

/** `?maxCheckpointAge=SECONDS` overrides the default limit. */
export function maxCheckpointAgeOf(query: URLSearchParams): number {
  return secondsParam(query, 'maxCheckpointAge', HEALTH_DEFAULTS.maxCheckpointAgeMs);
}

/** `?startupGrace=SECONDS` overrides how long a new processor may go without a checkpoint. */
export function startupGraceOf(query: URLSearchParams): number {
  return secondsParam(query, 'startupGrace', HEALTH_DEFAULTS.startupGraceMs);
}

function secondsParam(query: URLSearchParams, name: string, dflt: number): number {
  const raw = query.get(name);
  if (raw === null) return dflt;
  const s = Number(raw);
  if (!Number.isFinite(s) || s <= 0) throw new HttpError(400, 'bad_request', `${name} must be a positive number of seconds, got '${raw}'`);
  return s * 1000;
}
