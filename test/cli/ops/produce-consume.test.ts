// `brook produce` then `brook consume` against a real Brook broker: keys, headers, timestamps and
// partitions survive the round trip; --count, --offset, --from-time, --partition, --follow, --json,
// --group commits; and what the records look like to a person and to a script.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Admin, murmur2 } from '@platformatic/kafka';
import { createConsumeCommand } from '../../../src/cli/consume-command.ts';
import { createProduceCommand } from '../../../src/cli/produce-command.ts';
import { createTopicsCommand } from '../../../src/cli/topics-command.ts';
import { capturedIo } from '../../../src/ops/io.ts';
import { startTempBroker, type TempBroker } from '../../helpers/temp-broker.ts';
import { jsonLines, runCli, waitFor } from './helpers.ts';

const T1 = Date.parse('2024-01-01T00:00:00Z');
const T2 = Date.parse('2024-06-01T00:00:00Z');

describe('brook produce and brook consume', () => {
  let tb: TempBroker;
  let b: string[];
  before(async () => {
    tb = await startTempBroker();
    b = ['-b', tb.bootstrap];
    const made = await runCli(createTopicsCommand, ['create', 'events', '-p', '3', ...b]);
    assert.equal(made.code, 0, made.stderr);
  });
  after(() => tb.dispose());

  test('stdin lines with --key-separator, headers, a timestamp and a partition come back exactly', async () => {
    await runCli(createTopicsCommand, ['create', 'kv', '-p', '2', ...b]);
    const stdin = Readable.from(['user-1\t{"page":"/home"}\nuser-2\tplain text\n', '\nuser-3\t\n']);
    const produced = await runCli(
      createProduceCommand,
      [
        'kv',
        '--key-separator',
        '\t',
        '--header',
        'source=web',
        '-H',
        'trace=a=b',
        '--timestamp',
        '2024-01-01T00:00:00Z',
        '--partition',
        '1',
        ...b,
      ],
      { stdin },
    );
    assert.equal(produced.code, 0, produced.stderr);
    assert.equal(produced.stdout, '', 'without --json nothing on stdout');
    assert.equal(produced.stderr, 'produced 3 records to kv, partition 1: 1@0-2\n');

    const consumed = await runCli(createConsumeCommand, ['kv', '--json', ...b]);
    assert.equal(consumed.code, 0, consumed.stderr);
    assert.equal(consumed.stderr, '', 'with --json nothing on stderr');
    const records = jsonLines(consumed.stdout);
    assert.deepEqual(records, [
      {
        topic: 'kv',
        partition: 1,
        offset: 0,
        timestamp: T1,
        timestampType: 'CreateTime',
        key: 'user-1',
        headers: [
          ['source', 'web'],
          ['trace', 'a=b'],
        ],
        valueFormat: 'json',
        value: { page: '/home' },
      },
      {
        topic: 'kv',
        partition: 1,
        offset: 1,
        timestamp: T1,
        timestampType: 'CreateTime',
        key: 'user-2',
        headers: [
          ['source', 'web'],
          ['trace', 'a=b'],
        ],
        valueFormat: 'text',
        value: 'plain text',
      },
      {
        topic: 'kv',
        partition: 1,
        offset: 2,
        timestamp: T1,
        timestampType: 'CreateTime',
        key: 'user-3',
        headers: [
          ['source', 'web'],
          ['trace', 'a=b'],
        ],
        valueFormat: 'text',
        value: '',
      },
    ]);

    const human = await runCli(createConsumeCommand, ['kv', '--count', '1', ...b]);
    assert.equal(
      human.stdout,
      'partition 1  offset 0  2024-01-01T00:00:00.000Z  key user-1  headers source=web trace=a=b\n{"page":"/home"}\n',
    );
    assert.equal(human.stderr, 'consumed 1 record from kv (partition 1)\n');
    const pretty = await runCli(createConsumeCommand, ['kv', '--count', '1', '--pretty', ...b]);
    assert.match(pretty.stdout, /\n\{\n {2}"page": "\/home"\n\}\n$/);
    const values = await runCli(createConsumeCommand, ['kv', '--value-only', ...b]);
    assert.equal(values.stdout, '{"page":"/home"}\nplain text\n\n');
  });

  test('--json produce reports each record; keys spread over partitions as the Java client would put them', async () => {
    await runCli(createTopicsCommand, ['create', 'keyed', '-p', '3', ...b]);
    const lines = Array.from({ length: 30 }, (_, i) => `k${i % 6}:${i}`).join('\n');
    const produced = await runCli(createProduceCommand, ['keyed', '-K', ':', '--json', ...b], { stdin: Readable.from([lines]) });
    assert.equal(produced.code, 0, produced.stderr);
    const acks = jsonLines(produced.stdout);
    assert.equal(acks.length, 30);
    // Offsets per partition are 0..n-1 in order.
    for (const p of [0, 1, 2]) {
      const offsets = acks.filter((a) => a.partition === p).map((a) => a.offset);
      assert.deepEqual(offsets, [...offsets.keys()]);
    }
    const consumed = jsonLines((await runCli(createConsumeCommand, ['keyed', '--json', ...b])).stdout);
    assert.equal(consumed.length, 30);
    const partitionOfKey = new Map<string, number>();
    for (const r of consumed) {
      assert.equal(partitionOfKey.get(r.key) ?? r.partition, r.partition, `key ${r.key} always in one partition`);
      partitionOfKey.set(r.key, r.partition);
      const ack = acks.find((a) => a.partition === r.partition && a.offset === r.offset);
      assert.ok(ack, `record ${r.partition}@${r.offset} was acknowledged`);
    }
    // Java's producer: toPositive(murmur2(key)) % partitions.
    assert.equal(partitionOfKey.size, 6);
    for (const [key, p] of partitionOfKey) assert.equal(p, (murmur2(Buffer.from(key)) & 0x7fffffff) % 3, key);
    assert.ok(new Set(partitionOfKey.values()).size > 1, 'keys land in more than one partition');
  });

  test('--count, --offset N / -N / latest, --partition and --from-time choose where reading starts and stops', async () => {
    await runCli(createTopicsCommand, ['create', 'timed', '-p', '2', ...b]);
    for (const [ts, p, v] of [
      [T1, 0, 'old-0'],
      [T1 + 1, 0, 'old-1'],
      [T2, 0, 'new-2'],
      [T2 + 1, 0, 'new-3'],
      [T2, 1, 'other-0'],
    ] as const) {
      const r = await runCli(createProduceCommand, ['timed', '--value', v, '--timestamp', String(ts), '--partition', String(p), ...b]);
      assert.equal(r.code, 0, r.stderr);
    }
    const values = async (...args: string[]) => {
      const r = await runCli(createConsumeCommand, ['timed', '--value-only', ...args, ...b]);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.split('\n').filter(Boolean).sort();
    };
    assert.deepEqual(await values(), ['new-2', 'new-3', 'old-0', 'old-1', 'other-0']);
    assert.deepEqual(await values('--partition', '0', '--count', '2'), ['old-0', 'old-1']);
    assert.deepEqual(await values('-p', '0', '--offset', '2'), ['new-2', 'new-3']);
    assert.deepEqual(await values('-p', '0', '--offset=-1'), ['new-3']);
    assert.deepEqual(await values('--offset=-1'), ['new-3', 'other-0']);
    assert.deepEqual(await values('--offset', 'latest'), []);
    assert.deepEqual(await values('--from-time', '2024-03-01T00:00:00Z'), ['new-2', 'new-3', 'other-0']);
    assert.deepEqual(await values('--from-time', String(T2 + 1)), ['new-3']);
    assert.deepEqual(await values('--from-time', '2030-01-01T00:00:00Z'), []);

    const beyond = await runCli(createConsumeCommand, ['timed', '-p', '1', '--offset', '99', ...b]);
    assert.equal(beyond.code, 0);
    assert.match(beyond.stderr, /partition 1: offset 99 is outside the log \(0-1\); starting at 1/);

    const counted = await runCli(createConsumeCommand, ['timed', '--count', '3', ...b]);
    assert.match(counted.stderr, /^consumed 3 records from timed/m);
    assert.equal(counted.stdout.match(/^partition /gm)?.length, 3);
  });

  test('--follow waits for new records until stopped; produce --value -Z writes a tombstone', async () => {
    await runCli(createTopicsCommand, ['create', 'live', '-p', '1', ...b]);
    const io = capturedIo();
    const running = runCli(createConsumeCommand, ['live', '--follow', '--json', ...b], { io });
    await runCli(createProduceCommand, ['live', '--value', 'first', '-k', 'a', ...b]);
    await waitFor('the first record', () => io.stdout.includes('"first"'));
    await runCli(createProduceCommand, ['live', '--value', '', '-k', 'a', '--null-empty', ...b]);
    await waitFor('the tombstone', () => io.stdout.includes('"valueFormat":"null"'));
    io.interrupt();
    const done = await running;
    assert.equal(done.code, 0, done.stderr);
    assert.deepEqual(
      jsonLines(done.stdout).map((r) => [r.offset, r.key, r.value]),
      [
        [0, 'a', 'first'],
        [1, 'a', null],
      ],
    );

    const counted = capturedIo();
    const waiting = runCli(createConsumeCommand, ['live', '--follow', '--offset', 'latest', '--count', '2', '--value-only', ...b], {
      io: counted,
    });
    await waitFor('the end of the topic', () => counted.stderr.includes('waiting for new records'));
    assert.equal(counted.stderr, 'brook consume: at the end of live; waiting for new records (Ctrl-C to stop)\n');
    for (const v of ['x', 'y', 'z']) await runCli(createProduceCommand, ['live', '--value', v, ...b]);
    const got = await waiting;
    assert.equal(got.stdout, 'x\ny\n', '--follow --count N stops after N');
    assert.match(got.stderr, /consumed 2 records from live/);
  });

  test('--group starts at the committed offsets, commits what it printed, and resumes there next time', async () => {
    await runCli(createTopicsCommand, ['create', 'grouped', '-p', '2', ...b]);
    await runCli(createProduceCommand, ['grouped', '-K', '=', ...b], { stdin: Readable.from(['a=1\nb=2\nc=3\nd=4\ne=5\nf=6\n']) });
    const first = await runCli(createConsumeCommand, ['grouped', '--group', 'readers', '--count', '4', '--json', ...b]);
    assert.equal(first.code, 0, first.stderr);
    const rest = await runCli(createConsumeCommand, ['grouped', '--group', 'readers', '--json', ...b]);
    assert.equal(rest.code, 0, rest.stderr);
    const all = [...jsonLines(first.stdout), ...jsonLines(rest.stdout)].map((r) => r.key).sort();
    assert.deepEqual(all, ['a', 'b', 'c', 'd', 'e', 'f'], 'every record exactly once over the two runs');
    assert.equal(jsonLines(first.stdout).length, 4);

    const admin = new Admin({ clientId: 'test', bootstrapBrokers: [tb.bootstrap] });
    try {
      const [offsets] = await admin.listConsumerGroupOffsets({ groups: ['readers'] });
      const committed = offsets!.topics.find((t) => t.name === 'grouped')!.partitions.reduce((a, p) => a + Number(p.committedOffset), 0);
      assert.equal(committed, 6, 'committed offsets sum to the records read');
    } finally {
      await admin.close();
    }
    const none = await runCli(createConsumeCommand, ['grouped', '--group', 'readers', ...b]);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /consumed 0 records from grouped; offsets committed for group readers/);

    const refused = await runCli(createConsumeCommand, ['grouped', '--group', 'readers', '--partition', '0', ...b]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /the group assigns the partitions/);
  });

  test('binary keys and values are shown as base64, never raw, and --json says so', async () => {
    await runCli(createTopicsCommand, ['create', 'bytes', '-p', '1', ...b]);
    const { Producer } = await import('@platformatic/kafka');
    const producer = new Producer({ clientId: 'test', bootstrapBrokers: [tb.bootstrap] });
    await producer.send({
      messages: [{ topic: 'bytes', key: Buffer.from([0xff, 0x00]), value: Buffer.from([0x1b, 0x5b, 0x32, 0x4a]) }],
      acks: -1,
    });
    await producer.close();
    const human = await runCli(createConsumeCommand, ['bytes', ...b]);
    assert.equal(human.stdout, `partition 0  offset 0  ${human.stdout.split('  ')[2]}  key base64:/wA=\nbase64:G1sySg==\n`);
    const [r] = jsonLines((await runCli(createConsumeCommand, ['bytes', '--json', ...b])).stdout);
    assert.equal(r.key, '/wA=');
    assert.equal(r.keyFormat, 'base64');
    assert.equal(r.valueFormat, 'base64');
    assert.equal(r.value, 'G1sySg==');
  });

  test('bad input lines stop produce with the line number, after sending what came before', async () => {
    await runCli(createTopicsCommand, ['create', 'strict', '-p', '1', ...b]);
    const r = await runCli(createProduceCommand, ['strict', '-K', ':', ...b], { stdin: Readable.from(['a:1\nb:2\nno separator\nc:3\n']) });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /line 3 has no key separator ":" \(2 records before it were produced\)/);
    const consumed = await runCli(createConsumeCommand, ['strict', '--value-only', ...b]);
    assert.equal(consumed.stdout, '1\n2\n');
    const noPartition = await runCli(createProduceCommand, ['strict', '--value', 'x', '--partition', '5', ...b]);
    assert.equal(noPartition.code, 2);
    assert.match(noPartition.stderr, /--partition 5 does not exist: topic 'strict' has 1 partition \(0-0\)/);
    const both = await runCli(createProduceCommand, ['strict', '--key', 'k', '--key-separator', ':', ...b]);
    assert.equal(both.code, 2);
  });

  test('--help of produce and consume shows the options and examples', async () => {
    for (const make of [createProduceCommand, createConsumeCommand]) {
      const r = await runCli(make, ['--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /Examples:\n {2}/);
      for (const flag of ['--bootstrap', '--properties', '--json', '--registry', '--partition']) assert.ok(r.stdout.includes(flag), flag);
    }
  });
});
