// The store as the clickstream job's sink, on the golden dataset: at every checkpoint the store has
// committed exactly the rows the job emitted so far, and a second run over the same input (a
// replay after a restart without a checkpoint) leaves the same rows, none twice.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { CLICK_EVENT_AVSC, type ClickEvent } from '../../../src/generator/schema.ts';
import { type Click, clickDecoder } from '../../../src/jobs/clickstream/decode.ts';
import { clickstreamJob } from '../../../src/jobs/clickstream/job.ts';
import type { ResultRow } from '../../../src/jobs/clickstream/rows.ts';
import { type DeadLetter, JobRunner, type LateRecord, MemoryReader, MemorySink, type SourceRecord } from '../../../src/processor/index.ts';
import { AvroDecoder, Framing, InMemorySchemaSource } from '../../../src/registry/serde/index.ts';
import { openAnalyticsStore } from '../../../src/sinks/duckdb/analytics-store.ts';
import type { AnalyticsStore } from '../../../src/sinks/duckdb/analytics-store.types.ts';
import { buildGoldenDataset, GOLDEN_DEFAULT_START, goldenEncoder } from '../../jobs/clickstream/golden-data.ts';
import { expectedLatest, lastById, tempDir } from './helpers.ts';

test('commits go in step with the job checkpoints, and a replayed run duplicates nothing', async (t) => {
  const source = new InMemorySchemaSource();
  const ds = await buildGoldenDataset(await goldenEncoder(source, Framing.CONFLUENT));
  const next = new Array<bigint>(ds.partitions).fill(0n);
  const records: SourceRecord[] = ds.records.map((r) => {
    const offset = next[r.partition] as bigint;
    next[r.partition] = offset + 1n;
    return { topic: 'clickstream', partition: r.partition, offset, timestamp: r.timestamp, key: r.key, value: r.value };
  });
  const file = path.join(tempDir(t), 'store', 'clickstream.duckdb');
  // The dataset is from 2024: the store's clock is set to just after it, so retention keeps it.
  const now = () => GOLDEN_DEFAULT_START + 3_600_000;

  async function run(store: AnalyticsStore): Promise<{ emitted: ResultRow[]; checkpoints: number }> {
    const emitted = new MemorySink<ResultRow>('rows');
    let committed = 0;
    let checkpoints = 0;
    const off = store.onCommit((info) => {
      committed += info.rows;
    });
    const decoder = new AvroDecoder<ClickEvent>({ source, readerSchema: CLICK_EVENT_AVSC });
    const job = clickstreamJob({
      decode: clickDecoder(decoder),
      results: [emitted, store],
      deadLetters: new MemorySink<DeadLetter>('dlq'),
      late: new MemorySink<LateRecord<Click, number>>('late'),
    });
    await new JobRunner(job, {
      readers: { clickstream: new MemoryReader(records, { batch: 500 }) },
      bounded: true,
      checkpointIntervalMs: 0,
      onCheckpoint: () => {
        checkpoints++;
        // Every row the job emitted before this checkpoint is committed, and nothing more.
        assert.equal(committed, emitted.records.length, `rows committed at checkpoint ${checkpoints}`);
      },
    }).run();
    off();
    return { emitted: emitted.values, checkpoints };
  }

  const first = await openAnalyticsStore({ path: file, now });
  const a = await run(first); // the runner closes its sinks
  assert.ok(a.checkpoints > 5 && a.emitted.length > 300, `a real run: ${a.checkpoints} checkpoints, ${a.emitted.length} rows`);
  assert.equal(new Set(a.emitted.map((r) => `${r.table}/${r.id}`)).size, a.emitted.length, 'the job emits each id once');

  const second = await openAnalyticsStore({ path: file, now });
  const b = await run(second);
  assert.deepEqual(b.emitted, a.emitted);

  const store = await openAnalyticsStore({ path: file, now });
  t.after(() => store.close());
  const want = lastById(a.emitted);
  for (const table of ['user_session_details', 'user_session_counts', 'departments_count'] as const) {
    assert.deepEqual(await store.latest(table, 1e6), expectedLatest(want.values(), table), table);
  }
});
