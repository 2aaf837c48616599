// The generator's Kafka sink against a real broker: small batches complete, keys land in Java's
// partitions, every codec reads back, a lost answer or a broker restart loses and duplicates
// nothing, and records the broker rejects, or that find no broker, are reported failed.
import assert from 'node:assert/strict';
import { createConnection, createServer, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import { KafkaSink } from '../../src/generator/kafka-sink.ts';
import { javaPartitionHash } from '../../src/generator/partitioner.ts';
import type { OutRecord } from '../../src/generator/sink.ts';
import { kcat } from '../helpers/kcat.ts';
import { startTempBroker, type TempBroker } from '../helpers/temp-broker.ts';

/** A session's records: one key Buffer shared by all, as the generator makes them. */
function session(user: number, events = 38, valueBytes = 60): OutRecord[] {
  const key = Buffer.from(String(user));
  return Array.from({ length: events }, (_, i) => ({ key, value: Buffer.alloc(valueBytes, i), timestamp: 1_700_000_000_000 + i }));
}

function endOffsets(tb: TempBroker, topic: string, partitions: number): bigint {
  let total = 0n;
  for (let p = 0; p < partitions; p++) total += tb.broker.logs.partition(topic, p)?.logEndOffset ?? 0n;
  return total;
}

describe('generator Kafka sink', () => {
  test('200 one-record sends with a batch size of 5 are all acknowledged', async () => {
    const tb = await startTempBroker();
    try {
      tb.broker.logs.createTopic('sink', 1, {});
      const sink = new KafkaSink({ topic: 'sink', bootstrap: [tb.bootstrap], batchSize: 5, lingerMs: 1 });
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

  test('compressed batches with every codec, and a producer without idempotence, read back intact', async () => {
    const tb = await startTempBroker();
    try {
      tb.broker.logs.createTopic('codecs', 1, {});
      const codecs = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
      for (const [i, compression] of codecs.entries()) {
        const sink = new KafkaSink({ topic: 'codecs', bootstrap: [tb.bootstrap], compression, idempotent: i % 2 === 0 });
        await sink.send(session(1000 + i, 3, 4).map((r, j) => ({ ...r, value: Buffer.from(`${compression}-${j}`) })));
        await sink.close();
      }
      const read = await kcat(['-b', tb.bootstrap, '-t', 'codecs', '-C', '-e', '-q', '-f', '%k %s\n']);
      assert.equal(read.code, 0, read.stderr);
      const expected = codecs.flatMap((c, i) => [0, 1, 2].map((j) => `${1000 + i} ${c}-${j}`));
      assert.deepEqual(read.stdout.trim().split('\n'), expected);
    } finally {
      await tb.dispose();
    }
  });

  test("each session lands in Java's partition for its key, in order", async () => {
    const tb = await startTempBroker();
    try {
      tb.broker.logs.createTopic('java', 3, {});
      const sink = new KafkaSink({ topic: 'java', bootstrap: [tb.bootstrap], batchSize: 1000 });
      const users = Array.from({ length: 100 }, (_, i) => 1000 + i * 1013);
      await Promise.all(users.map((u) => sink.send(session(u, 5, 4).map((r, i) => ({ ...r, value: Buffer.from(String(i)) })))));
      await sink.close();
      const read = await kcat(['-b', tb.bootstrap, '-t', 'java', '-C', '-e', '-q', '-f', '%k %p %s\n']);
      assert.equal(read.code, 0, read.stderr);
      const seen = new Map<string, string[]>();
      for (const line of read.stdout.trim().split('\n')) {
        const [key, partition, value] = line.split(' ');
        assert.equal(Number(partition), javaPartitionHash(Buffer.from(key!)) % 3, `key ${key}`);
        seen.set(key!, [...(seen.get(key!) ?? []), value!]);
      }
      assert.equal(seen.size, users.length);
      for (const values of seen.values()) assert.deepEqual(values, ['0', '1', '2', '3', '4']);
    } finally {
      await tb.dispose();
    }
  });

  test('a broker restart mid-run: every record acknowledged exactly once', async () => {
    let tb = await startTempBroker();
    try {
      tb.broker.logs.createTopic('restart', 2, {});
      const retries: string[] = [];
      const sink = new KafkaSink({
        topic: 'restart',
        bootstrap: [tb.bootstrap],
        batchSize: 200,
        lingerMs: 1,
        onRetry: (_attempt, err) => retries.push(err.message),
      });
      const sends: Promise<void>[] = [];
      for (let u = 0; u < 50; u++) sends.push(sink.send(session(1000 + u)));
      await Promise.all(sends.slice(0, 10));
      const restarted = tb.restart();
      for (let u = 50; u < 100; u++) sends.push(sink.send(session(1000 + u)));
      tb = await restarted;
      for (let u = 100; u < 150; u++) sends.push(sink.send(session(1000 + u)));
      await Promise.all(sends);
      await sink.close();
      assert.equal(endOffsets(tb, 'restart', 2), 150n * 38n);
      assert.ok(retries.length > 0, 'the outage was reported through onRetry');
    } finally {
      await tb.dispose();
    }
  });

  test('a Produce answer lost after the broker wrote the batch: the retry is recognised, no duplicate', async () => {
    // A proxy in front of the broker (which advertises the proxy) cuts the connection instead of
    // passing on the answer to the first Produce request.
    let brokerPort = 0;
    let dropped = 0;
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = createConnection(brokerPort, '127.0.0.1');
      sockets.add(client).add(upstream);
      let produceSent = false;
      client.on('data', (chunk) => {
        if (chunk.length >= 6 && chunk.readInt16BE(4) === 0) produceSent = true;
        upstream.write(chunk);
      });
      upstream.on('data', (chunk) => {
        if (produceSent && dropped === 0) {
          dropped++;
          client.destroy();
          upstream.destroy();
          return;
        }
        client.write(chunk);
      });
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyPort = (proxy.address() as { port: number }).port;
    const tb = await startTempBroker({ advertisedListener: `127.0.0.1:${proxyPort}` });
    brokerPort = tb.broker.address.port;
    try {
      tb.broker.logs.createTopic('lost', 1, {});
      const sink = new KafkaSink({ topic: 'lost', bootstrap: [`127.0.0.1:${proxyPort}`], lingerMs: 1 });
      await Promise.all([sink.send(session(1000)), sink.send(session(2000))]);
      await sink.send(session(3000));
      await sink.close();
      assert.equal(dropped, 1, 'one answer was lost');
      assert.equal(tb.broker.logs.partition('lost', 0)?.logEndOffset, 3n * 38n);
    } finally {
      for (const s of sockets) s.destroy();
      proxy.close();
      await tb.dispose();
    }
  });

  test('a batch the broker rejects fails its sends only; later sends still succeed', async () => {
    const tb = await startTempBroker();
    try {
      tb.broker.logs.createTopic('small', 1, { 'max.message.bytes': '500' });
      const sink = new KafkaSink({ topic: 'small', bootstrap: [tb.bootstrap], lingerMs: 1 });
      await sink.send(session(1000, 2, 10));
      await assert.rejects(sink.send(session(2000, 1, 2000)), /MESSAGE_TOO_LARGE/);
      // The failed batch left a gap in the producer's sequence: the sink takes a new producer id.
      await sink.send(session(3000, 2, 10));
      await sink.send(session(4000, 2, 10));
      await sink.close();
      assert.equal(tb.broker.logs.partition('small', 0)?.logEndOffset, 6n);
    } finally {
      await tb.dispose();
    }
  });

  test('no broker at all: the sends fail after the retries, with the cause', async () => {
    const tb = await startTempBroker();
    const bootstrap = tb.bootstrap;
    await tb.dispose(); // a port that nothing listens on any more
    const notes: number[] = [];
    const sink = new KafkaSink({ topic: 'none', bootstrap: [bootstrap], retries: 2, onRetry: (attempt) => notes.push(attempt) });
    await assert.rejects(sink.send(session(1000, 3)), /gave up after 3 attempts/);
    await sink.close().catch(() => undefined);
    assert.ok(notes.length >= 2, `retries were reported: ${notes}`);
  });
});
