// The saved objects Brook gives OpenSearch Dashboards: an index pattern per index (time field
// windowEndTime), the five charts of spec section 4, and the "Clickstream Dashboard" with the
// original's layout (two 24x15 panels a row). Fixed ids, so importing again overwrites, not duplicates.
import { CHART_IDS, CHARTS, TIME_FIELD } from '../../jobs/clickstream/charts.ts';
import { RESULT_TABLES, type ResultTable } from '../../jobs/clickstream/rows.ts';
import { indexPatternFields } from './index-pattern.ts';
import { indexMapping } from './mappings.ts';
import { DEFAULT_TIME_RANGE, visState } from './visualization.ts';

export const DASHBOARD_TITLE = 'Clickstream Dashboard';

export interface SavedObjectReference {
  name: string;
  type: string;
  id: string;
}

export interface SavedObject {
  type: 'index-pattern' | 'visualization' | 'dashboard';
  id: string;
  attributes: Record<string, unknown>;
  references: SavedObjectReference[];
  /** The versions whose shapes these are; Dashboards migrates them from there on import. */
  migrationVersion: Record<string, string>;
}

export interface SavedObjectsOptions {
  /** Index of each table (the pattern titles). */
  indices: Record<ResultTable, string>;
  /** Prefix of every object id. Default 'brook-'; give each index prefix its own. */
  idPrefix?: string;
}

const INDEX_REF = 'kibanaSavedObjectMeta.searchSourceJSON.index';
const EMPTY_QUERY = { query: { query: '', language: 'kuery' }, filter: [] };
/** The panel version the original export was made with: tells Dashboards how to read panelsJSON. */
const PANEL_VERSION = '1.3.2';
const PANEL_W = 24;
const PANEL_H = 15;

export function clickstreamSavedObjects(opts: SavedObjectsOptions): SavedObject[] {
  const idPrefix = opts.idPrefix ?? 'brook-';
  const patternId = (t: ResultTable) => `${idPrefix}index-pattern-${t}`;
  const patterns: SavedObject[] = RESULT_TABLES.map((t) => ({
    type: 'index-pattern',
    id: patternId(t),
    attributes: {
      title: opts.indices[t],
      timeFieldName: TIME_FIELD,
      fields: JSON.stringify(indexPatternFields(indexMapping(t))),
    },
    references: [],
    migrationVersion: { 'index-pattern': '7.6.0' },
  }));
  const visualizations: SavedObject[] = CHART_IDS.map((c) => {
    const chart = CHARTS[c];
    return {
      type: 'visualization',
      id: `${idPrefix}visualization-${chart.id}`,
      attributes: {
        title: chart.title,
        visState: JSON.stringify(visState(chart)),
        uiStateJSON: '{}',
        description: '',
        version: 1,
        kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ ...EMPTY_QUERY, indexRefName: INDEX_REF }) },
      },
      references: [{ name: INDEX_REF, type: 'index-pattern', id: patternId(chart.table) }],
      migrationVersion: { visualization: '7.10.0' },
    };
  });
  // The original's layout: charts in CHART_IDS order, left then right, row after row.
  const panels = CHART_IDS.map((c, i) => ({
    version: PANEL_VERSION,
    gridData: { x: (i % 2) * PANEL_W, y: Math.floor(i / 2) * PANEL_H, w: PANEL_W, h: PANEL_H, i: c },
    panelIndex: c,
    embeddableConfig: {},
    panelRefName: `panel_${i}`,
  }));
  const dashboard: SavedObject = {
    type: 'dashboard',
    id: `${idPrefix}dashboard-clickstream`,
    attributes: {
      title: DASHBOARD_TITLE,
      hits: 0,
      description: 'The clickstream job results written by Brook (spec section 4).',
      panelsJSON: JSON.stringify(panels),
      optionsJSON: JSON.stringify({ useMargins: true, hidePanelTitles: false }),
      version: 1,
      // Opens on the spec's default range and follows new 10 s windows as they are indexed.
      timeRestore: true,
      timeFrom: DEFAULT_TIME_RANGE.from,
      timeTo: DEFAULT_TIME_RANGE.to,
      refreshInterval: { pause: false, value: 10_000 },
      kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify(EMPTY_QUERY) },
    },
    references: visualizations.map((v, i) => ({ name: `panel_${i}`, type: 'visualization', id: v.id })),
    migrationVersion: { dashboard: '7.9.3' },
  };
  return [...patterns, ...visualizations, dashboard];
}

/** One object a line, each line ending in a newline: the file the _import API and the UI take. */
export function savedObjectsNdjson(objects: readonly SavedObject[]): string {
  return objects.map((o) => `${JSON.stringify(o)}\n`).join('');
}
