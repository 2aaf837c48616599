// Time for the group coordinator: a clock and one-shot timers behind a small interface, so tests
// drive session, rebalance and retention timeouts by hand instead of sleeping.

/** Whatever the scheduler's setTimeout returns; only ever handed back to its clearTimeout. */
export type TimerHandle = unknown;

export interface Scheduler {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Node's timers, unref'd so that pending session timeouts never keep a process alive. */
export const realScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** One re-armable timer: arming again replaces the previous deadline (a heartbeat resets it). */
export class Timer {
  private readonly scheduler: Scheduler;
  private handle: TimerHandle | null = null;

  constructor(scheduler: Scheduler) {
    this.scheduler = scheduler;
  }

  get armed(): boolean {
    return this.handle !== null;
  }

  arm(ms: number, fn: () => void): void {
    this.cancel();
    const handle = this.scheduler.setTimeout(
      () => {
        // A cancel that raced with expiry must win: only the latest arming may fire.
        if (this.handle !== handle) return;
        this.handle = null;
        fn();
      },
      Math.max(0, ms),
    );
    this.handle = handle;
  }

  cancel(): void {
    if (this.handle !== null) {
      this.scheduler.clearTimeout(this.handle);
      this.handle = null;
    }
  }
}
