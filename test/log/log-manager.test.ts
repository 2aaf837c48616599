// The log manager: topic lifecycle persisted across reopen, name/partition/config validation,
// producer ids, the data directory lock and its errors.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { BrookError } from '../../src/common/errors.ts';
import { LogError } from '../../src/log/log-error.ts';
import { type BrookLogManager, openLogManager } from '../../src/log/log-manager.ts';
import { append, readAll, sized, tempDir } from './helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let logs: BrookLogManager;
const open = (extra = {}) => openLogManager({ dataDir: tmp.dir, retentionCheckIntervalMs: 0, ...extra });
const fails = (kafkaError: string, message?: RegExp) => (e: unknown) =>
  e instanceof LogError && e.kafkaError === kafkaError && (message === undefined || message.test(e.message));

beforeEach(async () => {
  tmp = tempDir();
  logs = await open();
});
afterEach(async () => {
  await logs.close();
  tmp.cleanup();
});

describe('topics', () => {
  test('create, alter, add partitions and delete persist across reopen', async () => {
    const info = logs.createTopic('orders', 2, { 'retention.ms': '1000', 'cleanup.policy': 'delete,compact' });
    assert.equal(info.id.length, 16);
    assert.deepEqual(info.overrides, { 'retention.ms': '1000', 'cleanup.policy': 'compact,delete' });
    assert.equal(info.config['retention.ms'], 1000);
    assert.equal(info.config['segment.bytes'], 1073741824);
    logs.createTopic('__consumer_offsets', 1, { 'cleanup.policy': 'compact' }, true);
    logs.createTopic('gone', 1, {});
    append(logs.partition('orders', 1)!, sized(3, 10, 1n));
    logs.createPartitions('orders', 3);
    logs.alterTopicConfig('orders', { 'retention.ms': null, 'max.message.bytes': '2000' });
    logs.deleteTopic('gone');
    await logs.close();

    logs = await open();
    assert.deepEqual(
      logs.topics().map((t) => [t.name, t.partitions, t.internal]),
      [
        ['orders', 3, false],
        ['__consumer_offsets', 1, true],
      ],
    );
    const orders = logs.topic('orders')!;
    assert.deepEqual(orders.id, info.id);
    assert.deepEqual(logs.topicById(info.id)?.name, 'orders');
    assert.deepEqual(orders.overrides, { 'cleanup.policy': 'compact,delete', 'max.message.bytes': '2000' });
    assert.equal(orders.config['retention.ms'], 604800000);
    assert.equal(logs.partition('orders', 1)!.logEndOffset, 3n);
    assert.equal(logs.partition('orders', 2)!.logEndOffset, 0n);
    assert.equal(logs.partition('orders', 3), undefined);
    assert.equal(logs.topic('gone'), undefined);
    assert.ok(!fs.readdirSync(tmp.dir).some((f) => f.startsWith('gone')), 'deleted partition directories are removed');
  });

  test('deleteTopic renames the directory first, so a crash cannot bring the topic back', async () => {
    logs.createTopic('x', 1, {});
    append(logs.partition('x', 0)!, sized(1, 1, 1n));
    const log = logs.partition('x', 0)!;
    logs.deleteTopic('x');
    assert.ok(!fs.existsSync(path.join(tmp.dir, 'x-0')));
    assert.throws(() => append(log, sized(1, 1, 1n)), fails('UNKNOWN_TOPIC_OR_PARTITION'));
    logs.abandon();
    logs = await open();
    assert.equal(logs.topic('x'), undefined);
    logs.createTopic('x', 1, {});
    assert.equal(logs.partition('x', 0)!.logEndOffset, 0n, 'a new topic of the same name starts empty');
  });

  test('a partition directory without metadata (crash mid-create or mid-delete) is discarded', async () => {
    logs.createTopic('keep', 1, {});
    await logs.close();
    fs.mkdirSync(path.join(tmp.dir, 'orphan-0'));
    fs.writeFileSync(path.join(tmp.dir, 'orphan-0', '00000000000000000000.log'), 'x');
    fs.mkdirSync(path.join(tmp.dir, 'old-0.0123456789abcdef0123456789abcdef-delete'));
    logs = await open();
    assert.deepEqual(
      logs.topics().map((t) => t.name),
      ['keep'],
    );
    await logs.close();
    logs = await open();
    assert.deepEqual(
      fs
        .readdirSync(tmp.dir)
        .filter((f) => !f.startsWith('.'))
        .sort(),
      ['keep-0', 'topics.json'],
    );
  });

  test('without topics.json, partition directories are adopted rather than discarded', async () => {
    logs.createTopic('kept', 2, {});
    append(logs.partition('kept', 1)!, sized(2, 2, 1n));
    await logs.close();
    fs.rmSync(path.join(tmp.dir, 'topics.json'));
    logs = await open();
    assert.deepEqual(
      logs.topics().map((t) => [t.name, t.partitions]),
      [['kept', 2]],
    );
    assert.equal(logs.partition('kept', 1)!.logEndOffset, 2n);
  });

  test('names, partition counts and existing topics are checked', () => {
    logs.createTopic('a.b', 1, {});
    assert.throws(() => logs.createTopic('a.b', 1, {}), fails('TOPIC_ALREADY_EXISTS'));
    assert.throws(() => logs.createTopic('a_b', 1, {}), fails('INVALID_TOPIC_EXCEPTION', /collides/));
    for (const bad of ['', '.', '..', 'x'.repeat(250), 'a b', 'é', 'a/b']) {
      assert.throws(() => logs.createTopic(bad, 1, {}), fails('INVALID_TOPIC_EXCEPTION'), JSON.stringify(bad));
    }
    logs.createTopic('x'.repeat(249), 1, {});
    assert.throws(() => logs.createTopic('p', 0, {}), fails('INVALID_PARTITIONS'));
    assert.throws(() => logs.createTopic('p', 1.5, {}), fails('INVALID_PARTITIONS'));
    assert.throws(() => logs.validateTopic('p', -1, {}), fails('INVALID_PARTITIONS'));
    assert.throws(() => logs.validateTopic('a.b', 1, {}), fails('TOPIC_ALREADY_EXISTS'));
    assert.doesNotThrow(() => logs.validateTopic('p', 3, { 'retention.ms': '5' }));
    assert.equal(logs.topic('p'), undefined, 'validateTopic creates nothing');
    logs.createTopic('p', 2, {});
    assert.throws(() => logs.createPartitions('p', 2), fails('INVALID_PARTITIONS', /already has 2/));
    assert.throws(() => logs.createPartitions('p', 1), fails('INVALID_PARTITIONS', /higher than the requested 1/));
    assert.throws(() => logs.createPartitions('nope', 3), fails('UNKNOWN_TOPIC_OR_PARTITION'));
    assert.throws(() => logs.deleteTopic('nope'), fails('UNKNOWN_TOPIC_OR_PARTITION'));
    assert.throws(() => logs.alterTopicConfig('nope', {}), fails('UNKNOWN_TOPIC_OR_PARTITION'));
  });
});

