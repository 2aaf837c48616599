// Producer ids that are never handed out twice, across restarts: the file records the end of the
// block this broker may use, written (fsync + rename) before any id of the block is given out.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { atomicWriteFileSync } from './fs-util.ts';

export const PRODUCER_ID_FILE = 'producer-id-block';
const BLOCK_SIZE = 1000n;

export class ProducerIdAllocator {
  private readonly file: string;
  private next: bigint;
  private blockEnd: bigint;

  /** `floor`: ids at or below it are known to be in use (from producer state in the logs). */
  constructor(dataDir: string, floor = -1n) {
    this.file = path.join(dataDir, PRODUCER_ID_FILE);
    let start = 0n;
    try {
      const s = fs.readFileSync(this.file, 'utf8').trim();
      if (/^\d+$/.test(s)) start = BigInt(s);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (floor + 1n > start) start = floor + 1n;
    this.next = start;
    this.blockEnd = start;
  }

  allocate(): bigint {
    if (this.next >= this.blockEnd) {
      const end = this.next + BLOCK_SIZE;
      atomicWriteFileSync(this.file, `${end}\n`);
      this.blockEnd = end;
    }
    return this.next++;
  }
}
