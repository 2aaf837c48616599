// The three indexes as the original pipeline created them (spec section 4): names as text with a
// keyword subfield (what the departments chart splits by), counts integer, the percentage double,
// userId long, window times date (which takes epoch-ms numbers), and the document Brook indexes.
import { RESULT_TABLES, type ResultRow, type ResultTable } from '../../jobs/clickstream/rows.ts';
import { OpenSearchError } from './errors.ts';

export type ScalarType = 'integer' | 'long' | 'double' | 'date';
export type FieldMapping = { type: ScalarType } | { type: 'text'; fields: { keyword: { type: 'keyword'; ignore_above: number } } };
export interface IndexMapping {
  properties: Record<string, FieldMapping>;
}

const text = (): FieldMapping => ({ type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } });
const scalar = (type: ScalarType): FieldMapping => ({ type });

/** A fresh copy each call, so no caller can change what the next one sends. */
export function indexMapping(table: ResultTable): IndexMapping {
  switch (table) {
    case 'departments_count':
      return {
        properties: {
          departmentName: text(),
          departmentCount: scalar('integer'),
          windowBeginTime: scalar('date'),
          windowEndTime: scalar('date'),
        },
      };
    case 'user_session_counts':
      return {
        properties: {
          userSessionCount: scalar('integer'),
          userSessionCountWithOrderCheckout: scalar('integer'),
          percentSessionswithBuy: scalar('double'),
          windowBeginTime: scalar('date'),
          windowEndTime: scalar('date'),
        },
      };
    case 'user_session_details':
      return {
        properties: {
          userId: scalar('long'),
          eventCount: scalar('integer'),
          orderCheckoutEventCount: scalar('integer'),
          deptList: text(),
          eventKey: scalar('integer'),
          windowBeginTime: scalar('date'),
          windowEndTime: scalar('date'),
        },
      };
  }
}

const FIELDS: Record<ResultTable, string[]> = Object.fromEntries(
  RESULT_TABLES.map((t) => [t, Object.keys(indexMapping(t).properties)]),
) as Record<ResultTable, string[]>;

/**
 * The indexed document: exactly the mapped fields of row.doc, in mapping order. Picking rather than
 * passing row.doc through means a field added to the row later can never reach OpenSearch unmapped
 * (where dynamic mapping would guess its type for good).
 */
export function documentOf(row: ResultRow): Record<string, unknown> {
  const doc = row.doc as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of FIELDS[row.table]) if (doc[f] !== undefined) out[f] = doc[f];
  return out;
}

/** The index of each table: explicit names, else prefix + table name. */
export function indexNames(
  opts: { indexPrefix?: string; indices?: Partial<Record<ResultTable, string>> } = {},
): Record<ResultTable, string> {
  const names = Object.fromEntries(RESULT_TABLES.map((t) => [t, opts.indices?.[t] ?? `${opts.indexPrefix ?? ''}${t}`])) as Record<
    ResultTable,
    string
  >;
  for (const name of Object.values(names)) validateIndexName(name);
  if (new Set(Object.values(names)).size !== RESULT_TABLES.length)
    throw new OpenSearchError('CONFIG', `the three tables need three different indexes, got ${Object.values(names).join(', ')}`);
  return names;
}

/** OpenSearch's index naming rules, checked here so a bad prefix fails before any request. */
export function validateIndexName(name: string): void {
  const bad =
    name === '' || name === '.' || name === '..'
      ? 'it is empty or a dot'
      : name !== name.toLowerCase()
        ? 'it has upper-case letters'
        : /^[-_+]/.test(name)
          ? 'it starts with -, _ or +'
          : /[\s,:"*+/\\|?#<>]/.test(name)
            ? 'it has a space or one of , : " * + / \\ | ? # < >'
            : Buffer.byteLength(name) > 255
              ? 'it is longer than 255 bytes'
              : undefined;
  if (bad) throw new OpenSearchError('CONFIG', `'${name}' cannot be an OpenSearch index name: ${bad}`);
}
