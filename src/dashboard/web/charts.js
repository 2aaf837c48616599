// One chart card of the Clickstream Dashboard: a uPlot line chart of a chart answer from the API
// (bucket start -> average), one series per department on the departments chart, drawn over the
// selected range so an empty stretch of time looks empty rather than stretched away.
import { h } from './dom.js';
import { dateTime, num, short } from './format.js';

// OpenSearch Dashboards' default palette, so the charts look like the original's.
const PALETTE = ['#54B399', '#6092C0', '#D36086', '#9170B8', '#CA8EAE', '#D6BF57', '#B9A888', '#DA8B45', '#AA6556', '#E7664C'];
const HEIGHT = 250;

/** Departments keep their color while the top 5 changes. */
const assigned = new Map();
function colorOf(name, index) {
  if (name === 'all') return PALETTE[index % PALETTE.length];
  if (!assigned.has(name)) assigned.set(name, PALETTE[assigned.size % PALETTE.length]);
  return assigned.get(name);
}

/** uPlot's axis labels in 24-hour time and "Nov 26" dates, like the rest of the page. */
function fmtDate(tpl) {
  return uPlot.fmtDate(
    tpl
      .replace('{h}{aa}', '{HH}:00')
      .replace('{h}', '{HH}')
      .replace('{aa}', '')
      .replace('{M}/{D}/{YY}', '{MMM} {D}')
      .replace('{M}/{D}', '{MMM} {D}'),
  );
}

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Aligns the series on the union of their buckets; missing buckets are null (gaps that lines span). */
export function toColumns(series) {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const ys = series.map((s) => {
    const col = new Array(xs.length).fill(null);
    for (const [x, y] of s.points) col[at.get(x)] = y;
    return col;
  });
  return [xs, ...ys];
}

export class ChartPanel {
  /** @param {{ id: string, title: string }} spec */
  constructor(spec) {
    this.id = spec.id;
    this.title = spec.title;
    this.plot = null;
    this.names = '';
    this.range = { from: 0, to: 1 };
    this.body = h('div', { class: 'chart-body' });
    this.note = h('div', { class: 'chart-note', hidden: true }, 'No windows in this range');
    this.sub = h('span', { class: 'chart-sub' });
    this.el = h(
      'section',
      { class: 'card chart', dataset: { chart: spec.id, points: '0', series: '0' }, 'aria-label': spec.title },
      h('header', { class: 'card-head' }, h('h2', {}, spec.title), this.sub),
      h('div', { class: 'chart-wrap' }, this.body, this.note),
    );
    this.resizer = new ResizeObserver(() => this.plot?.setSize(this.#size()));
    this.resizer.observe(this.body);
  }

  /** Draws a chart answer ({ series, from, to, bucketMs, seriesBy }). Returns the points drawn. */
  update(answer) {
    this.range = { from: answer.from, to: answer.to };
    const series = answer.series;
    const data = toColumns(series);
    const names = series.map((s) => s.name).join('\u0000');
    const multi = answer.seriesBy !== null;
    // uPlot cannot change its series in place: a new set of departments means a new chart.
    if (this.plot === null || names !== this.names) {
      this.plot?.destroy();
      this.plot = new uPlot(this.#options(series, multi), data, this.body);
      this.names = names;
    } else {
      this.plot.setData(data);
    }
    const points = series.reduce((n, s) => n + s.points.length, 0);
    this.el.dataset.points = String(points);
    this.el.dataset.series = String(series.length);
    this.note.hidden = points > 0;
    this.sub.textContent = multi ? `top ${answer.top ?? 5} by ${answer.field}` : `avg(${answer.field})`;
    return { series: series.map((s) => ({ name: s.name, points: s.points.length })), points };
  }

  destroy() {
    this.resizer.disconnect();
    this.plot?.destroy();
  }

  #size() {
    return { width: Math.max(200, this.body.clientWidth), height: HEIGHT };
  }

  #options(series, multi) {
    const axis = cssVar('--muted') || '#6b7280';
    const grid = cssVar('--grid') || '#eef0f3';
    const font = '12px system-ui, sans-serif';
    const axes = {
      stroke: axis,
      font,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
    };
    return {
      ...this.#size(),
      ms: 1,
      fmtDate,
      cursor: { points: { size: 8 }, drag: { x: false, y: false } },
      legend: { live: true },
      scales: {
        x: { time: true, range: () => [this.range.from, this.range.to] },
        // Counts and percentages start at zero, as the original's line charts do.
        y: { range: (_u, _min, max) => [0, max > 0 ? uPlot.rangeNum(0, max, 0.1, true)[1] : 1] },
      },
      axes: [{ ...axes }, { ...axes, size: 56, values: (_u, ticks) => ticks.map(short) }],
      series: [
        { label: 'Time', value: (_u, v) => (v === null ? '' : dateTime(v)) },
        ...series.map((s, i) => {
          const color = colorOf(multi ? s.name : 'all', i);
          return {
            label: multi ? s.name : this.title.replace(/^Average /, 'avg '),
            stroke: color,
            width: 2,
            spanGaps: true,
            points: { show: true, size: 5, fill: color, stroke: color },
            value: (_u, v) => (v === null ? '—' : num(v)),
          };
        }),
      ],
    };
  }
}
