// Runs an operator command the way `brook` does (parse, --help, run, errors to exit codes 2 and 1)
// with captured stdout/stderr, so tests see exactly what a user would.
import type { Readable } from 'node:stream';
import { type Command, parseCommandArgs, renderHelp, UsageError } from '../../../src/cli/command.ts';
import { BrookError } from '../../../src/common/errors.ts';
import { type CapturedIo, capturedIo } from '../../../src/ops/io.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  io: CapturedIo;
}

/** Mirrors src/cli/main.ts for one command. */
export async function runCli(
  make: (io: CapturedIo) => Command,
  argv: string[],
  opts: { stdin?: Readable; columns?: number; io?: CapturedIo } = {},
): Promise<CliResult> {
  const io = opts.io ?? capturedIo(opts);
  const cmd = make(io);
  let code: number;
  try {
    const { values, positionals } = parseCommandArgs(cmd, argv);
    if (values.help) {
      io.out(renderHelp(cmd));
      code = 0;
    } else {
      code = await cmd.run(values, positionals);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`brook ${cmd.name}: ${err.message}\n`);
      code = 2;
    } else if (err instanceof BrookError) {
      io.err(`brook ${cmd.name}: ${err.message}\n`);
      code = 1;
    } else {
      throw err;
    }
  }
  return { code, stdout: io.stdout, stderr: io.stderr, io };
}

/** JSON lines of stdout. */
export function jsonLines(stdout: string): any[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

/** A TCP port with nothing listening on it (bound, then released). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls until the condition holds (output of a running command), failing after timeoutMs. */
export async function waitFor(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
