// The store's three tables, typed like the original OpenSearch mappings (integer -> INTEGER, long ->
// BIGINT, double -> DOUBLE, text+keyword -> VARCHAR, deptList -> VARCHAR[], date -> BIGINT epoch ms),
// and the conversions between a row's doc and DuckDB values, both ways.
import { BIGINT, DOUBLE, type DuckDBType, type DuckDBValue, INTEGER, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { RESULT_TABLES, type ResultTable } from '../../jobs/clickstream/rows.ts';

export interface Column {
  name: string;
  /** DuckDB's spelling, as information_schema reports it. */
  sqlType: string;
  type: DuckDBType;
  toDuck(v: unknown): DuckDBValue;
  fromDuck(v: DuckDBValue): unknown;
}

// A missing field becomes NULL and the NOT NULL constraint rejects the flush with the field's name.
const asIs = (v: unknown): DuckDBValue => (v ?? null) as DuckDBValue;
const toBigInt = (v: unknown): DuckDBValue => (v == null ? null : BigInt(v as number));
const toNumber = (v: DuckDBValue): unknown => (typeof v === 'bigint' ? Number(v) : v);

const integer = (name: string): Column => ({ name, sqlType: 'INTEGER', type: INTEGER, toDuck: asIs, fromDuck: toNumber });
const double = (name: string): Column => ({ name, sqlType: 'DOUBLE', type: DOUBLE, toDuck: asIs, fromDuck: toNumber });
const keyword = (name: string): Column => ({ name, sqlType: 'VARCHAR', type: VARCHAR, toDuck: asIs, fromDuck: (v) => v });
// OpenSearch `long` is a signed 64-bit integer: BIGINT. Ids of this job stay far below 2^53.
const long = (name: string): Column => ({ name, sqlType: 'BIGINT', type: BIGINT, toDuck: toBigInt, fromDuck: toNumber });
// OpenSearch `date` holds epoch milliseconds. BIGINT keeps exactly the value the job emitted and the
// API speaks; bucketing is integer arithmetic (about 2x faster than time_bucket on TIMESTAMP_MS
// here). In SQL, make_timestamp_ms(windowEndTime) gives a readable time.
const date = (name: string): Column => ({ name, sqlType: 'BIGINT', type: BIGINT, toDuck: toBigInt, fromDuck: toNumber });
const keywordList = (name: string): Column => ({
  name,
  sqlType: 'VARCHAR[]',
  type: LIST(VARCHAR),
  toDuck: (v) => (v == null ? null : listValue(v as string[])),
  fromDuck: (v) => (v == null ? null : (v as { items: unknown[] }).items),
});

export interface TableSpec {
  name: ResultTable;
  /** The doc's fields in the spec's order; the table adds `id VARCHAR PRIMARY KEY` in front. */
  columns: Column[];
}

export const TABLES: Record<ResultTable, TableSpec> = {
  departments_count: {
    name: 'departments_count',
    columns: [keyword('departmentName'), integer('departmentCount'), date('windowBeginTime'), date('windowEndTime')],
  },
  user_session_counts: {
    name: 'user_session_counts',
    columns: [
      integer('userSessionCount'),
      integer('userSessionCountWithOrderCheckout'),
      double('percentSessionswithBuy'),
      date('windowBeginTime'),
      date('windowEndTime'),
    ],
  },
  user_session_details: {
    name: 'user_session_details',
    columns: [
      long('userId'),
      integer('eventCount'),
      integer('orderCheckoutEventCount'),
      keywordList('deptList'),
      integer('eventKey'),
      date('windowBeginTime'),
      date('windowEndTime'),
    ],
  },
};

export const TABLE_SPECS: TableSpec[] = RESULT_TABLES.map((t) => TABLES[t]);

/** Staging table of a table: same columns, no constraints, in the temp catalog (never in the file). */
export const stageName = (table: ResultTable): string => `stage_${table}`;

export function columnList(spec: TableSpec): string {
  return ['id', ...spec.columns.map((c) => c.name)].join(', ');
}

export function createTableSql(spec: TableSpec): string {
  const cols = spec.columns.map((c) => `${c.name} ${c.sqlType} NOT NULL`).join(', ');
  return `CREATE TABLE IF NOT EXISTS ${spec.name} (id VARCHAR PRIMARY KEY, ${cols})`;
}

/** `name TYPE` per column, id first, to compare with what an existing file holds. */
export function expectedColumns(spec: TableSpec): string[] {
  return ['id VARCHAR', ...spec.columns.map((c) => `${c.name} ${c.sqlType}`)];
}
