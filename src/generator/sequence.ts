// globalseq: one counter shared by all workers of the process (unique, gap-free, increasing),
// and each worker's link to its own previous event (prevglobalseq).

/**
 * Numbers are handed out in reserved blocks: before the first number of a block is used, the
 * block's ceiling is recorded (the bookmark), so a generator killed without a clean shutdown
 * restarts above every number it may have used: a gap, never a number used twice.
 */
export interface SequenceReservation {
  block: number;
  /** Records that numbers up to `ceiling` may be used; must be durable when it returns. */
  reserve(ceiling: number): void;
}

export class GlobalSequence {
  #last: number;
  #ceiling: number;
  readonly #reservation: SequenceReservation | undefined;

  /** `last` is the last globalseq already used (the bookmark), 0 on a fresh start. */
  constructor(last = 0, reservation?: SequenceReservation) {
    this.#last = last;
    this.#reservation = reservation;
    this.#ceiling = reservation ? last : Number.POSITIVE_INFINITY;
  }

  next(): number {
    const n = ++this.#last;
    if (n > this.#ceiling) {
      const reservation = this.#reservation as SequenceReservation;
      this.#ceiling = this.#last - 1 + reservation.block;
      reservation.reserve(this.#ceiling);
    }
    return n;
  }

  get last(): number {
    return this.#last;
  }
}

/** A worker's view: the global counter plus the globalseq of its previous event. */
export class WorkerSequence {
  readonly #global: GlobalSequence;
  #prev = 0;

  constructor(global: GlobalSequence) {
    this.#global = global;
  }

  /** Takes the next globalseq; returns it with this worker's previous one (0 for its first). */
  next(): { globalseq: number; prevglobalseq: number } {
    const globalseq = this.#global.next();
    const prevglobalseq = this.#prev;
    this.#prev = globalseq;
    return { globalseq, prevglobalseq };
  }
}
