// Connections for queries, apart from the writer's, so that the dashboard's charts run in parallel
// with each other and with a flush and see only committed rows; each keeps its prepared statements.
import type { DuckDBConnection, DuckDBInstance, DuckDBPreparedStatement, DuckDBValue } from '@duckdb/node-api';

/** Runs one statement with positional parameters and returns its rows. */
export type RunSql = (sql: string, params?: DuckDBValue[]) => Promise<DuckDBValue[][]>;

// Preparing once saves about 0.9 ms of the ~2 ms a small chart query takes (measured); the SQL
// varies only by chart and bucket size, so a few dozen statements cover every dashboard query.
const MAX_PREPARED = 64;

interface Pooled {
  conn: DuckDBConnection;
  prepared: Map<string, DuckDBPreparedStatement>;
}

export class ReadPool {
  readonly #instance: DuckDBInstance;
  readonly #idle: Pooled[] = [];
  readonly #maxIdle: number;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(instance: DuckDBInstance, maxIdle = 4) {
    this.#instance = instance;
    this.#maxIdle = maxIdle;
  }

  use<T>(fn: (run: RunSql) => Promise<T>): Promise<T> {
    const run = (async () => {
      const pooled = this.#idle.pop() ?? { conn: await this.#instance.connect(), prepared: new Map() };
      try {
        return await fn((sql, params) => runPrepared(pooled, sql, params));
      } finally {
        if (this.#idle.length < this.#maxIdle) this.#idle.push(pooled);
        else close(pooled);
      }
    })();
    this.#inFlight.add(run);
    const done = () => void this.#inFlight.delete(run);
    run.then(done, done);
    return run;
  }

  /** Waits for the queries in flight, then closes every connection. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
    for (const pooled of this.#idle.splice(0)) close(pooled);
  }
}

async function runPrepared(pooled: Pooled, sql: string, params: DuckDBValue[] = []): Promise<DuckDBValue[][]> {
  let stmt = pooled.prepared.get(sql);
  if (!stmt) {
    if (pooled.prepared.size >= MAX_PREPARED) {
      for (const s of pooled.prepared.values()) s.destroySync();
      pooled.prepared.clear();
    }
    stmt = await pooled.conn.prepare(sql);
    pooled.prepared.set(sql, stmt);
  }
  if (params.length > 0) stmt.bind(params);
  return (await stmt.runAndReadAll()).getRows();
}

function close(pooled: Pooled): void {
  for (const s of pooled.prepared.values()) s.destroySync();
  pooled.conn.closeSync();
}

/** The same signature over a plain connection (the writer's, at open). */
export function runOn(conn: DuckDBConnection): RunSql {
  return async (sql, params) => (await conn.runAndReadAll(sql, params)).getRows();
}
