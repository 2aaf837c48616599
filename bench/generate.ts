// `brook generate` throughput: events/s acknowledged with -nd against Brook's in-process broker
// (acks=all, idempotent) and, in the same run, with output discarded (generation and Avro
// encoding alone). Usage: npx node bench/generate.ts [--sessions N] [--workers N] [--batch-size N]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Admin } from '@platformatic/kafka';
import { startBroker } from '../src/broker/server.ts';
import { parseGenerateConfig } from '../src/generator/options.ts';
import { runGenerate } from '../src/generator/run.ts';
import { discardSink } from '../src/generator/sink.ts';
import { startRegistry } from '../src/registry/server.ts';
import { conditions, printConditions } from './lib/conditions.ts';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '8000' },
    workers: { type: 'string', default: '4' },
    'batch-size': { type: 'string', default: '5000' },
    'linger-ms': { type: 'string', default: '5' },
    dir: { type: 'string', default: os.tmpdir() },
  },
});
const workers = Number(values.workers);
const perWorker = Math.ceil(Number(values.sessions) / workers);

const dataDir = fs.mkdtempSync(path.join(values.dir, 'brook-bench-generate-'));
printConditions(conditions(dataDir));
const broker = await startBroker({ port: 0, dataDir: path.join(dataDir, 'broker') });
const bootstrap = `127.0.0.1:${broker.address.port}`;
const registry = await startRegistry({ port: 0, bootstrap });
try {
  const admin = new Admin({ clientId: 'bench-admin', bootstrapBrokers: [bootstrap] });
  await admin.createTopics({ topics: ['clickstream'], partitions: 1, replicas: 1 });
  await admin.close();
  const config = (bookmark: string) =>
    parseGenerateConfig({
      topic: 'clickstream',
      numThreads: String(workers),
      numberOfUsers: String(perWorker),
      noDelay: true,
      nologgingEvents: true,
      bootstrap,
      registry: registry.url,
      gsrAutoRegistration: true,
      seed: '1',
      bookmark: path.join(dataDir, bookmark),
      'batch-size': values['batch-size'],
      'linger-ms': values['linger-ms'],
      quiet: true,
    });
  console.log(
    `\nbrook generate -nd: ${workers} workers x ${perWorker} sessions (~${Math.round(workers * perWorker * 38.3)} events), Confluent framing, batch ${values['batch-size']} records, linger ${values['linger-ms']} ms, 1 partition\n`,
  );
  const discard = await runGenerate(config('bookmark-discard'), { sink: discardSink });
  console.log(
    `  output discarded (generation + encoding): ${discard.produced} events in ${discard.elapsedMs} ms = ${discard.eventsPerSecond} events/s`,
  );
  const acked = await runGenerate(config('bookmark-broker'));
  console.log(
    `  acknowledged by Brook's broker (acks=all, idempotent): ${acked.acknowledged} events in ${acked.elapsedMs} ms = ${acked.eventsPerSecond} events/s, ${acked.failed} failed`,
  );
} finally {
  await registry.close();
  await broker.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
