// The Clickstream Dashboard view: the range picker (last 5 min, 15 min, 1 h, 24 h, custom), the
// five chart cards, and an empty state that says what to do. Refetches all charts in one request
// when told a commit happened, never polls them one by one.
import { getJson } from './api.js';
import { ChartPanel } from './charts.js';
import { fill, h } from './dom.js';
import { ago, bucket, dateTime, int, time, toLocalInput } from './format.js';

// The charts of the original dashboard, in its layout order (two per row).
export const CHARTS = [
  { id: 'departments', title: 'Average Department Count' },
  { id: 'orderCheckout', title: 'Average Order Checkout Event Count' },
  { id: 'percentWithBuy', title: 'Average Percent Sessions With Buy' },
  { id: 'sessionCount', title: 'Average User Session Count' },
  { id: 'sessionCountWithBuy', title: 'Average User Session Count With Order Checkout' },
];
export const PRESETS = [
  { last: '5m', label: 'Last 5 min' },
  { last: '15m', label: 'Last 15 min' },
  { last: '1h', label: 'Last 1 h' },
  { last: '24h', label: 'Last 24 h' },
];
export const DEFAULT_RANGE = { last: '15m' };

export function rangeQuery(range) {
  return range.last ? `last=${range.last}` : `from=${range.from}&to=${range.to}`;
}

