// @platformatic/kafka Producer as a throughput client, run as a child process: large send() calls
// (each one Produce request per partition), several in flight, acks=-1, 100-byte Buffer values.

import { parseArgs } from 'node:util';
import { Producer } from '@platformatic/kafka';

const { values } = parseArgs({
  options: {
    bootstrap: { type: 'string' },
    topic: { type: 'string' },
    partitions: { type: 'string', default: '1' },
    records: { type: 'string', default: '1000000' },
    'value-bytes': { type: 'string', default: '100' },
    'batch-records': { type: 'string', default: '9000' },
    inflight: { type: 'string', default: '4' },
    'time-limit-ms': { type: 'string', default: '120000' },
  },
});
const partitions = Number(values.partitions);
const batchRecords = Number(values['batch-records']);
const inflight = Number(values.inflight);
const requests = Math.ceil(Number(values.records) / batchRecords);
const deadline = Date.now() + Number(values['time-limit-ms']);
const value = Buffer.alloc(Number(values['value-bytes']), 'x');

const producer = new Producer({ clientId: 'bench-pk', bootstrapBrokers: [values.bootstrap!], acks: -1, maxInflights: inflight * 2 });
// Message objects are built once per partition: the benchmark measures the client's encoding, not
// the caller's object allocation.
const messages = Array.from({ length: partitions }, (_, partition) =>
  Array.from({ length: batchRecords }, () => ({ topic: values.topic!, partition, value })),
);
await producer.send({ messages: messages[0]!.slice(0, 1) }); // metadata and connection, untimed
let sent = 0;
let acked = 0;
const start = process.hrtime.bigint();
await Promise.all(
  Array.from({ length: inflight }, async () => {
    while (sent < requests && Date.now() < deadline) {
      await producer.send({ messages: messages[sent++ % partitions]! });
      acked++;
    }
  }),
);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
await producer.close();
const cpu = process.cpuUsage();
console.log(JSON.stringify({ records: acked * batchRecords, ms, requests: acked, cpuMs: (cpu.user + cpu.system) / 1000 }));
