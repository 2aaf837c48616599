// `brook topics` against a real Brook broker: create, list, describe, alter-config and delete
// round trip, in table and --json form, with --help and the safety of delete without --yes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createProduceCommand } from '../../../src/cli/produce-command.ts';
import { createTopicsCommand } from '../../../src/cli/topics-command.ts';
import { startTempBroker, type TempBroker } from '../../helpers/temp-broker.ts';
import { runCli } from './helpers.ts';

describe('brook topics', () => {
  let tb: TempBroker;
  let b: string[];
  before(async () => {
    tb = await startTempBroker();
    b = ['--bootstrap', tb.bootstrap];
  });
  after(() => tb.dispose());

  test('create with partitions and configs, then list and describe show them', async () => {
    const created = await runCli(createTopicsCommand, [
      'create',
      'orders',
      '--partitions',
      '3',
      '--replication-factor',
      '1',
      '--config',
      'retention.ms=3600000',
      '--config=cleanup.policy=compact,delete',
      ...b,
    ]);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout, 'created topic orders (3 partitions, replication factor 1)\n');

    const list = await runCli(createTopicsCommand, ['list', ...b]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^TOPIC\s+PARTITIONS\s+REPLICATION\n/);
    assert.match(list.stdout, /^orders\s+3\s+1$/m);
    assert.doesNotMatch(list.stdout, /__consumer_offsets/, 'internal topics only with --internal');

    const listJson = await runCli(createTopicsCommand, ['list', '--json', ...b]);
    assert.deepEqual(
      JSON.parse(listJson.stdout).find((t: { name: string }) => t.name === 'orders'),
      { name: 'orders', partitions: 3, replicationFactor: 1, internal: false },
    );

    const desc = await runCli(createTopicsCommand, ['describe', 'orders', ...b]);
    assert.equal(desc.code, 0, desc.stderr);
    assert.match(desc.stdout, /^configs set:\s+cleanup.policy=compact,delete, retention.ms=3600000$/m);
    assert.match(desc.stdout, /^PARTITION\s+LEADER\s+REPLICAS\s+ISR\s+LOG-START\s+END\s+RECORDS$/m);
    for (const p of [0, 1, 2]) assert.match(desc.stdout, new RegExp(`^\\s+${p}\\s+1\\s+1\\s+1\\s+0\\s+0\\s+0$`, 'm'));
  });

  test('describe shows log end offsets after records are written; --json has every partition', async () => {
    await runCli(createTopicsCommand, ['create', 'filled', '-p', '2', ...b]);
    for (const v of ['a', 'b', 'c']) {
      const r = await runCli(createProduceCommand, ['filled', '--value', v, '--partition', '1', ...b]);
      assert.equal(r.code, 0, r.stderr);
    }
    const desc = await runCli(createTopicsCommand, ['describe', 'filled', '--json', ...b]);
    const [t] = JSON.parse(desc.stdout);
    assert.equal(t.name, 'filled');
    assert.match(t.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(
      t.partitions.map((p: { partition: number; leader: number; logStartOffset: number; endOffset: number }) => [
        p.partition,
        p.leader,
        p.logStartOffset,
        p.endOffset,
      ]),
      [
        [0, 1, 0, 0],
        [1, 1, 0, 3],
      ],
    );
    assert.deepEqual(t.configs, {});
  });

  test('alter-config sets and deletes configs; describe --all-configs shows where each comes from', async () => {
    await runCli(createTopicsCommand, ['create', 'tuned', '--config', 'cleanup.policy=compact', ...b]);
    const altered = await runCli(createTopicsCommand, [
      'alter-config',
      'tuned',
      '--set',
      'retention.ms=60000',
      '--set',
      'max.message.bytes=2000000',
      '--delete',
      'cleanup.policy',
      ...b,
    ]);
    assert.equal(altered.code, 0, altered.stderr);
    assert.match(altered.stdout, /^configs set now: max.message.bytes=2000000, retention.ms=60000$/m);

    const json = await runCli(createTopicsCommand, ['alter-config', 'tuned', '--delete', 'max.message.bytes', '--json', ...b]);
    assert.deepEqual(JSON.parse(json.stdout), {
      topic: 'tuned',
      set: {},
      deleted: ['max.message.bytes'],
      configs: { 'retention.ms': '60000' },
    });

    const all = await runCli(createTopicsCommand, ['describe', 'tuned', '--all-configs', ...b]);
    assert.match(all.stdout, /^retention.ms\s+60000\s+DYNAMIC_TOPIC_CONFIG$/m);
    assert.match(all.stdout, /^cleanup.policy\s+delete\s+DEFAULT_CONFIG$/m);

    const bad = await runCli(createTopicsCommand, ['alter-config', 'tuned', '--set', 'retention.ms=soon', ...b]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /retention.ms.*\(Kafka error INVALID_CONFIG\)/);
  });

  test('create an existing topic fails unless --if-not-exists; bad configs are refused by the broker', async () => {
    await runCli(createTopicsCommand, ['create', 'twice', ...b]);
    const again = await runCli(createTopicsCommand, ['create', 'twice', ...b]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists \(Kafka error TOPIC_ALREADY_EXISTS\): add --if-not-exists/);
    const ok = await runCli(createTopicsCommand, ['create', 'twice', '--if-not-exists', '--json', ...b]);
    assert.equal(ok.code, 0);
    assert.deepEqual(JSON.parse(ok.stdout), [{ name: 'twice', created: false }]);
    const bogus = await runCli(createTopicsCommand, ['create', 'bogus', '--config', 'no.such.config=1', ...b]);
    assert.equal(bogus.code, 1);
    assert.match(bogus.stderr, /no.such.config.*INVALID_CONFIG/);
    const rf = await runCli(createTopicsCommand, ['create', 'replicated', '--replication-factor', '3', ...b]);
    assert.equal(rf.code, 1);
    assert.match(rf.stderr, /INVALID_REPLICATION_FACTOR/);
  });

  test('delete without --yes only shows what would go (exit 2); with --yes the topic is gone', async () => {
    await runCli(createTopicsCommand, ['create', 'doomed', '-p', '2', ...b]);
    await runCli(createProduceCommand, ['doomed', '--value', 'x', ...b]);
    const dry = await runCli(createTopicsCommand, ['delete', 'doomed', '--json', ...b]);
    assert.equal(dry.code, 2);
    assert.match(dry.stderr, /would delete:\n {2}doomed: 2 partitions, 1 record\n/);
    assert.match(dry.stderr, /add --yes/);
    assert.match((await runCli(createTopicsCommand, ['list', ...b])).stdout, /^doomed/m);

    const gone = await runCli(createTopicsCommand, ['delete', 'doomed', '--yes', ...b]);
    assert.equal(gone.code, 0, gone.stderr);
    assert.equal(gone.stdout, 'deleted topic doomed\n');
    assert.doesNotMatch((await runCli(createTopicsCommand, ['list', ...b])).stdout, /^doomed/m);

    const missing = await runCli(createTopicsCommand, ['delete', 'doomed', '--yes', ...b]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /topic 'doomed' does not exist/);
    const tolerated = await runCli(createTopicsCommand, ['delete', 'doomed', '--yes', '--if-exists', '--json', ...b]);
    assert.deepEqual(JSON.parse(tolerated.stdout), { deleted: [], missing: ['doomed'] });

    const internal = await runCli(createTopicsCommand, ['delete', '__consumer_offsets', '--yes', ...b]);
    assert.equal(internal.code, 2);
    assert.match(internal.stderr, /refusing to delete the internal topic/);
  });

  test('--help lists every subcommand with an example; help <sub> shows one; unknown ones are usage errors', async () => {
    const help = await runCli(createTopicsCommand, ['--help']);
    assert.equal(help.code, 0);
    for (const sub of ['list', 'describe', 'create', 'delete', 'alter-config'])
      assert.match(help.stdout, new RegExp(`brook topics ${sub}`));
    assert.equal(help.stdout.match(/ e\.g\. brook topics /g)?.length, 5);
    for (const flag of ['--bootstrap', '--properties', '--json', '--partitions', '--config', '--set', '--yes'])
      assert.ok(help.stdout.includes(flag), flag);
    const one = await runCli(createTopicsCommand, ['help', 'alter-config']);
    assert.match(one.stdout, /^Usage: brook topics alter-config <topic>/);
    assert.match(one.stdout, /Example:\n {2}brook topics alter-config/);
    const unknown = await runCli(createTopicsCommand, ['rename', 'x']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown subcommand 'rename'; one of list, describe, create, delete, alter-config/);
    const misplaced = await runCli(createTopicsCommand, ['list', '--partitions', '3', ...b]);
    assert.equal(misplaced.code, 2);
    assert.match(misplaced.stderr, /--partitions does not apply to list/);
  });
});
