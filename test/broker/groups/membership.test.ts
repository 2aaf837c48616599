// JoinGroup, SyncGroup, Heartbeat and LeaveGroup through the coordinator, with time driven by hand.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/error-codes.ts';
import { heartbeat, isSettled, join, REBALANCE_MS, SESSION_MS, stableGroup, start, subscription, sync } from './harness.ts';

const DELAY = { initialRebalanceDelayMs: 3000 };

describe('joining', () => {
  test('two members join: one leader sees both members metadata, both in generation 1', async () => {
    const h = await start(DELAY);
    const a = h.coordinator.joinGroup(join('g', { clientId: 'a', protocols: [{ name: 'range', metadata: subscription('orders') }] }));
    const b = h.coordinator.joinGroup(join('g', { clientId: 'b', protocols: [{ name: 'range', metadata: subscription('clicks') }] }));
    assert.equal(await isSettled(a), false, 'the first rebalance waits for the initial delay');
    assert.equal(h.coordinator.groupState('g'), 'PreparingRebalance');
    h.clock.advance(3000);
    assert.equal(await isSettled(a), false, 'b joined during the delay: it is extended once');
    h.clock.advance(3000);
    const [ja, jb] = await Promise.all([a, b]);
    assert.equal(ja.errorCode, ErrorCode.NONE);
    assert.equal(jb.errorCode, ErrorCode.NONE);
    assert.equal(ja.generationId, 1);
    assert.equal(jb.generationId, 1);
    assert.equal(ja.leader, jb.leader);
    assert.equal(ja.protocolName, 'range');
    assert.equal(ja.protocolType, 'consumer');
    assert.match(ja.memberId, /^a-[0-9a-f-]{36}$/);
    const [leader, follower] = ja.leader === ja.memberId ? [ja, jb] : [jb, ja];
    assert.equal(follower.members.length, 0);
    assert.deepEqual(leader.members.map((m) => m.memberId).sort(), [ja.memberId, jb.memberId].sort());
    const metaA = leader.members.find((m) => m.memberId === ja.memberId)?.metadata;
    assert.deepEqual(metaA, subscription('orders'));
    assert.equal(h.coordinator.groupState('g'), 'CompletingRebalance');
  });

  test('the initial delay is extended by newcomers, within the rebalance timeout', async () => {
    const h = await start({ initialRebalanceDelayMs: 3000 });
    const a = h.coordinator.joinGroup(join('g', { clientId: 'a' }));
    h.clock.advance(2000);
    const b = h.coordinator.joinGroup(join('g', { clientId: 'b' }));
    h.clock.advance(1000); // first delay over, but b arrived: one more delay
    assert.equal(await isSettled(a), false);
    h.clock.advance(3000);
    const [ja, jb] = await Promise.all([a, b]);
    assert.equal(ja.generationId, 1);
    assert.equal(jb.generationId, 1);
  });

  test('without a delay a lone member gets its generation at once', async () => {
    const h = await start();
    const j = await h.coordinator.joinGroup(join('g'));
    assert.equal(j.errorCode, ErrorCode.NONE);
    assert.equal(j.leader, j.memberId);
    assert.equal(j.members.length, 1);
  });

  test('sync hands each member the leader assignment; followers wait for the leader', async () => {
    const h = await start(DELAY);
    const pa = h.coordinator.joinGroup(join('g', { clientId: 'a' }));
    const pb = h.coordinator.joinGroup(join('g', { clientId: 'b' }));
    h.clock.advance(6000);
    const [ja, jb] = await Promise.all([pa, pb]);
    const [leader, follower] = ja.leader === ja.memberId ? [ja, jb] : [jb, ja];
    const followerSync = h.coordinator.syncGroup(sync('g', follower));
    assert.equal(await isSettled(followerSync), false, 'the follower waits for the leader');
    const leaderSync = await h.coordinator.syncGroup(
      sync('g', leader, [
        { memberId: leader.memberId, assignment: Buffer.from('L') },
        { memberId: follower.memberId, assignment: Buffer.from('F') },
      ]),
    );
    assert.equal(leaderSync.errorCode, ErrorCode.NONE);
    assert.equal(leaderSync.assignment.toString(), 'L');
    assert.equal(leaderSync.protocolName, 'range');
    const fs = await followerSync;
    assert.equal(fs.errorCode, ErrorCode.NONE);
    assert.equal(fs.assignment.toString(), 'F');
    assert.equal(h.coordinator.groupState('g'), 'Stable');
    // A late SyncGroup in the Stable state gets the stored assignment.
    const again = await h.coordinator.syncGroup(sync('g', follower));
    assert.equal(again.assignment.toString(), 'F');
    assert.equal(h.coordinator.heartbeat(heartbeat('g', follower)).errorCode, ErrorCode.NONE);
  });

  test('members the leader leaves out get an empty assignment', async () => {
    const h = await start(DELAY);
    const { joined, leader } = await stableGroup(h, 'g', ['a', 'b']);
    const follower = joined.find((j) => j !== leader);
    assert.ok(follower);
    // Rebalance, the leader assigns only to itself this time.
    const rl = h.coordinator.joinGroup(join('g', { memberId: leader.memberId, clientId: 'a' }));
    const rf = h.coordinator.joinGroup(join('g', { memberId: follower.memberId, clientId: 'b' }));
    const [jl, jf] = await Promise.all([rl, rf]);
    const fsync = h.coordinator.syncGroup(sync('g', jf));
    await h.coordinator.syncGroup(
      sync('g', jl, [
        { memberId: jl.memberId, assignment: Buffer.from('all') },
        { memberId: 'ghost', assignment: Buffer.from('x') },
      ]),
    );
    assert.equal((await fsync).assignment.length, 0);
  });

  test('a third member triggers a rebalance: heartbeats say REBALANCE_IN_PROGRESS until all rejoin', async () => {
    const h = await start(DELAY);
    const { joined } = await stableGroup(h, 'g', ['a', 'b']);
    const [a, b] = joined as [(typeof joined)[0], (typeof joined)[0]];
    const pc = h.coordinator.joinGroup(join('g', { clientId: 'c' }));
    assert.equal(h.coordinator.groupState('g'), 'PreparingRebalance');
    assert.equal(h.coordinator.heartbeat(heartbeat('g', a)).errorCode, ErrorCode.REBALANCE_IN_PROGRESS);
    assert.equal(h.coordinator.heartbeat(heartbeat('g', b)).errorCode, ErrorCode.REBALANCE_IN_PROGRESS);
    // Commits are still accepted while preparing a rebalance.
    const commit = await h.coordinator.commitOffsets({
      groupId: 'g',
      generationId: a.generationId,
      memberId: a.memberId,
      groupInstanceId: null,
      offsets: [{ topic: 'orders', partition: 0, offset: 5n, leaderEpoch: -1, metadata: null }],
    });
    assert.equal(commit.partitions[0]?.errorCode, ErrorCode.NONE);
    const pa = h.coordinator.joinGroup(join('g', { memberId: a.memberId, clientId: 'a' }));
    assert.equal(await isSettled(pa), false, 'b has not rejoined yet');
    const pb = h.coordinator.joinGroup(join('g', { memberId: b.memberId, clientId: 'b' }));
    const all = await Promise.all([pa, pb, pc]);
    for (const j of all) {
      assert.equal(j.errorCode, ErrorCode.NONE);
      assert.equal(j.generationId, 2);
    }
    const leader = all.find((j) => j.leader === j.memberId);
    assert.equal(leader?.members.length, 3);
    // The old generation is now illegal.
    assert.equal(h.coordinator.heartbeat(heartbeat('g', a)).errorCode, ErrorCode.ILLEGAL_GENERATION);
  });

  test('a follower rejoining a stable group with the same metadata gets the current generation, no rebalance', async () => {
    const h = await start(DELAY);
    const { joined, leader } = await stableGroup(h, 'g', ['a', 'b']);
    const follower = joined.find((j) => j !== leader);
    assert.ok(follower);
    const again = await h.coordinator.joinGroup(join('g', { memberId: follower.memberId, clientId: 'b' }));
    assert.equal(again.generationId, 1);
    assert.equal(again.leader, leader.memberId);
    assert.equal(h.coordinator.groupState('g'), 'Stable');
    // The leader rejoining forces a rebalance (new topic metadata, say).
    void h.coordinator.joinGroup(join('g', { memberId: leader.memberId, clientId: 'a' }));
    assert.equal(h.coordinator.groupState('g'), 'PreparingRebalance');
  });

  test('a member that changes its subscription triggers a rebalance', async () => {
    const h = await start(DELAY);
    const { joined, leader } = await stableGroup(h, 'g', ['a', 'b']);
    const follower = joined.find((j) => j !== leader);
    assert.ok(follower);
    void h.coordinator.joinGroup(
      join('g', { memberId: follower.memberId, protocols: [{ name: 'range', metadata: subscription('clicks') }] }),
    );
    assert.equal(h.coordinator.groupState('g'), 'PreparingRebalance');
  });
});

