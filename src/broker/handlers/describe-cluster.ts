// DescribeCluster (KIP-700): one broker, which is also the controller.
import { DescribeCluster } from '../../protocol/apis/describe-cluster.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { access, Op } from '../authz.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';

export function describeClusterHandler(services: BrokerServices): ApiHandler {
  const body = (errorCode: number, at = services.advertised) => ({
    throttleTimeMs: 0,
    errorCode,
    errorMessage: null,
    endpointType: 1,
    clusterId: services.clusterId,
    controllerId: services.nodeId,
    brokers: [{ brokerId: services.nodeId, host: at.host, port: at.port, rack: null }],
    clusterAuthorizedOperations: -2147483648,
  });
  return {
    api: DescribeCluster,
    errorResponse: (_req, code) => body(code),
    handle(ctx, req) {
      if (!access(services, ctx).cluster(Op.DESCRIBE)) return body(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, ctx.advertised);
      return body(req.endpointType !== 1 ? ErrorCode.UNSUPPORTED_ENDPOINT_TYPE : ErrorCode.NONE, ctx.advertised);
    },
  };
}
