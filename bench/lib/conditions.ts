// The conditions every benchmark prints with its figures: date, Node, CPU, cores, memory, the disk
// under the data directory, kcat's version and the CRC-32C implementation in use.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { crc32cImplementation } from '../../src/common/crc32c.ts';

export interface Conditions {
  date: string;
  node: string;
  os: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  disk: string;
  kcat: string;
  crc32c: string;
  /** Commit, and how many files under src/ differ from it (others edit src/ in parallel). */
  source: string;
}

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return '';
  }
}

// statfs magic numbers of the file systems a data directory is likely to sit on.
const FS_TYPES: Record<number, string> = {
  61267: 'ext4',
  1481003842: 'xfs',
  2435016766: 'btrfs',
  16914836: 'tmpfs',
  2035054128: 'overlayfs',
};

export function conditions(dataDir: string): Conditions {
  const cpus = os.cpus();
  let disk = '?';
  try {
    const st = fs.statfsSync(dataDir);
    const dev = run('df', ['--output=source', dataDir]).trim().split('\n').at(-1) ?? '?';
    const freeGiB = (st.bavail * st.bsize) / 2 ** 30;
    disk = `${dataDir} on ${dev} (${FS_TYPES[st.type] ?? `fs 0x${st.type.toString(16)}`}, ${freeGiB.toFixed(0)} GiB free)`;
  } catch {}
  const kcatVersion = /Version (\S+).*librdkafka (\S+)/.exec(run('kcat', ['-V']).replace(/\n/g, ' '));
  return {
    date: new Date().toISOString(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model ?? '?',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    disk,
    kcat: kcatVersion ? `kcat ${kcatVersion[1]} (librdkafka ${kcatVersion[2]})` : 'kcat not found',
    crc32c: crc32cImplementation,
    source: sourceState(),
  };
}

function sourceState(): string {
  const root = new URL('../../', import.meta.url).pathname;
  const commit = run('git', ['-C', root, 'rev-parse', '--short', 'HEAD']).trim() || '?';
  const changed = run('git', ['-C', root, 'status', '--porcelain', 'src'])
    .split('\n')
    .filter((l) => l.trim() !== '').length;
  return `git ${commit}${changed > 0 ? ` + ${changed} changed/new paths under src/` : ''}`;
}

export function printConditions(c: Conditions): void {
  console.log(`date ${c.date}; node ${c.node}; ${c.os}`);
  console.log(`cpu ${c.cores} x ${c.cpu}; ${c.memoryGiB} GiB RAM; data ${c.disk}`);
  console.log(`${c.kcat}; CRC-32C ${c.crc32c}; source ${c.source}`);
}
