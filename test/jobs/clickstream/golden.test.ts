// The golden test, in memory: the seeded dataset (three partitions, minutes of event time,
// in-bound disorder, far-too-late and undecodable records) runs through the clickstream job in
// bounded mode; every row must equal the plain batch computation of the spec's formulas, and the
// late and dead-letter outputs must hold exactly the bad records. Both framings.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CLICK_EVENT_AVSC, type ClickEvent } from '../../../src/generator/schema.ts';
import { type Click, clickDecoder } from '../../../src/jobs/clickstream/decode.ts';
import { clickstreamJob } from '../../../src/jobs/clickstream/job.ts';
import type { ResultRow } from '../../../src/jobs/clickstream/rows.ts';
import { type DeadLetter, JobRunner, type LateRecord, MemoryReader, MemorySink, type SourceRecord } from '../../../src/processor/index.ts';
import { AvroDecoder, Framing, InMemorySchemaSource } from '../../../src/registry/serde/index.ts';
import { buildGoldenDataset, type GoldenDataset, goldenEncoder, onTimeClicks } from './golden-data.ts';
import { computeReference, type ReferenceRow } from './reference.ts';

function toSourceRecords(ds: GoldenDataset, topic = 'clickstream'): SourceRecord[] {
  const next = new Array<bigint>(ds.partitions).fill(0n);
  return ds.records.map((r) => {
    const offset = next[r.partition] as bigint;
    next[r.partition] = offset + 1n;
    return { topic, partition: r.partition, offset, timestamp: r.timestamp, key: r.key, value: r.value };
  });
}

function rowsOf(sink: MemorySink<ResultRow>, table: ResultRow['table']): string[] {
  return sink.records
    .filter((r) => r.value.table === table)
    .map((r) => `${r.value.id} ${r.value.key} ${r.timestamp} ${r.value.json}`)
    .sort();
}

function expected(rows: ReferenceRow[]): string[] {
  return rows.map((r) => `${r.id} ${r.kafkaKey} ${r.timestamp} ${r.json}`).sort();
}

for (const framing of [Framing.CONFLUENT, Framing.GLUE]) {
  describe(`golden run in memory, ${framing} framing`, () => {
    test('every row equals the batch computation; late and dead letters hold exactly the bad records', async () => {
      const source = new InMemorySchemaSource();
      const ds = await buildGoldenDataset(await goldenEncoder(source, framing));
      const records = toSourceRecords(ds);
      const results = new MemorySink<ResultRow>('rows');
      const dead = new MemorySink<DeadLetter>('dlq');
      const late = new MemorySink<LateRecord<Click, number>>('late');
      const decoder = new AvroDecoder<ClickEvent>({ source, readerSchema: CLICK_EVENT_AVSC });
      const job = clickstreamJob({ decode: clickDecoder(decoder), results: [results], deadLetters: dead, late });
      const summary = await new JobRunner(job, {
        readers: { clickstream: new MemoryReader(records, { batch: 500 }) },
        bounded: true,
      }).run();
      assert.equal(summary.records, records.length);

      const ref = computeReference(onTimeClicks(ds.records));
      assert.deepEqual(rowsOf(results, 'user_session_details'), expected(ref.user_session_details));
      assert.deepEqual(rowsOf(results, 'user_session_counts'), expected(ref.user_session_counts));
      assert.deepEqual(rowsOf(results, 'departments_count'), expected(ref.departments_count));

      const where = (r: SourceRecord) => `${r.partition}:${r.offset}`;
      const kinds = new Map(records.map((r, i) => [where(r), ds.records[i]?.kind]));
      assert.deepEqual(
        late.values.map((l) => kinds.get(where(l.value.record))),
        new Array(ds.stats.late).fill('late'),
      );
      assert.deepEqual(
        dead.values.map((d) => kinds.get(where(d.record))),
        new Array(ds.stats.bad).fill('bad'),
      );
      assert.ok(ref.user_session_details.length > 100 && ref.departments_count.length > 100, 'a non-trivial result');
    });
  });
}
