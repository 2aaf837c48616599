// `brook groups` against a real Brook broker, with a group made by @platformatic/kafka's own
// Consumer: state, members with client id, host and assignment, committed offsets and lag.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Consumer, MessagesStreamModes } from '@platformatic/kafka';
import { createGroupsCommand } from '../../../src/cli/groups-command.ts';
import { createProduceCommand } from '../../../src/cli/produce-command.ts';
import { createTopicsCommand } from '../../../src/cli/topics-command.ts';
import { startTempBroker, type TempBroker } from '../../helpers/temp-broker.ts';
import { runCli } from './helpers.ts';

describe('brook groups', () => {
  let tb: TempBroker;
  let b: string[];
  before(async () => {
    tb = await startTempBroker();
    b = ['-b', tb.bootstrap];
    await runCli(createTopicsCommand, ['create', 'work', '-p', '2', ...b]);
    // Partition 0 gets 3 records, partition 1 gets 2.
    for (const [i, p] of [0, 0, 0, 1, 1].entries()) {
      const r = await runCli(createProduceCommand, ['work', '--value', `job-${i}`, '--partition', String(p), ...b]);
      assert.equal(r.code, 0, r.stderr);
    }
  });
  after(() => tb.dispose());

  test('a member that committed one record: describe shows it, its assignment, and lag per partition', async () => {
    const consumer = new Consumer({ groupId: 'workers', clientId: 'worker-client', bootstrapBrokers: [tb.bootstrap], maxWaitTime: 100 });
    const stream = await consumer.consume({
      topics: ['work'],
      mode: MessagesStreamModes.EARLIEST,
      autocommit: false,
      sessionTimeout: 10_000,
      heartbeatInterval: 500,
    });
    try {
      let committedPartition = -1;
      for await (const m of stream) {
        await m.commit();
        committedPartition = m.partition;
        break;
      }
      const json = await runCli(createGroupsCommand, ['describe', 'workers', '--json', ...b]);
      assert.equal(json.code, 0, json.stderr);
      const [g] = JSON.parse(json.stdout);
      assert.equal(g.group, 'workers');
      assert.equal(g.state, 'Stable');
      assert.equal(g.protocolType, 'consumer');
      assert.equal(g.coordinator.port, tb.broker.address.port);
      assert.equal(g.members.length, 1);
      const [member] = g.members;
      assert.equal(member.clientId, 'worker-client');
      assert.match(member.host, /127\.0\.0\.1/);
      assert.deepEqual(member.assignments, [{ topic: 'work', partitions: [0, 1] }]);
      const ends = [3, 2];
      const other = 1 - committedPartition;
      assert.deepEqual(g.offsets, [
        ...[0, 1].map((p) => ({
          topic: 'work',
          partition: p,
          committed: p === committedPartition ? 1 : null,
          end: ends[p],
          lag: p === committedPartition ? ends[p]! - 1 : null,
          memberId: member.memberId,
          clientId: 'worker-client',
        })),
      ]);
      assert.equal(g.totalLag, ends[committedPartition]! - 1);
      assert.equal(other === 0 || other === 1, true);

      const human = await runCli(createGroupsCommand, ['describe', 'workers', ...b]);
      assert.match(human.stdout, /^state:\s+Stable$/m);
      assert.match(human.stdout, /^protocol:\s+consumer \(roundrobin\)$/m);
      assert.match(human.stdout, new RegExp(`^total lag:\\s+${g.totalLag}$`, 'm'));
      assert.match(human.stdout, /^MEMBER\s+CLIENT-ID\s+HOST\s+ASSIGNMENT$/m);
      assert.match(human.stdout, /worker-client\s+\/?127\.0\.0\.1\s+work:0-1$/m);
      assert.match(
        human.stdout,
        new RegExp(
          `^work\\s+${committedPartition}\\s+1\\s+${ends[committedPartition]}\\s+${ends[committedPartition]! - 1}\\s+worker-client`,
          'm',
        ),
      );
      assert.match(human.stdout, new RegExp(`^work\\s+${other}\\s+-\\s+${ends[other]}\\s+-\\s+worker-client`, 'm'));

      const list = await runCli(createGroupsCommand, ['list', ...b]);
      assert.match(list.stdout, /^GROUP\s+STATE\s+TYPE\s+MEMBERS\s+LAG$/m);
      assert.match(list.stdout, new RegExp(`^workers\\s+Stable\\s+consumer\\s+1\\s+${g.totalLag}$`, 'm'));
    } finally {
      await stream.close();
      await consumer.close();
    }

    // Gone quiet: no members, offsets and lag still there.
    const [after] = JSON.parse((await runCli(createGroupsCommand, ['describe', 'workers', '--json', ...b])).stdout);
    assert.equal(after.state, 'Empty');
    assert.deepEqual(after.members, []);
    assert.equal(after.offsets.filter((o: { committed: number | null }) => o.committed !== null).length, 1);
    const listJson = JSON.parse((await runCli(createGroupsCommand, ['list', '--json', ...b])).stdout);
    assert.deepEqual(
      listJson.find((x: { group: string }) => x.group === 'workers'),
      { group: 'workers', state: 'Empty', protocolType: 'consumer', members: 0, lag: after.totalLag },
    );
  });

  test('an unknown group is an error naming it; --help has an example per subcommand', async () => {
    const r = await runCli(createGroupsCommand, ['describe', 'no-such-group', ...b]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /consumer group 'no-such-group' does not exist on 127\.0\.0\.1:\d+: see 'brook groups list'/);
    const help = await runCli(createGroupsCommand, ['--help']);
    assert.equal(help.stdout.match(/ e\.g\. brook groups /g)?.length, 2);
    const missing = await runCli(createGroupsCommand, ['describe', ...b]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing the group id/);
  });
});
