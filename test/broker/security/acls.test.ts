// ACLs enforced on a real broker, seen through kafkajs over SASL_PLAINTEXT with SCRAM users: Write
// to produce, Read on the group to join it, Describe to see a topic, deny over allow, prefixes,
// hosts, a super user, ACL APIs and SCRAM APIs behind cluster ACLs, and ACLs kept across a restart.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import kafkajs, { type Admin, Kafka, logLevel } from 'kafkajs';
import { createUsersCommand } from '../../../src/cli/users-command.ts';
import { runCli } from '../../cli/ops/helpers.ts';
import { addUser, type SecureTempBroker, startSecureBroker } from '../../helpers/secure-broker.ts';
import type { TempBroker } from '../../helpers/temp-broker.ts';

// kafkajs is CommonJS: its enums are reachable through the default export only.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

const LISTENERS = [
  { name: 'PLAINTEXT', securityProtocol: 'PLAINTEXT' as const, host: '127.0.0.1', port: 0 },
  {
    name: 'SASL_PLAINTEXT',
    securityProtocol: 'SASL_PLAINTEXT' as const,
    host: '127.0.0.1',
    port: 0,
    saslMechanisms: ['SCRAM-SHA-512' as const],
  },
];

const saslPort = (tb: TempBroker) =>
  (tb.broker.listeners.find((l) => l.name === 'SASL_PLAINTEXT') as { address: { port: number } }).address.port;

