// KIP-430 authorized operations on a real broker: Metadata (cluster v8-10, topics v8+),
// DescribeGroups v3+ (through @platformatic/kafka's admin) and DescribeCluster, for a principal
// with a few ACLs, for a super user, and on a broker without an authorizer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@platformatic/kafka';
import { DescribeCluster } from '../../../src/protocol/apis/describe-cluster.ts';
import { DescribeGroups } from '../../../src/protocol/apis/describe-groups.ts';
import { Metadata } from '../../../src/protocol/apis/metadata.ts';
import { ErrorCode } from '../../../src/protocol/error-codes.ts';
import { type Message, ZERO_UUID } from '../../../src/protocol/schema.ts';
import { CLUSTER_NAME, Operation as Op, PatternType, Permission, ResourceType } from '../../../src/security/acl.ts';
import { addUser, type SecureTempBroker, startSecureBroker } from '../../helpers/secure-broker.ts';
import { startTempBroker, type TempBroker } from '../../helpers/temp-broker.ts';
import { WireClient } from '../../helpers/wire-client.ts';
import { scramLogin } from './sasl-login.ts';

const NOT_ASKED = -2147483648;
const bits = (...ops: number[]) => ops.reduce((b, op) => b | (1 << op), 0);
// Kafka's AclEntry.supportedOperations per resource type.
const ALL_TOPIC = bits(Op.READ, Op.WRITE, Op.CREATE, Op.DESCRIBE, Op.DELETE, Op.ALTER, Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS);
const ALL_GROUP = bits(Op.READ, Op.DESCRIBE, Op.DELETE, Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS);
const ALL_CLUSTER = bits(Op.CREATE, Op.CLUSTER_ACTION, Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS, Op.IDEMPOTENT_WRITE, Op.ALTER, Op.DESCRIBE);

const byName = (topics: Message[], name: string) => topics.find((t) => t.name === name) as Message;
const metadataV10 = (topics: string[] | null, include: boolean) => ({
  topics: topics?.map((name) => ({ topicId: ZERO_UUID, name })) ?? null,
  allowAutoTopicCreation: false,
  includeClusterAuthorizedOperations: include,
  includeTopicAuthorizedOperations: include,
});

test('the expected bitfields are the ones Kafka documents', () => {
  // Spelled out once so a wrong operation code in the table above cannot hide.
  assert.equal(bits(Op.READ, Op.DESCRIBE), 264);
  assert.equal(ALL_TOPIC, 3576);
  assert.equal(ALL_GROUP, 3400);
  assert.equal(ALL_CLUSTER, 8096);
});

