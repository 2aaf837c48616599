// DescribeCluster (KIP-700): one broker, which is also the controller. As on a Kafka broker it needs
// no ACL (Metadata tells the same); the cluster's authorized operations (KIP-430) when asked for.

import { DescribeCluster } from '../../protocol/apis/describe-cluster.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { CLUSTER_NAME } from '../../security/acl.ts';
import { access, OPERATIONS_OMITTED, Op, ResourceType } from '../authz.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';

/** KIP-919 endpoint types: v1 clients say which kind of node they meant to reach. */
const BROKER_ENDPOINT = 1;
const CONTROLLER_ENDPOINT = 2;

export function describeClusterHandler(services: BrokerServices): ApiHandler {
  const body = (errorCode: number, errorMessage: string | null, at = services.advertised, operations = OPERATIONS_OMITTED) => ({
    throttleTimeMs: 0,
    errorCode,
    errorMessage,
    endpointType: BROKER_ENDPOINT,
    clusterId: services.clusterId,
    controllerId: services.nodeId,
    brokers: [{ brokerId: services.nodeId, host: at.host, port: at.port, rack: null }],
    clusterAuthorizedOperations: operations,
  });
  return {
    api: DescribeCluster,
    errorResponse: (_req, code) => body(code, null),
    handle(ctx, req) {
      if (req.endpointType === CONTROLLER_ENDPOINT) {
        return body(
          ErrorCode.MISMATCHED_ENDPOINT_TYPE,
          'Brook has no separate controller endpoint: ask with endpoint type 1 (broker)',
          ctx.advertised,
        );
      }
      if (req.endpointType !== BROKER_ENDPOINT) {
        return body(ErrorCode.UNSUPPORTED_ENDPOINT_TYPE, `Unsupported endpoint type ${req.endpointType}`, ctx.advertised);
      }
      let operations = OPERATIONS_OMITTED;
      if (req.includeClusterAuthorizedOperations) {
        const can = access(services, ctx);
        // As Kafka: without Describe on the cluster the field says "nothing", not "not asked".
        operations = can.cluster(Op.DESCRIBE) ? can.operations(ResourceType.CLUSTER, CLUSTER_NAME) : 0;
      }
      return body(ErrorCode.NONE, null, ctx.advertised, operations);
    },
  };
}
