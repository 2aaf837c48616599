// The golden test end to end: the dataset produced to a real broker (registry-framed, both
// framings), `brook process --bounded` run against it, and the result, late and dead-letter topics
// read back with a plain Kafka consumer and compared with the batch computation.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Admin } from '@platformatic/kafka';
import { parseCommandArgs } from '../../../src/cli/command.ts';
import { processCommand } from '../../../src/cli/process-command.ts';
import { parseProcessConfig } from '../../../src/jobs/clickstream/options.ts';
import { runProcess } from '../../../src/jobs/clickstream/run.ts';
import { ConfluentRestClient, Framing, GlueRegistryClient, type SchemaSource } from '../../../src/registry/serde/index.ts';
import { openAnalyticsStore } from '../../../src/sinks/duckdb/index.ts';
import { readTopic } from '../../helpers/read-topic.ts';
import { withBrokerAndRegistry } from '../../helpers/temp-stack.ts';
import { FakeOpenSearch, type StoredDoc } from '../../sinks/opensearch/fake-opensearch.ts';
import { buildGoldenDataset, goldenEncoder, onTimeClicks, produceGoldenDataset } from './golden-data.ts';
import { computeReference, OUTPUT_TOPICS, type ReferenceRow } from './reference.ts';

function expected(rows: ReferenceRow[]): string[] {
  return rows.map((r) => `${r.id} ${r.kafkaKey} ${r.timestamp} ${r.json}`).sort();
}

for (const framing of [Framing.CONFLUENT, Framing.GLUE]) {
  describe(`brook process --bounded against a broker and registry, ${framing} framing`, () => {
    const stack = withBrokerAndRegistry('brook-process-e2e-');
    const { dir } = stack;

    test('outputs equal the batch computation; late and dlq topics hold exactly the bad records; a rerun resumes at the end', async () => {
      const source: SchemaSource =
        framing === Framing.CONFLUENT
          ? new ConfluentRestClient({ url: stack.registry.url })
          : new GlueRegistryClient({
              endpoint: stack.registry.url,
              region: 'us-east-1',
              credentials: { accessKeyId: 't', secretAccessKey: 't' },
            });
      const ds = await buildGoldenDataset(await goldenEncoder(source, framing));
      source.close();
      await produceGoldenDataset({ bootstrap: stack.tb.bootstrap, topic: 'clickstream', records: ds.records });

      const argv = [
        '--bootstrap',
        stack.tb.bootstrap,
        '--registry',
        stack.registry.url,
        '--bounded',
        '--from',
        'earliest',
        '--data-dir',
        dir,
        '--quiet',
        // The dataset is from 2024: keep it past the default 7 days of store retention.
        '--store-retention',
        '36500d',
      ];
      // The Glue run keeps its checkpoints in a compacted topic instead of the data directory; the
      // Confluent run also indexes into (a stand-in for) OpenSearch.
      if (framing === Framing.GLUE) argv.push('--checkpoint-topic', '_brook_checkpoints');
      const opensearch = framing === Framing.CONFLUENT ? await FakeOpenSearch.start() : undefined;
      if (opensearch) argv.push('--opensearch-url', opensearch.url);
      const config = parseProcessConfig(parseCommandArgs(processCommand, argv).values);
      const summary = await runProcess(config);
      assert.equal(summary.stoppedBy, 'end-of-input');
      assert.match(summary.checkpointStore, framing === Framing.GLUE ? /_brook_checkpoints/ : /checkpoints$/);
      assert.equal(summary.records, ds.records.length);
      assert.equal(summary.deadLetters, ds.stats.bad);
      assert.equal(summary.lateRecords, ds.stats.late);

      const ref = computeReference(onTimeClicks(ds.records));
      if (opensearch) {
        assert.deepEqual(opensearch.violations, []);
        for (const table of ['user_session_details', 'user_session_counts', 'departments_count'] as const) {
          const docs: Map<string, StoredDoc> = opensearch.indices.get(table)?.docs ?? new Map();
          const got = [...docs].map(([id, d]) => `${id} ${JSON.stringify(d.doc)}`).sort();
          const want = ref[table].map((r) => `${r.id} ${JSON.stringify(JSON.parse(r.json))}`).sort();
          assert.deepEqual(got, want, `OpenSearch index ${table}`);
        }
      }
      for (const table of ['user_session_details', 'user_session_counts', 'departments_count'] as const) {
        const got = (await readTopic(stack.tb.bootstrap, OUTPUT_TOPICS[table])).map(
          (r) => `${r.headers.get('brook.id')} ${r.key} ${r.timestamp} ${r.value.toString('utf8')}`,
        );
        assert.deepEqual(got.sort(), expected(ref[table]), table);
      }

      const byValue = (kind: string) =>
        ds.records
          .filter((r) => r.kind === kind)
          .map((r) => `${r.key.toString('utf8')} ${r.timestamp} ${r.value.toString('hex')}`)
          .sort();
      const late = await readTopic(stack.tb.bootstrap, 'clickstream.late');
      assert.deepEqual(late.map((r) => `${r.key} ${r.timestamp} ${r.value.toString('hex')}`).sort(), byValue('late'));
      for (const r of late) assert.match(r.headers.get('brook.late.window') ?? '', /^\d+:\d+$/);
      const dlq = await readTopic(stack.tb.bootstrap, 'clickstream.dlq');
      assert.deepEqual(dlq.map((r) => `${r.key} ${r.timestamp} ${r.value.toString('hex')}`).sort(), byValue('bad'));
      for (const r of dlq) {
        assert.ok((r.headers.get('brook.error') ?? '').length > 0, 'the reason is in a header');
        assert.match(r.headers.get('brook.source') ?? '', /^clickstream:\d:\d+$/);
      }

      // The consumer group's committed offsets follow the final checkpoint: a lag tool sees 0 lag.
      const admin = new Admin({ clientId: 'lag-tool', bootstrapBrokers: [stack.tb.bootstrap] });
      const [group] = await admin.listConsumerGroupOffsets({ groups: ['clickstream-processor'] });
      await admin.close();
      const input = group?.topics.find((t) => t.name === 'clickstream');
      const committed = (input?.partitions ?? []).map((p) => [p.partitionIndex, Number(p.committedOffset)]).sort();
      const perPartition = [0, 1, 2].map((p) => [p, ds.records.filter((r) => r.partition === p).length]);
      assert.deepEqual(committed, perPartition);

      // A second bounded run restores the final checkpoint: nothing left to read, nothing rewritten.
      const again = await runProcess(config);
      assert.equal(again.records, 0);
      assert.equal(again.restoredFrom, summary.checkpoints);
      assert.equal((await readTopic(stack.tb.bootstrap, OUTPUT_TOPICS.user_session_counts)).length, ref.user_session_counts.length);
      await opensearch?.close();

      // The analytics store in the data directory holds every row once, also after the rerun.
      const store = await openAnalyticsStore({ path: join(dir, 'store', 'clickstream.duckdb'), retentionMs: 36_500 * 86_400_000 });
      try {
        const counts = Object.fromEntries((await store.stats()).map((t) => [t.table, t.rows]));
        assert.deepEqual(counts, {
          departments_count: ref.departments_count.length,
          user_session_counts: ref.user_session_counts.length,
          user_session_details: ref.user_session_details.length,
        });
        const newest = await store.latest('user_session_counts', 1);
        const last = ref.user_session_counts.at(-1);
        assert.equal(Number(newest[0]?.userSessionCount), JSON.parse(last?.json ?? '{}').userSessionCount);
      } finally {
        await store.close();
      }
    });
  });
}
