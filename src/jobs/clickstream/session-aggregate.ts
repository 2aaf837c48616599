// Stage 1's accumulator: per user session, the event times of events with a real department,
// the time of the last order_checkout, and the distinct departments. Independent of arrival
// order (the spec's Decision on orderCheckoutEventCount), and mergeable for session merging.

import type { ClickEvent } from '../../generator/schema.ts';
import type { AggregateFunction } from '../../processor/index.ts';

export interface SessionAcc {
  /** Event times of events whose product_type is a department (neither "" nor "N/A"). */
  productTimes: number[];
  /** Event time of the latest order_checkout, -Infinity when none. */
  lastCheckout: number;
  departments: Set<string>;
}

/** A department is any product_type but "", "N/A" and null (which counts as ""). */
export function departmentOf(e: ClickEvent): string | undefined {
  const p = e.product_type;
  return p === null || p === '' || p === 'N/A' ? undefined : p;
}

export const sessionAggregate: AggregateFunction<ClickEvent, SessionAcc> = {
  createAccumulator: () => ({ productTimes: [], lastCheckout: Number.NEGATIVE_INFINITY, departments: new Set() }),
  add(acc, e, timestamp) {
    const dept = departmentOf(e);
    if (dept !== undefined) {
      acc.productTimes.push(timestamp);
      acc.departments.add(dept);
    }
    if (e.event_type === 'order_checkout' && timestamp > acc.lastCheckout) acc.lastCheckout = timestamp;
    return acc;
  },
  merge(a, b) {
    for (const t of b.productTimes) a.productTimes.push(t);
    if (b.lastCheckout > a.lastCheckout) a.lastCheckout = b.lastCheckout;
    for (const d of b.departments) a.departments.add(d);
    return a;
  },
};

/** eventCount-events at or before the last order_checkout; 0 when the session has none. */
export function orderCheckoutEventCount(acc: SessionAcc): number {
  if (acc.lastCheckout === Number.NEGATIVE_INFINITY) return 0;
  let n = 0;
  for (const t of acc.productTimes) if (t <= acc.lastCheckout) n++;
  return n;
}