describe('topic configs', () => {
  const invalid: [string, string, RegExp][] = [
    ['retention.ms', '-2', /Invalid value -2 for configuration retention.ms: Value must be at least -1/],
    ['retention.ms', 'soon', /Expected value to be a 64-bit integer/],
    ['retention.ms', '9223372036854775808', /64-bit integer/],
    ['segment.bytes', '13', /at least 14/],
    ['segment.bytes', '2147483648', /32-bit integer/],
    ['segment.ms', '0', /at least 1/],
    ['segment.index.bytes', '3', /at least 4/],
    ['index.interval.bytes', '-1', /at least 0/],
    ['cleanup.policy', 'forever', /compact, delete/],
    ['cleanup.policy', '', /Empty list/],
    ['message.timestamp.type', 'BrokerTime', /CreateTime, LogAppendTime/],
    ['max.message.bytes', '1.5', /32-bit integer/],
    ['min.cleanable.dirty.ratio', '1.5', /no more than 1/],
    ['min.cleanable.dirty.ratio', 'half', /number/],
    ['delete.retention.ms', '-1', /at least 0/],
    ['min.compaction.lag.ms', '-5', /at least 0/],
    ['min.insync.replicas', '0', /at least 1/],
    ['no.such.config', '1', /Unknown topic config name: no.such.config/],
  ];
  for (const [name, value, message] of invalid) {
    test(`${name}=${JSON.stringify(value)} is INVALID_CONFIG`, () => {
      assert.throws(() => logs.createTopic('t', 1, { [name]: value }), fails('INVALID_CONFIG', message));
      assert.equal(logs.topic('t'), undefined);
    });
  }

  test('valid values are normalized; Long.MAX retention is accepted', () => {
    const t = logs.createTopic('t', 1, {
      'retention.ms': ' 9223372036854775807 ',
      'cleanup.policy': 'delete, compact',
      'min.cleanable.dirty.ratio': '0.25',
      'compression.type': 'zstd',
    });
    assert.equal(t.overrides['retention.ms'], '9223372036854775807');
    assert.equal(t.config['cleanup.policy'], 'compact,delete');
    assert.equal(t.config['min.cleanable.dirty.ratio'], 0.25);
    assert.throws(() => logs.alterTopicConfig('t', { 'segment.bytes': '1' }), fails('INVALID_CONFIG'));
    assert.throws(() => logs.alterTopicConfig('t', { nope: null }), fails('INVALID_CONFIG'));
    logs.alterTopicConfig('t', { 'segment.bytes': '1000' }, true);
    assert.equal(logs.topic('t')!.config['segment.bytes'], 1073741824, 'validateOnly changes nothing');
  });

  test('broker defaults override Kafka defaults; describeTopicConfig names each source', async () => {
    await logs.close();
    logs = await open({ defaults: { 'retention.ms': 3600000, 'segment.bytes': 1048576 } });
    logs.createTopic('t', 1, { 'segment.bytes': '2048' });
    assert.equal(logs.topic('t')!.config['retention.ms'], 3600000);
    const entries = new Map(logs.describeTopicConfig('t').map((e) => [e.name, e]));
    assert.deepEqual([entries.get('segment.bytes')!.value, entries.get('segment.bytes')!.source], ['2048', 'TOPIC_CONFIG']);
    assert.deepEqual([entries.get('retention.ms')!.value, entries.get('retention.ms')!.source], ['3600000', 'STATIC_BROKER_CONFIG']);
    assert.deepEqual([entries.get('cleanup.policy')!.value, entries.get('cleanup.policy')!.source], ['delete', 'DEFAULT_CONFIG']);
    assert.equal(entries.size, 19);
    await assert.rejects(open({ dataDir: `${tmp.dir}-x`, defaults: { 'segment.bytes': 1 } }), fails('INVALID_CONFIG'));
    fs.rmSync(`${tmp.dir}-x`, { recursive: true, force: true });
  });
});

