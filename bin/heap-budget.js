// The JS heap budget of `brook up`. V8 fixes its heap limit when the process starts (setting the
// flag later has no effect), so the launcher starts the real `brook up` as a child Node with
// --max-old-space-size and stays as a thin parent: it passes the terminal's signals on, exits with
// the child's code, and, if the parent itself is killed, the child kills itself too (as Linux's
// PR_SET_PDEATHSIG would), so a SIGKILL of `brook up` still means what it says.
// BROOK_HEAP_MB sets the budget (default below); 0 leaves V8's own default.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

export const DEFAULT_HEAP_MB = 256;
/**
 * The young generation's semi-spaces, in MiB. Measured at full speed (bench/RESULTS.md): 8 gives
 * less RSS (about 465 MB) and more events/s (125-137 k) than V8's default under the 256 MiB cap,
 * whose larger young generation costs RSS and slows scavenges.
 */
export const SEMI_SPACE_MB = 8;
const CHILD_MARK = 'BROOK_HEAP_CHILD';

/** The budget to re-run with, or undefined to run in this process. */
export function heapBudgetMb(args, env, execArgv) {
  if (args[0] !== 'up' || args.includes('--help') || args.includes('-h')) return undefined;
  if (env[CHILD_MARK] === '1') return undefined;
  // The user chose a heap limit themselves.
  const chosen = [...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (chosen.some((a) => a.startsWith('--max-old-space-size'))) return undefined;
  const raw = env.BROOK_HEAP_MB;
  if (raw === undefined || raw === '') return DEFAULT_HEAP_MB;
  const mb = Number(raw);
  if (!Number.isInteger(mb) || mb < 0) {
    process.stderr.write(`brook: BROOK_HEAP_MB must be a whole number of MiB (0 = V8's default), not '${raw}'\n`);
    process.exit(2);
  }
  return mb === 0 ? undefined : mb;
}

export function runWithHeapBudget(mb) {
  const entry = fileURLToPath(new URL('./brook.js', import.meta.url));
  const child = spawn(
    process.execPath,
    [...process.execArgv, `--max-old-space-size=${mb}`, `--max-semi-space-size=${SEMI_SPACE_MB}`, entry, ...process.argv.slice(2)],
    {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, [CHILD_MARK]: '1' },
    },
  );
  // Ctrl-C reaches the child from the terminal's process group; other signals are passed on.
  process.on('SIGINT', () => undefined);
  for (const sig of ['SIGTERM', 'SIGHUP', 'SIGQUIT']) process.on(sig, () => child.kill(sig));
  child.on('error', (err) => {
    process.stderr.write(`brook: could not start ${process.execPath}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      // Die the way the child died, so whoever started `brook up` sees the same end.
      for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']) process.removeAllListeners(sig);
      process.kill(process.pid, signal);
      // A signal this process ignores still ends it, with the shell's code for it.
      setTimeout(() => process.exit(128 + (constants.signals[signal] ?? 0)), 100).unref();
      return;
    }
    process.exit(code ?? 1);
  });
}

/** In the child: die with the parent. The IPC channel closes when the parent goes away. */
export function followParent() {
  if (process.env[CHILD_MARK] !== '1' || !process.channel) return;
  process.channel.unref();
  process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
}
