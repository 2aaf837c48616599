// Incremental aggregation, as Flink's AggregateFunction: a window keeps one accumulator per key,
// updated as records arrive; session windows merge accumulators when sessions join.
import type { TimeWindow } from './types.ts';

export interface AggregateFunction<IN, ACC> {
  createAccumulator(): ACC;
  /** Adds a record; may mutate and return `acc`. `timestamp` is the record's event time. */
  add(acc: ACC, value: IN, timestamp: number): ACC;
  /** Joins two accumulators (session windows that merge); may mutate and return `a`. */
  merge(a: ACC, b: ACC): ACC;
}

/** Turns a closed window's accumulator into the output value. */
export type WindowResult<K, ACC, OUT> = (key: K, window: TimeWindow, acc: ACC) => OUT;

/** A record that arrived after the watermark had closed its window. */
export interface LateRecord<T, K> {
  key: K;
  value: T;
  timestamp: number;
  window: TimeWindow;
}

/** The stream's keys: strings or numbers, compared by value. */
export type Key = string | number;

/**
 * A global window's accumulator from one input partition's pipeline, complete for that partition
 * (emitted when the partition's watermark closed the window), on its way to the combiner.
 */
export interface WindowPartial {
  operator: string;
  key: Key;
  start: number;
  end: number;
  acc: unknown;
}

/** reduce(): the accumulator is a value of the stream's own type. */
export function reducer<T>(fn: (a: T, b: T) => T): AggregateFunction<T, T | undefined> {
  return {
    createAccumulator: () => undefined,
    add: (acc, value) => (acc === undefined ? value : fn(acc, value)),
    merge: (a, b) => (a === undefined ? b : b === undefined ? a : fn(a, b)),
  };
}
