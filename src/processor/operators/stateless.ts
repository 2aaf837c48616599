// Record-at-a-time transformations that keep no state: map, filter, flatMap. The event time is
// kept unless the function says otherwise.
import type { StreamRecord } from '../types.ts';
import { Operator } from './operator.ts';

export class MapOperator<IN, OUT> extends Operator<IN, OUT> {
  readonly #fn: (value: IN, timestamp: number) => OUT;

  constructor(name: string, fn: (value: IN, timestamp: number) => OUT) {
    super(name, 'map');
    this.#fn = fn;
  }

  processRecord(record: StreamRecord<IN>): void {
    this.recordsIn++;
    this.out.emit({ value: this.#fn(record.value, record.timestamp), timestamp: record.timestamp });
  }
}

export class FilterOperator<T> extends Operator<T, T> {
  readonly #predicate: (value: T, timestamp: number) => boolean;

  constructor(name: string, predicate: (value: T, timestamp: number) => boolean) {
    super(name, 'filter');
    this.#predicate = predicate;
  }

  processRecord(record: StreamRecord<T>): void {
    this.recordsIn++;
    if (this.#predicate(record.value, record.timestamp)) this.out.emit(record);
  }
}

export class FlatMapOperator<IN, OUT> extends Operator<IN, OUT> {
  readonly #fn: (value: IN, timestamp: number) => Iterable<OUT>;

  constructor(name: string, fn: (value: IN, timestamp: number) => Iterable<OUT>) {
    super(name, 'flatMap');
    this.#fn = fn;
  }

  processRecord(record: StreamRecord<IN>): void {
    this.recordsIn++;
    for (const value of this.#fn(record.value, record.timestamp)) this.out.emit({ value, timestamp: record.timestamp });
  }
}
