// Fetch semantics over the wire: long polls wake on append and give up at max wait, byte limits
// per partition and per response (the first batch always comes back, KIP-74), and errors for
// offsets out of range and unknown topic ids.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Fetch } from '../../src/protocol/apis/fetch.ts';
import { Produce } from '../../src/protocol/apis/produce.ts';
import { ErrorCode } from '../../src/protocol/error-codes.ts';
import { batchHeaders } from '../../src/protocol/record-batch.ts';
import { simpleBatch } from '../../src/protocol/records.ts';
import { startTempBroker, type TempBroker } from '../helpers/temp-broker.ts';
import { WireClient } from '../helpers/wire-client.ts';

describe('fetch', () => {
  let tb: TempBroker;
  let client: WireClient;
  let topicId: Buffer;
  before(async () => {
    tb = await startTempBroker();
    topicId = tb.broker.logs.createTopic('f', 2, {}).id;
    client = await WireClient.connect(tb.broker.address.port);
  });
  after(async () => {
    client.close();
    await tb.dispose();
  });

  const produce = (partition: number, values: string[]) =>
    client.send(Produce, 9, {
      transactionalId: null,
      acks: 1,
      timeoutMs: 1000,
      topicData: [
        {
          name: 'f',
          partitionData: [
            {
              index: partition,
              records: simpleBatch(
                values.map((v) => ({ key: null, value: v })),
                BigInt(Date.now()),
              ),
            },
          ],
        },
      ],
    });
  const fetch = (opts: {
    partition?: number;
    offset?: bigint;
    maxWaitMs?: number;
    minBytes?: number;
    maxBytes?: number;
    partitionMaxBytes?: number;
    version?: number;
    id?: Buffer;
  }) => {
    const version = opts.version ?? 11;
    return client.send(Fetch, version, {
      replicaId: -1,
      maxWaitMs: opts.maxWaitMs ?? 0,
      minBytes: opts.minBytes ?? 1,
      maxBytes: opts.maxBytes ?? 50 * 1024 * 1024,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: 'f',
          topicId: opts.id ?? topicId,
          partitions: [
            {
              partition: opts.partition ?? 0,
              currentLeaderEpoch: -1,
              fetchOffset: opts.offset ?? 0n,
              logStartOffset: -1n,
              partitionMaxBytes: opts.partitionMaxBytes ?? 1024 * 1024,
            },
          ],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    });
  };

  test('a long poll on an empty partition wakes as soon as a record arrives', async () => {
    const started = Date.now();
    const pending = fetch({ partition: 1, maxWaitMs: 10_000 });
    setTimeout(() => void produce(1, ['wake up']), 100);
    const res = await pending;
    const p = res.responses[0].partitions[0];
    assert.equal(p.errorCode, ErrorCode.NONE);
    assert.ok(p.records.length > 0, 'records came back');
    assert.ok(Date.now() - started < 5_000, 'answered on append, not at max wait');
    assert.equal(p.highWatermark, 1n);
  });

  test('with nothing to read, the answer comes at max wait with an empty (non-null) record set', async () => {
    const started = Date.now();
    const res = await fetch({ partition: 1, offset: 1n, maxWaitMs: 300 });
    const waited = Date.now() - started;
    const p = res.responses[0].partitions[0];
    assert.ok(waited >= 280, `waited ${waited} ms`);
    assert.equal(p.errorCode, ErrorCode.NONE);
    assert.notEqual(p.records, null);
    assert.equal(p.records.length, 0);
  });

  test('per-partition byte limit cuts at whole batches but always returns the first one', async () => {
    for (let i = 0; i < 5; i++) await produce(0, [`batch-${i}-${'x'.repeat(200)}`]);
    const small = await fetch({ partitionMaxBytes: 10 });
    const batches = [...batchHeaders(small.responses[0].partitions[0].records)];
    assert.equal(batches.length, 1, 'one batch even though it exceeds the limit');
    const all = await fetch({});
    assert.equal([...batchHeaders(all.responses[0].partitions[0].records)].length, 5);
    const fromMiddle = await fetch({ offset: 3n });
    const headers = [...batchHeaders(fromMiddle.responses[0].partitions[0].records)];
    assert.deepEqual(
      headers.map((h) => h.baseOffset),
      [3n, 4n],
    );
  });

  test('an offset past the end is OFFSET_OUT_OF_RANGE; an unknown topic id is UNKNOWN_TOPIC_ID', async () => {
    const res = await fetch({ offset: 99n, maxWaitMs: 5000 });
    assert.equal(res.responses[0].partitions[0].errorCode, ErrorCode.OFFSET_OUT_OF_RANGE);
    const byId = await fetch({ version: 13, id: Buffer.alloc(16, 9) });
    assert.equal(byId.responses[0].partitions[0].errorCode, ErrorCode.UNKNOWN_TOPIC_ID);
    const known = await fetch({ version: 13 });
    assert.equal(known.responses[0].partitions[0].errorCode, ErrorCode.NONE);
    assert.deepEqual(known.responses[0].topicId, topicId);
  });
});
