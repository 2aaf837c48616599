// The line `brook up` prints every few seconds: what the generator made, what the processor read,
// how far behind the watermark is, lag, checkpoints and the records that went astray.
import type { GeneratorStats } from '../generator/generator.ts';
import type { JobMetrics } from '../processor/metrics.ts';

export interface StatusSample {
  at: number;
  generated: number | undefined;
  processed: number;
}

const n = (x: number) => Math.round(x).toLocaleString('en');
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

export function sample(at: number, m: JobMetrics, g: GeneratorStats | undefined): StatusSample {
  const processed = m.operators.filter((o) => o.kind === 'source').reduce((a, o) => a + o.recordsIn, 0);
  return { at, generated: g?.acknowledged, processed };
}

export function statusLine(now: StatusSample, before: StatusSample, m: JobMetrics): string {
  const secs = Math.max(0.001, (now.at - before.at) / 1000);
  const parts: string[] = [];
  if (now.generated !== undefined) {
    parts.push(`generated ${n(now.generated)} (${n((now.generated - (before.generated ?? 0)) / secs)}/s)`);
  }
  parts.push(`processed ${n(now.processed)} (${n((now.processed - before.processed) / secs)}/s)`);
  parts.push(
    m.watermark === null ? 'no watermark yet' : `watermark ${clock(m.watermark)} (${((m.freshnessMs ?? 0) / 1000).toFixed(0)} s behind)`,
  );
  parts.push(`lag ${n(m.partitions.reduce((a, p) => a + (p.lag ?? 0), 0))}`);
  parts.push(`checkpoints ${m.checkpoints}`);
  if (m.lateRecords > 0) parts.push(`late ${n(m.lateRecords)}`);
  if (m.deadLetters > 0) parts.push(`dead letters ${n(m.deadLetters)}`);
  return `[${clock(now.at)}] ${parts.join(' · ')}`;
}
