// The API table: every API Brook implements, under its Kafka key, with the version range Brook
// advertises and the flexible versions of Kafka's definitions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_APIS, API_BY_KEY } from '../../src/protocol/apis/index.ts';

// key: [name, versions Brook implements, first flexible version (Infinity: none)]
const expected: Record<number, [string, string, number]> = {
  0: ['Produce', '3-11', 9], // v0-2 carry message format v0/v1, which Brook does not store
  1: ['Fetch', '4-17', 12], // likewise v0-3
  2: ['ListOffsets', '0-10', 6],
  3: ['Metadata', '0-12', 9],
  8: ['OffsetCommit', '0-9', 8],
  9: ['OffsetFetch', '0-9', 6],
  10: ['FindCoordinator', '0-6', 3],
  11: ['JoinGroup', '0-9', 6],
  12: ['Heartbeat', '0-4', 4],
  13: ['LeaveGroup', '0-5', 4],
  14: ['SyncGroup', '0-5', 4],
  15: ['DescribeGroups', '0-5', 5],
  16: ['ListGroups', '0-5', 3],
  17: ['SaslHandshake', '0-1', Number.POSITIVE_INFINITY],
  18: ['ApiVersions', '0-4', 3],
  19: ['CreateTopics', '0-7', 5],
  20: ['DeleteTopics', '0-6', 4],
  21: ['DeleteRecords', '0-2', 2],
  22: ['InitProducerId', '0-5', 2],
  23: ['OffsetForLeaderEpoch', '0-4', 4],
  24: ['AddPartitionsToTxn', '0-5', 3],
  25: ['AddOffsetsToTxn', '0-4', 3],
  26: ['EndTxn', '0-4', 3], // v5 is unstable in the reference definitions
  27: ['WriteTxnMarkers', '0-1', 1],
  28: ['TxnOffsetCommit', '0-4', 3],
  29: ['DescribeAcls', '0-3', 2],
  30: ['CreateAcls', '0-3', 2],
  31: ['DeleteAcls', '0-3', 2],
  32: ['DescribeConfigs', '0-4', 4],
  33: ['AlterConfigs', '0-2', 2],
  36: ['SaslAuthenticate', '0-2', 2],
  37: ['CreatePartitions', '0-3', 2],
  42: ['DeleteGroups', '0-2', 2],
  44: ['IncrementalAlterConfigs', '0-1', 1],
  50: ['DescribeUserScramCredentials', '0-0', 0],
  51: ['AlterUserScramCredentials', '0-0', 0],
  60: ['DescribeCluster', '0-1', 0],
  68: ['ConsumerGroupHeartbeat', '0-0', 0], // v1 is unstable in the reference definitions
};

test('API_BY_KEY holds exactly the implemented APIs with their version ranges', () => {
  assert.deepEqual(
    [...API_BY_KEY.keys()].sort((a, b) => a - b),
    Object.keys(expected).map(Number),
  );
  assert.equal(ALL_APIS.length, API_BY_KEY.size);
  for (const [key, [name, range, flexibleFrom]] of Object.entries(expected)) {
    const api = API_BY_KEY.get(Number(key));
    assert.ok(api, name);
    assert.equal(api.name, name);
    assert.equal(`${api.minVersion}-${api.maxVersion}`, range, name);
    assert.equal(api.request.name, `${name}Request`);
    assert.equal(api.response.name, `${name}Response`);
    for (let v = api.minVersion; v <= api.maxVersion; v++) assert.equal(api.isFlexible(v), v >= flexibleFrom, `${name} v${v}`);
  }
});

test('ALL_APIS is in api-key order', () => {
  const keys = ALL_APIS.map((a) => a.key);
  assert.deepEqual(
    keys,
    [...keys].sort((a, b) => a - b),
  );
});
