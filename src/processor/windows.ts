// Window assigners: tumbling and sliding windows aligned to the epoch (plus an offset), and
// session windows that grow and merge per key as Flink's do (touching windows merge).
import type { TimeWindow } from './types.ts';

export interface FixedWindows {
  readonly kind: 'fixed';
  readonly sizeMs: number;
  readonly slideMs: number;
  readonly offsetMs: number;
  /** The windows containing an event time, oldest first. */
  assign(timestamp: number): TimeWindow[];
}

export interface SessionWindows {
  readonly kind: 'session';
  readonly gapMs: number;
}

export type WindowAssigner = FixedWindows | SessionWindows;

function positive(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer of milliseconds, got ${value}`);
}

/** Start of the window of `size`/`slide` that contains `t`: Flink's TimeWindow.getWindowStartWithOffset. */
function windowStart(t: number, offset: number, slide: number): number {
  const r = (t - offset) % slide;
  return r < 0 ? t - r - slide : t - r;
}

/** Tumbling windows [k*size + offset, (k+1)*size + offset). */
export function tumblingWindows(opts: { sizeMs: number; offsetMs?: number }): FixedWindows {
  return slidingWindows({ sizeMs: opts.sizeMs, slideMs: opts.sizeMs, offsetMs: opts.offsetMs });
}

/** Sliding windows of `size`, one starting every `slide`, aligned to the epoch plus the offset. */
export function slidingWindows(opts: { sizeMs: number; slideMs: number; offsetMs?: number | undefined }): FixedWindows {
  const { sizeMs, slideMs } = opts;
  const offsetMs = opts.offsetMs ?? 0;
  positive('window size', sizeMs);
  positive('window slide', slideMs);
  if (!Number.isSafeInteger(offsetMs) || Math.abs(offsetMs) >= slideMs) {
    throw new RangeError(`window offset must be an integer smaller than the slide (${slideMs} ms), got ${offsetMs}`);
  }
  return {
    kind: 'fixed',
    sizeMs,
    slideMs,
    offsetMs,
    assign(timestamp) {
      const last = windowStart(timestamp, offsetMs, slideMs);
      const windows: TimeWindow[] = [];
      for (let start = last; start > timestamp - sizeMs; start -= slideMs) windows.push({ start, end: start + sizeMs });
      return windows.reverse();
    },
  };
}

/** Session windows: events at most `gapMs` apart belong to one session of [first, last + gap). */
export function sessionWindows(opts: { gapMs: number }): SessionWindows {
  positive('session gap', opts.gapMs);
  return { kind: 'session', gapMs: opts.gapMs };
}
