// Log append throughput: ~1 MB batches of 100-byte records appended by K concurrent producers,
// each waiting for its flush() (acks=-1, group commit), then without flush (acks=1); compared
// with raw fs.writeSync + fdatasync of the same bytes in the same directory (an fdatasync after
// every `producers` batches, as an ideal group commit would, and a single one at the end).
// Usage: node bench/log-append.ts [--mb 1024] [--producers 4] [--dir /path/on/the/disk]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { openLogManager } from '../src/log/log-manager.ts';
import { validateProducedRecords } from '../src/protocol/record-batch.ts';
import { buildBatch, type KafkaRecord } from '../src/protocol/records.ts';

const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '1024' },
    producers: { type: 'string', default: '4' },
    'record-bytes': { type: 'string', default: '100' },
    'batch-bytes': { type: 'string', default: '1000000' },
    dir: { type: 'string', default: os.tmpdir() },
  },
});
const totalBytes = Number(values.mb) * 1024 * 1024;
const producers = Number(values.producers);
const recordBytes = Number(values['record-bytes']);
const batchBytes = Number(values['batch-bytes']);

// A record of `recordBytes` on the wire: the value fills what the record framing leaves.
const value = Buffer.alloc(recordBytes - 8, 'v');
const perBatch = Math.floor((batchBytes - 61) / (recordBytes + 2));
const records: KafkaRecord[] = Array.from({ length: perBatch }, (_, i) => ({
  offsetDelta: i,
  timestampDelta: 0n,
  key: null,
  value,
  headers: [],
}));
const template = buildBatch(records, { baseTimestamp: BigInt(Date.now()) });
const batches = Math.ceil(totalBytes / template.length);
const rounds = Math.ceil(batches / producers);

function conditions(): void {
  const cpus = os.cpus();
  let fsType = '?';
  try {
    fsType = fs.statfsSync(values.dir).type.toString(16);
  } catch {}
  console.log(
    `node ${process.version}, ${os.type()} ${os.release()} ${os.arch()}, ${cpus.length} x ${cpus[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM`,
  );
  console.log(
    `dir ${values.dir} (statfs type 0x${fsType}); record ${recordBytes} B on the wire, ${perBatch} records per batch = ${template.length} B, ${batches} batches (${((batches * template.length) / 2 ** 20).toFixed(0)} MiB), ${producers} producers`,
  );
}

async function logRun(flush: boolean): Promise<{ seconds: number; records: number; bytes: number }> {
  const dir = fs.mkdtempSync(path.join(values.dir, 'brook-bench-'));
  const logs = await openLogManager({ dataDir: dir, retentionCheckIntervalMs: 0 });
  try {
    logs.createTopic('bench', 1, { 'retention.ms': '-1' });
    const log = logs.partition('bench', 0)!;
    // One request buffer per producer, as a broker gets a fresh one per request.
    const bufs = Array.from({ length: producers }, () => Buffer.from(template));
    const headers = bufs.map((b) => validateProducedRecords(b));
    let appended = 0;
    const start = process.hrtime.bigint();
    await Promise.all(
      bufs.map(async (buf, p) => {
        for (let r = 0; r < rounds && appended < batches; r++) {
          appended++;
          log.append(buf, headers[p]!);
          if (flush) await log.flush();
          else if (r % 64 === 0) await new Promise((res) => setImmediate(res));
        }
      }),
    );
    if (!flush) await log.flush();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { seconds, records: appended * perBatch, bytes: appended * template.length };
  } finally {
    await logs.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function rawRun(syncEveryRound: boolean): Promise<{ seconds: number; bytes: number }> {
  const dir = fs.mkdtempSync(path.join(values.dir, 'brook-bench-raw-'));
  const fd = fs.openSync(path.join(dir, 'raw.log'), 'w');
  try {
    let pos = 0;
    let written = 0;
    const start = process.hrtime.bigint();
    while (written < batches) {
      // The ideal group commit: every producer's batch written, then one fdatasync for all.
      for (let p = 0; p < producers && written < batches; p++, written++) {
        fs.writeSync(fd, template, 0, template.length, pos);
        pos += template.length;
      }
      if (syncEveryRound || written >= batches) await new Promise<void>((res, rej) => fs.fdatasync(fd, (e) => (e ? rej(e) : res())));
    }
    return { seconds: Number(process.hrtime.bigint() - start) / 1e9, bytes: pos };
  } finally {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (records: number, bytes: number, s: number) =>
  `${(records / s / 1e6).toFixed(2)} M records/s, ${(bytes / s / 2 ** 20).toFixed(0)} MiB/s (${s.toFixed(2)} s)`;

conditions();
const raw = await rawRun(true);
const rawOnce = await rawRun(false);
const acksAll = await logRun(true);
const acksOne = await logRun(false);
console.log(`raw writeSync + fdatasync per ${producers} batches: ${fmt(batches * perBatch, raw.bytes, raw.seconds)}`);
console.log(`raw writeSync, one final fdatasync: ${fmt(batches * perBatch, rawOnce.bytes, rawOnce.seconds)}`);
console.log(`log append + flush (acks=-1): ${fmt(acksAll.records, acksAll.bytes, acksAll.seconds)}`);
console.log(`log append only   (acks=1):  ${fmt(acksOne.records, acksOne.bytes, acksOne.seconds)}`);
const rate = (r: { bytes: number; seconds: number }) => r.bytes / r.seconds;
console.log(
  `acks=-1 vs raw with fsync per round: ${((rate(acksAll) / rate(raw)) * 100).toFixed(0)}%; vs raw with one fsync: ${((rate(acksAll) / rate(rawOnce)) * 100).toFixed(0)}%`,
);
