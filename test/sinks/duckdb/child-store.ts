// Another process for the store tests (run by helpers.ts): `hold <path>` keeps a store open until
// stdin closes; `crash <path> <flushed> <unflushed>` commits some windows, buffers more, and waits
// to be killed.
import { openAnalyticsStore } from '../../../src/sinks/duckdb/analytics-store.ts';
import { seeded, T0, WINDOW_MS, windowRows } from './helpers.ts';

const [mode, path, flushed, unflushed] = process.argv.slice(2);
const store = await openAnalyticsStore({ path: path!, now: () => T0 });
if (mode === 'hold') {
  console.log('open');
  process.stdin.resume();
  process.stdin.on('end', () => void store.close());
} else {
  const rand = seeded(7);
  for (let w = 0; w < Number(flushed); w++) for (const r of windowRows(T0 - w * WINDOW_MS, rand)) store.write({ value: r, timestamp: 0 });
  await store.flush();
  for (let w = 0; w < Number(unflushed); w++)
    for (const r of windowRows(T0 + (w + 1) * WINDOW_MS, rand)) store.write({ value: r, timestamp: 0 });
  console.log('flushed');
  setInterval(() => {}, 60_000);
}
