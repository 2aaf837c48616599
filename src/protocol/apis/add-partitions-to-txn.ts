// AddPartitionsToTxn (key 24): adds partitions to a transaction. v4 batches several
// transactions for brokers verifying on behalf of producers (KIP-890); v3 and below keep the V3AndBelow fields.
import { defineApi } from '../api.ts';
import { arrayOf, type Field, field } from '../schema.ts';

// The reference file's commonStructs, declared before the structs that use them.
const addPartitionsToTxnTopic: Field[] = [field('name', 'string'), field('partitions', arrayOf('int32'))];

const addPartitionsToTxnPartitionResult: Field[] = [field('partitionIndex', 'int32'), field('partitionErrorCode', 'int16')];

const addPartitionsToTxnTopicResult: Field[] = [
  field('name', 'string'),
  field('resultsByPartition', arrayOf(addPartitionsToTxnPartitionResult)),
];

export const AddPartitionsToTxn = defineApi({
  key: 24,
  name: 'AddPartitionsToTxn',
  versions: '0-5',
  flexible: '3+',
  request: [
    field(
      'transactions',
      arrayOf([
        field('transactionalId', 'string', { v: '4+' }),
        field('producerId', 'int64', { v: '4+' }),
        field('producerEpoch', 'int16', { v: '4+' }),
        field('verifyOnly', 'bool', { v: '4+' }),
        field('topics', arrayOf(addPartitionsToTxnTopic), { v: '4+' }),
      ]),
      { v: '4+' },
    ),
    field('v3AndBelowTransactionalId', 'string', { v: '0-3' }),
    field('v3AndBelowProducerId', 'int64', { v: '0-3' }),
    field('v3AndBelowProducerEpoch', 'int16', { v: '0-3' }),
    field('v3AndBelowTopics', arrayOf(addPartitionsToTxnTopic), { v: '0-3' }),
  ],
  response: [
    field('throttleTimeMs', 'int32'),
    field('errorCode', 'int16', { v: '4+' }),
    field(
      'resultsByTransaction',
      arrayOf([
        field('transactionalId', 'string', { v: '4+' }),
        field('topicResults', arrayOf(addPartitionsToTxnTopicResult), { v: '4+' }),
      ]),
      { v: '4+' },
    ),
    field('resultsByTopicV3AndBelow', arrayOf(addPartitionsToTxnTopicResult), { v: '0-3' }),
  ],
});
