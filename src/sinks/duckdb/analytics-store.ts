// The analytics store on DuckDB: a sink for the clickstream job's rows (committed at each flush,
// that is at each checkpoint) and the queries behind the dashboard, in one file that outlives restarts.
import { channel } from 'node:diagnostics_channel';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ResultRow, ResultTable } from '../../jobs/clickstream/rows.ts';
import type { StreamRecord } from '../../processor/index.ts';
import type { AnalyticsStore, ChartQuery, ChartResult, CommitInfo, TableStats } from './analytics-store.types.ts';
import { AnalyticsStoreError } from './errors.ts';
import { ensureSchema, type OpenedDatabase, openDatabase } from './open.ts';
import { chartQuery, latestRows, tableStats } from './queries.ts';
import { ReadPool, type RunSql, runOn } from './read-pool.ts';
import { StoreWriter, type WriterCommit } from './writer.ts';

export const DEFAULT_RETENTION_MS = 7 * 24 * 3_600_000;

export interface AnalyticsStoreOptions {
  /** A DuckDB file, e.g. `<data-dir>/store/clickstream.duckdb` (directories are created), or ':memory:'. */
  path: string;
  /** Rows whose windowEndTime is older than now - retentionMs are deleted. Default 7 days; Infinity keeps all. */
  retentionMs?: number;
  /** Wall clock for retention, epoch ms. Default Date.now. */
  now?: () => number;
  /**
   * Also commit buffered rows this often (ms), not only at each flush (the processor's checkpoint):
   * closed windows reach the dashboard within this, while checkpoints, which serialize all window
   * state, can be rarer. Rows are upserted by id, so committing before the checkpoint is safe: a
   * replay rewrites the same rows. Default: only at flushes.
   */
  commitEveryMs?: number;
}

/** Published after each commit: `{ path, tables, rows, maxWindowEnd, durationMs }`. */
export const storeCommitChannel = channel('brook:store:commit');
/** Published when an onCommit listener throws: `{ path, error }`; the commit itself stands. */
export const storeListenerErrorChannel = channel('brook:store:listener-error');

export async function openAnalyticsStore(opts: AnalyticsStoreOptions): Promise<AnalyticsStore> {
  const retentionMs = opts.retentionMs ?? DEFAULT_RETENTION_MS;
  if (!(retentionMs > 0)) throw new AnalyticsStoreError('STORE_INVALID_OPTION', `retentionMs must be positive, got ${retentionMs}`);
  const db = await openDatabase(opts.path);
  let conn: DuckDBConnection | undefined;
  try {
    conn = await db.instance.connect();
    await ensureSchema(conn, db.path);
    const store = new DuckDBAnalyticsStore(db, conn);
    await store.init(retentionMs, opts.now ?? Date.now);
    if (opts.commitEveryMs !== undefined) store.commitEvery(opts.commitEveryMs);
    return store;
  } catch (err) {
    conn?.closeSync();
    db.instance.closeSync();
    db.release();
    throw err;
  }
}

class DuckDBAnalyticsStore implements AnalyticsStore {
  readonly name = 'analytics-store';
  readonly path: string;
  readonly #db: OpenedDatabase;
  readonly #conn: DuckDBConnection;
  readonly #reads: ReadPool;
  readonly #listeners = new Set<(info: CommitInfo) => void>();
  #writer!: StoreWriter;
  #maxWindowEnd: number | null = null;
  #closing: Promise<void> | undefined;
  #commitTimer: NodeJS.Timeout | undefined;

  constructor(db: OpenedDatabase, conn: DuckDBConnection) {
    this.#db = db;
    this.#conn = conn;
    this.path = db.path;
    this.#reads = new ReadPool(db.instance);
  }

  async init(retentionMs: number, now: () => number): Promise<void> {
    this.#writer = await StoreWriter.create(this.#conn, { retentionMs, now, onCommit: (c) => this.#committed(c) });
    // Nothing is buffered yet: this applies the retention to what an earlier run left.
    await this.#writer.flush();
    const stats = await tableStats(runOn(this.#conn));
    for (const s of stats) if (s.maxWindowEnd !== null) this.#maxWindowEnd = Math.max(this.#maxWindowEnd ?? s.maxWindowEnd, s.maxWindowEnd);
  }

  /** Commits on a timer too; a failed timed commit keeps its rows buffered for the next flush, which reports it. */
  commitEvery(ms: number): void {
    if (!(ms > 0)) throw new AnalyticsStoreError('STORE_INVALID_OPTION', `commitEveryMs must be positive, got ${ms}`);
    this.#commitTimer = setInterval(() => {
      if (!this.#closing) this.#writer.flush().catch(() => undefined);
    }, ms);
    this.#commitTimer.unref();
  }

  /** Opened by openAnalyticsStore already. */
  open(): Promise<void> {
    return Promise.resolve();
  }

  write(record: StreamRecord<ResultRow>): void {
    if (this.#closing) throw closed(this.path);
    this.#writer.write(record.value);
  }

  flush(): Promise<void> {
    if (this.#closing) return Promise.reject(closed(this.path));
    return this.#writer.flush();
  }

  chart(q: ChartQuery): Promise<ChartResult> {
    return this.#read((run) => chartQuery(run, q));
  }

  latest(table: ResultTable, limit: number): Promise<Record<string, unknown>[]> {
    return this.#read((run) => latestRows(run, table, limit));
  }

  stats(): Promise<TableStats[]> {
    return this.#read((run) => tableStats(run));
  }

  onCommit(listener: (info: CommitInfo) => void): () => void {
    // A wrapper per subscription, so that subscribing one function twice gives two subscriptions.
    const entry = (info: CommitInfo) => listener(info);
    this.#listeners.add(entry);
    return () => void this.#listeners.delete(entry);
  }

  /** Commits what is buffered (a replay after restart rewrites the same ids), then closes the file. */
  close(): Promise<void> {
    clearInterval(this.#commitTimer);
    this.#closing ??= (async () => {
      try {
        await this.#writer.flush();
      } finally {
        await this.#writer.close();
        await this.#reads.close();
        this.#conn.closeSync();
        this.#db.instance.closeSync();
        this.#db.release();
      }
    })();
    return this.#closing;
  }

  #read<T>(fn: (run: RunSql) => Promise<T>): Promise<T> {
    if (this.#closing) return Promise.reject(closed(this.path));
    return this.#reads.use(fn);
  }

  #committed(c: WriterCommit): void {
    this.#maxWindowEnd = Math.max(this.#maxWindowEnd ?? c.maxWindowEnd, c.maxWindowEnd);
    const info: CommitInfo = { tables: c.tables, rows: c.rows, maxWindowEnd: this.#maxWindowEnd };
    if (storeCommitChannel.hasSubscribers) storeCommitChannel.publish({ path: this.path, ...info, durationMs: c.durationMs });
    for (const listener of this.#listeners) {
      try {
        listener(info);
      } catch (error) {
        storeListenerErrorChannel.publish({ path: this.path, error });
      }
    }
  }
}

function closed(path: string): AnalyticsStoreError {
  return new AnalyticsStoreError('STORE_CLOSED', `the analytics store ${path} is closed: open it again with openAnalyticsStore`);
}
