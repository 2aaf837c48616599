// The operator contract: records and watermarks pushed in, results pushed to the emitters of
// downstream operators, synchronously and in band, so a watermark always follows the records
// emitted before it. Stateful operators snapshot to plain (v8-serializable) values.
import { MIN_WATERMARK, type StreamRecord } from '../types.ts';

export interface Receiver<T> {
  processRecord(record: StreamRecord<T>): void;
  processWatermark(watermark: number): void;
}

/** One output port: fans records and watermarks out to every connected receiver. */
export class Emitter<T> {
  readonly targets: Receiver<T>[] = [];
  count = 0;

  emit(record: StreamRecord<T>): void {
    this.count++;
    const targets = this.targets;
    for (let i = 0; i < targets.length; i++) targets[i]?.processRecord(record);
  }

  watermark(watermark: number): void {
    for (const t of this.targets) t.processWatermark(watermark);
  }
}

export interface OperatorMetrics {
  name: string;
  kind: string;
  recordsIn: number;
  recordsOut: number;
  /** Keyed window entries held (0 for stateless operators). */
  stateEntries: number;
  /** Records that arrived after their window closed. */
  lateRecords: number;
}

export abstract class Operator<IN, OUT> implements Receiver<IN> {
  readonly name: string;
  readonly kind: string;
  readonly out = new Emitter<OUT>();
  recordsIn = 0;
  watermark = MIN_WATERMARK;

  constructor(name: string, kind: string) {
    this.name = name;
    this.kind = kind;
  }

  abstract processRecord(record: StreamRecord<IN>): void;

  processWatermark(watermark: number): void {
    if (watermark <= this.watermark) return;
    this.watermark = watermark;
    this.onWatermark(watermark);
    this.out.watermark(watermark);
  }

  /** Fires what the watermark closes, before it is forwarded. */
  protected onWatermark(_watermark: number): void {}

  /** Stateful operators return their state; undefined means nothing to keep. */
  snapshot(): unknown {
    return undefined;
  }

  /** Restores state; `watermark` is where the input stood at the checkpoint. */
  restore(_state: unknown, watermark: number): void {
    this.watermark = watermark;
  }

  metrics(): OperatorMetrics {
    return { name: this.name, kind: this.kind, recordsIn: this.recordsIn, recordsOut: this.out.count, stateEntries: 0, lateRecords: 0 };
  }
}
