// The Pipeline view: the processor (events/s, freshness, watermark per partition, idle partitions,
// late and dead-lettered records, last checkpoint), the topics with their partitions, offsets and
// rates, and the consumer groups with their lag. Fed by the `pipeline` server-sent event.
import { fill, h } from './dom.js';
import { ago, bytes, DASH, dateTime, duration, int, rate, time } from './format.js';

function stat(label, value, detail, tone) {
  return h(
    'div',
    { class: `stat${tone ? ` ${tone}` : ''}` },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: 'stat-value' }, value),
    h('div', { class: 'stat-detail' }, detail ?? ''),
  );
}

function table(id, head, rows, empty) {
  if (rows.length === 0) return h('p', { class: 'muted', id }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { id },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          head.map(([label, cls]) => h('th', { class: cls }, label)),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

const td = (value, cls) => h('td', { class: cls }, value);
const num = (value) => td(value, 'num');

function lagTone(lag) {
  if (lag === null || lag === undefined) return '';
  return lag === 0 ? 'ok' : lag > 10_000 ? 'warn' : '';
}

export class PipelineView {
  constructor(root) {
    this.root = root;
    this.meta = h('div', { class: 'meta' }, 'Waiting for the first snapshot…');
    this.body = h('div', { class: 'stack' });
    fill(root, h('div', { class: 'toolbar' }, h('div', { class: 'title' }, h('h1', {}, 'Pipeline'), this.meta)), this.body);
  }

  render(snap) {
    fill(this.meta, `Updated ${time(snap.at)} · live every 2 s · Kafka at ${snap.kafka.bootstrap.join(', ')}`);
    fill(
      this.body,
      snap.kafka.error ? h('div', { class: 'banner error', role: 'alert' }, snap.kafka.error) : null,
      this.#processor(snap.processor, snap.topics),
      h(
        'section',
        { class: 'card' },
        h('header', { class: 'card-head' }, h('h2', {}, 'Topics'), h('span', { class: 'chart-sub' }, `${snap.topics.length} topics`)),
        this.#topics(snap.topics),
      ),
      h(
        'section',
        { class: 'card' },
        h('header', { class: 'card-head' }, h('h2', {}, 'Consumer groups'), h('span', { class: 'chart-sub' }, 'committed offsets and lag')),
        this.#groups(snap.groups),
      ),
    );
  }

  #processor(p, topics) {
    if (!p) {
      const rates = topics.map((t) => t.ratePerSec).filter((r) => r !== null);
      // No rate until two snapshots are a few seconds apart.
      const produced = rates.length > 0 ? rates.reduce((a, b) => a + b, 0) : null;
      return h(
        'section',
        { class: 'card', id: 'processor' },
        h('header', { class: 'card-head' }, h('h2', {}, 'Processor')),
        h(
          'p',
          { class: 'muted' },
          'The processor does not run in this process, so its watermarks, late and dead-lettered counts and checkpoints are not shown. ' +
            'They appear here when the dashboard runs inside the processor (brook up). Consumer-group lag below still shows how far it has read.',
        ),
        h('div', { class: 'stats' }, stat('Records written', rate(produced), 'all topics, last 10 s')),
      );
    }
    const lag = p.partitions.reduce((n, x) => n + (x.lag ?? 0), 0);
    const idle = p.partitions.filter((x) => x.idle).length;
    const cp = p.lastCheckpoint;
    const freshTone = p.freshnessMs === null ? '' : p.freshnessMs > 120_000 ? 'warn' : 'ok';
    return h(
      'section',
      { class: 'card', id: 'processor' },
      h(
        'header',
        { class: 'card-head' },
        h('h2', {}, `Processor · ${p.job}`),
        h('span', { class: 'chart-sub' }, `up ${duration(p.uptimeMs)}`),
      ),
      h(
        'div',
        { class: 'stats' },
        stat('Events/s', rate(p.eventsPerSecond), 'read from the input topic'),
        stat('Freshness', duration(p.freshnessMs), 'wall clock − watermark', freshTone),
        stat('Watermark', time(p.watermark), p.watermark === null ? 'no events yet' : dateTime(p.watermark)),
        stat('Lag', int(lag), 'records not read yet', lagTone(lag)),
        stat('Late', int(p.lateRecords), 'arrived after their window closed', p.lateRecords > 0 ? 'warn' : ''),
        stat('Dead letters', int(p.deadLetters), 'could not be decoded', p.deadLetters > 0 ? 'warn' : ''),
        stat(
          'Last checkpoint',
          cp ? `#${cp.id}` : DASH,
          cp ? `${bytes(cp.bytes)} in ${duration(cp.durationMs)}, ${ago(p.lastCheckpointAt)}` : `${p.checkpoints} so far`,
        ),
      ),
      h('h3', {}, 'Input partitions', idle > 0 ? h('span', { class: 'badge idle' }, `${idle} idle`) : null),
      table(
        'processor-partitions',
        [['Partition'], ['Next offset', 'num'], ['Lag', 'num'], ['Watermark', 'num'], ['State']],
        p.partitions.map((x) =>
          h(
            'tr',
            {},
            td(x.partition, 'mono'),
            num(int(x.offset)),
            h('td', { class: `num ${lagTone(x.lag)}` }, int(x.lag)),
            num(time(x.watermark)),
            td(x.idle ? h('span', { class: 'badge idle' }, 'idle') : h('span', { class: 'badge ok' }, 'active')),
          ),
        ),
        'No input partitions assigned yet.',
      ),
      h('h3', {}, 'Operators'),
      table(
        'processor-operators',
        [['Operator'], ['Kind'], ['In', 'num'], ['Out', 'num'], ['State entries', 'num'], ['Late', 'num']],
        p.operators.map((o) =>
          h(
            'tr',
            {},
            td(o.name, 'mono'),
            td(o.kind),
            num(int(o.recordsIn)),
            num(int(o.recordsOut)),
            num(int(o.stateEntries)),
            num(int(o.lateRecords)),
          ),
        ),
        'No operators.',
      ),
    );
  }

  #topics(topics) {
    const rows = [];
    for (const t of topics) {
      rows.push(
        h(
          'tr',
          { class: 'group-row', dataset: { topic: t.name } },
          td(t.name, 'mono strong'),
          num(int(t.partitions.length)),
          num(int(t.records)),
          num(int(t.endOffset)),
          num(rate(t.ratePerSec)),
        ),
      );
      for (const p of t.partitions) {
        rows.push(
          h(
            'tr',
            { class: 'sub-row' },
            td(`partition ${p.partition}${p.leader === null ? ' (no leader)' : ''}`, 'indent'),
            num(p.startOffset > 0 ? `from ${int(p.startOffset)}` : ''),
            num(int(p.records)),
            num(int(p.endOffset)),
            num(rate(p.ratePerSec)),
          ),
        );
      }
    }
    return table(
      'topics',
      [['Topic'], ['Partitions', 'num'], ['Records', 'num'], ['End offset', 'num'], ['Rate', 'num']],
      rows,
      'No topics yet.',
    );
  }

  #groups(groups) {
    const rows = [];
    for (const g of groups) {
      rows.push(
        h(
          'tr',
          { class: 'group-row', dataset: { group: g.id } },
          td(g.id, 'mono strong'),
          td(h('span', { class: 'badge' }, g.state.toLowerCase())),
          td(''),
          num(''),
          num(''),
          h('td', { class: `num strong ${lagTone(g.lag)}` }, int(g.lag)),
        ),
      );
      for (const t of g.topics) {
        for (const p of t.partitions) {
          rows.push(
            h(
              'tr',
              { class: 'sub-row' },
              td(''),
              td(''),
              td(`${t.name} / ${p.partition}`, 'mono'),
              num(int(p.committed)),
              num(int(p.endOffset)),
              h('td', { class: `num ${lagTone(p.lag)}` }, int(p.lag)),
            ),
          );
        }
      }
    }
    return table(
      'groups',
      [['Group'], ['State'], ['Topic / partition'], ['Committed', 'num'], ['End offset', 'num'], ['Lag', 'num']],
      rows,
      'No consumer groups yet. The processor commits its offsets to one after each checkpoint.',
    );
  }
}
