// Where operator commands read and write: stdout, stderr, stdin and a stop signal, passed in so
// tests capture output; the real CLI binds them to the process (EPIPE and Ctrl-C stop cleanly).
import { once } from 'node:events';
import { untilStopSignal } from '../cli/stop-signal.ts';

export interface OpsIo {
  out(text: string): void;
  err(text: string): void;
  /** Lines and bytes a command reads (produce). */
  stdin(): NodeJS.ReadableStream;
  /** Resolves when stdout can take more (so a big topic does not pile up in memory when piped). */
  drained(): Promise<void>;
  /** Aborted on Ctrl-C / SIGTERM, or when stdout's reader went away (`| head`). Created on first use. */
  stop(): AbortSignal;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
  /** Terminal width, when stdout is a terminal: tables shrink to fit it. */
  columns: number | undefined;
}

export function processIo(): OpsIo {
  let stopper: AbortController | undefined;
  const stop = () => {
    if (!stopper) {
      stopper = new AbortController();
      const c = stopper;
      void untilStopSignal().then(() => c.abort());
    }
    return stopper.signal;
  };
  // A closed pipe (`| head`) must end the command quietly, not crash it with an EPIPE.
  let closed = false;
  const gone = () => {
    closed = true;
    stop();
    stopper?.abort();
  };
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    gone();
  });
  return {
    out: (t) => {
      if (!closed) process.stdout.write(t);
    },
    err: (t) => void process.stderr.write(t),
    stdin: () => process.stdin,
    drained: async () => {
      if (closed || !process.stdout.writableNeedDrain) return;
      try {
        await once(process.stdout, 'drain');
      } catch {
        // once() rejects with the stream's error (EPIPE): the handler above has stopped the command.
        gone();
      }
    },
    stop,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    stdinIsTTY: process.stdin.isTTY === true,
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  };
}

/** An io that collects output in strings, for tests (and for callers that want the text). */
export interface CapturedIo extends OpsIo {
  stdout: string;
  stderr: string;
  /** Aborts stop(): a test's Ctrl-C. */
  interrupt(): void;
}

export function capturedIo(opts: { stdin?: NodeJS.ReadableStream; columns?: number } = {}): CapturedIo {
  const stopper = new AbortController();
  const io: CapturedIo = {
    stdout: '',
    stderr: '',
    out: (t) => void (io.stdout += t),
    err: (t) => void (io.stderr += t),
    stdin: () => {
      if (!opts.stdin) throw new Error('this test gave no stdin');
      return opts.stdin;
    },
    drained: async () => {},
    stop: () => stopper.signal,
    interrupt: () => stopper.abort(),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    stdinIsTTY: false,
    columns: opts.columns,
  };
  return io;
}
