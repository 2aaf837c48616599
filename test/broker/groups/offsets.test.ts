// OffsetCommit and OffsetFetch through the coordinator: validation, durability, retention.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CommitOffsetsRequest } from '../../../src/broker/groups/types.ts';
import { ErrorCode } from '../../../src/protocol/error-codes.ts';
import { heartbeat, isSettled, join, start, sync } from './harness.ts';

const DAY = 24 * 60 * 60 * 1000;

function simple(groupId: string, offsets: CommitOffsetsRequest['offsets']): CommitOffsetsRequest {
  return { groupId, generationId: -1, memberId: '', groupInstanceId: null, offsets };
}

const at = (topic: string, partition: number, offset: bigint, metadata: string | null = null, leaderEpoch = -1) => ({
  topic,
  partition,
  offset,
  leaderEpoch,
  metadata,
});

describe('commit and fetch', () => {
  test('a simple commit (generation -1, as kcat with manual assignment) round-trips', async () => {
    const { coordinator } = await start();
    const res = await coordinator.commitOffsets(simple('kcat', [at('orders', 0, 42n, 'hello', 3), at('orders', 2, 7n, null)]));
    assert.deepEqual(res.partitions, [
      { topic: 'orders', partition: 0, errorCode: ErrorCode.NONE },
      { topic: 'orders', partition: 2, errorCode: ErrorCode.NONE },
    ]);
    const fetched = coordinator.fetchOffsets({
      groupId: 'kcat',
      topics: [{ topic: 'orders', partitions: [0, 1, 2] }],
      requireStable: false,
    });
    assert.equal(fetched.errorCode, ErrorCode.NONE);
    assert.deepEqual(fetched.topics, [
      {
        topic: 'orders',
        partitions: [
          { partition: 0, offset: 42n, leaderEpoch: 3, metadata: 'hello', errorCode: ErrorCode.NONE },
          { partition: 1, offset: -1n, leaderEpoch: -1, metadata: '', errorCode: ErrorCode.NONE },
          { partition: 2, offset: 7n, leaderEpoch: -1, metadata: '', errorCode: ErrorCode.NONE },
        ],
      },
    ]);
    assert.equal(coordinator.groupState('kcat'), 'Empty');
    const [described] = coordinator.describeGroups(['kcat']);
    assert.equal(described?.protocolType, '');
  });

  test('fetching all topics (null) returns every committed offset; an unknown group has none', async () => {
    const { coordinator } = await start();
    await coordinator.commitOffsets(simple('g', [at('orders', 1, 1n), at('clicks', 0, 2n), at('orders', 0, 3n)]));
    const all = coordinator.fetchOffsets({ groupId: 'g', topics: null, requireStable: false });
    const flat = all.topics.flatMap((t) => t.partitions.map((p) => `${t.topic}-${p.partition}=${p.offset}`)).sort();
    assert.deepEqual(flat, ['clicks-0=2', 'orders-0=3', 'orders-1=1']);
    assert.deepEqual(coordinator.fetchOffsets({ groupId: 'nobody', topics: null, requireStable: false }), {
      errorCode: ErrorCode.NONE,
      topics: [],
    });
    const missing = coordinator.fetchOffsets({ groupId: 'nobody', topics: [{ topic: 'orders', partitions: [0] }], requireStable: true });
    assert.equal(missing.topics[0]?.partitions[0]?.offset, -1n);
  });

  test('a later commit replaces an earlier one', async () => {
    const { coordinator } = await start();
    await coordinator.commitOffsets(simple('g', [at('orders', 0, 1n, 'a')]));
    await coordinator.commitOffsets(simple('g', [at('orders', 0, 9n, 'b')]));
    const p = coordinator.fetchOffsets({ groupId: 'g', topics: [{ topic: 'orders', partitions: [0] }], requireStable: false }).topics[0]
      ?.partitions[0];
    assert.equal(p?.offset, 9n);
    assert.equal(p?.metadata, 'b');
  });

  test('partition errors: unknown topic or partition, metadata too large; the rest is committed', async () => {
    const { coordinator } = await start({ offsetMetadataMaxBytes: 8 });
    const res = await coordinator.commitOffsets(
      simple('g', [at('nope', 0, 1n), at('orders', 3, 1n), at('orders', 0, 1n, 'x'.repeat(9)), at('orders', 1, 5n)]),
    );
    assert.deepEqual(
      res.partitions.map((p) => p.errorCode),
      [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.OFFSET_METADATA_TOO_LARGE, ErrorCode.NONE],
    );
    const all = coordinator.fetchOffsets({ groupId: 'g', topics: null, requireStable: false });
    assert.deepEqual(
      all.topics.map((t) => [t.topic, t.partitions.map((p) => p.partition)]),
      [['orders', [1]]],
    );
  });

  test('topic checks can be turned off', async () => {
    const { coordinator } = await start({ checkCommittedTopics: false });
    const res = await coordinator.commitOffsets(simple('g', [at('not-yet', 0, 1n)]));
    assert.equal(res.partitions[0]?.errorCode, ErrorCode.NONE);
  });

  test('member commits: generation and member id are checked; simple commits are refused once the group has members', async () => {
    const h = await start();
    const j = await h.coordinator.joinGroup(join('g'));
    const member = (generationId: number, memberId = j.memberId): CommitOffsetsRequest => ({
      groupId: 'g',
      generationId,
      memberId,
      groupInstanceId: null,
      offsets: [at('orders', 0, 10n)],
    });
    // Joined but not synced: CompletingRebalance.
    assert.equal((await h.coordinator.commitOffsets(member(1))).partitions[0]?.errorCode, ErrorCode.REBALANCE_IN_PROGRESS);
    await h.coordinator.syncGroup(sync('g', j, [{ memberId: j.memberId, assignment: Buffer.from('a') }]));
    assert.equal((await h.coordinator.commitOffsets(member(1))).partitions[0]?.errorCode, ErrorCode.NONE);
    assert.equal((await h.coordinator.commitOffsets(member(2))).partitions[0]?.errorCode, ErrorCode.ILLEGAL_GENERATION);
    assert.equal((await h.coordinator.commitOffsets(member(1, 'stranger'))).partitions[0]?.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    assert.equal(
      (await h.coordinator.commitOffsets(simple('g', [at('orders', 0, 1n)]))).partitions[0]?.errorCode,
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    assert.equal(
      (await h.coordinator.commitOffsets({ ...member(3), groupId: 'other' })).partitions[0]?.errorCode,
      ErrorCode.ILLEGAL_GENERATION,
    );
    assert.equal(
      (await h.coordinator.commitOffsets({ ...member(-1, 'someone'), groupId: 'other' })).partitions[0]?.errorCode,
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    assert.equal(h.coordinator.groupState('other'), undefined);
    // Once the member leaves, the empty group takes simple commits again.
    h.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: j.memberId, groupInstanceId: null, reason: null }] });
    assert.equal((await h.coordinator.commitOffsets(simple('g', [at('orders', 0, 11n)]))).partitions[0]?.errorCode, ErrorCode.NONE);
  });

  test('a commit counts as a heartbeat', async () => {
    const h = await start();
    const j = await h.coordinator.joinGroup(join('g', { sessionTimeoutMs: 10_000 }));
    await h.coordinator.syncGroup(sync('g', j, [{ memberId: j.memberId, assignment: Buffer.from('a') }]));
    for (let i = 0; i < 5; i++) {
      h.clock.advance(6000);
      const r = await h.coordinator.commitOffsets({
        groupId: 'g',
        generationId: 1,
        memberId: j.memberId,
        groupInstanceId: null,
        offsets: [at('orders', 0, BigInt(i))],
      });
      assert.equal(r.partitions[0]?.errorCode, ErrorCode.NONE);
    }
    assert.equal(h.coordinator.heartbeat(heartbeat('g', j)).errorCode, ErrorCode.NONE);
  });

  test('the empty group id is accepted for offsets (old clients) but not for membership', async () => {
    const { coordinator } = await start();
    assert.equal((await coordinator.commitOffsets(simple('', [at('orders', 0, 1n)]))).partitions[0]?.errorCode, ErrorCode.NONE);
    assert.equal(coordinator.fetchOffsets({ groupId: '', topics: null, requireStable: false }).topics.length, 1);
  });
});

