// The generator's Kafka sink: many small dispatches with a low in-flight cap all complete (waiting
// dispatches must not count against the cap, or they wait on each other forever).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaSink } from '../../src/generator/kafka-sink.ts';
import { startTempBroker } from '../helpers/temp-broker.ts';

test('200 small batches through a sink capped at 2 requests in flight are all acknowledged', async () => {
  const tb = await startTempBroker();
  try {
    tb.broker.logs.createTopic('sink', 1, {});
    const sink = new KafkaSink({ topic: 'sink', bootstrap: [tb.bootstrap], batchSize: 5, lingerMs: 1, maxInFlight: 2 });
    const sends = Array.from({ length: 200 }, (_, i) =>
      sink.send([{ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), timestamp: 1_700_000_000_000 + i }]),
    );
    await Promise.all(sends);
    await sink.close();
    assert.equal(tb.broker.logs.partition('sink', 0)?.logEndOffset, 200n);
  } finally {
    await tb.dispose();
  }
});
