// `brook status`: one screen on a running `brook up`, read from its dashboard's JSON API
// (/api/pipeline, /api/store): processor progress and freshness, the last checkpoint, the store,
// topics and consumer groups; or a clear statement that nothing answers at that address.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../config/errors.ts';
import { loadConfig } from '../config/load.ts';
import type { PipelineSnapshot } from '../dashboard/pipeline.ts';
import { readUpState, type UpState } from '../platform/state-file.ts';
import { createTlsFetch } from '../security/http-client.ts';
import { type Command, intOption, UsageError } from './command.ts';

interface StoreInfo {
  path: string;
  rows: number;
  maxWindowEnd: number | null;
  tables: Array<{ table: string; rows: number; maxWindowEnd: number | null }>;
}

const n = (x: number | null | undefined) => (x === null || x === undefined ? '-' : Math.round(x).toLocaleString('en'));
const time = (ms: number | null | undefined) => (ms === null || ms === undefined ? '-' : new Date(ms).toISOString().slice(11, 19));
const ago = (ms: number) => (ms < 120_000 ? `${(ms / 1000).toFixed(0)} s ago` : `${(ms / 60_000).toFixed(0)} min ago`);
function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

async function getJson<T>(base: string, path: string, timeoutMs: number, get: typeof fetch = fetch): Promise<T> {
  const res = await get(new URL(path, base), { signal: AbortSignal.timeout(timeoutMs) });
  const body = (await res.json()) as T & { message?: string };
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${body.message ?? ''}`);
  return body;
}

/** Where to look: --url, else the state file `brook up` keeps in its data directory, else the configured port. */
function target(values: Record<string, string | boolean | undefined>): { url: string; state: UpState | undefined; gone?: UpState } {
  if (typeof values.url === 'string') {
    if (!/^https?:\/\//.test(values.url)) throw new UsageError(`--url must be the dashboard's http(s) URL, got '${values.url}'`);
    return { url: values.url, state: undefined };
  }
  let config: ReturnType<typeof loadConfig>['config'];
  try {
    config = loadConfig({ ...(typeof values.config === 'string' ? { file: values.config } : {}) }).config;
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(`${e.message}\n(or give the dashboard's address with --url)`);
    throw e;
  }
  const dataDir = resolve(typeof values['data-dir'] === 'string' ? values['data-dir'] : config.dataDir);
  const found = readUpState(dataDir);
  if (found?.alive) return { url: found.state.dashboardUrl, state: found.state };
  const host = config.dashboard.host === '0.0.0.0' ? '127.0.0.1' : config.dashboard.host;
  return { url: `http://${host}:${config.dashboard.port}/`, state: undefined, ...(found ? { gone: found.state } : {}) };
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'One screen on a running brook up: processor progress and freshness, last checkpoint, store rows, topics, lag.',
  usage: [
    'brook status [--url http://127.0.0.1:8080/] [--data-dir DIR] [--config FILE] [--json]',
    '',
    'Finds the running brook up through <data-dir>/brook-up.json (default ./.brook), else the configured dashboard port.',
    'Examples:',
    '  brook status',
    '  brook status --url http://10.0.0.5:8080/ --json',
  ].join('\n'),
  options: {
    url: { type: 'string', valueName: 'URL', description: "The dashboard's address (default: found in the data directory)" },
    'data-dir': {
      type: 'string',
      valueName: 'DIR',
      description: 'Data directory of the brook up to look at (default: the configured one)',
    },
    config: { type: 'string', valueName: 'FILE', description: 'Configuration file, for the data directory and dashboard port' },
    timeout: { type: 'string', valueName: 'MS', default: '5000', description: 'How long to wait for the dashboard' },
    json: { type: 'boolean', description: 'JSON output for scripts' },
  },
  async run(values) {
    const timeoutMs = intOption(values, 'timeout', 100, 600_000) ?? 5000;
    const { url, state, gone } = target(values);
    const json = values.json === true;
    // A `brook up --secure` dashboard: trust its CA and sign in with the operator's certificate.
    const s = state?.secure;
    const get = s ? createTlsFetch({ ca: readFileSync(s.caFile), cert: readFileSync(s.certFile), key: readFileSync(s.keyFile) }) : fetch;
    let pipeline: PipelineSnapshot;
    let store: StoreInfo;
    try {
      [pipeline, store] = await Promise.all([
        getJson<PipelineSnapshot>(url, '/api/pipeline', timeoutMs, get),
        getJson<StoreInfo>(url, '/api/store', timeoutMs, get),
      ]);
      // Rates need two samples a second apart; the first look at an idle dashboard has none.
      if (pipeline.processor?.eventsPerSecond === null || pipeline.topics.some((t) => t.ratePerSec === null)) {
        await new Promise((r) => setTimeout(r, 1100));
        pipeline = await getJson<PipelineSnapshot>(url, '/api/pipeline', timeoutMs, get);
      }
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
      const reason = cause === 'ECONNREFUSED' ? 'connection refused' : cause;
      // A state file whose process is gone: that brook up was killed or crashed.
      const died = gone ? ` The brook up that used ${gone.dataDir} (pid ${gone.pid}) is no longer running.` : '';
      if (json) process.stdout.write(`${JSON.stringify({ running: false, url, error: reason, ...(gone ? { stale: gone } : {}) })}\n`);
      else
        process.stderr.write(
          `brook status: nothing is running at ${url} (${reason}).${died} Start Brook with 'npx brook up' (or 'npm start'), ` +
            `or point --url at a running dashboard.\n`,
        );
      return 1;
    }
    if (json) {
      process.stdout.write(
        `${JSON.stringify({ running: true, url, pid: state?.pid ?? null, dataDir: state?.dataDir ?? null, pipeline, store })}\n`,
      );
      return 0;
    }
    process.stdout.write(render(url, state, pipeline, store));
    return 0;
  },
};

