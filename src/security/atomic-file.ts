// Replaces a small file atomically: write a temporary file, fsync it, rename it over the old one,
// fsync the directory, so that a crash leaves either the old content or the new, never half.
// The file gets exactly `mode`: a temporary file left by a crash (maybe wider) is removed first,
// and the mode is set again after writing, since the umask may have narrowed it.
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): void {
  const tmp = `${path}.tmp`;
  try {
    rmSync(tmp, { force: true });
    const fd = openSync(tmp, 'wx', mode);
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // the directory refuses us anything; the first error says why
    }
    throw e;
  }
  // The rename itself must survive a crash.
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
