// Benchmark client on Brook's own codec with near-zero per-record cost, run as a child process:
// `produce` pipelines pre-built batches (acks=-1), `fetch` reads a topic to its end counting batch
// headers only. It shows what the broker can do when the client is not the bottleneck.
import { parseArgs } from 'node:util';
import { ByteReader } from '../../src/common/bytes.ts';
import { Fetch } from '../../src/protocol/apis/fetch.ts';
import { Produce } from '../../src/protocol/apis/produce.ts';
import { ErrorCode } from '../../src/protocol/error-codes.ts';
import { encodeRequest } from '../../src/protocol/headers.ts';
import { BATCH_LENGTH, LAST_OFFSET_DELTA, LOG_OVERHEAD, RECORDS_COUNT } from '../../src/protocol/record-batch.ts';
import { buildBatch, type KafkaRecord } from '../../src/protocol/records.ts';
import { RawConnection, splitAround } from './raw-connection.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    topic: { type: 'string' },
    partitions: { type: 'string', default: '1' },
    records: { type: 'string', default: '3000000' },
    'value-bytes': { type: 'string', default: '100' },
    'batch-records': { type: 'string', default: '9000' },
    inflight: { type: 'string', default: '4' },
    acks: { type: 'string', default: '-1' },
    'max-bytes': { type: 'string', default: '52428800' },
    'partition-max-bytes': { type: 'string', default: '16777216' },
    'time-limit-ms': { type: 'string', default: '120000' },
  },
});
const port = Number(values.port);
const topic = values.topic!;
const partitions = Number(values.partitions);
const target = Number(values.records);
const deadline = Date.now() + Number(values['time-limit-ms']);
const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

async function produce(): Promise<object> {
  const batchRecords = Number(values['batch-records']);
  const inflight = Number(values.inflight);
  const acks = Number(values.acks);
  const value = Buffer.alloc(Number(values['value-bytes']), 'x');
  const records: KafkaRecord[] = Array.from({ length: batchRecords }, (_, i) => ({
    offsetDelta: i,
    timestampDelta: 0n,
    key: null,
    value,
    headers: [],
  }));
  const batch = buildBatch(records, { baseTimestamp: BigInt(Date.now()) });
  // One encoded request per partition, split around the shared batch so sends copy nothing.
  const parts = Array.from({ length: partitions }, (_, p) => {
    const body = {
      transactionalId: null,
      acks,
      timeoutMs: 30_000,
      topicData: [{ name: topic, partitionData: [{ index: p, records: batch }] }],
    };
    return splitAround(encodeRequest(Produce, { apiKey: Produce.key, apiVersion: 9, correlationId: 0, clientId: 'bench' }, body), batch);
  });
  const conn = await RawConnection.open(port);
  const requests = Math.ceil(target / batchRecords);
  let sent = 0;
  let acked = 0;
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (sent < requests && Date.now() < deadline) {
      const [head, tail] = parts[sent++ % partitions]!;
      const frame = await conn.send(head, batch, tail);
      // Produce v9: correlation id, header tags, then the body.
      const r = new ByteReader(frame, 4);
      r.uvarint();
      const res = Produce.response.read(r, 9);
      const code = res.responses[0].partitionResponses[0].errorCode;
      check(code === ErrorCode.NONE, `produce failed with error code ${code}`);
      acked++;
    }
  };
  await Promise.all(Array.from({ length: inflight }, worker));
  const elapsed = ms(start);
  conn.close();
  return { records: acked * batchRecords, bytes: acked * batch.length, ms: elapsed, requests: acked, batchBytes: batch.length };
}

async function fetchAll(): Promise<object> {
  const conn = await RawConnection.open(port);
  const offsets = new Array<bigint>(partitions).fill(0n);
  const ends = new Array<bigint>(partitions).fill(-1n);
  let records = 0;
  let bytes = 0;
  let requests = 0;
  const start = process.hrtime.bigint();
  while (Date.now() < deadline) {
    const body = {
      replicaId: -1,
      maxWaitMs: 100,
      minBytes: 1,
      maxBytes: Number(values['max-bytes']),
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic,
          partitions: offsets.map((fetchOffset, partition) => ({
            partition,
            currentLeaderEpoch: -1,
            fetchOffset,
            logStartOffset: -1n,
            partitionMaxBytes: Number(values['partition-max-bytes']),
          })),
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    };
    const head = encodeRequest(Fetch, { apiKey: Fetch.key, apiVersion: 11, correlationId: 0, clientId: 'bench' }, body);
    const frame = await conn.send(head, null, null);
    requests++;
    const res = Fetch.response.read(new ByteReader(frame, 4), 11);
    check(res.errorCode === ErrorCode.NONE, `fetch failed with error code ${res.errorCode}`);
    for (const p of res.responses[0].partitions) {
      check(p.errorCode === ErrorCode.NONE, `fetch of partition ${p.partitionIndex} failed with error code ${p.errorCode}`);
      ends[p.partitionIndex] = p.highWatermark;
      const buf = p.records as Buffer;
      // Count records from batch headers only: the client does no per-record work.
      let pos = 0;
      while (pos + LOG_OVERHEAD <= buf.length) {
        const size = buf.readInt32BE(pos + BATCH_LENGTH) + LOG_OVERHEAD;
        if (pos + size > buf.length) break;
        records += buf.readInt32BE(pos + RECORDS_COUNT);
        offsets[p.partitionIndex] = buf.readBigInt64BE(pos) + BigInt(buf.readInt32BE(pos + LAST_OFFSET_DELTA)) + 1n;
        pos += size;
      }
      bytes += pos;
    }
    if (offsets.every((o, i) => ends[i]! >= 0n && o >= ends[i]!)) break;
  }
  const elapsed = ms(start);
  conn.close();
  return { records, bytes, ms: elapsed, requests };
}

const mode = positionals[0];
const result = mode === 'produce' ? await produce() : mode === 'fetch' ? await fetchAll() : null;
if (!result) throw new Error('usage: wire-client.ts produce|fetch --port P --topic T [...]');
const cpu = process.cpuUsage();
console.log(JSON.stringify({ ...result, cpuMs: (cpu.user + cpu.system) / 1000 }));
