// A partitioned run's checkpoints in one local directory: per key (an input partition, the
// combiner) its own `<key>.checkpoint-<id>.ckpt` files, written and kept as DirectoryCheckpointStore
// does. Instances sharing the directory save different keys side by side. Checkpoints of the
// single-pipeline layout (`checkpoint-<id>.ckpt`) are refused with what to delete.
import { readdir } from 'node:fs/promises';
import { ProcessorError } from '../errors.ts';
import type { KeyedCheckpointStore } from '../types.ts';
import { DirectoryCheckpointStore } from './directory-checkpoint-store.ts';

export interface KeyedDirectoryCheckpointStoreOptions {
  dir: string;
  /** Checkpoints kept per key. Default 3. */
  keep?: number;
  onWarning?(message: string): void;
}

const KEYED = /^(.+)\.checkpoint-\d{20}\.ckpt$/;
const SINGLE = /^checkpoint-\d{20}\.ckpt$/;
/** A file name part: no separators, and not starting with a dot (temp files do). */
const KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export class KeyedDirectoryCheckpointStore implements KeyedCheckpointStore {
  readonly description: string;
  readonly #opts: KeyedDirectoryCheckpointStoreOptions;
  readonly #stores = new Map<string, DirectoryCheckpointStore>();

  constructor(opts: KeyedDirectoryCheckpointStoreOptions) {
    this.#opts = opts;
    this.description = `directory ${opts.dir}`;
  }

  async scan(): Promise<Map<string, Uint8Array>> {
    const { dir } = this.#opts;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw err;
    }
    const single = names.filter((n) => SINGLE.test(n));
    if (single.length > 0) {
      throw new ProcessorError(
        'CHECKPOINT_MISMATCH',
        `${dir} holds checkpoints of the single-pipeline layout (${single.length} checkpoint-*.ckpt files); this Brook checkpoints each ` +
          'input partition on its own and cannot split them. Delete (or move aside) those files and start again: ' +
          'the job resumes from the offsets the consumer group committed (--from committed), or recomputes everything with --from earliest.',
      );
    }
    const files = names.filter((n) => KEYED.test(n));
    const keys = [...new Set(files.map((n) => (KEYED.exec(n) as RegExpExecArray)[1] as string))].sort();
    const latest = new Map<string, Uint8Array>();
    const damaged: ProcessorError[] = [];
    for (const key of keys) {
      try {
        const bytes = await this.#store(key).load();
        if (bytes !== undefined) latest.set(key, bytes);
      } catch (err) {
        if (!(err instanceof ProcessorError) || err.code !== 'CHECKPOINT_CORRUPT') throw err;
        damaged.push(err);
      }
    }
    if (files.length > 0 && latest.size === 0) {
      // Renames are atomic and fsynced: every file bad means damage, not a crash. Starting over
      // silently would reprocess (or skip) data; the operator decides.
      throw new ProcessorError(
        'CHECKPOINT_CORRUPT',
        `none of the ${files.length} checkpoint files in ${dir} is valid; move them aside to start the job from scratch`,
      );
    }
    if (damaged.length > 0) throw damaged[0];
    return latest;
  }

  async load(key: string): Promise<Uint8Array | undefined> {
    return this.#store(key).load();
  }

  async save(key: string, id: number, bytes: Uint8Array): Promise<void> {
    return this.#store(key).save(id, bytes);
  }

  async close(): Promise<void> {
    for (const store of this.#stores.values()) await store.close();
  }

  #store(key: string): DirectoryCheckpointStore {
    if (!KEY.test(key))
      throw new ProcessorError('CHECKPOINT_MISMATCH', `checkpoint key '${key}' may use only letters, digits, '.', '_' and '-'`);
    let store = this.#stores.get(key);
    if (store === undefined) {
      store = new DirectoryCheckpointStore({
        dir: this.#opts.dir,
        prefix: `${key}.`,
        keep: this.#opts.keep,
        onWarning: this.#opts.onWarning,
      });
      this.#stores.set(key, store);
    }
    return store;
  }
}
