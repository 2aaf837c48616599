// What every keyed window operator shares: the key and aggregation functions, the late output with
// its per-window counts, and the bound on the window entries held.
import type { AggregateFunction, Key, LateRecord, WindowResult } from '../aggregate.ts';
import type { StreamRecord, TimeWindow } from '../types.ts';
import { LateTracker } from './late-tracker.ts';
import { Emitter, Operator, type OperatorMetrics } from './operator.ts';
import { checkStateLimit } from './state-limit.ts';

export abstract class KeyedWindowOperator<IN, K extends Key, ACC, OUT> extends Operator<IN, OUT> {
  readonly late = new Emitter<LateRecord<IN, K>>();
  protected readonly key: (value: IN) => K;
  protected readonly agg: AggregateFunction<IN, ACC>;
  protected readonly result: WindowResult<K, ACC, OUT>;
  /** Window entries (one per key and window) held now. */
  protected entries = 0;
  readonly #maxEntries: number;
  readonly #lateTracker = new LateTracker();

  constructor(
    name: string,
    kind: string,
    key: (value: IN) => K,
    agg: AggregateFunction<IN, ACC>,
    result: WindowResult<K, ACC, OUT>,
    maxEntries: number,
  ) {
    super(name, kind);
    this.key = key;
    this.agg = agg;
    this.result = result;
    this.#maxEntries = maxEntries;
  }

  /** A record whose window already closed: counted for that window and sent to the late output. */
  protected emitLate(key: K, record: StreamRecord<IN>, window: TimeWindow): void {
    this.#lateTracker.note(window);
    this.late.emit({ value: { key, value: record.value, timestamp: record.timestamp, window }, timestamp: record.timestamp });
  }

  /** Counts a new window entry; past the bound the job stops with a clear error. */
  protected addEntry(): void {
    this.entries++;
    checkStateLimit(this.name, this.entries, this.#maxEntries);
  }

  lateByWindow(): Array<{ window: TimeWindow; count: number }> {
    return this.#lateTracker.byWindow();
  }

  override metrics(): OperatorMetrics {
    return { ...super.metrics(), stateEntries: this.entries, lateRecords: this.#lateTracker.total };
  }
}
