// Group commit: many flush() callers share one fsync round. A caller arriving while a round is
// in flight waits for the next round, which covers everything appended before it started; a
// caller arriving when the in-flight round already covers all appended bytes just joins it.

export class GroupCommit {
  private readonly sync: () => Promise<void>;
  private readonly appended: () => number;
  private running: Promise<void> | null = null;
  private runningTarget = -1;
  private queued: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } | null = null;
  /** Appended-bytes mark that the last successful round made durable. */
  durable = 0;

  /**
   * `sync` makes durable everything appended before it is called; `appended` is a counter of
   * bytes appended so far (monotonic), which tells whether a round has anything to do.
   */
  constructor(sync: () => Promise<void>, appended: () => number) {
    this.sync = sync;
    this.appended = appended;
  }

  flush(): Promise<void> {
    const mark = this.appended();
    if (this.running === null) {
      if (mark === this.durable) return Promise.resolve();
      return this.start();
    }
    if (mark <= this.runningTarget) return this.running;
    if (this.queued === null) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.queued = { promise, resolve, reject };
    }
    return this.queued.promise;
  }

  /** True when no round is in flight or queued. */
  get idle(): boolean {
    return this.running === null && this.queued === null;
  }

  private start(): Promise<void> {
    const target = this.appended();
    this.runningTarget = target;
    const round = this.sync().then(() => {
      if (target > this.durable) this.durable = target;
    });
    const done = round.finally(() => {
      this.running = null;
      this.runningTarget = -1;
      const q = this.queued;
      this.queued = null;
      if (q) this.start().then(q.resolve, q.reject);
    });
    this.running = done;
    return done;
  }
}
