// `--rate N`: a token bucket shared by all workers that caps events per second. A session's events
// are taken at once before they get sequence numbers, so stopping while waiting leaves no gap.
import type { Clock } from './clock.ts';

export class RateLimiter {
  readonly #perSecond: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;
  /** Waiters are served in order, so one big session cannot be starved by small ones. */
  #queue: Promise<void> = Promise.resolve();

  constructor(perSecond: number, clock: Clock) {
    this.#perSecond = perSecond;
    this.#clock = clock;
    this.#tokens = 0;
    this.#last = clock.now();
  }

  /** Resolves when `n` events may be sent; false when `signal` stopped the wait. */
  take(n: number, signal: AbortSignal): Promise<boolean> {
    const turn = this.#queue.then(() => this.#wait(n, signal));
    this.#queue = turn.then(() => undefined);
    return turn;
  }

  async #wait(n: number, signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal.aborted) return false;
      const now = this.#clock.now();
      // A burst of at most one second's worth, so an idle spell does not allow a flood.
      this.#tokens = Math.min(this.#perSecond, this.#tokens + ((now - this.#last) * this.#perSecond) / 1000);
      this.#last = now;
      if (this.#tokens >= n || (this.#tokens >= this.#perSecond && n > this.#perSecond)) {
        this.#tokens -= n;
        return true;
      }
      const ms = Math.ceil(((Math.min(n, this.#perSecond) - this.#tokens) * 1000) / this.#perSecond);
      await this.#clock.sleep(Math.max(1, ms), signal);
    }
  }
}
