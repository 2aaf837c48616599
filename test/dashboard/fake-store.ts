// An in-memory AnalyticsStore for the dashboard's API tests: upsert by id on flush, averages per
// bucket over windowEndTime, departments top 5 by their average over the range.
import { autoBucketMs, CHARTS } from '../../src/jobs/clickstream/charts.ts';
import { RESULT_TABLES, type ResultRow, type ResultTable } from '../../src/jobs/clickstream/rows.ts';
import type { StreamRecord } from '../../src/processor/index.ts';
import type {
  AnalyticsStore,
  ChartQuery,
  ChartResult,
  ChartSeries,
  CommitInfo,
  TableStats,
} from '../../src/sinks/duckdb/analytics-store.types.ts';

type Doc = Record<string, unknown> & { windowEndTime: number };

export class FakeStore implements AnalyticsStore {
  readonly name = 'fake-store';
  readonly path = ':memory:';
  readonly #tables = new Map<ResultTable, Map<string, Doc>>(RESULT_TABLES.map((t) => [t, new Map()]));
  #pending: ResultRow[] = [];
  readonly #listeners = new Set<(info: CommitInfo) => void>();

  write(record: StreamRecord<ResultRow>): void {
    this.#pending.push(record.value);
  }

  async flush(): Promise<void> {
    const rows = this.#pending;
    this.#pending = [];
    if (rows.length === 0) return;
    for (const r of rows) this.#tables.get(r.table)!.set(r.id, r.doc as unknown as Doc);
    const info: CommitInfo = { tables: [...new Set(rows.map((r) => r.table))], rows: rows.length, maxWindowEnd: this.#maxEnd() };
    for (const l of this.#listeners) l(info);
  }

  async close(): Promise<void> {}

  async chart(q: ChartQuery): Promise<ChartResult> {
    const spec = CHARTS[q.chart];
    const bucketMs = q.bucketMs ?? autoBucketMs(q.from, q.to);
    const docs = [...this.#tables.get(spec.table)!.values()].filter((d) => d.windowEndTime >= q.from && d.windowEndTime < q.to);
    const series = (name: string, ds: Doc[]): ChartSeries => {
      const buckets = new Map<number, number[]>();
      for (const d of ds) {
        const b = Math.floor(d.windowEndTime / bucketMs) * bucketMs;
        buckets.set(b, [...(buckets.get(b) ?? []), Number(d[spec.field])]);
      }
      const points = [...buckets].sort((a, b) => a[0] - b[0]).map(([b, xs]) => [b, avg(xs)] as [number, number]);
      return { name, points };
    };
    if (!spec.seriesBy) return { chart: q.chart, from: q.from, to: q.to, bucketMs, series: docs.length ? [series('all', docs)] : [] };
    const groups = new Map<string, Doc[]>();
    for (const d of docs) {
      const k = String(d[spec.seriesBy]);
      groups.set(k, [...(groups.get(k) ?? []), d]);
    }
    const top = [...groups]
      .map(([k, ds]) => ({ k, ds, v: avg(ds.map((d) => Number(d[spec.field]))) }))
      .sort((a, b) => b.v - a.v || a.k.localeCompare(b.k))
      .slice(0, spec.top ?? 5);
    return { chart: q.chart, from: q.from, to: q.to, bucketMs, series: top.map((g) => series(g.k, g.ds)) };
  }

  async latest(table: ResultTable, limit: number): Promise<Record<string, unknown>[]> {
    return [...this.#tables.get(table)!.values()].sort((a, b) => b.windowEndTime - a.windowEndTime).slice(0, limit);
  }

  async stats(): Promise<TableStats[]> {
    return RESULT_TABLES.map((table) => {
      const ends = [...this.#tables.get(table)!.values()].map((d) => d.windowEndTime);
      return {
        table,
        rows: ends.length,
        minWindowEnd: ends.length ? Math.min(...ends) : null,
        maxWindowEnd: ends.length ? Math.max(...ends) : null,
      };
    });
  }

  onCommit(listener: (info: CommitInfo) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #maxEnd(): number | null {
    const ends = [...this.#tables.values()].flatMap((m) => [...m.values()].map((d) => d.windowEndTime));
    return ends.length ? Math.max(...ends) : null;
  }
}

function avg(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
