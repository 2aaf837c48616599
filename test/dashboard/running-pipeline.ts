// A running clickstream pipeline for the browser test: broker, registry, clickstream data from the
// generator (seeded, timestamps from a few minutes ago so windows close at once) and the job
// running unbounded into the result topics and an analytics store. The job is assembled here
// rather than through runProcess so that the dashboard can show the runner's live metrics.
import { rmSync } from 'node:fs';
import { parseCommandArgs } from '../../src/cli/command.ts';
import { generateCommand } from '../../src/cli/generate-command.ts';
import { parseGenerateConfig } from '../../src/generator/options.ts';
import { runGenerate } from '../../src/generator/run.ts';
import { CLICK_EVENT_AVSC, type ClickEvent } from '../../src/generator/schema.ts';
import { clickDecoder } from '../../src/jobs/clickstream/decode.ts';
import { clickstreamJob } from '../../src/jobs/clickstream/job.ts';
import { ResultTopicsSink } from '../../src/jobs/clickstream/result-topics.ts';
import { JobRunner, MemoryCheckpointStore, MemorySink, type RunSummary } from '../../src/processor/index.ts';
import { KafkaReader } from '../../src/processor/kafka/kafka-reader.ts';
import { AvroDecoder, ConfluentRestClient } from '../../src/registry/serde/index.ts';
import { type Registry, startRegistry } from '../../src/registry/server.ts';
import type { AnalyticsStore } from '../../src/sinks/duckdb/analytics-store.types.ts';
import { startTempBroker, type TempBroker, tempDir } from '../helpers/temp-broker.ts';

export interface RunningPipeline {
  tb: TempBroker;
  registry: Registry;
  runner: JobRunner;
  events: number;
  stop(): Promise<void>;
}

export async function startPipeline(
  store: AnalyticsStore,
  opts: { sessions: number; startTime: number; timeStepMs: number },
): Promise<RunningPipeline> {
  const dir = tempDir('brook-dashboard-pipeline-');
  const tb = await startTempBroker();
  const registry = await startRegistry({ port: 0, bootstrap: tb.bootstrap });
  const argv = ['--bootstrap', tb.bootstrap, '--registry', registry.url, '-nt', '1', '-nou', String(opts.sessions), '-nd', '-nle', '-gar'];
  argv.push('--seed', '7', '--start-time', String(opts.startTime), '--time-step', String(opts.timeStepMs), '--quiet', '--data-dir', dir);
  const generated = await runGenerate(parseGenerateConfig(parseCommandArgs(generateCommand, argv).values));

  const source = new ConfluentRestClient({ url: registry.url });
  const job = clickstreamJob({
    decode: clickDecoder(new AvroDecoder<ClickEvent>({ source, readerSchema: CLICK_EVENT_AVSC })),
    results: [new ResultTopicsSink({ bootstrap: [tb.bootstrap], clientId: 'brook-processor', partitions: 1 }), store],
    deadLetters: new MemorySink(),
    late: new MemorySink(),
  });
  const stopper = new AbortController();
  const reader = new KafkaReader({
    bootstrap: [tb.bootstrap],
    topics: ['clickstream'],
    groupId: 'clickstream-processor',
    from: 'earliest',
  });
  const runner = new JobRunner(job, {
    readers: { clickstream: reader },
    checkpointStore: new MemoryCheckpointStore(),
    checkpointIntervalMs: 500,
    lagRefreshMs: 500,
    signal: stopper.signal,
  });
  const done: Promise<RunSummary> = runner.run();
  done.catch(() => undefined);
  return {
    tb,
    registry,
    runner,
    events: generated.acknowledged,
    async stop() {
      stopper.abort();
      await done.catch(() => undefined);
      source.close();
      await registry.close();
      await tb.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
