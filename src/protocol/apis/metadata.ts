// Metadata (key 3): brokers, topics and partition leaders. A null topics array (v1+) asks for
// every topic, an empty one for none; v10 adds topic ids (KIP-516), v11 drops cluster operations (KIP-700).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const Metadata = defineApi({
  key: 3,
  name: 'Metadata',
  versions: '0-12',
  flexible: '9+',
  request: [
    field('topics', arrayOf([field('topicId', 'uuid', { v: '10+' }), field('name', 'string', { nullable: '10+' })]), { nullable: '1+' }),
    field('allowAutoTopicCreation', 'bool', { v: '4+', default: true }),
    field('includeClusterAuthorizedOperations', 'bool', { v: '8-10' }),
    field('includeTopicAuthorizedOperations', 'bool', { v: '8+' }),
  ],
  response: [
    field('throttleTimeMs', 'int32', { v: '3+' }),
    field(
      'brokers',
      arrayOf([
        field('nodeId', 'int32'),
        field('host', 'string'),
        field('port', 'int32'),
        field('rack', 'string', { v: '1+', nullable: '1+', default: null }),
      ]),
    ),
    field('clusterId', 'string', { v: '2+', nullable: '2+', default: null }),
    field('controllerId', 'int32', { v: '1+', default: -1 }),
    field(
      'topics',
      arrayOf([
        field('errorCode', 'int16'),
        field('name', 'string', { nullable: '12+' }),
        field('topicId', 'uuid', { v: '10+' }),
        field('isInternal', 'bool', { v: '1+' }),
        field(
          'partitions',
          arrayOf([
            field('errorCode', 'int16'),
            field('partitionIndex', 'int32'),
            field('leaderId', 'int32'),
            field('leaderEpoch', 'int32', { v: '7+', default: -1 }),
            field('replicaNodes', arrayOf('int32')),
            field('isrNodes', arrayOf('int32')),
            field('offlineReplicas', arrayOf('int32'), { v: '5+' }),
          ]),
        ),
        field('topicAuthorizedOperations', 'int32', { v: '8+', default: -2147483648 }),
      ]),
    ),
    field('clusterAuthorizedOperations', 'int32', { v: '8-10', default: -2147483648 }),
  ],
});