describe('data directory', () => {
  test('producer ids are unique across reopen and crash', async () => {
    const seen = new Set<bigint>();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 700; i++) {
        const id = logs.allocateProducerId();
        assert.ok(!seen.has(id), `id ${id} handed out twice`);
        seen.add(id);
      }
      if (round === 1) logs.abandon();
      else await logs.close();
      logs = await open();
    }
    assert.equal(seen.size, 2100);
  });

  test('a second manager on the same directory is refused with the path named', async () => {
    await assert.rejects(open(), (e: unknown) => e instanceof BrookError && e.code === 'LOG_DIR_LOCKED' && e.message.includes(tmp.dir));
  });

  test('a stale lock (owner dead) is taken over', async () => {
    await logs.close();
    fs.writeFileSync(path.join(tmp.dir, '.lock'), '999999999\n');
    logs = await open();
    logs.createTopic('t', 1, {});
  });

  test('an unusable data directory is a clear error', async () => {
    const file = path.join(tmp.dir, 'not-a-dir');
    fs.writeFileSync(file, 'x');
    await assert.rejects(
      openLogManager({ dataDir: path.join(file, 'sub') }),
      (e: unknown) => e instanceof BrookError && e.code === 'LOG_DIR' && e.message.includes(file),
    );
  });

  test('flushAll and background flush cover every partition', async () => {
    await logs.close();
    logs = await open({ flushIntervalMs: 60_000 });
    logs.createTopic('a', 2, {});
    append(logs.partition('a', 0)!, sized(2, 2, 1n));
    append(logs.partition('a', 1)!, sized(2, 2, 1n));
    await logs.flushAll();
    for (const p of [0, 1]) {
      const seg = logs.partition('a', p)!.active;
      assert.equal(seg.flushedSize, seg.size);
    }
    assert.equal(readAll(logs.partition('a', 1)!).length, 2);
  });
});
