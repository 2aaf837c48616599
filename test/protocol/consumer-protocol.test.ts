// The embedded consumer protocol (JoinGroup metadata, SyncGroup assignments): Brook against the
// kafkajs and @platformatic/kafka encoders, and its leniency towards newer or mislabelled versions.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { ProtocolError } from '../../src/common/errors.ts';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from '../../src/protocol/apis/consumer-protocol.ts';
import { platformatic } from './peers.ts';

const require = createRequire(import.meta.url);
const { MemberMetadata, MemberAssignment } = require('kafkajs/src/consumer/assignerProtocol.js');

const owned = [
  { topic: 'clicks', partitions: [0, 2] },
  { topic: 'orders', partitions: [1] },
];

test('subscriptions v0-v3 match platformatic byte for byte, both ways', () => {
  for (let v = 0; v <= 3; v++) {
    const data = {
      version: v,
      topics: ['clicks', 'orders'],
      userData: Buffer.from('sticky'),
      ownedPartitions: owned,
      generationId: 12,
      rackId: 'eu-west-1a',
    };
    const theirs = Buffer.from(platformatic.encodeConsumerProtocolSubscription(data));
    const ours = encodeSubscription(data, v);
    assert.equal(ours.toString('hex'), theirs.toString('hex'), `v${v}`);
    assert.deepEqual(decodeSubscription(theirs), {
      version: v,
      topics: ['clicks', 'orders'],
      userData: Buffer.from('sticky'),
      ownedPartitions: v >= 1 ? owned : [],
      generationId: v >= 2 ? 12 : -1,
      rackId: v >= 3 ? 'eu-west-1a' : null,
    });
    const back = platformatic.decodeConsumerProtocolSubscription(ours);
    assert.deepEqual(back.topics, ['clicks', 'orders']);
    if (v >= 1) assert.deepEqual(back.ownedPartitions, owned);
  }
});

test('kafkajs subscriptions decode, including v1 written with a v0 body', () => {
  for (const version of [0, 1]) {
    const bytes = MemberMetadata.encode({ version, topics: ['clicks', 'orders'], userData: Buffer.from('x') });
    const sub = decodeSubscription(bytes);
    assert.equal(sub.version, version);
    assert.deepEqual(sub.topics, ['clicks', 'orders']);
    assert.deepEqual(sub.userData, Buffer.from('x'));
    assert.deepEqual(sub.ownedPartitions, []);
  }
});

test('a newer subscription version decodes with the highest known one; trailing fields are ignored', () => {
  const v3 = encodeSubscription({ topics: ['clicks'], userData: null, ownedPartitions: owned, generationId: 4, rackId: null }, 3);
  const v7 = Buffer.concat([Buffer.from([0, 7]), v3.subarray(2), Buffer.from('future fields')]);
  const sub = decodeSubscription(v7);
  assert.equal(sub.version, 7);
  assert.deepEqual(sub.topics, ['clicks']);
  assert.equal(sub.userData, null);
  assert.deepEqual(sub.ownedPartitions, owned);
  assert.equal(sub.generationId, 4);
});

test('broken subscriptions raise ProtocolError', () => {
  const good = encodeSubscription({ topics: ['clicks'], ownedPartitions: owned }, 1);
  assert.throws(() => decodeSubscription(Buffer.from([0xff, 0xff])), ProtocolError);
  assert.throws(() => decodeSubscription(Buffer.alloc(0)), ProtocolError);
  // Cut inside the owned partitions: neither v1 nor v0 ends there.
  assert.throws(() => decodeSubscription(good.subarray(0, good.length - 3)), ProtocolError);
});

test('assignments match platformatic byte for byte and decode with kafkajs', () => {
  const assignedPartitions = [
    { topic: 'clicks', partitions: [0, 2] },
    { topic: 'orders', partitions: [1] },
  ];
  for (let v = 0; v <= 3; v++) {
    const ours = encodeAssignment({ assignedPartitions, userData: Buffer.from('u') }, v);
    const theirs = Buffer.from(
      platformatic.encodeConsumerProtocolAssignment({ version: v, assignedPartitions, userData: Buffer.from('u') }),
    );
    assert.equal(ours.toString('hex'), theirs.toString('hex'), `v${v}`);
    assert.deepEqual(decodeAssignment(theirs), { version: v, assignedPartitions, userData: Buffer.from('u') });
    assert.deepEqual(MemberAssignment.decode(ours), {
      version: v,
      assignment: { clicks: [0, 2], orders: [1] },
      userData: Buffer.from('u'),
    });
  }
  // kafkajs writes its own assignments; Brook reads them.
  const kjs = MemberAssignment.encode({ version: 1, assignment: { clicks: [3] }, userData: Buffer.alloc(0) });
  assert.deepEqual(decodeAssignment(kjs), {
    version: 1,
    assignedPartitions: [{ topic: 'clicks', partitions: [3] }],
    userData: Buffer.alloc(0),
  });
  // An empty blob is an empty assignment; a null userData is written as null.
  assert.deepEqual(decodeAssignment(Buffer.alloc(0)), { version: 0, assignedPartitions: [], userData: null });
  assert.equal(encodeAssignment({ assignedPartitions: [] }).toString('hex'), '0003' + '00000000' + 'ffffffff');
  assert.throws(() => encodeAssignment({ assignedPartitions: [] }, 4), RangeError);
});
