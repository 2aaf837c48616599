// The saved-objects file Brook generates for OpenSearch Dashboards: valid NDJSON, 3 index patterns,
// 5 visualizations, 1 dashboard; every reference resolves; titles as spec section 4; the original's
// chart semantics (avg per auto date_histogram on windowEndTime, departments split top 5) and layout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexNames } from '../../../src/sinks/opensearch/mappings.ts';
import { clickstreamSavedObjects, savedObjectsNdjson } from '../../../src/sinks/opensearch/saved-objects.ts';
import { ORIGINAL_MAPPINGS } from './fake-opensearch.ts';

type Json = any;

/** Spec section 4's table, verbatim. */
const SPEC_CHARTS = [
  { title: 'Average Department Count', index: 'departments_count', field: 'departmentCount', split: true },
  { title: 'Average Order Checkout Event Count', index: 'user_session_details', field: 'orderCheckoutEventCount' },
  { title: 'Average Percent Sessions With Buy', index: 'user_session_counts', field: 'percentSessionswithBuy' },
  { title: 'Average User Session Count', index: 'user_session_counts', field: 'userSessionCount' },
  { title: 'Average User Session Count With Order Checkout', index: 'user_session_counts', field: 'userSessionCountWithOrderCheckout' },
];

/** The original export's panel grid, panel_0..panel_4. */
const ORIGINAL_GRID = [
  { x: 0, y: 0, w: 24, h: 15 },
  { x: 24, y: 0, w: 24, h: 15 },
  { x: 0, y: 15, w: 24, h: 15 },
  { x: 24, y: 15, w: 24, h: 15 },
  { x: 0, y: 30, w: 24, h: 15 },
];

function parse(ndjson: string): Json[] {
  assert.ok(ndjson.endsWith('\n'), 'ends with a newline');
  const lines = ndjson.slice(0, -1).split('\n');
  return lines.map((l, i) => {
    assert.ok(!l.includes('\r') && l.trim() === l && l !== '', `line ${i + 1} is one compact JSON object`);
    return JSON.parse(l);
  });
}

const file = savedObjectsNdjson(clickstreamSavedObjects({ indices: indexNames() }));
const objects = parse(file);
const byKey = new Map(objects.map((o) => [`${o.type}:${o.id}`, o]));
const ofType = (t: string) => objects.filter((o) => o.type === t);

test('valid NDJSON: 3 index patterns, 5 visualizations, 1 dashboard, each with type, id, attributes, references', () => {
  assert.equal(objects.length, 9);
  assert.equal(ofType('index-pattern').length, 3);
  assert.equal(ofType('visualization').length, 5);
  assert.equal(ofType('dashboard').length, 1);
  assert.equal(byKey.size, 9, 'ids are unique');
  for (const o of objects) {
    assert.equal(typeof o.id, 'string');
    assert.equal(typeof o.attributes, 'object');
    assert.ok(Array.isArray(o.references));
    assert.equal(typeof o.migrationVersion[o.type], 'string');
  }
});

test('every reference resolves: dashboard panels to visualizations, visualizations to their index pattern', () => {
  for (const o of objects)
    for (const r of o.references) assert.ok(byKey.has(`${r.type}:${r.id}`), `${o.type} ${o.id} -> ${r.type} ${r.id}`);
  const [dash] = ofType('dashboard');
  const panels = JSON.parse(dash.attributes.panelsJSON) as Json[];
  assert.equal(panels.length, 5);
  for (const p of panels) {
    const ref = dash.references.find((r: Json) => r.name === p.panelRefName);
    assert.ok(ref, `panel ${p.panelRefName} has a reference`);
    assert.equal(ref.type, 'visualization');
  }
  for (const v of ofType('visualization')) {
    const search = JSON.parse(v.attributes.kibanaSavedObjectMeta.searchSourceJSON);
    const ref = v.references.find((r: Json) => r.name === search.indexRefName);
    assert.equal(ref?.type, 'index-pattern', `${v.attributes.title} points at an index pattern through indexRefName`);
  }
});