describe('durability', () => {
  test('a commit is acknowledged only once flushed; requireStable sees it as unstable meanwhile', async () => {
    const { coordinator, logs } = await start();
    await coordinator.commitOffsets(simple('g', [at('orders', 0, 1n)]));
    logs.holdFlushes();
    const pending = coordinator.commitOffsets(simple('g', [at('orders', 0, 2n)]));
    assert.equal(await isSettled(pending), false);
    const stable = coordinator.fetchOffsets({ groupId: 'g', topics: [{ topic: 'orders', partitions: [0] }], requireStable: true });
    assert.equal(stable.topics[0]?.partitions[0]?.errorCode, ErrorCode.UNSTABLE_OFFSET_COMMIT);
    const relaxed = coordinator.fetchOffsets({ groupId: 'g', topics: [{ topic: 'orders', partitions: [0] }], requireStable: false });
    assert.equal(relaxed.topics[0]?.partitions[0]?.offset, 1n, 'the last durable commit');
    logs.releaseFlushes();
    assert.equal((await pending).partitions[0]?.errorCode, ErrorCode.NONE);
    const after = coordinator.fetchOffsets({ groupId: 'g', topics: [{ topic: 'orders', partitions: [0] }], requireStable: true });
    assert.equal(after.topics[0]?.partitions[0]?.offset, 2n);
    const partition = logs.partition('__consumer_offsets', 0);
    assert.equal(partition?.flushedOffset, partition?.logEndOffset);
  });

  test('storage failures become Kafka error codes and nothing is applied', async () => {
    const { coordinator, logs } = await start();
    logs.failAppends = 'RECORD_LIST_TOO_LARGE';
    assert.equal(
      (await coordinator.commitOffsets(simple('g', [at('orders', 0, 1n)]))).partitions[0]?.errorCode,
      ErrorCode.INVALID_COMMIT_OFFSET_SIZE,
    );
    logs.failAppends = 'KAFKA_STORAGE_ERROR';
    assert.equal((await coordinator.commitOffsets(simple('g', [at('orders', 0, 1n)]))).partitions[0]?.errorCode, ErrorCode.NOT_COORDINATOR);
    logs.failAppends = null;
    logs.setFlushFailure(new Error('disk on fire'));
    assert.equal(
      (await coordinator.commitOffsets(simple('g', [at('orders', 0, 1n)]))).partitions[0]?.errorCode,
      ErrorCode.COORDINATOR_NOT_AVAILABLE,
    );
    logs.setFlushFailure(null);
    assert.equal(
      coordinator.fetchOffsets({ groupId: 'g', topics: [{ topic: 'orders', partitions: [0] }], requireStable: true }).topics[0]
        ?.partitions[0]?.offset,
      -1n,
    );
  });

  test('a failed assignment write sends everyone back to rejoin', async () => {
    const h = await start({ initialRebalanceDelayMs: 3000 });
    const pa = h.coordinator.joinGroup(join('g', { clientId: 'a' }));
    const pb = h.coordinator.joinGroup(join('g', { clientId: 'b' }));
    h.clock.advance(6000);
    const [ja, jb] = await Promise.all([pa, pb]);
    const [leader, follower] = ja.leader === ja.memberId ? [ja, jb] : [jb, ja];
    const fsync = h.coordinator.syncGroup(sync('g', follower));
    h.logs.failAppends = 'NOT_ENOUGH_REPLICAS';
    const lsync = await h.coordinator.syncGroup(sync('g', leader, [{ memberId: leader.memberId, assignment: Buffer.from('x') }]));
    assert.equal(lsync.errorCode, ErrorCode.COORDINATOR_NOT_AVAILABLE);
    assert.equal((await fsync).errorCode, ErrorCode.COORDINATOR_NOT_AVAILABLE);
    assert.equal(h.coordinator.groupState('g'), 'PreparingRebalance');
  });
});

