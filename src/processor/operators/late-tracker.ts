// Counts late records per window for metrics, keeping only the most recent windows so a stream
// of late data cannot grow memory without bound.
import type { TimeWindow } from '../types.ts';

const KEPT_WINDOWS = 1000;

export class LateTracker {
  total = 0;
  readonly #byWindow = new Map<string, { window: TimeWindow; count: number }>();

  note(window: TimeWindow): void {
    this.total++;
    const id = `${window.start}:${window.end}`;
    const entry = this.#byWindow.get(id);
    if (entry) {
      entry.count++;
      return;
    }
    this.#byWindow.set(id, { window, count: 1 });
    if (this.#byWindow.size > KEPT_WINDOWS) {
      const oldest = this.#byWindow.keys().next().value as string;
      this.#byWindow.delete(oldest);
    }
  }

  /** Late counts of the most recent windows that had any, oldest first. */
  byWindow(): Array<{ window: TimeWindow; count: number }> {
    return [...this.#byWindow.values()].map((e) => ({ window: { ...e.window }, count: e.count }));
  }
}
