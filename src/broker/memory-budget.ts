// A broker-wide budget for request bytes held in memory (partial frames and queued requests).
// When it is spent, connections stop reading until bytes are released, so no client, hostile or
// not, can make the broker hold more than the budget (Kafka's queued.max.request.bytes).

export class MemoryBudget {
  readonly limit: number;
  private used = 0;
  private waiters = new Set<() => void>();

  constructor(limit: number) {
    this.limit = limit;
  }

  get inUse(): number {
    return this.used;
  }

  get exhausted(): boolean {
    return this.used >= this.limit;
  }

  take(n: number): void {
    this.used += n;
  }

  release(n: number): void {
    this.used -= n;
    if (this.used < this.limit && this.waiters.size > 0) {
      const ready = [...this.waiters];
      this.waiters.clear();
      for (const w of ready) w();
    }
  }

  /** Calls `resume` once the budget has room again. Returns a cancel function. */
  whenAvailable(resume: () => void): () => void {
    this.waiters.add(resume);
    return () => this.waiters.delete(resume);
  }
}
