// A binary min-heap of timers ordered by time, then by insertion, so timers due at the same
// watermark fire in a deterministic order.
export interface Timer<T> {
  time: number;
  seq: number;
  item: T;
}

export class TimerHeap<T> {
  readonly #heap: Timer<T>[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  push(time: number, item: T): void {
    const heap = this.#heap;
    heap.push({ time, seq: this.#seq++, item });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i] as Timer<T>, heap[parent] as Timer<T>)) break;
      swap(heap, i, parent);
      i = parent;
    }
  }

  /** The earliest timer's time, or +Infinity when empty. */
  peekTime(): number {
    return this.#heap[0]?.time ?? Number.POSITIVE_INFINITY;
  }

  pop(): T | undefined {
    const heap = this.#heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop() as Timer<T>;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l] as Timer<T>, heap[m] as Timer<T>)) m = l;
        if (r < heap.length && less(heap[r] as Timer<T>, heap[m] as Timer<T>)) m = r;
        if (m === i) break;
        swap(heap, i, m);
        i = m;
      }
    }
    return top.item;
  }

  clear(): void {
    this.#heap.length = 0;
  }
}

function less<T>(a: Timer<T>, b: Timer<T>): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

function swap<T>(heap: T[], i: number, j: number): void {
  const t = heap[i] as T;
  heap[i] = heap[j] as T;
  heap[j] = t;
}
