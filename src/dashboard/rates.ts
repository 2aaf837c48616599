// Rates from counters sampled over time (log-end offsets, records read): the difference over the
// last few seconds, so a rate is smooth and never needs a counter the broker does not have.

interface Sample {
  at: number;
  values: Map<string, number>;
}

export class RateTracker {
  readonly #windowMs: number;
  readonly #samples: Sample[] = [];

  /** Rates are measured over about `windowMs` (default 10 s). */
  constructor(windowMs = 10_000) {
    this.#windowMs = windowMs;
  }

  /** Records counter values at `at`; returns per-second rates per key (null until two samples exist). */
  sample(at: number, values: Map<string, number>): Map<string, number | null> {
    const base = this.#samples.find((s) => at - s.at <= this.#windowMs && at - s.at >= 500);
    this.#samples.push({ at, values });
    // Keep samples a little past the window so the next call still finds a base.
    while (this.#samples.length > 1 && at - this.#samples[0]!.at > this.#windowMs * 2) this.#samples.shift();
    const rates = new Map<string, number | null>();
    for (const [key, value] of values) {
      const before = base?.values.get(key);
      // A counter that went down was reset (topic recreated, processor restarted): no rate yet.
      rates.set(key, base === undefined || before === undefined || value < before ? null : ((value - before) * 1000) / (at - base.at));
    }
    return rates;
  }
}
