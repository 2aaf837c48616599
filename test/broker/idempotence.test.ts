// Idempotent producers over the wire: a retried batch returns its original offset and is stored
// once, also after a broker restart; a sequence gap is refused; a fenced epoch is refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InitProducerId } from '../../src/protocol/apis/init-producer-id.ts';
import { ListOffsets } from '../../src/protocol/apis/list-offsets.ts';
import { Produce } from '../../src/protocol/apis/produce.ts';
import { ErrorCode } from '../../src/protocol/error-codes.ts';
import { simpleBatch } from '../../src/protocol/records.ts';
import { startTempBroker, type TempBroker } from '../helpers/temp-broker.ts';
import { WireClient } from '../helpers/wire-client.ts';

describe('idempotent producer', () => {
  let tb: TempBroker;
  before(async () => {
    tb = await startTempBroker();
    tb.broker.logs.createTopic('idem', 1, {});
  });
  after(() => tb.dispose());

  const produce = (client: WireClient, batch: Buffer) =>
    client
      .send(Produce, 9, {
        transactionalId: null,
        acks: -1,
        timeoutMs: 5000,
        topicData: [{ name: 'idem', partitionData: [{ index: 0, records: Buffer.from(batch) }] }],
      })
      .then((r) => r.responses[0].partitionResponses[0]);
  const logEnd = async (client: WireClient) => {
    const r = await client.send(ListOffsets, 7, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: 'idem', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }] }],
    });
    return r.topics[0].partitions[0].offset as bigint;
  };

  test('a retried batch is answered with the original offset and not stored twice, even after restart', async () => {
    let client = await WireClient.connect(tb.broker.address.port);
    const init = await client.send(InitProducerId, 4, {
      transactionalId: null,
      transactionTimeoutMs: 60000,
      producerId: -1n,
      producerEpoch: -1,
    });
    assert.equal(init.errorCode, ErrorCode.NONE);
    const pid = init.producerId as bigint;
    assert.ok(pid >= 0n);
    const batch = (seq: number, n: number) =>
      simpleBatch(
        Array.from({ length: n }, (_, i) => ({ key: `k${seq + i}`, value: `v${seq + i}` })),
        BigInt(Date.now()),
        {
          producerId: pid,
          producerEpoch: init.producerEpoch,
          baseSequence: seq,
        },
      );

    const first = await produce(client, batch(0, 5));
    assert.equal(first.errorCode, ErrorCode.NONE);
    assert.equal(first.baseOffset, 0n);
    const second = await produce(client, batch(5, 3));
    assert.equal(second.baseOffset, 5n);

    const retry = await produce(client, batch(0, 5));
    assert.equal(retry.errorCode, ErrorCode.NONE);
    assert.equal(retry.baseOffset, 0n, 'the retry gets the original offset');
    assert.equal(await logEnd(client), 8n, 'nothing was appended by the retry');

    const gap = await produce(client, batch(20, 1));
    assert.equal(gap.errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    client.close();

    tb = await tb.restart();
    client = await WireClient.connect(tb.broker.address.port);
    const retryAfterRestart = await produce(client, batch(5, 3));
    assert.equal(retryAfterRestart.errorCode, ErrorCode.NONE);
    assert.equal(retryAfterRestart.baseOffset, 5n);
    assert.equal(await logEnd(client), 8n);
    const next = await produce(client, batch(8, 2));
    assert.equal(next.baseOffset, 8n);

    const again = await client.send(InitProducerId, 4, {
      transactionalId: null,
      transactionTimeoutMs: 60000,
      producerId: pid,
      producerEpoch: init.producerEpoch,
    });
    assert.notEqual(again.producerId, pid, 'without a transactional id every init gets a fresh producer id');
    const zero = await client.send(InitProducerId, 4, {
      transactionalId: null,
      transactionTimeoutMs: 60000,
      producerId: 0n,
      producerEpoch: 0,
    });
    assert.ok(zero.producerId !== pid && zero.producerId !== again.producerId, 'id 0 / epoch 0 (as some clients send) is not reused');

    const nextEpoch = init.producerEpoch + 1;
    const fresh = simpleBatch([{ key: 'e', value: 'new epoch' }], 1n, { producerId: pid, producerEpoch: nextEpoch, baseSequence: 0 });
    assert.equal((await produce(client, fresh)).baseOffset, 10n, 'a new epoch starts again at sequence 0');
    const stale = simpleBatch([{ key: 'x', value: 'old epoch' }], 1n, {
      producerId: pid,
      producerEpoch: init.producerEpoch,
      baseSequence: 10,
    });
    assert.equal((await produce(client, stale)).errorCode, ErrorCode.INVALID_PRODUCER_EPOCH);
    client.close();
  });
});
