// DescribeGroups, ListGroups and DeleteGroups, and the diagnostics the coordinator publishes.
import assert from 'node:assert/strict';
import diagnostics_channel from 'node:diagnostics_channel';
import { describe, test } from 'node:test';
import { GROUPS_CHANNEL, type GroupEvent } from '../../../src/broker/groups/events.ts';
import { ErrorCode } from '../../../src/protocol/error-codes.ts';
import { join, stableGroup, start, subscription, sync } from './harness.ts';

describe('describe and list', () => {
  test('each state as Kafka names it, with members, metadata and assignment only when Stable', async () => {
    const h = await start({ initialRebalanceDelayMs: 3000 });
    await stableGroup(h, 'stable', ['a', 'b']);
    void h.coordinator.joinGroup(join('preparing'));
    const c = h.coordinator.joinGroup(join('completing'));
    h.clock.advance(6000);
    await c;
    await h.coordinator.commitOffsets({
      groupId: 'empty',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      offsets: [{ topic: 'orders', partition: 0, offset: 1n, leaderEpoch: -1, metadata: null }],
    });
    // 'preparing' was completed by the advance too: start another join phase there.
    void h.coordinator.joinGroup(join('preparing', { clientId: 'late' }));

    const described = h.coordinator.describeGroups(['stable', 'preparing', 'completing', 'empty', 'missing']);
    assert.deepEqual(
      described.map((d) => [d.groupId, d.errorCode, d.state]),
      [
        ['stable', 0, 'Stable'],
        ['preparing', 0, 'PreparingRebalance'],
        ['completing', 0, 'CompletingRebalance'],
        ['empty', 0, 'Empty'],
        ['missing', 0, 'Dead'],
      ],
    );
    const stable = described[0];
    assert.equal(stable?.protocolType, 'consumer');
    assert.equal(stable?.protocolData, 'range');
    assert.equal(stable?.members.length, 2);
    const member = stable?.members.find((m) => m.clientId === 'a');
    assert.equal(member?.clientHost, '/127.0.0.1');
    assert.deepEqual(member?.metadata, subscription('orders'));
    assert.equal(member?.assignment.toString(), 'assignment-a');
    const completing = described[2];
    assert.equal(completing?.protocolData, '');
    assert.equal(completing?.members[0]?.metadata.length, 0);
    assert.equal(described[4]?.members.length, 0);

    const all = h.coordinator.listGroups();
    assert.equal(all.errorCode, ErrorCode.NONE);
    assert.deepEqual(all.groups.map((g) => [g.groupId, g.state, g.protocolType, g.groupType]).sort(), [
      ['completing', 'CompletingRebalance', 'consumer', 'classic'],
      ['empty', 'Empty', '', 'classic'],
      ['preparing', 'PreparingRebalance', 'consumer', 'classic'],
      ['stable', 'Stable', 'consumer', 'classic'],
    ]);
    assert.deepEqual(
      h.coordinator
        .listGroups(['stable', 'EMPTY'])
        .groups.map((g) => g.groupId)
        .sort(),
      ['empty', 'stable'],
    );
    assert.deepEqual(h.coordinator.listGroups(['NoSuchState']).groups, []);
  });

  test('describing the empty group id is allowed', async () => {
    const { coordinator } = await start();
    assert.equal(coordinator.describeGroups([''])[0]?.errorCode, ErrorCode.NONE);
  });
});

describe('delete', () => {
  test('only empty groups are deleted, with their offsets; others get NON_EMPTY_GROUP or GROUP_ID_NOT_FOUND', async () => {
    const h = await start();
    const j = await h.coordinator.joinGroup(join('busy'));
    await h.coordinator.syncGroup(sync('busy', j, [{ memberId: j.memberId, assignment: Buffer.from('a') }]));
    await h.coordinator.commitOffsets({
      groupId: 'idle',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      offsets: [{ topic: 'orders', partition: 0, offset: 1n, leaderEpoch: -1, metadata: null }],
    });
    const res = await h.coordinator.deleteGroups(['busy', 'idle', 'missing', 'idle']);
    assert.deepEqual(res, [
      { groupId: 'busy', errorCode: ErrorCode.NON_EMPTY_GROUP },
      { groupId: 'idle', errorCode: ErrorCode.NONE },
      { groupId: 'missing', errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
    ]);
    assert.equal(h.coordinator.groupState('idle'), undefined);
    assert.deepEqual(h.coordinator.fetchOffsets({ groupId: 'idle', topics: null, requireStable: false }).topics, []);
    assert.equal(h.coordinator.describeGroups(['idle'])[0]?.state, 'Dead');
    // The deleted group can be used again from scratch.
    const again = await h.coordinator.joinGroup(join('idle'));
    assert.equal(again.generationId, 1);
  });

  test('a group still handing out member ids (MEMBER_ID_REQUIRED) can be deleted while empty', async () => {
    const h = await start();
    const first = await h.coordinator.joinGroup(join('g', { requireKnownMemberId: true }));
    assert.equal(first.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
    assert.deepEqual(await h.coordinator.deleteGroups(['g']), [{ groupId: 'g', errorCode: ErrorCode.NONE }]);
    assert.equal(h.clock.pending, 1, 'only the retention sweep timer is left');
    assert.equal((await h.coordinator.joinGroup(join('g', { memberId: first.memberId }))).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  });
});

describe('diagnostics', () => {
  test('rebalances and member removals are published on brook:groups', async () => {
    const events: GroupEvent[] = [];
    const listener = (e: unknown) => events.push(e as GroupEvent);
    diagnostics_channel.subscribe(GROUPS_CHANNEL, listener);
    try {
      const h = await start();
      const j = await h.coordinator.joinGroup(join('g', { reason: 'starting' }));
      h.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: j.memberId, groupInstanceId: null, reason: 'bye' }] });
    } finally {
      diagnostics_channel.unsubscribe(GROUPS_CHANNEL, listener);
    }
    const types = events.filter((e) => 'groupId' in e && e.groupId === 'g').map((e) => e.type);
    assert.deepEqual(types, [
      'member-joined',
      'rebalance-started',
      'rebalance-completed',
      'member-removed',
      'rebalance-started',
      'rebalance-completed',
    ]);
    const removed = events.find((e) => e.type === 'member-removed');
    assert.equal(removed?.type === 'member-removed' && removed.reason, 'bye');
    assert.ok(events.some((e) => e.type === 'loaded'));
  });
});
