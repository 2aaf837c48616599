// One produce or fetch run against the in-process broker: a fresh topic per produce run, the
// client in child processes, and what the broker saw (probe) next to what the client reports.
import type { Broker } from '../../src/broker/server.ts';
import { probe } from './broker-probe.ts';
import { NODE, runChild } from './child.ts';

const WIRE_CLIENT = new URL('./wire-client.ts', import.meta.url).pathname;
const PK_PRODUCER = new URL('./pk-producer.ts', import.meta.url).pathname;
const TIME_LIMIT_MS = 180_000;

export type Client = 'kcat' | 'kcat x2' | 'wire' | 'platformatic';

export interface ProduceScenario {
  id: string;
  client: Client;
  partitions: number;
  records: number;
  /** What is printed as the client settings. */
  settings: string;
  /** Extra kcat -X options (kcat clients) or wire-client/pk-producer flags. */
  args: string[];
}

export interface FetchScenario {
  id: string;
  client: 'kcat' | 'wire';
  topic: string;
  partitions: number;
  records: number;
  logBytes: number;
  settings: string;
  args: string[];
}

export interface RunResult {
  kind: 'produce' | 'fetch';
  id: string;
  client: string;
  partitions: number;
  settings: string;
  records: number;
  /** Record values only (records x value size). */
  payloadBytes: number;
  /** Bytes of whole batches as stored and sent over the socket. */
  logBytes: number;
  /** As the client measured it (kcat: process start to exit). */
  clientMs: number;
  /** First append to end of the last fsync round (produce), first read to the last read with data (fetch). */
  brokerMs: number;
  clientCpuMs: number;
  brokerCpuMs: number;
  requests: number;
  meanRequestBytes: number;
  syncRounds: number;
  meanSyncMs: number;
}

export interface Context {
  broker: Broker;
  bootstrap: string;
  recordsFile: string;
  halfFile: string;
  valueBytes: number;
}

