// The floor under acks=-1 latency on this disk, without the broker: small appends at a fixed rate
// (writeSync on the main thread) made durable by a group-commit fdatasync loop on the libuv pool,
// exactly the broker's pattern; latency runs from each write's scheduled time to its fsync's end.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Dist {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export function dist(xs: Float64Array): Dist {
  const s = xs.slice().sort();
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
  return { p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: s[s.length - 1]!, mean: s.reduce((a, b) => a + b, 0) / s.length };
}

const hr = () => Number(process.hrtime.bigint()) / 1e6;

/**
 * `minGapMs` > 0 holds a new round back until that long after the previous one started (a
 * coalescing window: fewer, larger rounds), to show that trade-off without changing the broker.
 */
export async function groupCommitFloor(
  dir: string,
  rate: number,
  seconds: number,
  minGapMs = 0,
  recordBytes = 170,
): Promise<{ latency: Dist; syncs: Dist; rounds: number; cpuMs: number }> {
  const tmp = fs.mkdtempSync(path.join(dir, 'brook-bench-gc-'));
  const fd = fs.openSync(path.join(tmp, 'f'), 'wx+');
  const rec = Buffer.alloc(recordBytes, 'r');
  const total = Math.round(rate * seconds);
  const lat = new Float64Array(total);
  const syncMs: number[] = [];
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  let pending: { k: number; scheduled: number }[] = [];
  let syncing = false;
  let done = 0;
  let pos = 0;
  let lastStart = 0;
  const startSync = () => {
    syncing = true;
    const wait = lastStart + minGapMs - hr();
    if (wait > 0) {
      setTimeout(go, wait);
      return;
    }
    go();
  };
  const go = () => {
    const covered = pending;
    pending = [];
    const t = hr();
    lastStart = t;
    fs.fdatasync(fd, (err) => {
      if (err) throw err;
      const end = hr();
      syncMs.push(end - t);
      for (const c of covered) lat[c.k] = end - c.scheduled;
      done += covered.length;
      syncing = false;
      if (pending.length > 0) startSync();
    });
  };
  const interval = 1000 / rate;
  const cpu0 = process.cpuUsage();
  const start = hr() + 2;
  const hardStop = start + seconds * 1000 + 30_000;
  try {
    for (let i = 0; i < total && hr() < hardStop; ) {
      const now = hr();
      for (; i < total && start + i * interval <= now; i++) {
        pos += fs.writeSync(fd, rec, 0, rec.length, pos);
        pending.push({ k: i, scheduled: start + i * interval });
        if (!syncing) startSync();
      }
      const wait = start + i * interval - hr() - 0.02;
      if (wait > 0.01) Atomics.wait(sleeper, 0, 0, Math.min(wait, 1));
      await new Promise<void>((r) => setImmediate(r));
    }
    while (done < total && hr() < hardStop) await new Promise((r) => setTimeout(r, 1));
    const cpu = process.cpuUsage(cpu0);
    return { latency: dist(lat), syncs: dist(Float64Array.from(syncMs)), rounds: syncMs.length, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    fs.closeSync(fd);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
