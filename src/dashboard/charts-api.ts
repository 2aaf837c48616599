// /api/charts and /api/charts/:id: the five charts of the Clickstream Dashboard from the analytics
// store, each with its title and field so the page draws them from the API alone.
import { CHART_IDS, CHARTS, type ChartId } from '../jobs/clickstream/charts.ts';
import type { AnalyticsStore, ChartResult } from '../sinks/duckdb/analytics-store.types.ts';
import { HttpError } from './http.ts';
import type { ChartRange } from './range.ts';

export interface ChartAnswer extends ChartResult {
  title: string;
  table: string;
  field: string;
  seriesBy: string | null;
  top: number | null;
}

export function isChartId(id: string): id is ChartId {
  return (CHART_IDS as readonly string[]).includes(id);
}

export async function chartAnswer(store: AnalyticsStore, id: string, range: ChartRange): Promise<ChartAnswer> {
  if (!isChartId(id)) throw new HttpError(404, 'unknown_chart', `no chart '${id}': the charts are ${CHART_IDS.join(', ')}`);
  const spec = CHARTS[id];
  const result = await store.chart({ chart: id, ...range });
  return { ...result, title: spec.title, table: spec.table, field: spec.field, seriesBy: spec.seriesBy ?? null, top: spec.top ?? null };
}

/** All five over one range and one bucket width, so they line up on the page. */
export async function allCharts(store: AnalyticsStore, range: ChartRange): Promise<ChartRange & { charts: ChartAnswer[] }> {
  const charts = await Promise.all(CHART_IDS.map((id) => chartAnswer(store, id, range)));
  return { ...range, charts };
}