describe('retention (offsets.retention.ms)', () => {
  test('simple-commit offsets expire from their commit time, then the group goes', async () => {
    const h = await start({ offsetsRetentionMs: DAY });
    await h.coordinator.commitOffsets(simple('g', [at('orders', 0, 1n)]));
    h.clock.advance(DAY / 2);
    await h.coordinator.commitOffsets(simple('g', [at('orders', 1, 1n)]));
    h.clock.advance(DAY / 2);
    await h.coordinator.expireOffsets();
    const left = h.coordinator.fetchOffsets({ groupId: 'g', topics: null, requireStable: false });
    assert.deepEqual(
      left.topics.map((t) => t.partitions.map((p) => p.partition)),
      [[1]],
    );
    h.clock.advance(DAY / 2);
    await h.coordinator.expireOffsets();
    assert.equal(h.coordinator.groupState('g'), undefined);
  });

  test('an empty consumer group keeps its offsets for the retention time after it became empty', async () => {
    const h = await start({ offsetsRetentionMs: DAY });
    const j = await h.coordinator.joinGroup(join('g'));
    await h.coordinator.syncGroup(sync('g', j, [{ memberId: j.memberId, assignment: Buffer.from('a') }]));
    await h.coordinator.commitOffsets({
      groupId: 'g',
      generationId: 1,
      memberId: j.memberId,
      groupInstanceId: null,
      offsets: [at('orders', 0, 5n)],
    });
    // The member stays for two days (heartbeating), then leaves.
    for (let t = 0; t < 2 * DAY; t += 5000) {
      h.clock.advance(5000);
      h.coordinator.heartbeat(heartbeat('g', j));
    }
    await h.coordinator.expireOffsets();
    assert.equal(
      h.coordinator.fetchOffsets({ groupId: 'g', topics: null, requireStable: false }).topics.length,
      1,
      'stable and subscribed: kept',
    );
    h.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: j.memberId, groupInstanceId: null, reason: null }] });
    h.clock.advance(DAY - 1);
    await h.coordinator.expireOffsets();
    assert.equal(h.coordinator.fetchOffsets({ groupId: 'g', topics: null, requireStable: false }).topics.length, 1);
    h.clock.advance(1);
    await h.coordinator.expireOffsets();
    assert.equal(h.coordinator.groupState('g'), undefined, 'offsets expired and the empty group removed');
  });

  test('a stable consumer group loses offsets of topics it no longer subscribes to', async () => {
    const h = await start({ offsetsRetentionMs: DAY });
    const j = await h.coordinator.joinGroup(join('g'));
    await h.coordinator.syncGroup(sync('g', j, [{ memberId: j.memberId, assignment: Buffer.from('a') }]));
    await h.coordinator.commitOffsets({
      groupId: 'g',
      generationId: 1,
      memberId: j.memberId,
      groupInstanceId: null,
      offsets: [at('orders', 0, 5n), at('clicks', 0, 6n)],
    });
    for (let t = 0; t < DAY; t += 5000) {
      h.clock.advance(5000);
      h.coordinator.heartbeat(heartbeat('g', j));
    }
    await h.coordinator.expireOffsets();
    const left = h.coordinator.fetchOffsets({ groupId: 'g', topics: null, requireStable: false });
    assert.deepEqual(
      left.topics.map((t) => t.topic),
      ['orders'],
    );
  });

  test('the sweep runs on its own timer', async () => {
    const h = await start({ offsetsRetentionMs: 1000, offsetsRetentionCheckIntervalMs: 600_000 });
    await h.coordinator.commitOffsets(simple('g', [at('orders', 0, 1n)]));
    h.clock.advance(600_000);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(h.coordinator.groupState('g'), undefined);
  });
});