function cpuMsOfThisProcess(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function fail(what: string, r: { code: number | null; stderr: string }): never {
  throw new Error(`${what} exited with ${r.code}: ${r.stderr.slice(-1500)}`);
}

function endOffsets(ctx: Context, topic: string, partitions: number): number {
  let n = 0;
  for (let p = 0; p < partitions; p++) n += Number(ctx.broker.logs.partition(topic, p)!.logEndOffset);
  return n;
}

async function produceClient(ctx: Context, s: ProduceScenario, topic: string): Promise<{ ms: number; cpuMs: number }> {
  const kcat = (file: string) =>
    runChild(
      'kcat',
      ['-P', '-b', ctx.bootstrap, '-t', topic, '-p', s.partitions === 1 ? '0' : '-1', '-X', 'acks=all', ...s.args, '-l', file],
      {
        timeoutMs: TIME_LIMIT_MS,
      },
    );
  if (s.client === 'kcat') {
    const r = await kcat(ctx.recordsFile);
    if (r.code !== 0) fail('kcat -P', r);
    return { ms: r.wallMs, cpuMs: r.cpuMs };
  }
  if (s.client === 'kcat x2') {
    const rs = await Promise.all([kcat(ctx.halfFile), kcat(ctx.halfFile)]);
    for (const r of rs) if (r.code !== 0) fail('kcat -P', r);
    return { ms: Math.max(...rs.map((r) => r.wallMs)), cpuMs: rs.reduce((a, r) => a + r.cpuMs, 0) };
  }
  const [script, portArgs] =
    s.client === 'wire'
      ? [WIRE_CLIENT, ['produce', '--port', String(ctx.broker.address.port)]]
      : [PK_PRODUCER, ['--bootstrap', ctx.bootstrap]];
  const common = [
    '--topic',
    topic,
    '--partitions',
    String(s.partitions),
    '--records',
    String(s.records),
    '--value-bytes',
    String(ctx.valueBytes),
  ];
  const r = await runChild(NODE, [script, ...portArgs, ...common, ...s.args], { timeoutMs: TIME_LIMIT_MS, keepStdout: true });
  if (r.code !== 0) fail(s.client, r);
  const out = JSON.parse(r.stdout) as { ms: number; cpuMs: number };
  return { ms: out.ms, cpuMs: out.cpuMs };
}

export async function runProduce(ctx: Context, s: ProduceScenario): Promise<RunResult> {
  const topic = `produce-${s.id}`;
  ctx.broker.logs.createTopic(topic, s.partitions, { 'retention.ms': '-1' });
  const pr = probe(ctx.broker.logs, topic, s.partitions);
  const cpu0 = cpuMsOfThisProcess();
  try {
    const c = await produceClient(ctx, s, topic);
    const records = endOffsets(ctx, topic, s.partitions);
    // The wire and platformatic clients send whole batches, so they may round the count up.
    if (records < s.records) throw new Error(`${s.id}: ${records} of ${s.records} records arrived`);
    const st = pr.stats;
    return {
      kind: 'produce',
      id: s.id,
      client: s.client,
      partitions: s.partitions,
      settings: s.settings,
      records,
      payloadBytes: records * ctx.valueBytes,
      logBytes: st.appendBytes,
      clientMs: c.ms,
      // acks=0/1 runs have no fsync rounds of their own: the window ends with the last append.
      brokerMs: (st.syncRounds > 0 ? Math.max(st.lastSyncAt, st.lastAppendAt) : st.lastAppendAt) - st.firstAppendAt,
      clientCpuMs: c.cpuMs,
      brokerCpuMs: cpuMsOfThisProcess() - cpu0,
      requests: st.appends,
      meanRequestBytes: st.appendBytes / st.appends,
      syncRounds: st.syncRounds,
      meanSyncMs: st.syncRounds > 0 ? st.syncMs / st.syncRounds : 0,
    };
  } finally {
    pr.stop();
  }
}

export async function runFetch(ctx: Context, s: FetchScenario): Promise<RunResult> {
  const pr = probe(ctx.broker.logs, s.topic, s.partitions);
  const cpu0 = cpuMsOfThisProcess();
  try {
    let records: number;
    let clientMs: number;
    let clientCpuMs: number;
    if (s.client === 'kcat') {
      // One output byte per record: the bench counts records without kcat formatting them.
      const r = await runChild('kcat', ['-C', '-b', ctx.bootstrap, '-t', s.topic, '-o', 'beginning', '-e', '-q', '-f', '.', ...s.args], {
        timeoutMs: TIME_LIMIT_MS,
      });
      if (r.code !== 0) fail('kcat -C', r);
      records = r.stdoutBytes;
      clientMs = r.wallMs;
      clientCpuMs = r.cpuMs;
    } else {
      const args = [
        'fetch',
        '--port',
        String(ctx.broker.address.port),
        '--topic',
        s.topic,
        '--partitions',
        String(s.partitions),
        ...s.args,
      ];
      const r = await runChild(NODE, [WIRE_CLIENT, ...args], { timeoutMs: TIME_LIMIT_MS, keepStdout: true });
      if (r.code !== 0) fail('wire fetch', r);
      const out = JSON.parse(r.stdout) as { records: number; ms: number; cpuMs: number };
      records = out.records;
      clientMs = out.ms;
      clientCpuMs = out.cpuMs;
    }
    if (records !== s.records) throw new Error(`${s.id}: fetched ${records} of ${s.records} records`);
    const st = pr.stats;
    return {
      kind: 'fetch',
      id: s.id,
      client: s.client,
      partitions: s.partitions,
      settings: s.settings,
      records,
      payloadBytes: records * ctx.valueBytes,
      logBytes: s.logBytes,
      clientMs,
      // Up to the last read with data: kcat -e ends with a long poll at the log end (fetch.wait.max.ms).
      brokerMs: st.lastDataReadAt - st.firstReadAt,
      clientCpuMs,
      brokerCpuMs: cpuMsOfThisProcess() - cpu0,
      requests: st.reads,
      meanRequestBytes: st.readBytes / st.reads,
      syncRounds: 0,
      meanSyncMs: 0,
    };
  } finally {
    pr.stop();
  }
}
