// The sequence bookmark: the last globalseq, saved on shutdown and read at start so a restarted
// generator continues the sequence. Written atomically (temp file + rename) so a crash never
// leaves half a number.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BrookError } from '../common/errors.ts';

export function defaultBookmarkPath(dataDir: string): string {
  return join(dataDir, 'generator', 'bookmark');
}

/** The saved last globalseq, or 0 when there is no bookmark yet. */
export async function readBookmark(path: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  const n = Number(text.trim());
  if (!Number.isSafeInteger(n) || n < 0)
    throw new BrookError('GENERATOR_BOOKMARK', `bookmark ${path} does not hold a sequence number: '${text.trim()}'`);
  return n;
}

export async function writeBookmark(path: string, lastGlobalSeq: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${lastGlobalSeq}\n`);
  await rename(tmp, path);
}

/**
 * The same, synchronously and fsynced: used to reserve a block of sequence numbers from inside
 * the (synchronous) session loop before any number of the block is handed out.
 */
export function writeBookmarkSync(path: string, ceiling: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, `${ceiling}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
