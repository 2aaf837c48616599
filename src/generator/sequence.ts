// globalseq: one counter shared by all workers of the process (unique, gap-free, increasing),
// and each worker's link to its own previous event (prevglobalseq).

export class GlobalSequence {
  #last: number;

  /** `last` is the last globalseq already used (the bookmark), 0 on a fresh start. */
  constructor(last = 0) {
    this.#last = last;
  }

  next(): number {
    return ++this.#last;
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
