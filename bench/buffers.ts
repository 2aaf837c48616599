// Micro-benchmarks behind the hot spots profile-broker.ts shows: reading stored batches into fresh
// vs reused buffers (the fetch path allocates one per read), and reassembling 1 MB produce frames
// from 64 KiB socket chunks (FrameDecoder copies each one). Usage: node bench/buffers.ts [--dir D]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { FrameDecoder } from '../src/protocol/framing.ts';
import { conditions, printConditions } from './lib/conditions.ts';
import { mbps } from './lib/format.ts';

const { values } = parseArgs({ options: { dir: { type: 'string', default: os.tmpdir() }, mb: { type: 'string', default: '256' } } });
const fileBytes = Number(values.mb) * 1e6;
printConditions(conditions(values.dir));

const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

// A file in the page cache, as the active segment is when consumers keep up.
const tmp = fs.mkdtempSync(path.join(values.dir, 'brook-bench-buf-'));
const file = path.join(tmp, 'segment.log');
fs.writeFileSync(file, Buffer.alloc(fileBytes, 'b'));
const fd = fs.openSync(file, 'r');
try {
  console.log(`\nreadSync of a ${values.mb} MB page-cached file (Segment.read allocates a fresh buffer per read):`);
  for (const size of [1 << 20, 16 << 20]) {
    for (const reuse of [false, true]) {
      const kept = Buffer.allocUnsafe(size);
      let best = 0;
      for (let run = 0; run < 3; run++) {
        let n = 0;
        const t = process.hrtime.bigint();
        for (let pos = 0; pos + size <= fileBytes; pos += size) n += fs.readSync(fd, reuse ? kept : Buffer.allocUnsafe(size), 0, size, pos);
        best = Math.max(best, mbps(n, ms(t)));
      }
      console.log(
        `  ${String(size >> 20).padStart(2)} MiB reads into ${reuse ? 'one reused buffer' : 'fresh buffers    '}: ${best.toFixed(0)} MB/s (best of 3)`,
      );
    }
  }
} finally {
  fs.closeSync(fd);
  fs.rmSync(tmp, { recursive: true, force: true });
}

// 1 MB produce frames arriving as Node delivers socket data: 64 KiB chunks, each a fresh buffer.
const frameBytes = 1_000_000;
const frames = 256;
const wire = Buffer.alloc(frames * (frameBytes + 4), 'p');
for (let i = 0; i < frames; i++) wire.writeInt32BE(frameBytes, i * (frameBytes + 4));
const chunks: Buffer[] = [];
for (let pos = 0; pos < wire.length; pos += 65536) chunks.push(Buffer.from(wire.subarray(pos, pos + 65536)));
let best = 0;
for (let run = 0; run < 3; run++) {
  const decoder = new FrameDecoder(1 << 30);
  let got = 0;
  const t = process.hrtime.bigint();
  for (const c of chunks) got += decoder.push(c).length;
  if (got !== frames) throw new Error(`decoded ${got} of ${frames} frames`);
  best = Math.max(best, mbps(wire.length, ms(t)));
}
let copyBest = 0;
for (let run = 0; run < 3; run++) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < frames; i++) Buffer.concat(chunks.slice(i * 16, i * 16 + 16), frameBytes);
  copyBest = Math.max(copyBest, mbps(frames * frameBytes, ms(t)));
}
console.log(
  `\nFrameDecoder.push, 1 MB frames from 64 KiB chunks: ${best.toFixed(0)} MB/s (bare Buffer.concat of the same: ${copyBest.toFixed(0)} MB/s)`,
);
