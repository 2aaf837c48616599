// ConsumerGroupHeartbeat (key 68): the new consumer group protocol's one request
// (KIP-848). v1 is unstable in the reference definitions, so Brook implements v0 only.
import { defineApi } from '../api.ts';
import { arrayOf, type Field, field } from '../schema.ts';

// The response's commonStructs (the request declares its own TopicPartitions inline).
const topicPartitions: Field[] = [field('topicId', 'uuid'), field('partitions', arrayOf('int32'))];

export const ConsumerGroupHeartbeat = defineApi({
  key: 68,
  name: 'ConsumerGroupHeartbeat',
  versions: '0',
  flexible: '0+',
  request: [
    field('groupId', 'string'),
    field('memberId', 'string'),
    field('memberEpoch', 'int32'),
    field('instanceId', 'string', { nullable: '0+', default: null }),
    field('rackId', 'string', { nullable: '0+', default: null }),
    field('rebalanceTimeoutMs', 'int32', { default: -1 }),
    field('subscribedTopicNames', arrayOf('string'), { nullable: '0+', default: null }),
    field('subscribedTopicRegex', 'string', { v: '1+', nullable: '1+', default: null }),
    field('serverAssignor', 'string', { nullable: '0+', default: null }),
    field('topicPartitions', arrayOf([field('topicId', 'uuid'), field('partitions', arrayOf('int32'))]), { nullable: '0+', default: null }),
  ],
  response: [
    field('throttleTimeMs', 'int32'),
    field('errorCode', 'int16'),
    field('errorMessage', 'string', { nullable: '0+', default: null }),
    field('memberId', 'string', { nullable: '0+', default: null }),
    field('memberEpoch', 'int32'),
    field('heartbeatIntervalMs', 'int32'),
    field('assignment', [field('topicPartitions', arrayOf(topicPartitions))], { nullable: '0+', default: null }),
  ],
});
