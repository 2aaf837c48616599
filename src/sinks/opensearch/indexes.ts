// Creates the three indexes with the original mappings, idempotently: PUT each one and take
// `resource_already_exists_exception` as success, then check that an existing index maps every
// field as Brook writes it (adding fields it lacks), so dynamic mapping never guesses a type.
import { RESULT_TABLES, type ResultTable } from '../../jobs/clickstream/rows.ts';
import { describeErrorBody, errorType, OpenSearchError } from './errors.ts';
import type { HttpResult, OpenSearchHttp } from './http-client.ts';
import { type FieldMapping, indexMapping } from './mappings.ts';
import { type RetryPolicy, withRetry } from './retry.ts';

export interface IndexSetup {
  table: ResultTable;
  index: string;
  /** created; existed with the right mapping; existed and got the fields it lacked. */
  outcome: 'created' | 'exists' | 'extended';
}

export async function ensureIndexes(
  client: OpenSearchHttp,
  names: Record<ResultTable, string>,
  policy: RetryPolicy,
): Promise<IndexSetup[]> {
  const out: IndexSetup[] = [];
  for (const table of RESULT_TABLES) out.push(await ensureIndex(client, table, names[table], policy));
  return out;
}

async function ensureIndex(client: OpenSearchHttp, table: ResultTable, index: string, policy: RetryPolicy): Promise<IndexSetup> {
  const path = `/${encodeURIComponent(index)}`;
  const mappings = indexMapping(table);
  const created = await withRetry(`creating index ${index}`, policy, () => client.request('PUT', path, { json: { mappings } }));
  if (ok(created)) return { table, index, outcome: 'created' };
  const exists = created.status === 400 && errorType(created.text) === 'resource_already_exists_exception';
  // A writer without indices:admin/create gets 403 even for an index that exists: look before failing.
  const forbidden = created.status === 403;
  if (!exists && !forbidden) throw failure(client, `cannot create index ${index}`, created, 'indices:admin/create');

  const got = await withRetry(`reading the mapping of ${index}`, policy, () => client.request('GET', `${path}/_mapping`));
  if (!ok(got)) {
    if (forbidden) throw failure(client, `cannot create index ${index}`, created, 'indices:admin/create');
    throw failure(client, `cannot read the mapping of index ${index}`, got, 'indices:admin/mappings/get');
  }
  const actual = existingProperties(got.text, index);
  const missing: Record<string, FieldMapping> = {};
  const conflicts: string[] = [];
  for (const [field, want] of Object.entries(mappings.properties)) {
    const have = actual[field];
    if (have === undefined) missing[field] = want;
    else {
      const problem = compare(want, have);
      if (problem) conflicts.push(`${field} ${problem}`);
    }
  }
  if (conflicts.length > 0)
    throw new OpenSearchError(
      'MAPPING_CONFLICT',
      `index ${index} on ${client.display} already exists with a different mapping: ${conflicts.join('; ')}. ` +
        'Its documents would not chart right (a date indexed as a number has no date histogram). Delete the index ' +
        '(replaying the job rebuilds it) or write to other indexes with --index-prefix.',
    );
  if (Object.keys(missing).length === 0) return { table, index, outcome: 'exists' };
  const put = await withRetry(`adding fields to ${index}`, policy, () =>
    client.request('PUT', `${path}/_mapping`, { json: { properties: missing } }),
  );
  if (!ok(put))
    throw failure(
      client,
      `cannot add ${Object.keys(missing).join(', ')} to the mapping of index ${index}`,
      put,
      'indices:admin/mapping/put',
    );
  return { table, index, outcome: 'extended' };
}

const ok = (r: HttpResult): boolean => r.status >= 200 && r.status < 300;

interface ActualField {
  type?: unknown;
  fields?: { keyword?: { type?: unknown } };
}

/** `GET /<index>/_mapping` answers `{ "<concrete index>": { "mappings": { "properties": ... } } }`. */
function existingProperties(text: string, index: string): Record<string, ActualField> {
  try {
    const body = JSON.parse(text) as Record<string, { mappings?: { properties?: Record<string, ActualField> } }>;
    const first = Object.values(body)[0];
    return first?.mappings?.properties ?? {};
  } catch {
    throw new OpenSearchError('PROTOCOL', `the mapping of index ${index} is not JSON: ${text.slice(0, 200)}`);
  }
}

function compare(want: FieldMapping, have: ActualField): string | undefined {
  const type = typeof have.type === 'string' ? have.type : 'object';
  if (type !== want.type) return `is mapped as ${type}, Brook writes ${want.type}`;
  if (want.type === 'text' && have.fields?.keyword?.type !== 'keyword')
    return 'has no keyword subfield (the charts group by <field>.keyword)';
  return undefined;
}

function failure(client: OpenSearchHttp, what: string, res: HttpResult, permission: string): OpenSearchError {
  const detail = `${what} on ${client.display}: HTTP ${res.status}, ${describeErrorBody(res.text)}`;
  if (res.status === 401 || res.status === 403)
    return new OpenSearchError(
      'AUTH',
      `${detail}. Check the credentials (${client.authDescription}) and that the user has ${permission}, ` +
        "or create the indexes once as a user who may ('brook opensearch setup').",
    );
  return new OpenSearchError('INDEX', detail);
}
