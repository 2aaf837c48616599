// The five charts of the original "Clickstream Dashboard" (spec section 4): each the average of a
// field per time bucket over windowEndTime; departments one series each, top 5. Shared by the
// analytics store's queries, the dashboard and the OpenSearch saved objects Brook generates.
import type { ResultTable } from './rows.ts';

export interface ChartSpec {
  id: ChartId;
  title: string;
  table: ResultTable;
  /** The averaged field. */
  field: string;
  /** One series per value of this field (the top `top` by value), else one series. */
  seriesBy?: string;
  top?: number;
}

export const CHART_IDS = ['departments', 'orderCheckout', 'percentWithBuy', 'sessionCount', 'sessionCountWithBuy'] as const;
export type ChartId = (typeof CHART_IDS)[number];

export const CHARTS: Record<ChartId, ChartSpec> = {
  departments: {
    id: 'departments',
    title: 'Average Department Count',
    table: 'departments_count',
    field: 'departmentCount',
    seriesBy: 'departmentName',
    top: 5,
  },
  orderCheckout: {
    id: 'orderCheckout',
    title: 'Average Order Checkout Event Count',
    table: 'user_session_details',
    field: 'orderCheckoutEventCount',
  },
  percentWithBuy: {
    id: 'percentWithBuy',
    title: 'Average Percent Sessions With Buy',
    table: 'user_session_counts',
    field: 'percentSessionswithBuy',
  },
  sessionCount: { id: 'sessionCount', title: 'Average User Session Count', table: 'user_session_counts', field: 'userSessionCount' },
  sessionCountWithBuy: {
    id: 'sessionCountWithBuy',
    title: 'Average User Session Count With Order Checkout',
    table: 'user_session_counts',
    field: 'userSessionCountWithOrderCheckout',
  },
};

/** The time axis of every chart. */
export const TIME_FIELD = 'windowEndTime';

/**
 * Automatic bucket size, as OpenSearch Dashboards' "auto" interval: about `targetBuckets` buckets
 * over the range, rounded up to a readable step, never below the 10 s window.
 */
export function autoBucketMs(fromMs: number, toMs: number, targetBuckets = 100): number {
  const steps = [10_000, 30_000, 60_000, 5 * 60_000, 10 * 60_000, 30 * 60_000, 3_600_000, 3 * 3_600_000, 12 * 3_600_000, 86_400_000];
  const raw = Math.max(1, toMs - fromMs) / targetBuckets;
  return steps.find((s) => s >= raw) ?? steps[steps.length - 1]!;
}
