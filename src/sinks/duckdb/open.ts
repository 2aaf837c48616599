// Opens the store's DuckDB file: creates its directory, refuses a second writer (DuckDB's file lock
// only stops other processes), turns DuckDB's open errors into ones that say what to do, and
// creates or checks the three tables.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { AnalyticsStoreError } from './errors.ts';
import { createTableSql, expectedColumns, TABLE_SPECS } from './schema.ts';

export const MEMORY_PATH = ':memory:';

/**
 * DuckDB's buffer pool defaults to 80% of the machine's memory and grows into it under a steady
 * write load; the result tables are tens of MB, so a small pool keeps Brook's footprint small
 * (measured: `brook up` at full speed stayed above 500 MB RSS without it). Queries that need more
 * spill to the temp directory instead of failing.
 */
const DUCKDB_OPTIONS = { memory_limit: '128MB', threads: '2' };

// Two DuckDB instances on one file in one process both get the lock (POSIX locks are per process)
// and would corrupt it, so this process keeps its own list of open files.
const openInThisProcess = new Set<string>();

export interface OpenedDatabase {
  instance: DuckDBInstance;
  /** Resolved file path, or ':memory:'. */
  path: string;
  /** Frees the path for another store in this process. */
  release(): void;
}

export async function openDatabase(requested: string): Promise<OpenedDatabase> {
  if (requested === MEMORY_PATH) {
    return { instance: await DuckDBInstance.create(MEMORY_PATH, DUCKDB_OPTIONS), path: MEMORY_PATH, release: () => {} };
  }
  const file = resolveFile(requested);
  if (openInThisProcess.has(file)) {
    throw new AnalyticsStoreError(
      'STORE_LOCKED',
      `the analytics store ${file} is already open in this process: close the other store first, or give this one another path`,
    );
  }
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file, DUCKDB_OPTIONS);
  } catch (err) {
    throw openError(file, err);
  }
  openInThisProcess.add(file);
  return { instance, path: file, release: () => openInThisProcess.delete(file) };
}

function resolveFile(requested: string): string {
  const dir = path.dirname(path.resolve(requested));
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
    // The real directory, so that two spellings of one file are one entry of openInThisProcess.
    return path.join(fs.realpathSync(dir), path.basename(requested));
  } catch (err) {
    throw new AnalyticsStoreError(
      'STORE_UNWRITABLE',
      `cannot create or write the analytics store's directory ${dir} (${(err as NodeJS.ErrnoException).code ?? String(err)}): ` +
        'choose another data directory or store path, or fix its permissions',
      { cause: err },
    );
  }
}

function openError(file: string, err: unknown): AnalyticsStoreError {
  const message = err instanceof Error ? err.message : String(err);
  const lock = /Conflicting lock is held in (.*) \(PID (\d+)\)/.exec(message);
  if (lock) {
    return new AnalyticsStoreError(
      'STORE_LOCKED',
      `the analytics store ${file} is in use by another process (PID ${lock[2]}, ${lock[1]}): stop that process ` +
        '(another `brook up` or `brook process` on the same data directory?), or give this one its own data directory',
      { cause: err },
    );
  }
  if (/not a valid DuckDB database file/.test(message)) {
    return new AnalyticsStoreError(
      'STORE_INVALID_FILE',
      `${file} exists but is not a DuckDB database: move it away, or choose another store path`,
      { cause: err },
    );
  }
  if (/Permission denied|Read-only file system|Cannot open file/i.test(message)) {
    return new AnalyticsStoreError(
      'STORE_UNWRITABLE',
      `cannot open the analytics store ${file} for writing (${message}): fix its permissions, or choose another data directory`,
      { cause: err },
    );
  }
  return new AnalyticsStoreError('STORE_UNWRITABLE', `cannot open the analytics store ${file}: ${message}`, { cause: err });
}

/** Creates the tables of a new file; checks that an existing file has exactly the columns this version writes. */
export async function ensureSchema(conn: DuckDBConnection, file: string): Promise<void> {
  for (const spec of TABLE_SPECS) await conn.run(createTableSql(spec));
  const reader = await conn.runAndReadAll(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = 'main' AND table_catalog = current_database() ORDER BY table_name, ordinal_position`,
  );
  const found = new Map<string, string[]>();
  for (const [table, column, type] of reader.getRows() as [string, string, string][]) {
    found.set(table, [...(found.get(table) ?? []), `${column} ${type}`]);
  }
  for (const spec of TABLE_SPECS) {
    const want = expectedColumns(spec).join(', ');
    const have = (found.get(spec.name) ?? []).join(', ');
    if (want !== have) {
      throw new AnalyticsStoreError(
        'STORE_SCHEMA_MISMATCH',
        `table ${spec.name} in ${file} has columns (${have}), this version of Brook writes (${want}): ` +
          'move the file away (Brook then creates a new, empty one), or choose another store path',
      );
    }
  }
}
