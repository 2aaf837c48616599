// A sink that keeps records in an array: for tests, previews and small lookups.
import type { Sink, StreamRecord } from './types.ts';

export class MemorySink<T> implements Sink<T> {
  readonly name: string;
  readonly records: StreamRecord<T>[] = [];
  flushes = 0;

  constructor(name = 'memory') {
    this.name = name;
  }

  write(record: StreamRecord<T>): void {
    this.records.push(record);
  }

  get values(): T[] {
    return this.records.map((r) => r.value);
  }

  flush(): Promise<void> {
    this.flushes++;
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
