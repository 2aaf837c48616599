// Group state in __consumer_offsets: what a restarted coordinator rebuilds from the log, and the
// record layout itself (Kafka's keys and values, every version Brook reads).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GroupCoordinator } from '../../../src/broker/groups/coordinator.ts';
import {
  decodeGroupValue,
  decodeKey,
  decodeOffsetValue,
  groupKey,
  groupValue,
  offsetKey,
  offsetValue,
} from '../../../src/broker/groups/records.ts';
import { javaStringHash, partitionFor } from '../../../src/broker/groups/store.ts';
import { ByteWriter } from '../../../src/common/bytes.ts';
import { ErrorCode } from '../../../src/protocol/error-codes.ts';
import { batchHeaders } from '../../../src/protocol/record-batch.ts';
import { decodeRecords, simpleBatch } from '../../../src/protocol/records.ts';
import { heartbeat, join, stableGroup, start, sync } from './harness.ts';
import { ManualScheduler } from './manual-scheduler.ts';
import type { MemoryLogManager } from './memory-log.ts';

function records(logs: MemoryLogManager) {
  const p = logs.partition('__consumer_offsets', 0);
  assert.ok(p);
  return p.batches.flatMap((b) => [...batchHeaders(b)].flatMap((h) => decodeRecords(b, h)));
}

