// One broker per data directory: a `.lock` file holding the owner's pid, created exclusively.
// Node has no flock, so a lock left by a dead process (crash, SIGKILL) is detected by its pid and
// taken over. (A recycled pid could make a stale lock look alive: remove the file by hand then.)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BrookError } from '../common/errors.ts';

export const LOCK_FILE = '.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or throws a BrookError naming the directory and the owner. Returns a release. */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
        } catch {}
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new BrookError(
          'LOG_DIR',
          `cannot create the lock file ${file}: ${(err as Error).message}. Give the broker a writable data directory.`,
          { cause: err },
        );
      }
    }
    let owner = Number.NaN;
    try {
      owner = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    } catch {}
    if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
      throw new BrookError(
        'LOG_DIR_LOCKED',
        `data directory ${dataDir} is in use by process ${owner}${owner === process.pid ? ' (this process: close the other LogManager first)' : ''}; stop that broker or give this one another data directory (lock file ${file})`,
      );
    }
    try {
      fs.unlinkSync(file); // stale: its owner is gone
    } catch {}
  }
  throw new BrookError('LOG_DIR_LOCKED', `could not take the lock ${file}; remove it if no broker uses ${dataDir}`);
}
