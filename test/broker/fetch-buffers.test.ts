// Fetch reads into pooled buffers that return to the pool once the socket has taken the
// response; many concurrent fetchers must still see every batch intact (CRC) and in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Fetch } from '../../src/protocol/apis/fetch.ts';
import { Produce } from '../../src/protocol/apis/produce.ts';
import { batchHeaders, validateBatch } from '../../src/protocol/record-batch.ts';
import { decodeRecords, simpleBatch } from '../../src/protocol/records.ts';
import { startTempBroker } from '../helpers/temp-broker.ts';
import { WireClient } from '../helpers/wire-client.ts';

test('concurrent fetchers over pooled buffers read every batch intact and in order', async () => {
  const tb = await startTempBroker();
  try {
    tb.broker.logs.createTopic('pool', 1, {});
    const producer = await WireClient.connect(tb.broker.address.port);
    const batches = 300;
    for (let i = 0; i < batches; i++) {
      const value = Buffer.alloc(8000 + (i % 7) * 1000, i % 251);
      await producer.send(Produce, 9, {
        transactionalId: null,
        acks: 1,
        timeoutMs: 1000,
        topicData: [{ name: 'pool', partitionData: [{ index: 0, records: simpleBatch([{ key: `k${i}`, value }], BigInt(i)) }] }],
      });
    }
    producer.close();

    const fetchAt = (client: WireClient, offset: bigint) =>
      client.send(Fetch, 11, {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 300_000,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          {
            topic: 'pool',
            partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: offset, logStartOffset: -1n, partitionMaxBytes: 200_000 }],
          },
        ],
        forgottenTopicsData: [],
        rackId: '',
      });
    const check = (records: Buffer, from: bigint): bigint => {
      let offset = from;
      for (const h of batchHeaders(records)) {
        validateBatch(records, h.position);
        assert.equal(h.baseOffset, offset, 'batches arrive in offset order');
        const [rec] = decodeRecords(records, h);
        assert.equal(rec?.key?.toString(), `k${offset}`, 'payload belongs to this offset');
        assert.equal(rec?.value?.[100], Number(offset) % 251);
        offset += 1n;
      }
      return offset;
    };
    const readAllOnce = async (client: WireClient): Promise<number> => {
      let offset = 0n;
      while (offset < BigInt(batches)) {
        const res = await fetchAt(client, offset);
        offset = check(res.responses[0].partitions[0].records, offset);
      }
      return Number(offset);
    };
    const clients = await Promise.all(Array.from({ length: 4 }, () => WireClient.connect(tb.broker.address.port)));
    const rounds = await Promise.all(clients.map(async (c) => (await readAllOnce(c)) + (await readAllOnce(c)) + (await readAllOnce(c))));
    for (const c of clients) c.close();
    assert.deepEqual(rounds, [3 * batches, 3 * batches, 3 * batches, 3 * batches]);

    // A slow reader: its responses wait in the broker's socket buffers while others fetch.
    const slow = await WireClient.connect(tb.broker.address.port);
    slow.pause();
    const starts = Array.from({ length: 150 }, (_, i) => BigInt((i * 10) % batches));
    const pending = starts.map((o) => fetchAt(slow, o));
    const busy = await WireClient.connect(tb.broker.address.port);
    for (let i = 0; i < 3; i++) await readAllOnce(busy);
    slow.resume();
    const results = await Promise.all(pending);
    for (const [i, res] of results.entries()) check(res.responses[0].partitions[0].records, starts[i] as bigint);
    slow.close();
    busy.close();
  } finally {
    await tb.dispose();
  }
});