describe('authorized operations with the ACL authorizer', () => {
  let tb: SecureTempBroker;
  let sasl: number;
  const login = (user: string) => scramLogin(sasl, 'SCRAM-SHA-512', user, `${user}-secret`).then((l) => l.wire);

  before(async () => {
    tb = await startSecureBroker(
      [{ name: 'SASL_PLAINTEXT', securityProtocol: 'SASL_PLAINTEXT', host: '127.0.0.1', port: 0, saslMechanisms: ['SCRAM-SHA-512'] }],
      { authorizer: true, superUsers: ['User:admin'] },
    );
    sasl = tb.portOf('SASL_PLAINTEXT');
    for (const u of ['admin', 'alice', 'carol']) await addUser(tb, u, `${u}-secret`, ['SCRAM-SHA-512']);
    for (const t of ['orders', 'secret']) tb.broker.logs.createTopic(t, 1, {});
    const acl = (resourceType: number, resourceName: string, principal: string, operation: number) => ({
      resourceType,
      resourceName,
      patternType: PatternType.LITERAL,
      principal,
      host: '*',
      operation,
      permission: Permission.ALLOW,
    });
    tb.broker.authorizer.store.add([
      acl(ResourceType.TOPIC, 'orders', 'User:alice', Op.READ),
      acl(ResourceType.TOPIC, 'orders', 'User:alice', Op.DESCRIBE),
      acl(ResourceType.GROUP, 'orders-app', 'User:alice', Op.READ),
      acl(ResourceType.CLUSTER, CLUSTER_NAME, 'User:carol', Op.DESCRIBE),
      acl(ResourceType.CLUSTER, CLUSTER_NAME, 'User:carol', Op.IDEMPOTENT_WRITE),
    ]);
  });
  after(() => tb.dispose());

  test('Metadata v10: Read+Describe on a topic is READ|DESCRIBE, a refused topic has none, the cluster 0 without Describe on it', async () => {
    const wire = await login('alice');
    const md = await wire.send(Metadata, 10, metadataV10(['orders', 'secret'], true));
    const orders = byName(md.topics, 'orders');
    assert.equal(orders.errorCode, ErrorCode.NONE);
    assert.equal(orders.topicAuthorizedOperations, bits(Op.READ, Op.DESCRIBE));
    const secret = byName(md.topics, 'secret');
    assert.equal(secret.errorCode, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    assert.equal(secret.topicAuthorizedOperations, NOT_ASKED);
    assert.equal(md.clusterAuthorizedOperations, 0);
    // All topics: only the describable one is listed, with its operations.
    const all = await wire.send(Metadata, 10, metadataV10(null, true));
    assert.deepEqual(
      all.topics.map((t: Message) => [t.name, t.topicAuthorizedOperations]),
      [['orders', bits(Op.READ, Op.DESCRIBE)]],
    );
    wire.close();
  });

  test('Metadata not asking for operations gets INT32_MIN in both fields', async () => {
    const wire = await login('admin');
    const md = await wire.send(Metadata, 10, metadataV10(['orders'], false));
    assert.equal(byName(md.topics, 'orders').topicAuthorizedOperations, NOT_ASKED);
    assert.equal(md.clusterAuthorizedOperations, NOT_ASKED);
    wire.close();
  });

  test('Metadata v12 (no cluster field any more) carries topic operations, also for a topic named by id', async () => {
    const wire = await login('alice');
    const id = tb.broker.logs.topic('orders')?.id as Buffer;
    const md = await wire.send(Metadata, 12, {
      topics: [{ topicId: id, name: null }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: true,
    });
    assert.equal(md.topics[0].name, 'orders');
    assert.equal(md.topics[0].topicAuthorizedOperations, bits(Op.READ, Op.DESCRIBE));
    wire.close();
  });

  test('a super user gets every operation valid for a topic (even a missing one), a group and the cluster', async () => {
    const wire = await login('admin');
    const md = await wire.send(Metadata, 10, metadataV10(['orders', 'no-such-topic'], true));
    assert.equal(byName(md.topics, 'orders').topicAuthorizedOperations, ALL_TOPIC);
    const missing = byName(md.topics, 'no-such-topic');
    assert.equal(missing.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    // Kafka reports operations for every topic the principal may describe, found or not.
    assert.equal(missing.topicAuthorizedOperations, ALL_TOPIC);
    assert.equal(md.clusterAuthorizedOperations, ALL_CLUSTER);
    const dc = await wire.send(DescribeCluster, 1, { includeClusterAuthorizedOperations: true, endpointType: 1 });
    assert.equal(dc.errorCode, ErrorCode.NONE);
    assert.equal(dc.clusterAuthorizedOperations, ALL_CLUSTER);
    wire.close();

    const admin = new Admin({
      clientId: 'ops-admin',
      bootstrapBrokers: [tb.bootstrapOf('SASL_PLAINTEXT')],
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'admin', password: 'admin-secret' },
      retries: 0,
    });
    try {
      const groups = await admin.describeGroups({ groups: ['orders-app'], includeAuthorizedOperations: true });
      assert.equal(groups.get('orders-app')?.authorizedOperations, ALL_GROUP);
    } finally {
      await admin.close();
    }
  });

  test('DescribeGroups v5 (@platformatic/kafka): Read on a group is READ|DESCRIBE; without asking, INT32_MIN', async () => {
    const admin = new Admin({
      clientId: 'ops-alice',
      bootstrapBrokers: [tb.bootstrapOf('SASL_PLAINTEXT')],
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'alice', password: 'alice-secret' },
      retries: 0,
    });
    try {
      const asked = await admin.describeGroups({ groups: ['orders-app'], includeAuthorizedOperations: true });
      assert.equal(asked.get('orders-app')?.state, 'Dead');
      assert.equal(asked.get('orders-app')?.authorizedOperations, bits(Op.READ, Op.DESCRIBE));
      const notAsked = await admin.describeGroups({ groups: ['orders-app'] });
      assert.equal(notAsked.get('orders-app')?.authorizedOperations, NOT_ASKED);
    } finally {
      await admin.close();
    }
  });

  test('DescribeGroups v3: a group the principal may not describe is refused with no operations', async () => {
    const wire = await login('alice');
    const r = await wire.send(DescribeGroups, 3, { groups: ['orders-app', 'other-app'], includeAuthorizedOperations: true });
    assert.deepEqual(
      r.groups.map((g: Message) => [g.groupId, g.errorCode, g.authorizedOperations]),
      [
        ['orders-app', ErrorCode.NONE, bits(Op.READ, Op.DESCRIBE)],
        ['other-app', ErrorCode.GROUP_AUTHORIZATION_FAILED, NOT_ASKED],
      ],
    );
    wire.close();
  });

  test('cluster operations are exactly the allowed ones; without Describe on the cluster DescribeCluster still answers, with 0', async () => {
    const carol = await login('carol');
    const dc = await carol.send(DescribeCluster, 0, { includeClusterAuthorizedOperations: true });
    assert.equal(dc.errorCode, ErrorCode.NONE);
    assert.equal(dc.clusterAuthorizedOperations, bits(Op.DESCRIBE, Op.IDEMPOTENT_WRITE));
    const md = await carol.send(Metadata, 9, metadataV10([], true));
    assert.equal(md.clusterAuthorizedOperations, bits(Op.DESCRIBE, Op.IDEMPOTENT_WRITE));
    carol.close();

    // As on a Kafka broker, DescribeCluster needs no ACL (Metadata tells as much).
    const alice = await login('alice');
    const refusedOps = await alice.send(DescribeCluster, 1, { includeClusterAuthorizedOperations: true, endpointType: 1 });
    assert.equal(refusedOps.errorCode, ErrorCode.NONE);
    assert.equal(refusedOps.clusterAuthorizedOperations, 0);
    assert.equal(refusedOps.brokers.length, 1);
    const notAsked = await alice.send(DescribeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 1 });
    assert.equal(notAsked.clusterAuthorizedOperations, NOT_ASKED);
    alice.close();
  });
});

