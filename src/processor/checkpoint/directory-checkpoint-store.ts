// Checkpoints as files in a local directory. save() writes a temp file, fsyncs it, renames it into
// place and fsyncs the directory, so a crash leaves the old or the new checkpoint, never half of
// one; the newest `keep` are kept. load() skips (and reports) any file whose envelope fails.
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BrookError } from '../../common/errors.ts';
import { ProcessorError } from '../errors.ts';
import type { CheckpointStore } from '../types.ts';
import { unwrap, wrap } from './envelope.ts';

export interface DirectoryCheckpointStoreOptions {
  dir: string;
  /** Checkpoints kept, newest first. Default 3. */
  keep?: number;
  /** Told about every checkpoint file load() had to skip, and why. */
  onWarning?(message: string): void;
}

const NAME = /^checkpoint-(\d{20})\.ckpt$/;
const TEMP = /^\.checkpoint-.*\.tmp$/;

export class DirectoryCheckpointStore implements CheckpointStore {
  readonly description: string;
  readonly #opts: DirectoryCheckpointStoreOptions;
  /** save() calls run one after another: pruning must not race a rename. */
  #queue: Promise<void> = Promise.resolve();
  #tempCount = 0;

  constructor(opts: DirectoryCheckpointStoreOptions) {
    this.#opts = opts;
    this.description = `directory ${opts.dir}`;
  }

  /** The checkpoint files present, newest (highest id) first. */
  async files(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.#opts.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names.filter((n) => NAME.test(n)).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  }

  async load(): Promise<Uint8Array | undefined> {
    const files = await this.files();
    for (const name of files) {
      const path = join(this.#opts.dir, name);
      const got = unwrap(await readFile(path));
      const id = Number(NAME.exec(name)![1]);
      if (got.ok && got.id === id) return got.payload;
      const reason = got.ok ? `its envelope says checkpoint ${got.id}` : got.reason;
      this.#opts.onWarning?.(`skipping checkpoint file ${path}: ${reason}; trying the previous one`);
    }
    if (files.length > 0) {
      // Renames are atomic and fsynced: every file bad means damage, not a crash. Starting over
      // silently would reprocess (or skip) data; the operator decides.
      throw new ProcessorError(
        'CHECKPOINT_CORRUPT',
        `none of the ${files.length} checkpoint files in ${this.#opts.dir} is valid; move them aside to start the job from scratch`,
      );
    }
    return undefined;
  }

  save(id: number, bytes: Uint8Array): Promise<void> {
    const run = this.#queue.then(() => this.#save(id, bytes));
    this.#queue = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    await this.#queue;
  }

  async #save(id: number, bytes: Uint8Array): Promise<void> {
    if (!Number.isSafeInteger(id) || id < 0)
      throw new ProcessorError('CHECKPOINT_MISMATCH', `checkpoint id ${id} is not a non-negative integer`);
    const { dir } = this.#opts;
    const final = join(dir, `checkpoint-${String(id).padStart(20, '0')}.ckpt`);
    const temp = join(dir, `.checkpoint-${id}-${process.pid}-${++this.#tempCount}.tmp`);
    try {
      await mkdir(dir, { recursive: true });
      const file = await open(temp, 'wx');
      try {
        await file.writeFile(wrap(id, bytes));
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, final);
      await syncDir(dir);
    } catch (err) {
      await rm(temp, { force: true }).catch(() => {});
      throw new BrookError('CHECKPOINT_STORE', `writing checkpoint ${id} to ${dir} failed: ${(err as Error).message}`, { cause: err });
    }
    await this.#prune();
  }

  /** Drops all but the newest `keep` checkpoints, and temp files a crash left behind. */
  async #prune(): Promise<void> {
    const { dir } = this.#opts;
    const names = await readdir(dir);
    const old = (await this.files()).slice(this.#opts.keep ?? 3);
    const stale = names.filter((n) => TEMP.test(n) && !n.includes(`-${process.pid}-`));
    for (const n of [...old, ...stale]) await rm(join(dir, n), { force: true });
  }
}

/** Makes a rename durable (POSIX); platforms that cannot open a directory for sync skip it. */
async function syncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw err;
  } finally {
    await handle?.close();
  }
}
