// A record count on stderr while a long produce or consume runs: redrawn in place on a terminal,
// a line every few seconds otherwise (logs), nothing with --json (stdout is for the data then).
import type { OpsIo } from './io.ts';

const REDRAW_MS = 100;
const LOG_EVERY_MS = 5000;

export class Progress {
  readonly #io: OpsIo;
  readonly #quiet: boolean;
  readonly #verb: string;
  readonly #total: number | undefined;
  readonly #now: () => number;
  #last = 0;
  #drawn = false;

  constructor(io: OpsIo, quiet: boolean, verb: string, total?: number, now: () => number = Date.now) {
    this.#io = io;
    this.#quiet = quiet;
    this.#verb = verb;
    this.#total = total;
    this.#now = now;
    this.#last = now();
  }

  #text(n: number): string {
    return `${this.#verb} ${n}${this.#total !== undefined ? `/${this.#total}` : ''} records`;
  }

  update(n: number): void {
    if (this.#quiet) return;
    const t = this.#now();
    if (this.#io.stderrIsTTY) {
      if (t - this.#last < REDRAW_MS && n !== this.#total) return;
      this.#io.err(`\r${this.#text(n)}\x1b[K`);
      this.#drawn = true;
    } else {
      if (t - this.#last < LOG_EVERY_MS) return;
      this.#io.err(`${this.#text(n)}...\n`);
    }
    this.#last = t;
  }

  /** Clears the redrawn line, so the summary that follows starts clean. */
  done(): void {
    if (this.#drawn) this.#io.err('\r\x1b[K');
    this.#drawn = false;
  }
}
