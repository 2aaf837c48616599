// An index pattern's field list as OpenSearch Dashboards stores it, derived from Brook's mapping:
// the metadata fields, then each field (text searchable only; its .keyword aggregatable), by name.
import type { IndexMapping } from './mappings.ts';

export interface IndexPatternField {
  count: 0;
  name: string;
  type: string;
  esTypes?: string[];
  scripted: false;
  searchable: boolean;
  aggregatable: boolean;
  readFromDocValues: boolean;
  subType?: { multi: { parent: string } };
}

const field = (
  name: string,
  type: string,
  esTypes: string[] | undefined,
  searchable: boolean,
  aggregatable: boolean,
  readFromDocValues: boolean,
): IndexPatternField => ({
  count: 0,
  name,
  type,
  ...(esTypes ? { esTypes } : {}),
  scripted: false,
  searchable,
  aggregatable,
  readFromDocValues,
});

const META_FIELDS: IndexPatternField[] = [
  field('_id', 'string', ['_id'], true, true, false),
  field('_index', 'string', ['_index'], true, true, false),
  field('_score', 'number', undefined, false, false, false),
  field('_source', '_source', ['_source'], false, false, false),
  field('_type', 'string', ['_type'], true, true, false),
];

/** Dashboards' field kinds: every numeric type is a number. */
const KIND: Record<string, string> = {
  integer: 'number',
  long: 'number',
  double: 'number',
  date: 'date',
  text: 'string',
  keyword: 'string',
};

export function indexPatternFields(mapping: IndexMapping): IndexPatternField[] {
  const out: IndexPatternField[] = [];
  for (const [name, m] of Object.entries(mapping.properties)) {
    const text = m.type === 'text';
    out.push(field(name, KIND[m.type] ?? 'unknown', [m.type], true, !text, !text));
    if (m.type === 'text')
      out.push({ ...field(`${name}.keyword`, 'string', ['keyword'], true, true, true), subType: { multi: { parent: name } } });
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...META_FIELDS, ...out];
}
