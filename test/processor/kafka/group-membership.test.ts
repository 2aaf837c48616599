// KafkaGroupMembership against a real broker: one member owns every input partition and the
// exchange partition; a second member joining splits the input and one of them keeps the exchange;
// commits go in as a member; leaving hands everything back. And the leader's assignment on its own.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin, type ClusterMetadata, type ExtendedGroupProtocolSubscription } from '@platformatic/kafka';
import { assignPartitions, KafkaGroupMembership } from '../../../src/processor/kafka/group-membership.ts';
import type { TopicPartition } from '../../../src/processor/types.ts';
import { startTempBroker, type TempBroker } from '../../helpers/temp-broker.ts';
import { createTopic } from './helpers.ts';

const keys = (tps: TopicPartition[]) => tps.map((tp) => `${tp.topic}:${tp.partition}`).sort();

/** The next assignment the group gives this member. */
async function nextAssignment(m: KafkaGroupMembership): Promise<TopicPartition[]> {
  for (;;) {
    const got = m.take();
    if (got !== undefined) return got;
    await m.wait(10_000);
  }
}

describe('KafkaGroupMembership', () => {
  let tb: TempBroker;
  const members: KafkaGroupMembership[] = [];
  const member = () => {
    const m = new KafkaGroupMembership({
      bootstrap: [tb.bootstrap],
      groupId: 'procs',
      topics: ['in', 'in-partials'],
      exchangeTopic: 'in-partials',
    });
    members.push(m);
    return m;
  };
  before(async () => {
    tb = await startTempBroker();
    await createTopic(tb.bootstrap, 'in', 3);
    await createTopic(tb.bootstrap, 'in-partials', 1);
  });
  after(async () => {
    for (const m of members) await m.close();
    await tb.dispose();
  });

  test('alone it owns everything; a second member splits the input, one keeps the exchange; leaving hands back', async () => {
    const a = member();
    await a.start();
    assert.deepEqual(keys(await nextAssignment(a)), ['in-partials:0', 'in:0', 'in:1', 'in:2']);

    const b = member();
    await b.start();
    const [ga, gb] = await Promise.all([nextAssignment(a), nextAssignment(b)]);
    const inputs = [...keys(ga), ...keys(gb)].filter((k) => k.startsWith('in:')).sort();
    assert.deepEqual(inputs, ['in:0', 'in:1', 'in:2'], 'every input partition once');
    const withExchange = [ga, gb].filter((g) => keys(g).includes('in-partials:0'));
    assert.equal(withExchange.length, 1, 'one combiner');
    assert.equal(withExchange[0]!.length, 2, 'the member with fewer input partitions combines: 1 input + the exchange');

    // Commits go in as a member of the group (one from outside would be refused).
    await a.commit(new Map([['in:0', 7n]]));
    const admin = new Admin({ clientId: 'lag-tool', bootstrapBrokers: [tb.bootstrap] });
    const [offsets] = await admin.listConsumerGroupOffsets({ groups: ['procs'] });
    await admin.close();
    const committed = offsets?.topics.find((t) => t.name === 'in')?.partitions.find((p) => p.partitionIndex === 0);
    assert.equal(committed?.committedOffset, 7n);

    await b.leave();
    assert.deepEqual(keys(await nextAssignment(a)), ['in-partials:0', 'in:0', 'in:1', 'in:2']);
  });

  test('the assignment: input partitions round robin in member id order, the exchange to the last of the least loaded', () => {
    const metadata = {
      topics: new Map([
        ['in', { partitionsCount: 4 }],
        ['in-partials', { partitionsCount: 1 }],
      ]),
    } as unknown as ClusterMetadata;
    const members = new Map(['m-c', 'm-a', 'm-b'].map((id) => [id, { memberId: id } as ExtendedGroupProtocolSubscription]));
    const got = assignPartitions(members, new Set(['in', 'in-partials']), metadata, 'in-partials');
    assert.deepEqual(
      got.map((g) => [g.memberId, [...g.assignments.values()].flatMap((a) => a.partitions.map((p) => `${a.topic}:${p}`))]),
      [
        ['m-a', ['in:0', 'in:3']],
        ['m-b', ['in:1']],
        ['m-c', ['in:2', 'in-partials:0']],
      ],
    );
  });
});
