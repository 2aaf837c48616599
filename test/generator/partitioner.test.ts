// Keys go where Java's default partitioner puts them: murmur2 as in Kafka's own test vectors, the
// sign bit cleared (not `>>> 0` as the JS client's default), and the same choice as librdkafka's
// Java-compatible murmur2_random partitioner, run through kcat.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { javaPartitionHash } from '../../src/generator/partitioner.ts';
import { kcat } from '../helpers/kcat.ts';
import { startTempBroker, type TempBroker } from '../helpers/temp-broker.ts';

describe('partitioner', () => {
  test("murmur2 matches Kafka's test vectors (UtilsTest.testMurmur2), made positive", () => {
    const vectors: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, murmur] of vectors) assert.equal(javaPartitionHash(Buffer.from(key)), murmur & 0x7fffffff, key);
    // For 3 partitions the sign bit matters: `>>> 0` would pick partition 2 for "21", Java picks 0.
    assert.equal((-973932308 >>> 0) % 3, 2);
    assert.equal(javaPartitionHash(Buffer.from('21')) % 3, 0);
  });

  describe('against librdkafka (kcat -X partitioner=murmur2_random)', () => {
    let tb: TempBroker;
    before(async () => {
      tb = await startTempBroker();
      tb.broker.logs.createTopic('java-partitions', 3, {});
    });
    after(() => tb.dispose());

    test('500 user-id keys land in the partition javaPartitionHash picks', async () => {
      const keys = Array.from({ length: 500 }, (_, i) => String(1000 + i * 997));
      const input = keys.map((k) => `${k}:v\n`).join('');
      const produced = await kcat(['-b', tb.bootstrap, '-t', 'java-partitions', '-P', '-K:', '-X', 'partitioner=murmur2_random'], {
        input,
      });
      assert.equal(produced.code, 0, produced.stderr);
      const consumed = await kcat(['-b', tb.bootstrap, '-t', 'java-partitions', '-C', '-e', '-q', '-f', '%k %p\n']);
      assert.equal(consumed.code, 0, consumed.stderr);
      const lines = consumed.stdout.trim().split('\n');
      assert.equal(lines.length, keys.length);
      for (const line of lines) {
        const [key, partition] = line.split(' ');
        assert.equal(Number(partition), javaPartitionHash(Buffer.from(key!)) % 3, `key ${key}`);
      }
    });
  });
});