describe('authorized operations without an authorizer', () => {
  let tb: TempBroker;
  before(async () => {
    tb = await startTempBroker();
    tb.broker.logs.createTopic('open', 1, {});
  });
  after(() => tb.dispose());

  test('every operation valid for the resource type, as Kafka answers without an authorizer', async () => {
    const wire = await WireClient.connect(tb.broker.address.port);
    const md = await wire.send(Metadata, 10, metadataV10(['open'], true));
    assert.equal(byName(md.topics, 'open').topicAuthorizedOperations, ALL_TOPIC);
    assert.equal(md.clusterAuthorizedOperations, ALL_CLUSTER);
    const groups = await wire.send(DescribeGroups, 5, { groups: ['any-group'], includeAuthorizedOperations: true });
    assert.equal(groups.groups[0].authorizedOperations, ALL_GROUP);
    const dc = await wire.send(DescribeCluster, 1, { includeClusterAuthorizedOperations: true, endpointType: 1 });
    assert.equal(dc.clusterAuthorizedOperations, ALL_CLUSTER);
    wire.close();
  });

  test('DescribeCluster v1 for a controller endpoint is MISMATCHED_ENDPOINT_TYPE; an unknown type UNSUPPORTED_ENDPOINT_TYPE', async () => {
    const wire = await WireClient.connect(tb.broker.address.port);
    const controller = await wire.send(DescribeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 2 });
    assert.equal(controller.errorCode, ErrorCode.MISMATCHED_ENDPOINT_TYPE);
    assert.match(controller.errorMessage, /endpoint type 1/);
    const unknown = await wire.send(DescribeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 7 });
    assert.equal(unknown.errorCode, ErrorCode.UNSUPPORTED_ENDPOINT_TYPE);
    wire.close();
  });
});
