// File helpers for the log: segment file names (20-digit base offsets, as Kafka names them),
// full positional reads and writes, and atomic small-file replacement (temp + fsync + rename).
import * as fs from 'node:fs';
import * as path from 'node:path';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';
export const SNAPSHOT_SUFFIX = '.snapshot';
/** A compacted segment being written; discarded by recovery. */
export const CLEANED_SUFFIX = '.cleaned';
/** A compacted segment ready to replace the original; recovery completes the swap. */
export const SWAP_SUFFIX = '.swap';
/** Files renamed for deletion; whatever is left after a crash is removed on open. */
export const DELETED_SUFFIX = '.deleted';
const TMP_SUFFIX = '.tmp';

export const offsetFileName = (offset: bigint, suffix: string): string => offset.toString().padStart(20, '0') + suffix;

/** The offset a file named `<20 digits><suffix>` starts at, or null for any other name. */
export function parseOffsetFileName(name: string, suffix: string): bigint | null {
  if (!name.endsWith(suffix) || name.length !== 20 + suffix.length) return null;
  const digits = name.slice(0, 20);
  return /^\d{20}$/.test(digits) ? BigInt(digits) : null;
}

/** Reads exactly `length` bytes unless the file ends first; returns the bytes read. */
export function readFully(fd: number, buf: Buffer, offset: number, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, offset + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

export function writeFully(fd: number, buf: Buffer, offset: number, length: number, position: number): void {
  let done = 0;
  while (done < length) done += fs.writeSync(fd, buf, offset + done, length - done, position + done);
}

export function fsyncDirSync(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Replaces `file` so that a crash leaves either the old or the new content, never a mix. */
export function atomicWriteFileSync(file: string, data: Buffer | string): void {
  const tmp = file + TMP_SUFFIX;
  const fd = fs.openSync(tmp, 'w');
  try {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    writeFully(fd, buf, 0, buf.length, 0);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDirSync(path.dirname(file));
}

/** Same as atomicWriteFileSync, off the event loop. */
export async function atomicWriteFile(file: string, data: Buffer | string): Promise<void> {
  const tmp = file + TMP_SUFFIX;
  const fh = await fs.promises.open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.promises.rename(tmp, file);
  const dir = await fs.promises.open(path.dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

export const isTempFile = (name: string): boolean => name.endsWith(TMP_SUFFIX);

export function fdatasyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

/** Writes `data` to a new file and fsyncs it (no rename: the caller decides when it counts). */
export function writeFileDurableSync(file: string, data: Buffer): void {
  const fd = fs.openSync(file, 'w');
  try {
    writeFully(fd, data, 0, data.length, 0);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function unlinkIfExists(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
