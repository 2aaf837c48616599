// The end of a dataflow branch: hands records to a Sink, which buffers them until the runtime
// flushes it before a checkpoint.
import type { Sink, StreamRecord } from '../types.ts';
import { Operator } from './operator.ts';

export class SinkOperator<T> extends Operator<T, never> {
  readonly sink: Sink<T>;

  constructor(name: string, sink: Sink<T>) {
    super(name, 'sink');
    this.sink = sink;
  }

  processRecord(record: StreamRecord<T>): void {
    this.recordsIn++;
    this.sink.write(record);
  }
}
