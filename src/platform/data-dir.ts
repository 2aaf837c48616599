// The data directory of `brook up`: created if missing, proven writable before any part writes to
// it, and locked so that a second `brook up` on it is refused instead of corrupting the first.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrookError } from '../common/errors.ts';
import { LOCK_FILE, lockDataDir } from '../log/dir-lock.ts';
import { PlatformError } from './errors.ts';

const CHOOSE = 'choose another with --data-dir DIR (dataDir in brook.config.json, BROOK_DATA_DIR)';

/** Returns the lock's release. */
export function prepareDataDir(dir: string): () => void {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.write-test-${process.pid}`);
    writeFileSync(probe, 'brook\n');
    rmSync(probe, { force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new PlatformError(
      'data directory',
      `cannot write to ${dir} (${code}): give yourself write access to it, or ${CHOOSE}. Nothing was started or changed.`,
      { cause: err },
    );
  }
  try {
    return lockDataDir(dir);
  } catch (err) {
    if (!(err instanceof BrookError) || err.code !== 'LOG_DIR_LOCKED') throw err;
    let owner = '';
    try {
      owner = ` (process ${readFileSync(join(dir, LOCK_FILE), 'utf8').trim()})`;
    } catch {}
    throw new PlatformError(
      'data directory',
      `${dir} is in use by another brook up${owner}: stop that one first (Ctrl-C in its terminal; 'brook status' shows it), or ${CHOOSE}`,
      { cause: err },
    );
  }
}
