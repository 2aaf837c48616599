// The standalone dashboard's own copy of the results: reads the three result topics from the
// earliest offset into its analytics store (the processor's DuckDB file has one writer, the
// processor), flushing once a second, and commits its positions so lag tools see how far it is.
import { Admin } from '@platformatic/kafka';
import { RESULT_TOPICS } from '../jobs/clickstream/rows.ts';
import { KafkaReader } from '../processor/kafka/kafka-reader.ts';
import { describe, type KafkaConnectionOptions, sleep } from '../processor/kafka/retry.ts';
import type { AnalyticsStore } from '../sinks/duckdb/analytics-store.types.ts';
import { parseResultRow, RowParseError } from './parse-row.ts';

export interface TopicFeedOptions {
  bootstrap: string[];
  connection?: KafkaConnectionOptions;
  store: AnalyticsStore;
  signal: AbortSignal;
  /** Default 'brook-dashboard'. */
  groupId?: string;
  /** Default 1000 ms. */
  flushEveryMs?: number;
  /** Things the user should know: waiting for the topics, records that are not result rows. */
  onWarning?(message: string): void;
}

export interface TopicFeedStats {
  records: number;
  rows: number;
  skipped: number;
  flushes: number;
}

export interface TopicFeed {
  /** Resolves when the signal stops the feed (after a last flush); rejects if the store fails. */
  readonly done: Promise<void>;
  stats(): TopicFeedStats;
}

const TOPICS = Object.values(RESULT_TOPICS);

export function feedStoreFromTopics(opts: TopicFeedOptions): TopicFeed {
  const stats: TopicFeedStats = { records: 0, rows: 0, skipped: 0, flushes: 0 };
  const warn = opts.onWarning ?? (() => {});
  const done = run(opts, stats, warn);
  // The caller awaits `done`; this keeps an early rejection from being reported as unhandled first.
  done.catch(() => undefined);
  return { done, stats: () => ({ ...stats }) };
}

/** Waits until the processor has created every result topic (it does on its first run). */
async function untilTopicsExist(opts: TopicFeedOptions, warn: (m: string) => void): Promise<boolean> {
  const admin = new Admin({ clientId: 'brook-dashboard', bootstrapBrokers: opts.bootstrap, retries: 1, ...opts.connection });
  let said = '';
  try {
    while (!opts.signal.aborted) {
      let note: string;
      try {
        const existing = new Set(await admin.listTopics());
        const missing = TOPICS.filter((t) => !existing.has(t));
        if (missing.length === 0) return true;
        note = `waiting for the result topics ${missing.join(', ')}: they appear when the processor runs (brook process)`;
      } catch (err) {
        note = `cannot reach Kafka at ${opts.bootstrap.join(',')} (${describe(err)}); retrying`;
      }
      if (note !== said) warn(note);
      said = note;
      if (!(await sleep(2000, opts.signal))) return false;
    }
    return false;
  } finally {
    await admin.close().catch(() => undefined);
  }
}

async function run(opts: TopicFeedOptions, stats: TopicFeedStats, warn: (m: string) => void): Promise<void> {
  if (!(await untilTopicsExist(opts, warn))) return;
  let lastRetryNote = 0;
  const reader = new KafkaReader({
    bootstrap: opts.bootstrap,
    topics: TOPICS,
    groupId: opts.groupId ?? 'brook-dashboard',
    clientId: 'brook-dashboard',
    from: 'earliest',
    ...(opts.connection ? { connection: opts.connection } : {}),
    onWarning: warn,
    onRetry: (info) => {
      if (Date.now() - lastRetryNote < 5000) return;
      lastRetryNote = Date.now();
      warn(info.message);
    },
  });
  const flushEveryMs = opts.flushEveryMs ?? 1000;
  let pending = 0;
  let lastFlush = Date.now();
  let lastSkipNote = 0;
  const flush = async () => {
    await opts.store.flush();
    stats.flushes++;
    pending = 0;
    lastFlush = Date.now();
    // Only what the store holds is committed, so the group's lag is the dashboard's true backlog.
    await reader.commit(reader.positions()).catch((err: Error) => warn(`committing the dashboard's offsets failed: ${err.message}`));
  };
  try {
    await reader.seek(new Map());
    while (!opts.signal.aborted) {
      const records = await reader.poll(opts.signal);
      for (const r of records) {
        stats.records++;
        try {
          const row = parseResultRow(r.topic, r.value);
          opts.store.write({ value: row, timestamp: row.doc.windowEndTime - 1 });
          stats.rows++;
          pending++;
        } catch (err) {
          if (!(err instanceof RowParseError)) throw err;
          stats.skipped++;
          if (Date.now() - lastSkipNote > 10_000) {
            lastSkipNote = Date.now();
            warn(`skipped a record of ${r.topic} at offset ${r.partition}:${r.offset} (${err.message}); ${stats.skipped} skipped so far`);
          }
        }
      }
      if (pending > 0 && Date.now() - lastFlush >= flushEveryMs) await flush();
    }
    if (pending > 0) await flush();
  } finally {
    await reader.close();
  }
}