describe('leaving and expiring', () => {
  test('leave triggers a rebalance with the remaining member', async () => {
    const h = await start(DELAY);
    const { joined } = await stableGroup(h, 'g', ['a', 'b']);
    const [a, b] = joined as [(typeof joined)[0], (typeof joined)[0]];
    const left = h.coordinator.leaveGroup({
      groupId: 'g',
      members: [{ memberId: b.memberId, groupInstanceId: null, reason: 'shutting down' }],
    });
    assert.deepEqual(left, {
      errorCode: ErrorCode.NONE,
      members: [{ memberId: b.memberId, groupInstanceId: null, errorCode: ErrorCode.NONE }],
    });
    assert.equal(h.coordinator.groupState('g'), 'PreparingRebalance');
    assert.equal(h.coordinator.heartbeat(heartbeat('g', a)).errorCode, ErrorCode.REBALANCE_IN_PROGRESS);
    assert.equal(h.coordinator.heartbeat(heartbeat('g', b)).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    const ja = await h.coordinator.joinGroup(join('g', { memberId: a.memberId, clientId: 'a' }));
    assert.equal(ja.generationId, 2);
    assert.equal(ja.leader, a.memberId);
    assert.deepEqual(
      ja.members.map((m) => m.memberId),
      [a.memberId],
    );
  });

  test('the last member leaving empties the group and bumps the generation', async () => {
    const h = await start();
    const j = await h.coordinator.joinGroup(join('g'));
    h.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: j.memberId, groupInstanceId: null, reason: null }] });
    assert.equal(h.coordinator.groupState('g'), 'Empty');
    const [described] = h.coordinator.describeGroups(['g']);
    assert.equal(described?.state, 'Empty');
    assert.equal(described?.protocolType, 'consumer');
  });

  test('leave answers per member: unknown members and unknown groups', async () => {
    const h = await start();
    const j = await h.coordinator.joinGroup(join('g'));
    const res = h.coordinator.leaveGroup({
      groupId: 'g',
      members: [
        { memberId: 'nobody', groupInstanceId: null, reason: null },
        { memberId: j.memberId, groupInstanceId: null, reason: null },
      ],
    });
    assert.deepEqual(
      res.members.map((m) => m.errorCode),
      [ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.NONE],
    );
    const none = h.coordinator.leaveGroup({ groupId: 'nope', members: [{ memberId: 'x', groupInstanceId: null, reason: null }] });
    assert.equal(none.errorCode, ErrorCode.NONE);
    assert.equal(none.members[0]?.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('session expiry removes a silent member and rebalances', async () => {
    const h = await start(DELAY);
    const { joined } = await stableGroup(h, 'g', ['a', 'b']);
    const [a, b] = joined as [(typeof joined)[0], (typeof joined)[0]];
    // a heartbeats every 3 s, b stays silent.
    for (let t = 0; t < SESSION_MS - 1000; t += 3000) {
      h.clock.advance(3000);
      assert.equal(h.coordinator.heartbeat(heartbeat('g', a)).errorCode, ErrorCode.NONE);
    }
    assert.equal(h.coordinator.groupState('g'), 'Stable');
    h.clock.advance(1000);
    assert.equal(h.coordinator.groupState('g'), 'PreparingRebalance');
    assert.equal(h.coordinator.heartbeat(heartbeat('g', b)).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    assert.equal(h.coordinator.heartbeat(heartbeat('g', a)).errorCode, ErrorCode.REBALANCE_IN_PROGRESS);
    const ja = await h.coordinator.joinGroup(join('g', { memberId: a.memberId, clientId: 'a' }));
    assert.equal(ja.generationId, 2);
    assert.equal(ja.members.length, 1);
  });

  test('the rebalance timeout removes a member that did not rejoin', async () => {
    const h = await start(DELAY);
    const { joined } = await stableGroup(h, 'g', ['a', 'b']);
    const [a, b] = joined as [(typeof joined)[0], (typeof joined)[0]];
    const pc = h.coordinator.joinGroup(join('g', { clientId: 'c' }));
    const pa = h.coordinator.joinGroup(join('g', { memberId: a.memberId, clientId: 'a' }));
    // b keeps heartbeating (so its session lives) but never rejoins.
    for (let t = 0; t < REBALANCE_MS - 3000; t += 3000) {
      h.clock.advance(3000);
      assert.equal(h.coordinator.heartbeat(heartbeat('g', b)).errorCode, ErrorCode.REBALANCE_IN_PROGRESS);
    }
    assert.equal(await isSettled(pa), false);
    h.clock.advance(3000);
    const [ja, jc] = await Promise.all([pa, pc]);
    assert.equal(ja.generationId, 2);
    assert.equal(jc.generationId, 2);
    const leader = [ja, jc].find((j) => j.leader === j.memberId);
    assert.deepEqual(leader?.members.map((m) => m.memberId).sort(), [ja.memberId, jc.memberId].sort());
    assert.equal(h.coordinator.heartbeat(heartbeat('g', b)).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('a leader that never syncs is removed after the rebalance timeout; followers are sent to rejoin', async () => {
    const h = await start(DELAY);
    const pa = h.coordinator.joinGroup(join('g', { clientId: 'a' }));
    const pb = h.coordinator.joinGroup(join('g', { clientId: 'b' }));
    h.clock.advance(6000);
    const [ja, jb] = await Promise.all([pa, pb]);
    const [leader, follower] = ja.leader === ja.memberId ? [ja, jb] : [jb, ja];
    const fsync = h.coordinator.syncGroup(sync('g', follower));
    // The leader stays alive (heartbeats) but never sends SyncGroup.
    for (let t = 0; t < REBALANCE_MS; t += 3000) {
      assert.equal(h.coordinator.heartbeat(heartbeat('g', leader)).errorCode, ErrorCode.NONE);
      h.clock.advance(3000);
    }
    const res = await fsync;
    assert.equal(res.errorCode, ErrorCode.REBALANCE_IN_PROGRESS);
    assert.equal(h.coordinator.groupState('g'), 'PreparingRebalance');
    assert.equal(h.coordinator.heartbeat(heartbeat('g', leader)).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    const again = await h.coordinator.joinGroup(join('g', { memberId: follower.memberId }));
    assert.equal(again.generationId, 2);
    assert.equal(again.leader, follower.memberId);
  });

  test('a new member that vanishes while waiting to join expires after the new-member timeout', async () => {
    const h = await start({ ...DELAY, newMemberJoinTimeoutMs: 60_000 });
    const { joined } = await stableGroup(h, 'g', ['a'], { rebalanceTimeoutMs: 300_000 });
    const a = joined[0];
    assert.ok(a);
    // c joins, then its client goes away; a is slow to rejoin (long rebalance timeout).
    const pc = h.coordinator.joinGroup(join('g', { clientId: 'c', rebalanceTimeoutMs: 300_000 }));
    for (let t = 0; t < 60_000; t += 3000) {
      assert.equal(await isSettled(pc), false);
      assert.equal(h.coordinator.heartbeat(heartbeat('g', a)).errorCode, ErrorCode.REBALANCE_IN_PROGRESS);
      h.clock.advance(3000);
    }
    const jc = await pc;
    assert.equal(jc.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    const ja = await h.coordinator.joinGroup(join('g', { memberId: a.memberId, rebalanceTimeoutMs: 300_000 }));
    assert.equal(ja.generationId, 2);
    assert.deepEqual(
      ja.members.map((m) => m.memberId),
      [a.memberId],
    );
  });
});

describe('MEMBER_ID_REQUIRED (JoinGroup v4+)', () => {
  test('a new member first gets its id, then joins with it', async () => {
    const h = await start();
    const first = await h.coordinator.joinGroup(join('g', { requireKnownMemberId: true }));
    assert.equal(first.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
    assert.match(first.memberId, /^client-/);
    assert.equal(first.generationId, -1);
    const second = await h.coordinator.joinGroup(join('g', { requireKnownMemberId: true, memberId: first.memberId }));
    assert.equal(second.errorCode, ErrorCode.NONE);
    assert.equal(second.memberId, first.memberId);
    assert.equal(second.leader, first.memberId);
  });

  test('a pending member holds the join phase until it joins or its session timeout passes', async () => {
    const h = await start();
    const a = await h.coordinator.joinGroup(join('g', { clientId: 'a' }));
    await h.coordinator.syncGroup(sync('g', a, [{ memberId: a.memberId, assignment: Buffer.from('x') }]));
    const pending = await h.coordinator.joinGroup(join('g', { requireKnownMemberId: true, clientId: 'b' }));
    assert.equal(pending.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
    // a rejoins (as leader it forces a rebalance) but the pending id is outstanding.
    const pa = h.coordinator.joinGroup(join('g', { memberId: a.memberId, clientId: 'a' }));
    assert.equal(await isSettled(pa), false);
    h.clock.advance(SESSION_MS);
    const ja = await pa;
    assert.equal(ja.generationId, 2);
    assert.equal(ja.members.length, 1);
    const late = await h.coordinator.joinGroup(join('g', { requireKnownMemberId: true, memberId: pending.memberId }));
    assert.equal(late.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  });
});

describe('errors', () => {
  test('unknown member, illegal generation, inconsistent protocol, bad session timeout, empty group id', async () => {
    const h = await start();
    const j = await h.coordinator.joinGroup(join('g'));
    await h.coordinator.syncGroup(sync('g', j, [{ memberId: j.memberId, assignment: Buffer.from('x') }]));
    assert.equal(
      h.coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: 'stranger', groupInstanceId: null }).errorCode,
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    assert.equal(
      h.coordinator.heartbeat({ groupId: 'g', generationId: 7, memberId: j.memberId, groupInstanceId: null }).errorCode,
      ErrorCode.ILLEGAL_GENERATION,
    );
    assert.equal(
      h.coordinator.heartbeat({ groupId: 'nope', generationId: 1, memberId: j.memberId, groupInstanceId: null }).errorCode,
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    assert.equal((await h.coordinator.syncGroup({ ...sync('g', j), generationId: 9 })).errorCode, ErrorCode.ILLEGAL_GENERATION);
    assert.equal((await h.coordinator.syncGroup({ ...sync('g', j), memberId: 'stranger' })).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    assert.equal(
      (await h.coordinator.syncGroup({ ...sync('g', j), protocolName: 'roundrobin' })).errorCode,
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    assert.equal((await h.coordinator.syncGroup({ ...sync('nope', j) })).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    assert.equal((await h.coordinator.joinGroup(join('nope', { memberId: 'someone' }))).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    assert.equal((await h.coordinator.joinGroup(join('g', { memberId: 'someone' }))).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    assert.equal((await h.coordinator.joinGroup(join('g', { protocolType: 'connect' }))).errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    assert.equal(
      (await h.coordinator.joinGroup(join('g', { protocols: [{ name: 'sticky', metadata: Buffer.alloc(0) }] }))).errorCode,
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    assert.equal((await h.coordinator.joinGroup(join('new', { protocols: [] }))).errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    assert.equal(h.coordinator.groupState('new'), undefined, 'a refused join creates no group');
    assert.equal((await h.coordinator.joinGroup(join('g', { sessionTimeoutMs: 5999 }))).errorCode, ErrorCode.INVALID_SESSION_TIMEOUT);
    assert.equal((await h.coordinator.joinGroup(join('g', { sessionTimeoutMs: 1_800_001 }))).errorCode, ErrorCode.INVALID_SESSION_TIMEOUT);
    assert.equal((await h.coordinator.joinGroup(join('', {}))).errorCode, ErrorCode.INVALID_GROUP_ID);
    assert.equal(
      h.coordinator.heartbeat({ groupId: '', generationId: 1, memberId: 'x', groupInstanceId: null }).errorCode,
      ErrorCode.INVALID_GROUP_ID,
    );
  });

  test('the session timeout bounds are options', async () => {
    const h = await start({ minSessionTimeoutMs: 1000, maxSessionTimeoutMs: 2000 });
    assert.equal((await h.coordinator.joinGroup(join('g', { sessionTimeoutMs: 45_000 }))).errorCode, ErrorCode.INVALID_SESSION_TIMEOUT);
    assert.equal((await h.coordinator.joinGroup(join('g', { sessionTimeoutMs: 1500 }))).errorCode, ErrorCode.NONE);
  });

  test('the protocol all members support wins the vote', async () => {
    const h = await start(DELAY);
    const meta = Buffer.from('m');
    const pa = h.coordinator.joinGroup(
      join('g', {
        protocols: [
          { name: 'cooperative-sticky', metadata: meta },
          { name: 'range', metadata: meta },
        ],
      }),
    );
    const pb = h.coordinator.joinGroup(join('g', { protocols: [{ name: 'range', metadata: meta }] }));
    const refused = await h.coordinator.joinGroup(join('g', { protocols: [{ name: 'cooperative-sticky', metadata: meta }] }));
    assert.equal(refused.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    h.clock.advance(6000);
    const [ja, jb] = await Promise.all([pa, pb]);
    assert.equal(ja.protocolName, 'range');
    assert.equal(jb.protocolName, 'range');
  });

  test('group.max.size turns away members beyond it', async () => {
    const h = await start({ ...DELAY, maxGroupSize: 1 });
    const pa = h.coordinator.joinGroup(join('g'));
    const refused = await h.coordinator.joinGroup(join('g'));
    assert.equal(refused.errorCode, ErrorCode.GROUP_MAX_SIZE_REACHED);
    h.clock.advance(3000);
    assert.equal((await pa).errorCode, ErrorCode.NONE);
  });

  test('a retried JoinGroup displaces the first one, which is still answered', async () => {
    const h = await start(DELAY);
    const first = h.coordinator.joinGroup(join('g', { requireKnownMemberId: true }));
    const id = (await first).memberId;
    const p1 = h.coordinator.joinGroup(join('g', { memberId: id, requireKnownMemberId: true }));
    const p2 = h.coordinator.joinGroup(join('g', { memberId: id, requireKnownMemberId: true }));
    assert.equal((await p1).errorCode, ErrorCode.REBALANCE_IN_PROGRESS);
    h.clock.advance(3000);
    assert.equal((await p2).errorCode, ErrorCode.NONE);
  });
});

describe('static membership (KIP-345)', () => {
  async function staticPair(skip = false) {
    const h = await start(DELAY);
    const pa = h.coordinator.joinGroup(join('g', { groupInstanceId: 'i-a', clientId: 'a' }));
    const pb = h.coordinator.joinGroup(join('g', { groupInstanceId: 'i-b', clientId: 'b' }));
    h.clock.advance(6000);
    const [ja, jb] = await Promise.all([pa, pb]);
    assert.match(ja.memberId, /^i-a-/);
    const leader = ja.leader === ja.memberId ? ja : jb;
    const assignments = [
      { memberId: ja.memberId, assignment: Buffer.from('A') },
      { memberId: jb.memberId, assignment: Buffer.from('B') },
    ];
    await Promise.all([
      h.coordinator.syncGroup({ ...sync('g', ja, leader === ja ? assignments : []), groupInstanceId: 'i-a' }),
      h.coordinator.syncGroup({ ...sync('g', jb, leader === jb ? assignments : []), groupInstanceId: 'i-b' }),
    ]);
    assert.equal(h.coordinator.groupState('g'), 'Stable');
    return { h, ja, jb, leader, skip };
  }

  test('a restarted static follower takes its old place without a rebalance; the old id is fenced', async () => {
    const { h, ja, jb, leader } = await staticPair();
    const follower = leader === ja ? jb : ja;
    const instance = follower === ja ? 'i-a' : 'i-b';
    const rejoined = await h.coordinator.joinGroup(join('g', { groupInstanceId: instance, clientId: 'again' }));
    assert.equal(rejoined.errorCode, ErrorCode.NONE);
    assert.notEqual(rejoined.memberId, follower.memberId);
    assert.equal(rejoined.generationId, 1, 'no new generation');
    assert.equal(rejoined.leader, leader.memberId);
    assert.equal(h.coordinator.groupState('g'), 'Stable');
    const s = await h.coordinator.syncGroup({ ...sync('g', rejoined), groupInstanceId: instance });
    assert.equal(s.assignment.toString(), follower === ja ? 'A' : 'B');
    assert.equal(h.coordinator.heartbeat(heartbeat('g', follower, instance)).errorCode, ErrorCode.FENCED_INSTANCE_ID);
    assert.equal(h.coordinator.heartbeat(heartbeat('g', rejoined, instance)).errorCode, ErrorCode.NONE);
    assert.equal(h.coordinator.heartbeat(heartbeat('g', leader, leader === ja ? 'i-a' : 'i-b')).errorCode, ErrorCode.NONE);
  });

  test('a replaced static member that then goes silent still expires', async () => {
    const { h, ja, jb, leader } = await staticPair();
    const follower = leader === ja ? jb : ja;
    const instance = follower === ja ? 'i-a' : 'i-b';
    const leaderInstance = leader === ja ? 'i-a' : 'i-b';
    const rejoined = await h.coordinator.joinGroup(join('g', { groupInstanceId: instance }));
    assert.equal(rejoined.errorCode, ErrorCode.NONE);
    for (let t = 0; t < SESSION_MS; t += 2000) {
      assert.equal(h.coordinator.heartbeat(heartbeat('g', leader, leaderInstance)).errorCode, ErrorCode.NONE);
      h.clock.advance(2000);
    }
    assert.equal(h.coordinator.groupState('g'), 'PreparingRebalance');
    assert.equal(h.coordinator.heartbeat(heartbeat('g', rejoined, instance)).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('a static member rejoining while the leader assigns restarts the rebalance', async () => {
    const h = await start(DELAY);
    const pa = h.coordinator.joinGroup(join('g', { groupInstanceId: 'i-a' }));
    const pb = h.coordinator.joinGroup(join('g', { groupInstanceId: 'i-b' }));
    h.clock.advance(6000);
    const [ja, jb] = await Promise.all([pa, pb]);
    const follower = ja.leader === ja.memberId ? jb : ja;
    const waiting = h.coordinator.syncGroup({ ...sync('g', follower), groupInstanceId: follower === ja ? 'i-a' : 'i-b' });
    void h.coordinator.joinGroup(join('g', { groupInstanceId: follower === ja ? 'i-a' : 'i-b' }));
    assert.equal((await waiting).errorCode, ErrorCode.FENCED_INSTANCE_ID, 'the old incarnation is fenced');
    assert.equal(h.coordinator.groupState('g'), 'PreparingRebalance');
  });

  test('a restarted static leader is not told it leads before v9, and told to skip assignment on v9+', async () => {
    const { h, ja, leader } = await staticPair();
    const instance = leader === ja ? 'i-a' : 'i-b';
    const old = await h.coordinator.joinGroup(join('g', { groupInstanceId: instance }));
    assert.equal(old.leader, leader.memberId, 'the old leader id, so it does not assign');
    assert.equal(old.skipAssignment, false);
    assert.equal(old.members.length, 0);
    const v9 = await h.coordinator.joinGroup(join('g', { groupInstanceId: instance, supportSkipAssignment: true }));
    assert.equal(v9.leader, v9.memberId);
    assert.equal(v9.skipAssignment, true);
    assert.equal(v9.members.length, 2);
    assert.equal(h.coordinator.groupState('g'), 'Stable');
  });

  test('a static member rejoining with protocols that change the choice rebalances', async () => {
    const { h } = await staticPair();
    void h.coordinator.joinGroup(
      join('g', {
        groupInstanceId: 'i-a',
        protocols: [
          { name: 'roundrobin', metadata: Buffer.alloc(0) },
          { name: 'range', metadata: Buffer.alloc(0) },
        ],
      }),
    );
    assert.equal(h.coordinator.groupState('g'), 'Stable', 'range is still the only common protocol');
    const h2 = await staticPair();
    void h2.h.coordinator.joinGroup(
      join('g', { groupInstanceId: 'i-a', protocols: [{ name: 'range', metadata: Buffer.from('changed') }] }),
    );
    assert.equal(h2.h.coordinator.groupState('g'), 'Stable', 'same protocol name: metadata changes alone do not rebalance');
  });

  test('administrative removal by instance id', async () => {
    const { h, ja } = await staticPair();
    const res = h.coordinator.leaveGroup({
      groupId: 'g',
      members: [
        { memberId: '', groupInstanceId: 'i-a', reason: 'admin' },
        { memberId: '', groupInstanceId: 'i-x', reason: null },
      ],
    });
    assert.deepEqual(
      res.members.map((m) => m.errorCode),
      [ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID],
    );
    assert.equal(h.coordinator.heartbeat(heartbeat('g', ja, 'i-a')).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    assert.equal(h.coordinator.groupState('g'), 'PreparingRebalance');
  });

  test('a static member that misses the rebalance keeps its place until its session expires', async () => {
    const { h, ja, jb } = await staticPair();
    const pc = h.coordinator.joinGroup(join('g', { clientId: 'c' }));
    const pa = h.coordinator.joinGroup(join('g', { groupInstanceId: 'i-a', memberId: ja.memberId }));
    // b heartbeats (it is alive, say mid-restart with a long session) but does not rejoin.
    for (let t = 0; t < REBALANCE_MS; t += 3000) {
      h.coordinator.heartbeat(heartbeat('g', jb, 'i-b'));
      h.clock.advance(3000);
    }
    const [na, nc] = await Promise.all([pa, pc]);
    assert.equal(na.generationId, 2);
    const leader = [na, nc].find((j) => j.leader === j.memberId);
    assert.ok(leader?.members.some((m) => m.memberId === jb.memberId && m.groupInstanceId === 'i-b'));
  });
});

describe('close', () => {
  test('close answers waiting joins with NOT_COORDINATOR and stops timers', async () => {
    const h = await start(DELAY);
    const pa = h.coordinator.joinGroup(join('g', { clientId: 'a' }));
    h.clock.advance(3000);
    assert.equal((await pa).errorCode, ErrorCode.NONE);
    // c joins: a rebalance starts and waits for a, which never rejoins.
    const pending = h.coordinator.joinGroup(join('g', { clientId: 'c' }));
    assert.equal(await isSettled(pending), false);
    await h.coordinator.close();
    assert.equal((await pending).errorCode, ErrorCode.NOT_COORDINATOR);
    assert.equal(h.clock.pending, 0, 'no timers left behind');
    assert.equal((await h.coordinator.joinGroup(join('g'))).errorCode, ErrorCode.COORDINATOR_NOT_AVAILABLE);
    assert.equal(
      h.coordinator.heartbeat(heartbeat('g', { memberId: 'x', generationId: 1 })).errorCode,
      ErrorCode.COORDINATOR_NOT_AVAILABLE,
    );
  });

  test('a join waiting in the initial delay is answered by close', async () => {
    const h = await start(DELAY);
    const p = h.coordinator.joinGroup(join('g'));
    await h.coordinator.close();
    assert.equal((await p).errorCode, ErrorCode.NOT_COORDINATOR);
  });

  test('a follower waiting for the leader sync is answered by close', async () => {
    const h = await start(DELAY);
    const pa = h.coordinator.joinGroup(join('g', { clientId: 'a' }));
    const pb = h.coordinator.joinGroup(join('g', { clientId: 'b' }));
    h.clock.advance(6000);
    const [ja, jb] = await Promise.all([pa, pb]);
    const follower = ja.leader === ja.memberId ? jb : ja;
    const waiting = h.coordinator.syncGroup(sync('g', follower));
    await h.coordinator.close();
    assert.equal((await waiting).errorCode, ErrorCode.NOT_COORDINATOR);
  });
});
