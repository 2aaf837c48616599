// Takes docs/dashboard.png, the README's picture of the dashboard: starts `brook up` in a temporary
// directory on free ports with a seeded generator whose events start 15 minutes in the past (so the
// charts are full at once), opens the dashboard in Debian's headless Chromium, and saves the page.
// Usage: npx node scripts/screenshot.ts [--out docs/dashboard.png] [--width 1280] [--height 800] [--chromium /usr/bin/chromium]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const root = new URL('../', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: path.join(root, 'docs/dashboard.png') },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '800' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brook-screenshot-'));
// 2 workers x 220 sessions of about 38 events, 50 ms of event time apart: the last ~15 minutes.
const args = [
  path.join(root, 'bin/brook.js'),
  'up',
  '--data-dir',
  dataDir,
  '--broker-port',
  '0',
  '--registry-port',
  '0',
  '--dashboard-port',
  '0',
  '--seed',
  '7',
  '--start-time=-16m',
  '--time-step',
  '50',
  '-nd',
  '--sessions',
  '220',
  '--checkpoint-interval',
  '1',
  '--quiet',
  '--json',
];
const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

async function stop(): Promise<void> {
  if (child.exitCode === null) child.kill('SIGTERM');
  await exited;
  fs.rmSync(dataDir, { recursive: true, force: true });
}

try {
  const ready = await new Promise<{ dashboardUrl: string }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && out.includes('\n')) resolve(JSON.parse(line));
    });
    child.once('exit', (code) => reject(new Error(`brook up exited with ${code} before it was ready`)));
  });
  const url = ready.dashboardUrl;
  // Wait until the store's newest window stops moving: the backfill is processed and committed.
  let last = -1;
  let still = 0;
  for (let i = 0; i < 120 && still < 3; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const store = (await (await fetch(new URL('api/store', url))).json()) as { maxWindowEnd: number | null };
    const end = store.maxWindowEnd ?? -1;
    still = end > 0 && end === last ? still + 1 : 0;
    last = end;
  }
  const browser = await chromium.launch({ executablePath: values.chromium, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: Number(values.width), height: Number(values.height) } });
    await page.goto(new URL('#/dashboard?last=15m', url).href);
    await page.waitForFunction(() => {
      const s = (globalThis as unknown as { __brook?: { charts: Record<string, { points: number }> } }).__brook;
      const charts = s ? Object.values(s.charts) : [];
      return charts.length === 5 && charts.every((c) => c.points > 0);
    });
    await new Promise((r) => setTimeout(r, 500));
    fs.mkdirSync(path.dirname(values.out), { recursive: true });
    await page.screenshot({ path: values.out });
  } finally {
    await browser.close();
  }
  console.log(`wrote ${values.out} (${fs.statSync(values.out).size} bytes)`);
} finally {
  await stop();
}
