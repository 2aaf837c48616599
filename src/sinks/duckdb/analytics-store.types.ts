// The analytics store's contract, shared by the processor (which writes rows into it as a sink) and
// the dashboard (which queries it). The DuckDB implementation lives next to this file.
import type { ChartId } from '../../jobs/clickstream/charts.ts';
import type { ResultRow, ResultTable } from '../../jobs/clickstream/rows.ts';
import type { Sink } from '../../processor/index.ts';

export interface ChartQuery {
  chart: ChartId;
  /** windowEndTime range [from, to), epoch ms. */
  from: number;
  to: number;
  /** Bucket width; default autoBucketMs(from, to). */
  bucketMs?: number;
}

export interface ChartSeries {
  /** 'all' for single-series charts; the department name for the departments chart. */
  name: string;
  /** [bucket start epoch ms, average of the field in that bucket], buckets with data only, ascending. */
  points: Array<[number, number]>;
}

export interface ChartResult {
  chart: ChartId;
  from: number;
  to: number;
  bucketMs: number;
  series: ChartSeries[];
}

export interface CommitInfo {
  /** Tables that received rows in this commit. */
  tables: ResultTable[];
  rows: number;
  /** Largest windowEndTime committed so far, epoch ms (null when the store is empty). */
  maxWindowEnd: number | null;
}

export interface TableStats {
  table: ResultTable;
  rows: number;
  minWindowEnd: number | null;
  maxWindowEnd: number | null;
}

export interface AnalyticsStore extends Sink<ResultRow> {
  readonly path: string;
  chart(q: ChartQuery): Promise<ChartResult>;
  /** The most recent rows of a table (newest windowEndTime first), as plain objects of the row's fields. */
  latest(table: ResultTable, limit: number): Promise<Record<string, unknown>[]>;
  stats(): Promise<TableStats[]>;
  /** Called after each committed flush; returns an unsubscribe function. */
  onCommit(listener: (info: CommitInfo) => void): () => void;
}
