// `<dataDir>/brook-up.json`: the addresses of a running `brook up`, written when it is ready and
// removed when it stops, so `brook status` finds it even on ports picked at random (port 0).
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const STATE_FILE = 'brook-up.json';

export interface UpState {
  pid: number;
  startedAt: number;
  bootstrap: string[];
  registryUrl: string | null;
  dashboardUrl: string;
  dataDir: string;
  /** With --secure: the CA and the operator's certificate, which `brook status` signs in with. */
  secure?: { caFile: string; certFile: string; keyFile: string };
}

export function writeUpState(dataDir: string, state: UpState): void {
  const file = join(dataDir, STATE_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

export function removeUpState(dataDir: string): void {
  try {
    const state = JSON.parse(readFileSync(join(dataDir, STATE_FILE), 'utf8')) as UpState;
    if (state.pid === process.pid) rmSync(join(dataDir, STATE_FILE), { force: true });
  } catch {}
}

/** The state file's content and whether its process still runs (a crash leaves the file behind). */
export function readUpState(dataDir: string): { state: UpState; alive: boolean } | undefined {
  let state: UpState;
  try {
    state = JSON.parse(readFileSync(join(dataDir, STATE_FILE), 'utf8')) as UpState;
  } catch {
    return undefined;
  }
  try {
    process.kill(state.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return { state, alive: false };
  }
  return { state, alive: true };
}