describe('restart', () => {
  test('a second coordinator on the same log sees the offsets and the group, empty, with its generation', async () => {
    const h = await start({ initialRebalanceDelayMs: 3000 });
    const { joined } = await stableGroup(h, 'g', ['a', 'b']);
    const a = joined[0];
    assert.ok(a);
    await h.coordinator.commitOffsets({
      groupId: 'g',
      generationId: 1,
      memberId: a.memberId,
      groupInstanceId: null,
      offsets: [{ topic: 'orders', partition: 1, offset: 100n, leaderEpoch: 2, metadata: 'm' }],
    });
    await h.coordinator.commitOffsets({
      groupId: 'simple',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      offsets: [{ topic: 'clicks', partition: 0, offset: 5n, leaderEpoch: -1, metadata: null }],
    });
    await h.coordinator.close();

    const info = h.logs.topic('__consumer_offsets');
    assert.equal(info?.internal, true);
    assert.equal(info?.overrides['cleanup.policy'], 'compact');

    const h2 = await start({ initialRebalanceDelayMs: 3000 }, h.logs, h.clock);
    const offsets = h2.coordinator.fetchOffsets({ groupId: 'g', topics: [{ topic: 'orders', partitions: [1] }], requireStable: true });
    assert.deepEqual(offsets.topics[0]?.partitions[0], {
      partition: 1,
      offset: 100n,
      leaderEpoch: 2,
      metadata: 'm',
      errorCode: ErrorCode.NONE,
    });
    assert.equal(
      h2.coordinator.fetchOffsets({ groupId: 'simple', topics: null, requireStable: false }).topics[0]?.partitions[0]?.offset,
      5n,
    );
    const listed = h2.coordinator.listGroups();
    assert.deepEqual(listed.groups.map((g) => [g.groupId, g.state, g.protocolType]).sort(), [
      ['g', 'Empty', 'consumer'],
      ['simple', 'Empty', ''],
    ]);
    // Old members must rejoin; the new generation continues from the stored one.
    assert.equal(h2.coordinator.heartbeat(heartbeat('g', a)).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    const again = h2.coordinator.joinGroup(join('g'));
    h2.clock.advance(3000);
    assert.equal((await again).generationId, 2);
  });

  test('deleted groups and expired offsets stay gone after a restart', async () => {
    const h = await start({ offsetsRetentionMs: 1000 });
    const commit = (groupId: string, partition: number) =>
      h.coordinator.commitOffsets({
        groupId,
        generationId: -1,
        memberId: '',
        groupInstanceId: null,
        offsets: [{ topic: 'orders', partition, offset: 1n, leaderEpoch: -1, metadata: null }],
      });
    await commit('deleted', 0);
    const j = await h.coordinator.joinGroup(join('with-meta'));
    await h.coordinator.syncGroup(sync('with-meta', j, [{ memberId: j.memberId, assignment: Buffer.from('a') }]));
    h.coordinator.leaveGroup({ groupId: 'with-meta', members: [{ memberId: j.memberId, groupInstanceId: null, reason: null }] });
    await commit('with-meta', 0);
    assert.deepEqual(await h.coordinator.deleteGroups(['deleted', 'with-meta']), [
      { groupId: 'deleted', errorCode: ErrorCode.NONE },
      { groupId: 'with-meta', errorCode: ErrorCode.NONE },
    ]);
    await commit('expiring', 1);
    h.clock.advance(1000);
    await h.coordinator.expireOffsets();
    await commit('kept', 2);
    await h.coordinator.close();
    const tombstones = records(h.logs).filter((r) => r.value === null);
    // deleted: its offset (generation 0: no metadata record); with-meta: its offset and its group;
    // expiring: its offset (generation 0 again).
    assert.equal(tombstones.length, 4);

    const h2 = await start({}, h.logs, h.clock);
    assert.deepEqual(
      h2.coordinator.listGroups().groups.map((g) => g.groupId),
      ['kept'],
    );
  });

  test('while loading, group APIs answer COORDINATOR_LOAD_IN_PROGRESS; heartbeats are accepted', async () => {
    const h = await start();
    const c = new GroupCoordinator({ logs: h.logs, scheduler: new ManualScheduler() });
    assert.equal((await c.joinGroup(join('g'))).errorCode, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    assert.equal(c.heartbeat(heartbeat('g', { memberId: 'm', generationId: 1 })).errorCode, ErrorCode.NONE);
    assert.equal(c.fetchOffsets({ groupId: 'g', topics: null, requireStable: false }).errorCode, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    assert.equal(c.describeGroups(['g'])[0]?.errorCode, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    const loading = c.load();
    assert.equal(c.status, 'loading');
    assert.equal(c.listGroups().errorCode, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    await loading;
    assert.equal(c.status, 'active');
    await assert.rejects(c.load(), /runs once/);
    await c.close();
    assert.equal(c.listGroups().errorCode, ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });

  test('loading reads the log in chunks, keeps the last record of a key and skips unreadable ones', async () => {
    const h = await start();
    const p = h.logs.partition('__consumer_offsets', 0);
    assert.ok(p);
    const append = (entries: { key: Buffer | null; value: Buffer | null }[]) => {
      const batch = simpleBatch(entries, 1n);
      p.append(batch, [...batchHeaders(batch)]);
    };
    for (let i = 0; i < 50; i++)
      append([
        { key: offsetKey('g', 'orders', 0), value: offsetValue({ offset: BigInt(i), leaderEpoch: -1, metadata: '', commitTimestamp: 1n }) },
      ]);
    append([{ key: Buffer.from([0, 9, 1, 2]), value: Buffer.from('future key version') }]);
    append([{ key: offsetKey('g', 'orders', 1), value: Buffer.from([0, 77]) }]);
    append([{ key: null, value: Buffer.from('x') }]);
    const skipped: unknown[] = [];
    const dc = await import('node:diagnostics_channel');
    const onEvent = (e: unknown) => {
      if ((e as { type: string }).type === 'load-skipped') skipped.push(e);
    };
    dc.subscribe('brook:groups', onEvent);
    try {
      const h2 = await start({ offsetsLoadBufferSize: 200 }, h.logs, h.clock);
      const fetched = h2.coordinator.fetchOffsets({ groupId: 'g', topics: null, requireStable: false });
      assert.deepEqual(
        fetched.topics.map((t) => t.partitions.map((x) => [x.partition, x.offset])),
        [[[0, 49n]]],
      );
    } finally {
      dc.unsubscribe('brook:groups', onEvent);
    }
    assert.equal(skipped.length, 2, 'the bad value and the keyless record; the unknown key version is ignored');
  });

  test('an existing offsets topic keeps its partition count; groups map to partitions as on Kafka', async () => {
    const h = await start({ offsetsTopicPartitions: 4 }, (await import('./harness.ts')).defaultLogs());
    assert.equal(h.logs.topic('__consumer_offsets')?.partitions, 4);
    await h.coordinator.commitOffsets({
      groupId: 'group-x',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      offsets: [{ topic: 'orders', partition: 0, offset: 3n, leaderEpoch: -1, metadata: null }],
    });
    const where = partitionFor('group-x', 4);
    assert.equal(h.logs.partition('__consumer_offsets', where)?.logEndOffset, 1n);
    await h.coordinator.close();
    const h2 = await start({ offsetsTopicPartitions: 1 }, h.logs, h.clock);
    assert.equal(
      h2.coordinator.fetchOffsets({ groupId: 'group-x', topics: null, requireStable: false }).topics[0]?.partitions[0]?.offset,
      3n,
    );
  });

  test('close waits for writes in flight', async () => {
    const h = await start();
    h.logs.holdFlushes();
    const commit = h.coordinator.commitOffsets({
      groupId: 'g',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      offsets: [{ topic: 'orders', partition: 0, offset: 3n, leaderEpoch: -1, metadata: null }],
    });
    let closed = false;
    const closing = h.coordinator.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(closed, false);
    h.logs.releaseFlushes();
    await closing;
    assert.equal((await commit).partitions[0]?.errorCode, ErrorCode.NONE, 'durable, so acknowledged');
  });
});

describe('record layout', () => {
  test('partitionFor is Utils.abs(String.hashCode) % n', () => {
    assert.equal(javaStringHash('hello'), 99162322);
    assert.equal(javaStringHash('abc'), 96354);
    assert.equal(javaStringHash('console-consumer-12345'), 158455506);
    assert.equal(javaStringHash('a-much-longer-group-identifier-that-overflows'), -2081240943);
    assert.equal(partitionFor('console-consumer-12345', 50), 158455506 % 50);
    assert.equal(partitionFor('', 50), 0);
  });

  test('offset commit key v1 and value v3, byte for byte', () => {
    const key = offsetKey('g', 't', 5);
    assert.deepEqual([...key], [0, 1, 0, 1, 0x67, 0, 1, 0x74, 0, 0, 0, 5]);
    assert.deepEqual(decodeKey(key), { type: 'offset', groupId: 'g', topic: 't', partition: 5 });
    const value = offsetValue({ offset: 7n, leaderEpoch: 2, metadata: 'm', commitTimestamp: 9n });
    assert.deepEqual(value, Buffer.from('0003' + '0000000000000007' + '00000002' + '00016d' + '0000000000000009', 'hex'));
    assert.deepEqual(decodeOffsetValue(value), { offset: 7n, leaderEpoch: 2, metadata: 'm', commitTimestamp: 9n, expireTimestamp: -1n });
  });

  test('older offset values (v0, v1) still load', () => {
    const v0 = new ByteWriter().int16(0).int64(3n).int16(1).utf8('x').int64(4n).toBuffer();
    assert.deepEqual(decodeOffsetValue(v0), { offset: 3n, leaderEpoch: -1, metadata: 'x', commitTimestamp: 4n, expireTimestamp: -1n });
    const v1 = new ByteWriter().int16(1).int64(3n).int16(0).int64(4n).int64(5n).toBuffer();
    assert.deepEqual(decodeOffsetValue(v1), { offset: 3n, leaderEpoch: -1, metadata: '', commitTimestamp: 4n, expireTimestamp: 5n });
    assert.throws(() => decodeOffsetValue(new ByteWriter().int16(9).toBuffer()), /version 9/);
  });

  test('group metadata key v2 and value v3 round-trip; v0 values still load', () => {
    assert.deepEqual([...groupKey('g')], [0, 2, 0, 1, 0x67]);
    assert.deepEqual(decodeKey(groupKey('g')), { type: 'group', groupId: 'g' });
    assert.deepEqual(decodeKey(Buffer.from([0, 3, 0, 0])), { type: 'unknown', version: 3 });
    const v = {
      protocolType: 'consumer',
      generationId: 4,
      protocolName: 'range',
      leader: 'm1',
      currentStateTimestamp: 123n,
      members: [
        {
          memberId: 'm1',
          groupInstanceId: 'i1',
          clientId: 'c',
          clientHost: '/10.0.0.1',
          rebalanceTimeoutMs: 300000,
          sessionTimeoutMs: 45000,
          subscription: Buffer.from('sub'),
          assignment: Buffer.from('asg'),
        },
      ],
    };
    assert.deepEqual(decodeGroupValue(groupValue(v)), v);
    const empty = { ...v, protocolName: null, leader: null, members: [] };
    assert.deepEqual(decodeGroupValue(groupValue(empty)), empty);
    const w = new ByteWriter().int16(0).int16(8).utf8('consumer').int32(1).int16(5).utf8('range').int16(2).utf8('m1').int32(1);
    w.int16(2).utf8('m1').int16(1).utf8('c').int16(1).utf8('h').int32(10000).int32(1).uint8(1).int32(1).uint8(2);
    const v0 = decodeGroupValue(w.toBuffer());
    assert.equal(v0.currentStateTimestamp, -1n);
    assert.equal(v0.members[0]?.rebalanceTimeoutMs, 10000, 'v0 has no rebalance timeout: the session timeout stands in');
    assert.equal(v0.members[0]?.groupInstanceId, null);
  });
});