test('titles and charts as spec section 4: avg of the field per auto date_histogram on windowEndTime, departments top 5 by value', () => {
  const [dash] = ofType('dashboard');
  assert.equal(dash.attributes.title, 'Clickstream Dashboard');
  assert.deepEqual(
    ofType('visualization')
      .map((v) => v.attributes.title)
      .sort(),
    SPEC_CHARTS.map((c) => c.title).sort(),
  );
  for (const spec of SPEC_CHARTS) {
    const vis = ofType('visualization').find((v) => v.attributes.title === spec.title)!;
    const pattern = byKey.get(`index-pattern:${vis.references[0].id}`);
    assert.equal(pattern.attributes.title, spec.index, `${spec.title} reads ${spec.index}`);
    const state = JSON.parse(vis.attributes.visState);
    assert.equal(state.title, spec.title);
    assert.equal(state.type, 'line');
    const metric = state.aggs.find((a: Json) => a.schema === 'metric');
    assert.deepEqual([metric.type, metric.params.field], ['avg', spec.field]);
    const x = state.aggs.find((a: Json) => a.schema === 'segment');
    assert.equal(x.type, 'date_histogram');
    assert.equal(x.params.field, 'windowEndTime');
    assert.equal(x.params.interval, 'auto');
    assert.deepEqual(x.params.timeRange, { from: 'now-15m', to: 'now' });
    const group = state.aggs.find((a: Json) => a.schema === 'group');
    if (spec.split) {
      assert.equal(group.type, 'terms');
      assert.equal(group.params.field, 'departmentName.keyword');
      assert.equal(group.params.size, 5);
      assert.equal(group.params.orderBy, metric.id, 'top 5 ordered by the average');
      assert.equal(group.params.order, 'desc');
    } else assert.equal(group, undefined);
    assert.equal(state.params.seriesParams[0].data.id, metric.id);
  }
});

test('the dashboard keeps the original layout and opens on the last 15 minutes', () => {
  const [dash] = ofType('dashboard');
  const panels = JSON.parse(dash.attributes.panelsJSON) as Json[];
  panels.forEach((p, i) => {
    const { x, y, w, h } = p.gridData;
    assert.deepEqual({ x, y, w, h }, ORIGINAL_GRID[i]);
    assert.equal(p.gridData.i, p.panelIndex);
    const ref = dash.references.find((r: Json) => r.name === p.panelRefName);
    assert.equal(
      byKey.get(`visualization:${ref.id}`).attributes.title,
      SPEC_CHARTS[i]!.title,
      `panel ${i} is ${SPEC_CHARTS[i]!.title}, as in the original`,
    );
  });
  assert.equal(dash.attributes.timeRestore, true);
  assert.equal(dash.attributes.timeFrom, 'now-15m');
  assert.equal(dash.attributes.timeTo, 'now');
});

test('index patterns: one per index, time field windowEndTime, fields typed from the original mappings', () => {
  for (const p of ofType('index-pattern')) {
    assert.equal(p.attributes.timeFieldName, 'windowEndTime');
    const mapping = ORIGINAL_MAPPINGS[p.attributes.title];
    assert.ok(mapping, `${p.attributes.title} is one of the three indexes`);
    const fields = JSON.parse(p.attributes.fields) as Json[];
    const byName = new Map(fields.map((f) => [f.name, f]));
    for (const meta of ['_id', '_index', '_score', '_source', '_type']) assert.ok(byName.has(meta), meta);
    for (const [name, m] of Object.entries(mapping.properties) as [string, Json][]) {
      const f = byName.get(name);
      assert.deepEqual(f.esTypes, [m.type], name);
      const kind = { integer: 'number', long: 'number', double: 'number', date: 'date', text: 'string' }[m.type as string];
      assert.equal(f.type, kind, name);
      assert.equal(f.aggregatable, m.type !== 'text', `${name} aggregatable`);
      if (m.type === 'text') {
        const kw = byName.get(`${name}.keyword`);
        assert.deepEqual([kw.type, kw.esTypes, kw.aggregatable, kw.subType], ['string', ['keyword'], true, { multi: { parent: name } }]);
      }
    }
    assert.equal(
      fields.length,
      5 + Object.keys(mapping.properties).length + Object.values(mapping.properties).filter((m: Json) => m.type === 'text').length,
    );
  }
});

test('deterministic ids (importing again overwrites); an id prefix and index prefix make a separate set', () => {
  assert.equal(savedObjectsNdjson(clickstreamSavedObjects({ indices: indexNames() })), file);
  const other = clickstreamSavedObjects({ indices: indexNames({ indexPrefix: 'qa-' }), idPrefix: 'brook-qa-' });
  for (const o of other) assert.ok(!byKey.has(`${o.type}:${o.id}`), `${o.id} differs from the default set`);
  assert.deepEqual(
    other.filter((o) => o.type === 'index-pattern').map((o) => o.attributes.title),
    ['qa-user_session_details', 'qa-user_session_counts', 'qa-departments_count'],
  );
  for (const o of other) for (const r of o.references) assert.ok(other.some((x) => x.type === r.type && x.id === r.id));
});
