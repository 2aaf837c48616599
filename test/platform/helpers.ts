// Helpers for the `brook up` tests: a configuration on free ports in a temporary directory (as the
// flags would make it), polling an HTTP API until a condition holds, the CLI as a child process,
// and the ids in the analytics store file, read after the platform has closed it.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseCommandArgs } from '../../src/cli/command.ts';
import { upCommand } from '../../src/cli/up-command.ts';
import { flagSettings } from '../../src/config/flags.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { BrookConfig } from '../../src/config/types.ts';
import { RESULT_TABLES } from '../../src/jobs/clickstream/rows.ts';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'brook.js');

/** Every port free (0), checkpoints every second, plus `argv` (brook up flags). */
export function freePortArgs(dataDir: string): string[] {
  return ['--data-dir', dataDir, '--broker-port', '0', '--registry-port', '0', '--dashboard-port', '0', '--checkpoint-interval', '1'];
}

export function testConfig(dataDir: string, argv: string[] = [], env: NodeJS.ProcessEnv = {}): BrookConfig {
  const { values } = parseCommandArgs(upCommand, [...freePortArgs(dataDir), ...argv]);
  return loadConfig({ cwd: dataDir, env, flags: flagSettings(values) }).config;
}

/**
 * Generator flags that make windows close at once: timestamps from `startTime` on, 20 ms apart, at
 * full speed, for a fixed number of sessions (about 35 events each).
 */
export function fastGeneratorArgs(startTime: number, sessionsPerThread: number): string[] {
  return [
    '-nd',
    '--rate',
    '4000',
    '--start-time',
    String(startTime),
    '--time-step',
    '20',
    '--sessions',
    String(sessionsPerThread),
    '--seed',
    '7',
  ];
}

export async function getJson<T>(base: string, path: string): Promise<T> {
  const res = await fetch(new URL(path, base));
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Polls `probe` until it returns something other than undefined. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const got = await probe();
      if (got !== undefined) return got;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`);
    await sleep(250);
  }
}

export interface ChartsAnswer {
  charts: Array<{ chart: string; series: Array<{ name: string; points: [number, number][] }> }>;
}

/** True when all five charts have at least one point. */
export function allChartsFilled(a: ChartsAnswer): boolean {
  return a.charts.length === 5 && a.charts.every((c) => c.series.some((s) => s.points.length > 0));
}

export interface StoreIds {
  ids: Record<string, string[]>;
  /** Rows minus distinct ids, per table: must be 0. */
  duplicates: Record<string, number>;
}

/** Reads every id of the store file (which no one may hold open). */
export async function storeIds(path: string): Promise<StoreIds> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  const out: StoreIds = { ids: {}, duplicates: {} };
  try {
    for (const table of RESULT_TABLES) {
      out.ids[table] = (await conn.runAndReadAll(`SELECT id FROM ${table}`)).getRows().map((r) => String(r[0]));
      const [[rows, distinct]] = (await conn.runAndReadAll(`SELECT count(*), count(DISTINCT id) FROM ${table}`)).getRows() as [
        [bigint, bigint],
      ];
      out.duplicates[table] = Number(rows) - Number(distinct);
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return out;
}

export interface CliRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (err += c));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export interface UpReady {
  startupMs: number;
  bootstrap: string[];
  registryUrl: string;
  dashboardUrl: string;
  dataDir: string;
  pid: number;
}

/** `brook up --json ...` as a child; resolves with its ready line. */
export async function startUpCli(args: string[], timeoutMs = 20_000): Promise<{ run: CliRun; ready: UpReady }> {
  const run = runCli(['up', '--json', '--quiet', ...args]);
  const ready = await Promise.race([
    waitFor('the ready line of brook up', timeoutMs, async () => {
      const line = run
        .stdout()
        .split('\n')
        .find((l) => l.startsWith('{'));
      return line ? (JSON.parse(line) as UpReady) : undefined;
    }),
    run.exited.then((code) => Promise.reject(new Error(`brook up exited early (${code}): ${run.stderr()}`))),
  ]);
  return { run, ready };
}