export class DashboardView {
  /** @param {HTMLElement} root @param {{ onRange(range): void, debug: object }} hooks */
  constructor(root, hooks) {
    this.root = root;
    this.hooks = hooks;
    this.range = DEFAULT_RANGE;
    this.latestWindowEnd = null;
    this.inflight = null;
    this.again = false;
    this.panels = CHARTS.map((c) => new ChartPanel(c));
    this.meta = h('div', { class: 'meta', id: 'chart-meta' });
    this.error = h('div', { class: 'banner error', role: 'alert', hidden: true });
    this.empty = h('div', { class: 'empty', id: 'empty-state', hidden: true });
    this.buttons = [...PRESETS, { last: null, label: 'Custom…' }].map((p) =>
      h('button', { type: 'button', class: 'seg', dataset: { range: p.last ?? 'custom' }, onclick: () => this.#pick(p.last) }, p.label),
    );
    this.custom = this.#customForm();
    fill(
      root,
      h(
        'div',
        { class: 'toolbar' },
        h('div', { class: 'title' }, h('h1', {}, 'Clickstream Dashboard'), this.meta),
        h('div', { class: 'segmented', role: 'group', 'aria-label': 'Time range' }, this.buttons),
      ),
      this.custom,
      this.error,
      this.empty,
      h(
        'div',
        { class: 'grid' },
        this.panels.map((p) => p.el),
      ),
    );
  }

  setRange(range) {
    this.range = range;
    for (const b of this.buttons) {
      const on = range.last ? b.dataset.range === range.last : b.dataset.range === 'custom';
      b.setAttribute('aria-pressed', String(on));
    }
    if (!range.last) {
      this.custom.hidden = false;
      this.custom.elements.from.value = toLocalInput(range.from);
      this.custom.elements.to.value = toLocalInput(range.to);
    } else this.custom.hidden = true;
    return this.refresh();
  }

  /** A store commit: the newest window end, then one refetch of every chart. */
  onCommit(info) {
    if (info.maxWindowEnd !== null) this.latestWindowEnd = info.maxWindowEnd;
    return this.refresh();
  }

  /** Fetches all five charts at once; a call during a fetch makes one more fetch after it. */
  async refresh() {
    if (this.inflight) {
      this.again = true;
      return this.inflight;
    }
    this.inflight = this.#load().finally(() => {
      this.inflight = null;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.inflight;
  }

  async #load() {
    const debug = this.hooks.debug;
    try {
      const answer = await getJson(`/api/charts?${rangeQuery(this.range)}`);
      this.error.hidden = true;
      let total = 0;
      answer.charts.forEach((chart, i) => {
        const drawn = this.panels[i].update(chart);
        total += drawn.points;
        debug.charts[chart.chart] = { title: chart.title, ...drawn };
      });
      debug.range = { from: answer.from, to: answer.to, bucketMs: answer.bucketMs };
      debug.chartRenders++;
      if (total === 0 || this.latestWindowEnd === null) await this.#storeState(total === 0);
      else this.empty.hidden = true;
      this.#renderMeta(answer);
    } catch (err) {
      fill(this.error, err.message);
      this.error.hidden = false;
    }
  }

  async #storeState(showEmpty) {
    let stats;
    try {
      stats = await getJson('/api/store');
    } catch {
      return;
    }
    this.latestWindowEnd = stats.maxWindowEnd ?? this.latestWindowEnd;
    this.empty.hidden = !showEmpty;
    if (!showEmpty) return;
    if (stats.rows === 0) {
      fill(
        this.empty,
        h('h2', {}, 'No results yet'),
        h(
          'p',
          {},
          'Charts fill in as the processor closes 10-second windows of clickstream events. Start producing events and run the job:',
        ),
        h(
          'pre',
          {},
          'npx brook generate -nle -gar   # clickstream events into the clickstream topic\nnpx brook process              # the job: sessions, then 10 s windows',
        ),
        h('p', { class: 'hint' }, 'This page updates by itself as windows arrive: there is no need to reload.'),
      );
      return;
    }
    const latest = stats.maxWindowEnd;
    fill(
      this.empty,
      h('h2', {}, 'No windows in this range'),
      h('p', {}, `The store holds ${int(stats.rows)} rows; the latest window ended ${dateTime(latest)} (${ago(latest)}).`),
      h(
        'p',
        {},
        h(
          'button',
          { type: 'button', class: 'primary', onclick: () => this.#go({ from: latest - 15 * 60_000, to: latest + 60_000 }) },
          'Show the 15 minutes before it',
        ),
        ' ',
        h('button', { type: 'button', onclick: () => this.#go({ last: '24h' }) }, 'Last 24 h'),
      ),
    );
  }

  #renderMeta(answer) {
    const parts = [`${time(answer.from)} – ${time(answer.to)}`, `bucket ${bucket(answer.bucketMs)}`];
    if (this.latestWindowEnd !== null) parts.push(`latest window ${time(this.latestWindowEnd)} (${ago(this.latestWindowEnd)})`);
    fill(this.meta, parts.join(' · '));
  }

  #pick(last) {
    if (last) return this.#go({ last });
    // Custom starts from what is on screen, so the user adjusts rather than types from scratch.
    const now = Date.now();
    const span = { '5m': 5, '15m': 15, '1h': 60, '24h': 1440 }[this.range.last] ?? 15;
    const from = this.range.last ? now - span * 60_000 : this.range.from;
    const to = this.range.last ? now : this.range.to;
    this.custom.hidden = false;
    this.custom.elements.from.value = toLocalInput(from);
    this.custom.elements.to.value = toLocalInput(to);
    for (const b of this.buttons) b.setAttribute('aria-pressed', String(b.dataset.range === 'custom'));
    this.custom.elements.from.focus();
  }

  #go(range) {
    this.hooks.onRange(range);
  }

  #customForm() {
    const message = h('span', { class: 'form-error', role: 'alert' });
    const form = h(
      'form',
      { class: 'custom-range', hidden: true, id: 'custom-range' },
      h('label', {}, 'From ', h('input', { type: 'datetime-local', name: 'from', step: 1, required: true })),
      h('label', {}, 'To ', h('input', { type: 'datetime-local', name: 'to', step: 1, required: true })),
      h('button', { type: 'submit', class: 'primary' }, 'Apply'),
      message,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const from = new Date(form.elements.from.value).getTime();
      const to = new Date(form.elements.to.value).getTime();
      if (!Number.isFinite(from) || !Number.isFinite(to)) message.textContent = 'Enter both dates.';
      else if (from >= to) message.textContent = '“From” must be before “To”.';
      else {
        message.textContent = '';
        this.#go({ from, to });
      }
    });
    return form;
  }
}

export function parseRangeParams(params) {
  const last = params.get('last');
  if (last && PRESETS.some((p) => p.last === last)) return { last };
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  if (Number.isSafeInteger(from) && Number.isSafeInteger(to) && from > 0 && from < to) return { from, to };
  return DEFAULT_RANGE;
}
