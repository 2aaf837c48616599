// Keyed tumbling and sliding windows: one accumulator per (window, key), fired in window-end
// order when the watermark reaches end - 1, results stamped end - 1. Records whose window has
// already closed go to the late output instead.
import type { AggregateFunction, Key, WindowResult } from '../aggregate.ts';
import { TimerHeap } from '../timer-heap.ts';
import type { StreamRecord, TimeWindow } from '../types.ts';
import type { FixedWindows } from '../windows.ts';
import { KeyedWindowOperator } from './keyed-window.ts';

interface WindowState<K, ACC> {
  window: TimeWindow;
  byKey: Map<K, ACC>;
}

/** Snapshot: [start, end, [key, acc][]][] in firing order. */
type FixedWindowSnapshot<K, ACC> = Array<[number, number, Array<[K, ACC]>]>;

export class FixedWindowOperator<IN, K extends Key, ACC, OUT> extends KeyedWindowOperator<IN, K, ACC, OUT> {
  readonly #assigner: FixedWindows;
  /** Windows by end: sliding windows of one size that end together start together. */
  readonly #windows = new Map<number, WindowState<K, ACC>>();
  readonly #timers = new TimerHeap<number>();

  constructor(
    name: string,
    key: (value: IN) => K,
    assigner: FixedWindows,
    agg: AggregateFunction<IN, ACC>,
    result: WindowResult<K, ACC, OUT>,
    maxEntries: number,
  ) {
    super(name, assigner.sizeMs === assigner.slideMs ? 'tumbling-window' : 'sliding-window', key, agg, result, maxEntries);
    this.#assigner = assigner;
  }

  processRecord(record: StreamRecord<IN>): void {
    this.recordsIn++;
    const key = this.key(record.value);
    for (const window of this.#assigner.assign(record.timestamp)) {
      if (window.end - 1 <= this.watermark) {
        this.emitLate(key, record, window);
        continue;
      }
      let state = this.#windows.get(window.end);
      if (state === undefined) {
        state = { window, byKey: new Map() };
        this.#windows.set(window.end, state);
        this.#timers.push(window.end - 1, window.end);
      }
      let acc = state.byKey.get(key);
      if (acc === undefined) {
        acc = this.agg.createAccumulator();
        this.addEntry();
      }
      state.byKey.set(key, this.agg.add(acc, record.value, record.timestamp));
    }
  }

  protected override onWatermark(watermark: number): void {
    while (this.#timers.peekTime() <= watermark) {
      const end = this.#timers.pop() as number;
      const state = this.#windows.get(end);
      if (state === undefined) continue;
      this.#windows.delete(end);
      this.entries -= state.byKey.size;
      for (const [key, acc] of state.byKey) {
        this.out.emit({ value: this.result(key, state.window, acc), timestamp: end - 1 });
      }
    }
  }

  override snapshot(): FixedWindowSnapshot<K, ACC> {
    const windows = [...this.#windows.values()].sort((a, b) => a.window.end - b.window.end);
    return windows.map((w) => [w.window.start, w.window.end, [...w.byKey]]);
  }

  override restore(state: unknown, watermark: number): void {
    super.restore(state, watermark);
    this.#windows.clear();
    this.#timers.clear();
    this.entries = 0;
    for (const [start, end, entries] of (state as FixedWindowSnapshot<K, ACC> | undefined) ?? []) {
      this.#windows.set(end, { window: { start, end }, byKey: new Map(entries) });
      this.#timers.push(end - 1, end);
      this.entries += entries.length;
    }
  }
}
