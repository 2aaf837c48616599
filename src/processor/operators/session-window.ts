// Keyed session windows, merging as Flink's MergingWindowSet does: a record opens [t, t + gap),
// which joins every session of its key it overlaps or touches; the merged session fires when the
// watermark reaches its end - 1. A record whose merged session would already be closed is late.
import type { AggregateFunction, Key, WindowResult } from '../aggregate.ts';
import { TimerHeap } from '../timer-heap.ts';
import type { StreamRecord, TimeWindow } from '../types.ts';
import type { SessionWindows } from '../windows.ts';
import { KeyedWindowOperator } from './keyed-window.ts';

interface Session<K, ACC> {
  key: K;
  start: number;
  end: number;
  acc: ACC;
  /** Merged into another session or fired: its timer is stale. */
  dead: boolean;
  /** When its one timer in the heap is due; below end - 1 once the session has grown. */
  armedAt: number;
}

/** Snapshot: [key, start, end, acc][] in end order. */
type SessionSnapshot<K, ACC> = Array<[K, number, number, ACC]>;

export class SessionWindowOperator<IN, K extends Key, ACC, OUT> extends KeyedWindowOperator<IN, K, ACC, OUT> {
  readonly #gap: number;
  /** Open sessions per key; nearly always zero or one. */
  readonly #sessions = new Map<K, Session<K, ACC>[]>();
  /**
   * Timers are lazy: a session that grew keeps its old timer, which re-arms itself at the new
   * end when it comes due, so growing a session costs no heap work.
   */
  readonly #timers = new TimerHeap<Session<K, ACC>>();

  constructor(
    name: string,
    key: (value: IN) => K,
    assigner: SessionWindows,
    agg: AggregateFunction<IN, ACC>,
    result: WindowResult<K, ACC, OUT>,
    maxEntries: number,
  ) {
    super(name, 'session-window', key, agg, result, maxEntries);
    this.#gap = assigner.gapMs;
  }

  processRecord(record: StreamRecord<IN>): void {
    this.recordsIn++;
    const key = this.key(record.value);
    const t = record.timestamp;
    let start = t;
    let end = t + this.#gap;
    const open = this.#sessions.get(key);
    // Touching windows merge (Flink's TimeWindow.intersects: start <= other.end && end >= other.start).
    let overlapping = 0;
    if (open !== undefined) {
      for (const s of open) {
        if (s.start <= end && s.end >= start) {
          overlapping++;
          if (s.start < start) start = s.start;
          if (s.end > end) end = s.end;
        }
      }
    }
    if (end - 1 <= this.watermark) {
      this.emitLate(key, record, { start, end });
      return;
    }
    if (overlapping === 0) {
      const session: Session<K, ACC> = {
        key,
        start,
        end,
        acc: this.agg.add(this.agg.createAccumulator(), record.value, t),
        dead: false,
        armedAt: end - 1,
      };
      if (open === undefined) this.#sessions.set(key, [session]);
      else open.push(session);
      this.#timers.push(end - 1, session);
      this.addEntry();
      return;
    }
    const list = open as Session<K, ACC>[];
    let target: Session<K, ACC> | undefined;
    for (let i = 0; i < list.length; ) {
      const s = list[i] as Session<K, ACC>;
      if (s.start <= end && s.end >= start) {
        if (target === undefined) {
          target = s;
          i++;
        } else {
          target.acc = this.agg.merge(target.acc, s.acc);
          s.dead = true;
          this.entries--;
          list.splice(i, 1);
        }
      } else i++;
    }
    const session = target as Session<K, ACC>;
    session.start = start;
    session.end = end;
    session.acc = this.agg.add(session.acc, record.value, t);
  }

  protected override onWatermark(watermark: number): void {
    while (this.#timers.peekTime() <= watermark) {
      const session = this.#timers.pop() as Session<K, ACC>;
      if (session.dead) continue;
      if (session.armedAt !== session.end - 1) {
        // Grown since armed: re-arm at the real end so sessions still fire in end order.
        session.armedAt = session.end - 1;
        this.#timers.push(session.armedAt, session);
        continue;
      }
      this.#fire(session);
    }
  }

  #fire(session: Session<K, ACC>): void {
    session.dead = true;
    this.entries--;
    const list = this.#sessions.get(session.key) as Session<K, ACC>[];
    if (list.length === 1) this.#sessions.delete(session.key);
    else list.splice(list.indexOf(session), 1);
    const window: TimeWindow = { start: session.start, end: session.end };
    this.out.emit({ value: this.result(session.key, window, session.acc), timestamp: session.end - 1 });
  }

  override snapshot(): SessionSnapshot<K, ACC> {
    const all: Session<K, ACC>[] = [];
    for (const list of this.#sessions.values()) all.push(...list);
    all.sort((a, b) => a.end - b.end);
    return all.map((s) => [s.key, s.start, s.end, s.acc]);
  }

  override restore(state: unknown, watermark: number): void {
    super.restore(state, watermark);
    this.#sessions.clear();
    this.#timers.clear();
    this.entries = 0;
    for (const [key, start, end, acc] of (state as SessionSnapshot<K, ACC> | undefined) ?? []) {
      const session: Session<K, ACC> = { key, start, end, acc, dead: false, armedAt: end - 1 };
      const list = this.#sessions.get(key);
      if (list === undefined) this.#sessions.set(key, [session]);
      else list.push(session);
      this.#timers.push(end - 1, session);
      this.entries++;
    }
  }
}
