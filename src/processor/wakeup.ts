// A sleep that something else can cut short: `sleep(ms, signal)` resolves after ms, on abort, or
// at the next `wake()`, whichever comes first. Used to wait for a group assignment without polling.

export class Wakeup {
  #wake: (() => void) | undefined;

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.#wake = done;
    });
  }

  /** Ends the current sleep, if any. */
  wake(): void {
    this.#wake?.();
  }
}
