// Paced produce for the latency benchmark, run as a child process: one record per Produce request
// at a fixed rate, each sent at its scheduled time (a sleep-then-check loop, not a burst per
// timer tick), latency measured from the schedule (no coordinated omission) and from the send.
import type { Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { Produce } from '../../src/protocol/apis/produce.ts';
import { ErrorCode } from '../../src/protocol/error-codes.ts';
import { simpleBatch } from '../../src/protocol/records.ts';
import { WireClient } from '../../test/helpers/wire-client.ts';

const { values } = parseArgs({
  options: {
    client: { type: 'string', default: 'wire' },
    port: { type: 'string' },
    topic: { type: 'string' },
    rate: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '20' },
    'warmup-seconds': { type: 'string', default: '2' },
    'value-bytes': { type: 'string', default: '100' },
    acks: { type: 'string', default: '-1' },
    nodelay: { type: 'string', default: 'true' },
  },
});
const rate = Number(values.rate);
const acks = Number(values.acks);
const warmup = Math.round(rate * Number(values['warmup-seconds']));
const total = warmup + Math.round(rate * Number(values.seconds));
const topic = values.topic!;
const value = Buffer.alloc(Number(values['value-bytes']), 'v');
const hr = () => Number(process.hrtime.bigint()) / 1e6;

type Send = () => Promise<void>;
let send: Send;
let close: () => Promise<void>;
if (values.client === 'wire') {
  // Brook's own codec: encoding one 1-record batch costs microseconds, so this is the broker.
  const client = await WireClient.connect(Number(values.port));
  // WireClient writes the size prefix and the request as two writes without TCP_NODELAY, so Nagle
  // holds the second until the broker's delayed ACK (tens of ms). Real clients set NODELAY.
  if (values.nodelay !== 'false') (client as unknown as { socket: Socket }).socket.setNoDelay(true);
  const batch = simpleBatch([{ key: null, value }], BigInt(Date.now()));
  send = async () => {
    const body = {
      transactionalId: null,
      acks,
      timeoutMs: 30_000,
      topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }],
    };
    const res = await client.send(Produce, 9, body);
    const code = res.responses[0].partitionResponses[0].errorCode;
    if (code !== ErrorCode.NONE) throw new Error(`produce failed with error code ${code}`);
  };
  close = async () => client.close();
} else if (values.client === 'platformatic') {
  // send() issues its own Produce request (no linger); enough in-flight slots that the client
  // never queues requests behind one another at this rate.
  const { Producer } = await import('@platformatic/kafka');
  const producer = new Producer({ clientId: 'bench-latency', bootstrapBrokers: [`127.0.0.1:${values.port}`], acks, maxInflights: 1000 });
  const messages = [{ topic, partition: 0, value }];
  send = async () => {
    await producer.send({ messages, acks });
  };
  close = () => producer.close();
} else {
  throw new Error(`unknown client ${values.client}`);
}

await send(); // connection and metadata, untimed

const fromSchedule = new Float64Array(total);
const fromSend = new Float64Array(total);
const lateness = new Float64Array(total);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const intervalMs = 1000 / rate;
let done = 0;
let failed: unknown = null;
const start = hr() + 5;
const hardStop = start + (total / rate) * 1000 + 30_000;
let i = 0;
let lastSendAt = start;
while (i < total && hr() < hardStop && failed === null) {
  const now = hr();
  for (; i < total && start + i * intervalMs <= now; i++) {
    const k = i;
    const scheduled = start + k * intervalMs;
    const sent = hr();
    lateness[k] = sent - scheduled;
    lastSendAt = sent;
    send().then(
      () => {
        const t = hr();
        fromSchedule[k] = t - scheduled;
        fromSend[k] = t - sent;
        done++;
      },
      (e: unknown) => {
        failed = e;
      },
    );
  }
  // Sleep (futex, no CPU) until just before the next send, then let I/O callbacks run.
  const wait = start + i * intervalMs - hr() - 0.02;
  if (wait > 0.01) Atomics.wait(sleeper, 0, 0, Math.min(wait, 1));
  await new Promise<void>((r) => setImmediate(r));
}
while (done < total && hr() < hardStop && failed === null) await new Promise((r) => setTimeout(r, 1));
if (failed !== null) throw failed;
if (done < total) throw new Error(`only ${done} of ${total} sends were acknowledged in time`);
await close();

const stats = (xs: Float64Array) => {
  const s = xs.slice(warmup).sort();
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
  return { p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: s[s.length - 1]!, mean: s.reduce((a, b) => a + b, 0) / s.length };
};
const cpu = process.cpuUsage();
console.log(
  JSON.stringify({
    sends: total - warmup,
    warmup,
    achievedRate: (total - 1) / ((lastSendAt - start) / 1000),
    fromSchedule: stats(fromSchedule),
    fromSend: stats(fromSend),
    lateness: stats(lateness),
    cpuMs: (cpu.user + cpu.system) / 1000,
  }),
);
