// Per-partition watermarks of one source: the max event time seen in each partition minus the
// out-of-orderness bound, combined as the minimum over active partitions (spec section 3). A
// partition silent for the idle timeout, or finished in a bounded run, stops holding it back.
import { type Clock, MAX_WATERMARK, MIN_WATERMARK } from './types.ts';

export interface WatermarkPolicy {
  /** How far behind the max event time a record may arrive and still be on time. */
  outOfOrdernessMs: number;
  /** A partition with no record for this long (wall clock) is idle. 0 disables idleness. */
  idleTimeoutMs: number;
}

interface PartitionState {
  maxTimestamp: number;
  /** Wall-clock time of the last tick() at which the partition had had a record. */
  lastRecordAt: number;
  /** Had a record since the last tick(): active, whatever lastRecordAt says. */
  seen: boolean;
  finished: boolean;
}

export interface PartitionWatermark {
  partition: string;
  watermark: number;
  idle: boolean;
  finished: boolean;
}

/**
 * Snapshot form: the event-time part only. Idleness and "finished" belong to one run: after a
 * restore every partition is active again from the restore time.
 */
export interface WatermarkSnapshot {
  partitions: Array<[partition: string, maxTimestamp: number]>;
  emitted: number;
}

export class PartitionWatermarks {
  readonly #policy: WatermarkPolicy;
  readonly #clock: Clock;
  readonly #partitions = new Map<string, PartitionState>();
  /** Watermarks only move forward, even when an idle partition wakes up behind the others. */
  #emitted = MIN_WATERMARK;
  /**
   * The wall clock as of the last tick(): reading the clock per record cost more than the rest
   * of the watermark work, and idleness is a matter of seconds.
   */
  #now: number;

  constructor(policy: WatermarkPolicy, clock: Clock) {
    this.#policy = policy;
    this.#clock = clock;
    this.#now = clock.now();
  }

  /** The last combined watermark handed downstream. */
  get current(): number {
    return this.#emitted;
  }

  /** Registers a partition; until its first record it holds the watermark back (until idle). */
  add(partition: string): void {
    if (!this.#partitions.has(partition)) {
      this.#partitions.set(partition, { maxTimestamp: MIN_WATERMARK, lastRecordAt: this.#now, seen: false, finished: false });
    }
  }

  /** Notes a record's event time. Returns the new combined watermark if it advanced, else undefined. */
  observe(partition: string, timestamp: number): number | undefined {
    let p = this.#partitions.get(partition);
    if (p === undefined) {
      this.add(partition);
      p = this.#partitions.get(partition) as PartitionState;
    }
    p.seen = true;
    if (timestamp <= p.maxTimestamp) return undefined;
    p.maxTimestamp = timestamp;
    return this.#advance();
  }

  /** A bounded run read this partition to its end: it no longer holds the watermark back. */
  finish(partition: string): number | undefined {
    const p = this.#partitions.get(partition);
    if (p) p.finished = true;
    return this.#advance();
  }

  /**
   * Re-evaluates idleness against the wall clock. When every partition is idle the watermark
   * follows the clock (now - bound), so the last windows close on a quiet stream.
   */
  tick(): number | undefined {
    this.#now = this.#clock.now();
    for (const p of this.#partitions.values()) {
      if (p.seen) {
        p.lastRecordAt = this.#now;
        p.seen = false;
      }
    }
    return this.#advance();
  }

  /** End of a bounded input: every window may close. */
  end(): number | undefined {
    for (const p of this.#partitions.values()) p.finished = true;
    if (this.#emitted >= MAX_WATERMARK) return undefined;
    this.#emitted = MAX_WATERMARK;
    return MAX_WATERMARK;
  }

  #advance(): number | undefined {
    const next = this.#combined();
    if (next <= this.#emitted) return undefined;
    this.#emitted = next;
    return next;
  }

  #isIdle(p: PartitionState): boolean {
    const timeout = this.#policy.idleTimeoutMs;
    return !p.finished && !p.seen && timeout > 0 && this.#now - p.lastRecordAt >= timeout;
  }

  #combined(): number {
    const now = this.#now;
    const { outOfOrdernessMs } = this.#policy;
    let min = MAX_WATERMARK;
    let active = 0;
    let unfinished = 0;
    for (const p of this.#partitions.values()) {
      if (p.finished) continue;
      unfinished++;
      if (this.#isIdle(p)) continue;
      active++;
      const wm = p.maxTimestamp === MIN_WATERMARK ? MIN_WATERMARK : p.maxTimestamp - outOfOrdernessMs - 1;
      if (wm < min) min = wm;
    }
    if (active > 0) return min;
    // Everything finished: the end of the input. Everything idle: follow the wall clock.
    if (unfinished === 0) return this.#partitions.size > 0 ? MAX_WATERMARK : MIN_WATERMARK;
    return now - outOfOrdernessMs;
  }

  /** Per-partition view for metrics. */
  describe(): PartitionWatermark[] {
    const { outOfOrdernessMs } = this.#policy;
    return [...this.#partitions].map(([partition, p]) => ({
      partition,
      watermark: p.maxTimestamp === MIN_WATERMARK ? MIN_WATERMARK : p.maxTimestamp - outOfOrdernessMs - 1,
      idle: this.#isIdle(p),
      finished: p.finished,
    }));
  }

  snapshot(): WatermarkSnapshot {
    return { partitions: [...this.#partitions].map(([k, p]) => [k, p.maxTimestamp]), emitted: this.#emitted };
  }

  /**
   * Restores and returns the watermark to resume with. The end of a bounded run (+infinity) is
   * not carried over: a later run goes on from the data's own watermark, so new records of a
   * backfilled topic are not all late.
   */
  restore(s: WatermarkSnapshot): number {
    this.#now = this.#clock.now();
    for (const [k, maxTimestamp] of s.partitions) {
      this.#partitions.set(k, { maxTimestamp, lastRecordAt: this.#now, seen: false, finished: false });
    }
    this.#emitted = s.emitted < MAX_WATERMARK ? s.emitted : MIN_WATERMARK;
    if (this.#emitted === MIN_WATERMARK) this.#emitted = Math.max(MIN_WATERMARK, this.#combined());
    return this.#emitted;
  }
}
