// The page: a hash router over three views (#/dashboard, #/pipeline, #/schemas), one EventSource
// for live updates (a store commit refetches the charts once; pipeline snapshots every 2 s), and
// window.__brook, the page's state in plain data for people debugging and for the browser test.

import { getJson } from './api.js';
import { DashboardView, parseRangeParams, rangeQuery } from './dashboard.js';
import { $, $$ } from './dom.js';
import { PipelineView } from './pipeline.js';
import { SchemasView } from './schemas.js';

const debug = {
  view: null,
  connected: false,
  commits: 0,
  lastCommit: null,
  chartRenders: 0,
  charts: {},
  range: null,
  pipelineRenders: 0,
  pipelineAt: null,
  subjects: null,
  schema: null,
};
window.__brook = debug;

const views = {
  dashboard: new DashboardView($('#view-dashboard'), { debug, onRange: (range) => navigate(`#/dashboard?${rangeQuery(range)}`) }),
  pipeline: new PipelineView($('#view-pipeline')),
  schemas: new SchemasView($('#view-schemas'), {
    debug,
    onSelect: (subject, version) => navigate(`#/schemas/${encodeURIComponent(subject)}${version ? `/${version}` : ''}`),
  }),
};
let lastPipeline = null;

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(query) };
}

async function route() {
  const { parts, params } = parseHash();
  const name = parts[0] in views ? parts[0] : 'dashboard';
  for (const [key] of Object.entries(views)) $(`#view-${key}`).hidden = key !== name;
  for (const a of $$('.tabs a')) a.setAttribute('aria-current', a.dataset.view === name ? 'page' : 'false');
  debug.view = name;
  document.title = `${{ dashboard: 'Clickstream Dashboard', pipeline: 'Pipeline', schemas: 'Schemas' }[name]} · Brook`;
  if (name === 'dashboard') {
    await views.dashboard.setRange(parseRangeParams(params));
  } else if (name === 'pipeline') {
    if (lastPipeline) renderPipeline(lastPipeline);
    // The event stream sends one within 2 s; asking now fills the view at once.
    getJson('/api/pipeline').then(renderPipeline, () => undefined);
  } else {
    await views.schemas.show(parts[1] ?? null, parts[2] ?? null);
  }
}

function renderPipeline(snap) {
  if (lastPipeline && snap.at < lastPipeline.at) return;
  lastPipeline = snap;
  if (debug.view !== 'pipeline') return;
  views.pipeline.render(snap);
  debug.pipelineRenders++;
  debug.pipelineAt = snap.at;
}

function connect() {
  const live = $('#live');
  const source = new EventSource('/api/events');
  let broken = false;
  source.addEventListener('hello', () => {
    // After a reconnect, commits may have been missed.
    if (broken && debug.view === 'dashboard') void views.dashboard.refresh();
    broken = false;
    debug.connected = true;
    live.dataset.state = 'live';
    live.title = 'Receiving live updates';
  });
  source.addEventListener('commit', (e) => {
    const info = JSON.parse(e.data);
    debug.commits++;
    debug.lastCommit = info;
    // Other views ignore it: going back to the dashboard refetches anyway.
    if (debug.view === 'dashboard') void views.dashboard.onCommit(info);
  });
  source.addEventListener('pipeline', (e) => renderPipeline(JSON.parse(e.data)));
  source.addEventListener('error', () => {
    broken = true;
    debug.connected = false;
    live.dataset.state = 'down';
    live.title = 'Live updates interrupted: reconnecting…';
  });
}

// A relative range ("last 15 min") slides with the clock even when no window closes.
setInterval(() => {
  if (debug.view === 'dashboard' && views.dashboard.range.last) void views.dashboard.refresh();
}, 30_000);

window.addEventListener('hashchange', () => void route());
connect();
void route();