function render(url: string, state: UpState | undefined, p: PipelineSnapshot, store: StoreInfo): string {
  const lines: string[] = [];
  const m = p.processor;
  const up = m ? `, up ${duration(m.uptimeMs)}` : '';
  lines.push(`Brook at ${url}${up}${state ? ` (pid ${state.pid}, data ${state.dataDir})` : ''}`);
  lines.push(`  Kafka       ${p.kafka.bootstrap.join(',')}${p.kafka.error ? `: ${p.kafka.error}` : ''}`);
  if (m) {
    const lag = m.partitions.reduce((a, x) => a + (x.lag ?? 0), 0);
    const idle = m.partitions.filter((x) => x.idle).length;
    const wm =
      m.watermark === null ? 'no watermark yet' : `watermark ${time(m.watermark)} (${((m.freshnessMs ?? 0) / 1000).toFixed(1)} s behind)`;
    lines.push(
      `  Processor   ${m.job}: ${n(m.eventsPerSecond)} events/s, ${wm}, lag ${n(lag)}, ${m.partitions.length} partitions${idle ? ` (${idle} idle)` : ''}`,
    );
    lines.push(`              late ${n(m.lateRecords)}, dead letters ${n(m.deadLetters)}`);
    const c = m.lastCheckpoint;
    lines.push(
      c
        ? `  Checkpoint  #${c.id} at ${time(c.at)} (${ago(p.at - c.at)}), ${n(c.bytes)} bytes in ${c.durationMs.toFixed(0)} ms; ${m.checkpoints} since start`
        : '  Checkpoint  none yet since start',
    );
  } else {
    lines.push('  Processor   not in this process (a standalone dashboard): its metrics are not visible here');
  }
  const tables = store.tables.map((t) => `${t.table} ${n(t.rows)}`).join(', ');
  lines.push(`  Store       ${n(store.rows)} rows (${tables}); newest window ends ${time(store.maxWindowEnd)}`);
  lines.push('');
  const topics = p.topics.filter((t) => !t.name.startsWith('_'));
  const w = Math.max(5, ...topics.map((t) => t.name.length)) + 2;
  lines.push(`  ${'TOPIC'.padEnd(w)}${'PARTS'.padStart(5)}${'RECORDS'.padStart(12)}${'PER SEC'.padStart(10)}`);
  for (const t of topics) {
    const rate = t.ratePerSec === null ? '-' : t.ratePerSec.toFixed(1);
    lines.push(`  ${t.name.padEnd(w)}${String(t.partitions.length).padStart(5)}${n(t.records).padStart(12)}${rate.padStart(10)}`);
  }
  if (p.groups.length > 0) {
    lines.push('');
    const gw = Math.max(5, ...p.groups.map((g) => g.id.length)) + 2;
    lines.push(`  ${'GROUP'.padEnd(gw)}${'STATE'.padEnd(12)}${'LAG'.padStart(8)}`);
    for (const g of p.groups) lines.push(`  ${g.id.padEnd(gw)}${g.state.padEnd(12)}${n(g.lag).padStart(8)}`);
  }
  return `${lines.join('\n')}\n`;
}
