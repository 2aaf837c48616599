// The combiner's side of a global window aggregate: per (window, key) the partial accumulator of
// each input partition, kept by partition so that a replayed partial replaces its identical copy
// instead of counting twice. A window fires when the combined watermark (the minimum over every
// input partition) reaches end - 1: its partials are merged in partition order, then `result`.
import type { AggregateFunction, Key, WindowResult } from '../aggregate.ts';
import { ProcessorError } from '../errors.ts';
import { TimerHeap } from '../timer-heap.ts';
import { MAX_WATERMARK, MIN_WATERMARK, type StreamRecord, type TimeWindow } from '../types.ts';
import { Operator, type OperatorMetrics } from './operator.ts';
import { checkStateLimit } from './state-limit.ts';

interface WindowState<K, ACC> {
  window: TimeWindow;
  byKey: Map<K, Map<string, ACC>>;
}

interface CombineSnapshot<K, ACC> {
  /** The last finite watermark: +infinity (the end of a bounded run) is not carried over. */
  watermark: number;
  /** Windows that only the end of a bounded run closed: later partials for them are replays too. */
  closedAtEnd: number[];
  windows: Array<[start: number, end: number, keys: Array<[K, Array<[partition: string, acc: ACC]>]>]>;
}

export class CombineWindowOperator<K extends Key, ACC, OUT> extends Operator<never, OUT> {
  readonly #agg: AggregateFunction<unknown, ACC>;
  readonly #result: WindowResult<K, ACC, OUT>;
  readonly #maxEntries: number;
  /** Windows by end. */
  readonly #windows = new Map<number, WindowState<K, ACC>>();
  readonly #timers = new TimerHeap<number>();
  #finite = MIN_WATERMARK;
  readonly #closedAtEnd = new Set<number>();
  #entries = 0;
  /** Partials that arrived for a window already fired: replays after a handover or a restart. */
  replays = 0;

  constructor(name: string, agg: AggregateFunction<any, ACC>, result: WindowResult<K, ACC, OUT>, maxEntries: number) {
    super(name, 'combine-window');
    this.#agg = agg;
    this.#result = result;
    this.#maxEntries = maxEntries;
  }

  processRecord(_record: StreamRecord<never>): void {
    throw new ProcessorError('JOB_DEFINITION', `operator '${this.name}' combines partials; records cannot be sent to it`);
  }

  /** Keeps one partition's partial of a window; false (and counted) when the window already fired. */
  addPartial(partition: string, key: K, start: number, end: number, acc: ACC): boolean {
    if (end - 1 <= this.watermark || this.#closedAtEnd.has(end)) {
      this.replays++;
      return false;
    }
    this.recordsIn++;
    let state = this.#windows.get(end);
    if (state === undefined) {
      state = { window: { start, end }, byKey: new Map() };
      this.#windows.set(end, state);
      this.#timers.push(end - 1, end);
    }
    let byPartition = state.byKey.get(key);
    if (byPartition === undefined) {
      byPartition = new Map();
      state.byKey.set(key, byPartition);
    }
    if (!byPartition.has(partition)) {
      this.#entries++;
      checkStateLimit(this.name, this.#entries, this.#maxEntries);
    }
    byPartition.set(partition, acc);
    return true;
  }

  protected override onWatermark(watermark: number): void {
    if (watermark < MAX_WATERMARK) this.#finite = watermark;
    for (const end of this.#closedAtEnd) if (end - 1 <= watermark && watermark < MAX_WATERMARK) this.#closedAtEnd.delete(end);
    while (this.#timers.peekTime() <= watermark) {
      const end = this.#timers.pop() as number;
      const state = this.#windows.get(end);
      if (state === undefined) continue;
      this.#windows.delete(end);
      if (watermark === MAX_WATERMARK && end - 1 > this.#finite) this.#closedAtEnd.add(end);
      for (const [key, byPartition] of state.byKey) {
        this.#entries -= byPartition.size;
        // Partition order, whatever the arrival order: the same result on every run.
        const partitions = [...byPartition.keys()].sort();
        let acc = this.#agg.createAccumulator();
        for (const p of partitions) acc = this.#agg.merge(acc, byPartition.get(p) as ACC);
        this.out.emit({ value: this.#result(key, state.window, acc), timestamp: end - 1 });
      }
    }
  }

  override snapshot(): CombineSnapshot<K, ACC> {
    const windows = [...this.#windows.values()].sort((a, b) => a.window.end - b.window.end);
    return {
      watermark: this.#finite,
      closedAtEnd: [...this.#closedAtEnd],
      windows: windows.map((w) => [w.window.start, w.window.end, [...w.byKey].map(([k, m]) => [k, [...m]])]),
    };
  }

  override restore(state: unknown, watermark: number): void {
    const s = state as CombineSnapshot<K, ACC> | undefined;
    super.restore(state, s?.watermark ?? (watermark < MAX_WATERMARK ? watermark : MIN_WATERMARK));
    this.#finite = this.watermark;
    this.#windows.clear();
    this.#timers.clear();
    this.#closedAtEnd.clear();
    this.#entries = 0;
    for (const end of s?.closedAtEnd ?? []) this.#closedAtEnd.add(end);
    for (const [start, end, keys] of s?.windows ?? []) {
      const byKey = new Map<K, Map<string, ACC>>();
      for (const [k, partials] of keys) {
        byKey.set(k, new Map(partials));
        this.#entries += partials.length;
      }
      this.#windows.set(end, { window: { start, end }, byKey });
      this.#timers.push(end - 1, end);
    }
  }

  override metrics(): OperatorMetrics {
    return { ...super.metrics(), stateEntries: this.#entries };
  }
}
