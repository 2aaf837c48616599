// The `_schemas` topic: created compacted with one partition when missing; a topic that would lose
// or reorder state (cleanup.policy=delete, several partitions) is refused with what to do instead.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@platformatic/kafka';
import { startTempBroker, type TempBroker } from '../../helpers/temp-broker.ts';
import { openStore } from './helpers.ts';

describe('registry topic', () => {
  let tb: TempBroker;
  let admin: Admin;
  before(async () => {
    tb = await startTempBroker();
    admin = new Admin({ clientId: 'topic-test', bootstrapBrokers: [tb.bootstrap] });
  });
  after(async () => {
    await admin?.close();
    await tb.dispose();
  });

  test('a missing topic is created with cleanup.policy=compact and one partition', async () => {
    const store = await openStore(tb, { topic: 'fresh-schemas' });
    await store.close();
    const md = await admin.metadata({ topics: ['fresh-schemas'] });
    assert.equal(md.topics.get('fresh-schemas')?.partitionsCount, 1);
    const [described] = await admin.describeConfigs({
      resources: [{ resourceType: 2, resourceName: 'fresh-schemas', configurationKeys: ['cleanup.policy'] }],
    });
    assert.equal(described?.configs.find((c) => c.name === 'cleanup.policy')?.value, 'compact');
  });

  test('a topic with cleanup.policy=delete or several partitions is refused', async () => {
    await admin.createTopics({ topics: ['deleting'], partitions: 1, replicas: 1, configs: [{ name: 'cleanup.policy', value: 'delete' }] });
    await assert.rejects(openStore(tb, { topic: 'deleting' }), /cleanup\.policy=delete.*set cleanup\.policy=compact/);
    await admin.createTopics({ topics: ['split'], partitions: 3, replicas: 1, configs: [{ name: 'cleanup.policy', value: 'compact' }] });
    await assert.rejects(openStore(tb, { topic: 'split' }), /3 partitions.*exactly 1/);
  });
});
