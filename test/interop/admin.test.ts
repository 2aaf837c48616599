// Admin APIs through kafkajs's admin client: topic lifecycle, configs (describe, alter, errors),
// partitions, offsets by timestamp, cluster, and group listing / describing / deleting.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import kafkajs from 'kafkajs';
import { startTempBroker, type TempBroker } from '../helpers/temp-broker.ts';

const { ConfigResourceTypes, Kafka, logLevel } = kafkajs;

describe('admin APIs (kafkajs admin)', () => {
  let tb: TempBroker;
  let kafka: InstanceType<typeof Kafka>;
  before(async () => {
    tb = await startTempBroker();
    kafka = new Kafka({ brokers: [tb.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  });
  after(() => tb.dispose());

  test('create with configs, describe, alter, and refuse what a single node cannot do', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic: 'cfg',
          numPartitions: 2,
          configEntries: [
            { name: 'retention.ms', value: '3600000' },
            { name: 'cleanup.policy', value: 'compact' },
          ],
        },
      ],
    });
    const described = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'cfg' }],
      includeSynonyms: false,
    });
    const entries = Object.fromEntries(described.resources[0]?.configEntries.map((e) => [e.configName, e]) ?? []);
    assert.equal(entries['retention.ms']?.configValue, '3600000');
    assert.equal(entries['retention.ms']?.isDefault, false);
    assert.equal(entries['cleanup.policy']?.configValue, 'compact');
    assert.equal(entries['segment.bytes']?.configValue, '1073741824');
    assert.equal(entries['segment.bytes']?.isDefault, true);

    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'cfg', configEntries: [{ name: 'retention.ms', value: '7200000' }] }],
    });
    const after = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'cfg', configNames: ['retention.ms', 'cleanup.policy'] }],
      includeSynonyms: false,
    });
    const again = Object.fromEntries(after.resources[0]?.configEntries.map((e) => [e.configName, e.configValue]) ?? []);
    assert.deepEqual(again, { 'retention.ms': '7200000', 'cleanup.policy': 'delete' }, 'AlterConfigs replaces every override');

    await assert.rejects(
      admin.alterConfigs({
        validateOnly: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: 'cfg', configEntries: [{ name: 'retention.ms', value: 'soon' }] }],
      }),
      /INVALID_CONFIG|Invalid/i,
    );
    await assert.rejects(
      admin.createTopics({ topics: [{ topic: 'replicated', replicationFactor: 3 }] }),
      (e: any) => e.errors?.[0]?.type === 'INVALID_REPLICATION_FACTOR',
    );
    await assert.rejects(
      admin.createTopics({ topics: [{ topic: 'bad/name' }] }),
      (e: any) => e.errors?.[0]?.type === 'INVALID_TOPIC_EXCEPTION',
    );
    await assert.rejects(
      admin.createTopics({ topics: [{ topic: 'cfg2', configEntries: [{ name: 'no.such.config', value: '1' }] }] }),
      (e: any) => e.errors?.[0]?.type === 'INVALID_CONFIG',
    );
    assert.equal(await admin.createTopics({ topics: [{ topic: 'cfg' }] }), false, 'existing topic is reported, not recreated');

    await admin.createPartitions({ topicPartitions: [{ topic: 'cfg', count: 5 }] });
    const md = await admin.fetchTopicMetadata({ topics: ['cfg'] });
    assert.equal(md.topics[0]?.partitions.length, 5);
    await assert.rejects(admin.createPartitions({ topicPartitions: [{ topic: 'cfg', count: 3 }] }), /INVALID_PARTITIONS|partitions/i);

    await admin.deleteTopics({ topics: ['cfg'] });
    assert.ok(!(await admin.listTopics()).includes('cfg'));
    await admin.disconnect();
  });

  test('offsets by timestamp, cluster description, and group administration', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'times', numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'times',
      messages: [1000, 2000, 3000, 4000].map((t) => ({ value: `at-${t}`, timestamp: String(1_700_000_000_000 + t) })),
    });
    await producer.disconnect();
    const at = await admin.fetchTopicOffsetsByTimestamp('times', 1_700_000_002_500);
    assert.deepEqual(at, [{ partition: 0, offset: '2' }]);
    const past = await admin.fetchTopicOffsetsByTimestamp('times', 1_800_000_000_000);
    assert.equal(past[0]?.offset, '4', 'a timestamp after every record gives the log end');

    const cluster = await admin.describeCluster();
    assert.equal(cluster.brokers.length, 1);
    assert.equal(cluster.controller, cluster.brokers[0]?.nodeId);
    assert.equal(cluster.clusterId, tb.broker.clusterId);

    await admin.setOffsets({ groupId: 'g-admin', topic: 'times', partitions: [{ partition: 0, offset: '3' }] });
    const groups = await admin.listGroups();
    assert.ok(groups.groups.some((g) => g.groupId === 'g-admin'));
    const d = await admin.describeGroups(['g-admin']);
    assert.equal(d.groups[0]?.state, 'Empty');
    await admin.deleteGroups(['g-admin']);
    const offsets = await admin.fetchOffsets({ groupId: 'g-admin', topics: ['times'] });
    assert.equal(offsets[0]?.partitions[0]?.offset, '-1', 'deleted group has no committed offsets');
    await admin.disconnect();
  });
});
