// Runs a benchmark client as a child process under a hard time limit and reports its wall time and
// CPU time. CPU comes from the shell's `times` after the child exits (user+sys of every thread).
import { spawn } from 'node:child_process';

export interface ChildResult {
  code: number | null;
  wallMs: number;
  /** user+sys CPU of the child and its threads; NaN when not measured. */
  cpuMs: number;
  stdout: string;
  stdoutBytes: number;
  stderr: string;
}

export interface ChildOptions {
  timeoutMs: number;
  /** Keep stdout (else only count its bytes: kcat -C prints one byte per record). */
  keepStdout?: boolean;
  cwd?: string;
}

/** `times` prints the shell's own times, then its children's: "0m2.540s 0m0.250s". */
function parseTimes(stderr: string): { cpuMs: number; rest: string } {
  const lines = stderr.trimEnd().split('\n');
  const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(lines.at(-1) ?? '');
  if (!m) return { cpuMs: Number.NaN, rest: stderr };
  const cpuMs = (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000;
  return { cpuMs, rest: lines.slice(0, -2).join('\n') };
}

export function runChild(cmd: string, args: string[], opts: ChildOptions): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    // `exec`-less wrapper so the shell outlives the child and can print its CPU times.
    const child = spawn('sh', ['-c', '"$@"; s=$?; times >&2; exit $s', 'sh', cmd, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: opts.cwd,
      // Own process group, so a timeout kills the shell and the client together.
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let stdoutBytes = 0;
    child.stdout.on('data', (c: Buffer) => {
      stdoutBytes += c.length;
      if (opts.keepStdout) out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`${cmd} timed out after ${opts.timeoutMs} ms; stderr: ${Buffer.concat(err).toString().slice(-2000)}`));
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const { cpuMs, rest } = parseTimes(Buffer.concat(err).toString());
      resolve({ code, wallMs, cpuMs, stdout: Buffer.concat(out).toString(), stdoutBytes, stderr: rest });
    });
  });
}

/** Path of the Node binary running this script, so children use the same pinned Node. */
export const NODE = process.execPath;
