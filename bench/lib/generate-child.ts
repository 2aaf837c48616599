// One `brook generate` run in a fresh process for bench/generate.ts, in the setups the `brook`
// command cannot make: output discarded, the previous sink, or Brook's broker in this same process.
// Usage: node generate-child.ts discard|previous-sink|in-process-broker PARTITIONS DIR -- GENERATE_ARGS
import * as path from 'node:path';
import { Admin } from '@platformatic/kafka';
import { startBroker } from '../../src/broker/server.ts';
import { parseCommandArgs } from '../../src/cli/command.ts';
import { generateCommand } from '../../src/cli/generate-command.ts';
import { parseGenerateConfig, rewriteShortForms } from '../../src/generator/options.ts';
import { kafkaConnection, runGenerate } from '../../src/generator/run.ts';
import { discardSink, type Sink } from '../../src/generator/sink.ts';
import { PreviousKafkaSink } from './previous-sink.ts';

const [mode, partitions, dir, dashes, ...args] = process.argv.slice(2);
if (dashes !== '--') throw new Error('usage: generate-child.ts MODE PARTITIONS DIR -- GENERATE_ARGS');
const values = parseCommandArgs(generateCommand, rewriteShortForms(args)).values;
let broker: Awaited<ReturnType<typeof startBroker>> | undefined;
if (mode === 'in-process-broker') {
  broker = await startBroker({ port: 0, dataDir: path.join(dir!, 'broker') });
  values.bootstrap = `127.0.0.1:${broker.address.port}`;
  const admin = new Admin({ clientId: 'bench-admin', bootstrapBrokers: [values.bootstrap] });
  await admin.createTopics({ topics: [String(values.topic)], partitions: Number(partitions), replicas: 1 });
  await admin.close();
}
const config = parseGenerateConfig(values);
let sink: Sink | undefined;
if (mode === 'discard') sink = discardSink;
else if (mode === 'previous-sink') {
  sink = new PreviousKafkaSink({
    topic: config.topic,
    bootstrap: kafkaConnection(config).bootstrap!,
    idempotent: config.idempotent,
    batchSize: config.batchSize,
    lingerMs: config.lingerMs,
  });
} else if (mode !== 'in-process-broker') throw new Error(`unknown mode ${mode}`);
try {
  // runGenerate closes the sink (and counts that in its elapsed time), as it does its own.
  await runGenerate(config, sink ? { sink } : {});
} finally {
  await broker?.close();
}
