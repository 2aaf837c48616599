// DescribeCluster (key 60): cluster id, controller and brokers for admin clients (KIP-700);
// v1 adds the endpoint type (KIP-919).
import { defineApi } from '../api.ts';
import { arrayOf, field } from '../schema.ts';

export const DescribeCluster = defineApi({
  key: 60,
  name: 'DescribeCluster',
  versions: '0-1',
  flexible: '0+',
  request: [field('includeClusterAuthorizedOperations', 'bool'), field('endpointType', 'int8', { v: '1+', default: 1 })],
  response: [
    field('throttleTimeMs', 'int32'),
    field('errorCode', 'int16'),
    field('errorMessage', 'string', { nullable: '0+', default: null }),
    field('endpointType', 'int8', { v: '1+', default: 1 }),
    field('clusterId', 'string'),
    field('controllerId', 'int32', { default: -1 }),
    field(
      'brokers',
      arrayOf([
        field('brokerId', 'int32'),
        field('host', 'string'),
        field('port', 'int32'),
        field('rack', 'string', { nullable: '0+', default: null }),
      ]),
    ),
    field('clusterAuthorizedOperations', 'int32', { default: -2147483648 }),
  ],
});