function client(tb: TempBroker, user: string): Kafka {
  return new Kafka({
    clientId: `acl-${user}`,
    brokers: [`127.0.0.1:${saslPort(tb)}`],
    sasl: { mechanism: 'scram-sha-512', username: user, password: `${user}-secret` },
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
}

/** The Kafka error name kafkajs reports, however deep it wrapped it. */
function kafkaErrorType(err: unknown): string {
  let e = err as { type?: string; originalError?: unknown; cause?: unknown; errors?: unknown[] } | undefined;
  for (let i = 0; e && i < 5; i++) {
    if (e.type && e.type !== 'UNKNOWN') return e.type;
    e = (e.originalError ?? e.cause ?? e.errors?.[0]) as typeof e;
  }
  return String((err as Error)?.message);
}

async function rejectsWith(p: Promise<unknown>, type: string): Promise<void> {
  try {
    await p;
  } catch (err) {
    assert.equal(kafkaErrorType(err), type);
    return;
  }
  assert.fail(`expected ${type}`);
}

const allow = (resourceType: number, resourceName: string, principal: string, operation: number, extra: object = {}) => ({
  resourceType,
  resourceName,
  resourcePatternType: ResourcePatternTypes.LITERAL,
  principal,
  host: '*',
  operation,
  permissionType: AclPermissionTypes.ALLOW,
  ...extra,
});

describe('ACL enforcement (kafkajs over SASL_PLAINTEXT)', () => {
  let tb: SecureTempBroker;
  let admin: Admin;

  before(async () => {
    tb = await startSecureBroker(LISTENERS, { authorizer: true, superUsers: ['User:admin'] });
    for (const u of ['admin', 'alice', 'bob']) await addUser(tb, u, `${u}-secret`, ['SCRAM-SHA-512']);
    admin = client(tb, 'admin').admin();
    await admin.connect();
    await admin.createTopics({
      topics: ['orders', 'secret', 'hidden', 'clicks-eu', 'clicks-private', 'audit'].map((topic) => ({ topic, numPartitions: 1 })),
    });
    const T = AclResourceTypes.TOPIC;
    await admin.createAcls({
      acl: [
        allow(T, 'orders', 'User:alice', AclOperationTypes.WRITE),
        allow(T, 'orders', 'User:alice', AclOperationTypes.READ),
        // Describe only: alice sees 'secret' but may not write it.
        allow(T, 'secret', 'User:alice', AclOperationTypes.DESCRIBE),
        allow(T, 'clicks-', 'User:alice', AclOperationTypes.WRITE, { resourcePatternType: ResourcePatternTypes.PREFIXED }),
        { ...allow(T, 'clicks-private', 'User:alice', AclOperationTypes.WRITE), permissionType: AclPermissionTypes.DENY },
        allow(AclResourceTypes.GROUP, 'g-describe-only', 'User:alice', AclOperationTypes.DESCRIBE),
        allow(AclResourceTypes.GROUP, 'g-alice', 'User:alice', AclOperationTypes.READ),
        // bob may write 'audit' only from a host that is not this one.
        allow(T, 'audit', 'User:bob', AclOperationTypes.WRITE, { host: '10.9.9.9' }),
      ],
    });
  });
  after(async () => {
    await admin.disconnect();
    await tb.dispose();
  });

  test('ACLs created with kafkajs are described back, grouped by resource', async () => {
    const r = await admin.describeAcls({
      resourceType: AclResourceTypes.TOPIC,
      resourceName: 'clicks-private',
      resourcePatternType: ResourcePatternTypes.MATCH,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    const names = r.resources.map((x) => `${x.resourceName}/${x.resourcePatternType}`).sort();
    assert.deepEqual(names, [`clicks-/${ResourcePatternTypes.PREFIXED}`, `clicks-private/${ResourcePatternTypes.LITERAL}`]);
  });

  test('without Write on a topic, produce gets TOPIC_AUTHORIZATION_FAILED; with it, produce works', async () => {
    const producer = client(tb, 'alice').producer();
    await producer.connect();
    try {
      await producer.send({ topic: 'orders', messages: [{ value: 'ok' }] });
      await rejectsWith(producer.send({ topic: 'secret', messages: [{ value: 'no' }] }), 'TOPIC_AUTHORIZATION_FAILED');
    } finally {
      await producer.disconnect();
    }
  });

  test('a prefixed allow covers clicks-*, a deny on clicks-private overrides it', async () => {
    const producer = client(tb, 'alice').producer();
    await producer.connect();
    try {
      await producer.send({ topic: 'clicks-eu', messages: [{ value: 'ok' }] });
      await rejectsWith(producer.send({ topic: 'clicks-private', messages: [{ value: 'no' }] }), 'TOPIC_AUTHORIZATION_FAILED');
    } finally {
      await producer.disconnect();
    }
  });

  test('Metadata hides topics the principal may not describe', async () => {
    const a = client(tb, 'alice').admin();
    await a.connect();
    try {
      // Write implies Describe; 'hidden' and 'audit' have no ACL for alice; clicks-private is denied Write only.
      assert.deepEqual((await a.listTopics()).sort(), ['clicks-eu', 'clicks-private', 'orders', 'secret']);
      await rejectsWith(a.fetchTopicMetadata({ topics: ['hidden'] }), 'TOPIC_AUTHORIZATION_FAILED');
    } finally {
      await a.disconnect();
    }
    const b = client(tb, 'bob').admin();
    await b.connect();
    try {
      // bob's only ACL names another host.
      assert.deepEqual(await b.listTopics(), []);
    } finally {
      await b.disconnect();
    }
  });

  test('without Read on a group, joining it fails with GROUP_AUTHORIZATION_FAILED; with it, consume works', async () => {
    const consumer = client(tb, 'alice').consumer({ groupId: 'g-describe-only', retry: { retries: 0 } });
    await consumer.connect();
    await consumer.subscribe({ topic: 'orders', fromBeginning: true });
    const crashed = new Promise<unknown>((resolve) => consumer.on(consumer.events.CRASH, (e) => resolve(e.payload.error)));
    await consumer.run({ eachMessage: async () => {} }).catch((e) => e);
    assert.equal(kafkaErrorType(await crashed), 'GROUP_AUTHORIZATION_FAILED');
    await consumer.disconnect();

    const ok = client(tb, 'alice').consumer({ groupId: 'g-alice' });
    await ok.connect();
    await ok.subscribe({ topic: 'orders', fromBeginning: true });
    const got = new Promise<string>((resolve) => {
      void ok.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
    });
    assert.equal(await got, 'ok');
    await ok.disconnect();
  });

  test('a host-specific ACL applies only from that host', async () => {
    const producer = client(tb, 'bob').producer();
    await producer.connect();
    try {
      await rejectsWith(producer.send({ topic: 'audit', messages: [{ value: 'no' }] }), 'TOPIC_AUTHORIZATION_FAILED');
      await admin.createAcls({ acl: [allow(AclResourceTypes.TOPIC, 'audit', 'User:bob', AclOperationTypes.WRITE, { host: '127.0.0.1' })] });
      await producer.send({ topic: 'audit', messages: [{ value: 'from 127.0.0.1' }] });
    } finally {
      await producer.disconnect();
    }
  });

  test('only a principal allowed on the cluster manages ACLs and SCRAM users', async () => {
    const a = client(tb, 'alice').admin();
    await a.connect();
    try {
      await rejectsWith(
        a.createAcls({ acl: [allow(AclResourceTypes.TOPIC, 'hidden', 'User:alice', AclOperationTypes.ALL)] }),
        'CLUSTER_AUTHORIZATION_FAILED',
      );
      await rejectsWith(a.createTopics({ topics: [{ topic: 'alices-own' }] }), 'TOPIC_AUTHORIZATION_FAILED');
    } finally {
      await a.disconnect();
    }
    // Anyone on PLAINTEXT (User:ANONYMOUS) could change SCRAM users before the authorizer existed.
    const r = await runCli(createUsersCommand, [
      'add',
      'mallory',
      '--password',
      'x',
      '--iterations',
      '4096',
      '--bootstrap',
      tb.bootstrapOf('PLAINTEXT'),
    ]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /CLUSTER_AUTHORIZATION_FAILED|authoriz/i);
    assert.equal(tb.broker.credentials.describe('mallory'), undefined);
  });

  test('the super user may do all without any ACL', async () => {
    await admin.createTopics({ topics: [{ topic: 'admins-own' }] });
    const producer = client(tb, 'admin').producer();
    await producer.connect();
    await producer.send({ topic: 'hidden', messages: [{ value: 'admin was here' }] });
    await producer.disconnect();
    assert.ok((await admin.listTopics()).includes('hidden'));
  });

  test('ACLs survive a restart; deleteAcls removes them', async () => {
    await admin.disconnect();
    const restarted = await tb.restart();
    tb = { ...tb, ...restarted };
    admin = client(tb, 'admin').admin();
    await admin.connect();
    const filter = {
      resourceType: AclResourceTypes.TOPIC,
      resourceName: 'orders',
      resourcePatternType: ResourcePatternTypes.LITERAL,
      principal: 'User:alice',
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    };
    assert.equal((await admin.describeAcls(filter)).resources[0]?.acls.length, 2);
    const producer = client(tb, 'alice').producer();
    await producer.connect();
    await producer.send({ topic: 'orders', messages: [{ value: 'after restart' }] });
    const deleted = await admin.deleteAcls({ filters: [filter] });
    assert.equal(deleted.filterResponses[0]?.matchingAcls.length, 2);
    await rejectsWith(producer.send({ topic: 'orders', messages: [{ value: 'no longer' }] }), 'TOPIC_AUTHORIZATION_FAILED');
    await producer.disconnect();
  });
});
