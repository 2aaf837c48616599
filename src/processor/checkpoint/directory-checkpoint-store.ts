// Checkpoints as files in a local directory. save() writes a temp file, fsyncs it, renames it into
// place and fsyncs the directory, so a crash leaves the old or the new checkpoint, never half of
// one; the newest `keep` are kept. load() skips (and reports) any file whose envelope fails. A
// prefix lets several keys (a partitioned run's partitions) share one directory.
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BrookError } from '../../common/errors.ts';
import { ProcessorError } from '../errors.ts';
import type { CheckpointStore } from '../types.ts';
import { header, unwrap } from './envelope.ts';

export interface DirectoryCheckpointStoreOptions {
  dir: string;
  /** Starts every file name (`<prefix>checkpoint-<id>.ckpt`): one key's checkpoints among others'. Default ''. */
  prefix?: string;
  /** Checkpoints kept, newest first. Default 3. */
  keep?: number;
  /** Told about every checkpoint file load() had to skip, and why. */
  onWarning?(message: string): void;
}

/** A temp file older than this is a crash's leftover even if its process id is alive again. */
const STALE_TEMP_MS = 10 * 60_000;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class DirectoryCheckpointStore implements CheckpointStore {
  readonly description: string;
  readonly #opts: DirectoryCheckpointStoreOptions;
  readonly #prefix: string;
  readonly #name: RegExp;
  readonly #temp: RegExp;
  /** save() calls run one after another: pruning must not race a rename. */
  #queue: Promise<void> = Promise.resolve();
  #tempCount = 0;

  constructor(opts: DirectoryCheckpointStoreOptions) {
    this.#opts = opts;
    this.#prefix = opts.prefix ?? '';
    this.#name = new RegExp(`^${escapeRegExp(this.#prefix)}checkpoint-(\\d{20})\\.ckpt$`);
    this.#temp = new RegExp(`^\\.${escapeRegExp(this.#prefix)}checkpoint-\\d+-(\\d+)-\\d+\\.tmp$`);
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
    return names.filter((n) => this.#name.test(n)).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  }

  async load(): Promise<Uint8Array | undefined> {
    const files = await this.files();
    for (const name of files) {
      const path = join(this.#opts.dir, name);
      const got = unwrap(await readFile(path));
      const id = Number(this.#name.exec(name)![1]);
      if (got.ok && got.id === id) return got.payload;
      const reason = got.ok ? `its envelope says checkpoint ${got.id}` : got.reason;
      this.#opts.onWarning?.(`skipping checkpoint file ${path}: ${reason}; trying the previous one`);
    }
    if (files.length > 0) {
      // Renames are atomic and fsynced: every file bad means damage, not a crash. Starting over
      // silently would reprocess (or skip) data; the operator decides.
      const of = this.#prefix === '' ? '' : ` of ${this.#prefix.replace(/\.$/, '')}`;
      throw new ProcessorError(
        'CHECKPOINT_CORRUPT',
        `none of the ${files.length} checkpoint files${of} in ${this.#opts.dir} is valid; move them aside to start the job from scratch`,
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
    const final = join(dir, `${this.#prefix}checkpoint-${String(id).padStart(20, '0')}.ckpt`);
    const temp = join(dir, `.${this.#prefix}checkpoint-${id}-${process.pid}-${++this.#tempCount}.tmp`);
    try {
      await mkdir(dir, { recursive: true });
      const file = await open(temp, 'wx');
      try {
        const head = header(id, bytes);
        const { bytesWritten } = await file.writev([head, bytes]);
        // A short write (rare, very large files) is finished from where it stopped.
        for (let done = bytesWritten; done < head.length + bytes.byteLength; ) {
          const rest = done < head.length ? Buffer.concat([head.subarray(done), bytes]) : bytes.subarray(done - head.length);
          done += (await file.write(rest, 0, rest.byteLength, done)).bytesWritten;
        }
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
    const stale: string[] = [];
    for (const n of names) if (await this.#isStaleTemp(join(dir, n), n)) stale.push(n);
    for (const n of [...old, ...stale]) await rm(join(dir, n), { force: true });
  }

  /** Another instance sharing the directory may be writing its temp file right now: only the dead's go. */
  async #isStaleTemp(path: string, name: string): Promise<boolean> {
    const m = this.#temp.exec(name);
    if (m === null) return false;
    const pid = Number(m[1]);
    if (pid === process.pid) return false;
    if (!isAlive(pid)) return true;
    const info = await stat(path).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > STALE_TEMP_MS;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
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
