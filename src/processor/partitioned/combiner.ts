// The combiner of a partitioned run: reads the progress messages of every input partition's
// pipeline from the exchange, keeps each global window's partials by partition, tracks each
// partition's watermark (the highest it reported), and when the minimum over all input partitions
// passes a window's end - 1 merges that window's partials and runs what follows in the job.
import type { CombinerState } from '../checkpoint-codec.ts';
import type { Job } from '../dataflow.ts';
import { ProcessorError } from '../errors.ts';
import { Runtime, type RuntimeSnapshot } from '../runtime.ts';
import { type Clock, MAX_WATERMARK, MIN_WATERMARK, type SourceRecord } from '../types.ts';
import { decodeProgress } from './exchange.ts';

export class Combiner {
  readonly runtime: Runtime;
  readonly #job: Job;
  readonly #globals: string[];
  /** The highest watermark each input partition reported (+infinity at the end of a bounded run). */
  readonly #watermarks = new Map<string, number>();
  /** The highest finite one: +infinity is not carried over a restart, as in the pipelines. */
  readonly #finite = new Map<string, number>();
  #combined = MIN_WATERMARK;
  /** Next offset to read in the exchange, once known. */
  position: bigint | undefined;
  messages = 0;

  /** `partitions`: every input partition (`topic:partition`), assigned to this instance or not. */
  constructor(job: Job, partitions: string[], opts: { clock: Clock; maxStateEntries?: number }) {
    this.#job = job;
    this.#globals = job.globalOperators();
    this.runtime = new Runtime(job, {
      mode: 'combine',
      clock: opts.clock,
      ...(opts.maxStateEntries ? { maxStateEntries: opts.maxStateEntries } : {}),
    });
    for (const p of partitions) {
      this.#watermarks.set(p, MIN_WATERMARK);
      this.#finite.set(p, MIN_WATERMARK);
    }
  }

  /** The minimum over every input partition: global windows ending at or before it have fired. */
  get watermark(): number {
    return this.#combined;
  }

  /** Every input partition reached the end of a bounded run: every global window has fired. */
  get done(): boolean {
    for (const w of this.#watermarks.values()) if (w < MAX_WATERMARK) return false;
    return this.#watermarks.size > 0;
  }

  /** Partials that came for windows already fired: replays after a handover or a restart. */
  get replays(): number {
    return this.#globals.reduce((n, name) => n + this.runtime.combiner(name).replays, 0);
  }

  /** Applies one exchange record: its partials, then its watermark. */
  apply(record: SourceRecord): void {
    this.position = record.offset + 1n;
    const m = decodeProgress(record.value, `${record.topic}:${record.partition}:${record.offset}`);
    if (m.job !== this.#job.name) {
      throw new ProcessorError(
        'SOURCE',
        `the exchange topic ${record.topic} carries progress of job '${m.job}', not '${this.#job.name}': give each job its own consumer group or --exchange-topic`,
      );
    }
    this.messages++;
    for (const p of m.partials) this.runtime.combiner(p.operator).addPartial(m.partition, p.key, p.start, p.end, p.acc);
    if (m.watermark > (this.#watermarks.get(m.partition) ?? MIN_WATERMARK)) this.#watermarks.set(m.partition, m.watermark);
    if (m.watermark < MAX_WATERMARK && m.watermark > (this.#finite.get(m.partition) ?? MIN_WATERMARK))
      this.#finite.set(m.partition, m.watermark);
    this.#advance();
  }

  #advance(): void {
    let min = MAX_WATERMARK;
    for (const w of this.#watermarks.values()) if (w < min) min = w;
    if (min <= this.#combined) return;
    this.#combined = min;
    this.runtime.advance(min);
  }

  snapshot(): { runtime: RuntimeSnapshot; state: CombinerState } {
    return {
      runtime: this.runtime.snapshot(),
      state: { watermarks: [...this.#finite], position: this.position?.toString() },
    };
  }

  restore(runtime: RuntimeSnapshot, state: CombinerState): void {
    for (const [p, w] of state.watermarks) {
      this.#watermarks.set(p, w);
      this.#finite.set(p, w);
    }
    let min = MAX_WATERMARK;
    for (const w of this.#watermarks.values()) if (w < min) min = w;
    this.#combined = this.#watermarks.size > 0 ? min : MIN_WATERMARK;
    // The operators keep their own last finite watermark and the windows only the end closed.
    this.runtime.restore(runtime, this.#combined);
    this.position = state.position === undefined ? undefined : BigInt(state.position);
  }
}
