// The baselines the broker's figures are compared with: raw loopback TCP between two Node
// processes, raw append + fdatasync in the broker's chunk size, and software vs native CRC-32C.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { crc32c, crc32cImplementation, crc32cSoftware } from '../../src/common/crc32c.ts';
import { NODE, runChild } from './child.ts';
import { mbps } from './format.ts';

const PEER = new URL('./tcp-peer.ts', import.meta.url).pathname;

export interface LoopbackResult {
  bytes: number;
  ms: number;
  mbps: number;
  sinkCpuMs: number;
  sourceCpuMs: number;
}

/** Pushes `bytes` from one Node process to another over 127.0.0.1 in `writeBytes` writes. */
export async function loopback(bytes: number, writeBytes: number): Promise<LoopbackResult> {
  const sink = spawn(NODE, [PEER, 'sink', String(bytes)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: sink.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const r = await lines.next();
    if (r.done) throw new Error('tcp sink exited early');
    return r.value;
  };
  const port = await nextLine();
  const source = await runChild(NODE, [PEER, 'source', port, String(bytes), String(writeBytes)], { timeoutMs: 120_000 });
  if (source.code !== 0) throw new Error(`tcp source failed: ${source.stderr}`);
  const r = JSON.parse(await nextLine()) as { bytes: number; ms: number; cpuMs: number };
  return { bytes: r.bytes, ms: r.ms, mbps: mbps(r.bytes, r.ms), sinkCpuMs: r.cpuMs, sourceCpuMs: source.cpuMs };
}

export interface DiskResult {
  chunkBytes: number;
  chunks: number;
  chunksPerSync: number;
  syncs: number;
  ms: number;
  mbps: number;
}

/**
 * Appends `totalBytes` in `chunkBytes` writes (fs.writeSync, as the broker's append does) to a fresh
 * file in `dir`, with an fdatasync after every `chunksPerSync` chunks and at the end.
 */
export function diskAppend(dir: string, totalBytes: number, chunkBytes: number, chunksPerSync: number): DiskResult {
  const chunk = Buffer.alloc(chunkBytes, 'd');
  const tmp = fs.mkdtempSync(path.join(dir, 'brook-bench-disk-'));
  const fd = fs.openSync(path.join(tmp, 'raw.log'), 'wx+');
  try {
    const chunks = Math.ceil(totalBytes / chunkBytes);
    let pos = 0;
    let syncs = 0;
    const start = process.hrtime.bigint();
    for (let i = 1; i <= chunks; i++) {
      pos += fs.writeSync(fd, chunk, 0, chunkBytes, pos);
      if (i % chunksPerSync === 0 || i === chunks) {
        fs.fdatasyncSync(fd);
        syncs++;
      }
    }
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    return { chunkBytes, chunks, chunksPerSync, syncs, ms, mbps: mbps(pos, ms) };
  } finally {
    fs.closeSync(fd);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export interface CrcResult {
  implementation: string;
  nativeMbps: number;
  softwareMbps: number;
  /** Per 1,000,000-byte batch, the size of a batched produce request. */
  nativeUsPerMB: number;
}

/** CRC-32C speed over a 1 MB buffer (a produce batch), each run for at least `ms` milliseconds. */
export function crcSpeed(ms = 300): CrcResult {
  const buf = Buffer.alloc(1_000_000);
  for (let i = 0; i < buf.length; i++) buf[i] = (i * 2654435761) >>> 24;
  const speed = (fn: (b: Uint8Array) => number) => {
    for (let i = 0; i < 3; i++) fn(buf); // warm up (JIT, addon load)
    let n = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < ms && n < 100_000) {
      fn(buf);
      n++;
      elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    }
    return mbps(n * buf.length, elapsed);
  };
  const native = speed((b) => crc32c(b));
  const software = speed((b) => crc32cSoftware(b));
  return { implementation: crc32cImplementation, nativeMbps: native, softwareMbps: software, nativeUsPerMB: 1e6 / native };
}
