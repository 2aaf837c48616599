// Writing key material safely: private keys and keystores 0600, the CA directory 0700, each file
// replaced atomically (a crash leaves the old file or the new, never half a key), and file-system
// failures turned into messages that say which path and what to do.
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../security/atomic-file.ts';
import { certsError } from './errors.ts';

export const SECRET_MODE = 0o600;
export const PUBLIC_MODE = 0o644;
export const PRIVATE_DIR_MODE = 0o700;

export function explainFsError(e: unknown, path: string, hint: string): Error {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'EROFS'
        ? 'read-only file system'
        : code === 'ENOTDIR'
          ? 'a part of the path is a file, not a directory'
          : code === 'ENOSPC'
            ? 'no space left on the device'
            : (e as Error).message;
  return certsError(`cannot write ${path}: ${why}; ${hint}`, e);
}

/**
 * Makes a directory (and its parents), 0700 when `private`. `own` also narrows an existing one to
 * 0700: right for the CA's directory, wrong for a directory of the user's such as `--out .`.
 */
export function ensureDir(dir: string, opts: { private: boolean; own?: boolean; hint: string }): void {
  try {
    mkdirSync(dir, { recursive: true, mode: opts.private ? PRIVATE_DIR_MODE : 0o755 });
    if (opts.private && opts.own) chmodSync(dir, PRIVATE_DIR_MODE);
  } catch (e) {
    throw explainFsError(e, dir, opts.hint);
  }
}

export function writeFile(path: string, data: string | Uint8Array, mode: number, hint: string): void {
  try {
    writeFileAtomic(path, data, mode);
  } catch (e) {
    throw explainFsError(e, path, hint);
  }
}

/** The files of `paths` that exist already (to refuse overwriting them without --force). */
export function existing(paths: readonly string[]): string[] {
  return paths.filter((p) => existsSync(p));
}
