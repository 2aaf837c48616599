// DescribeCluster (KIP-700): one broker, which is also the controller.
import { DescribeCluster } from '../../protocol/apis/describe-cluster.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';

export function describeClusterHandler(services: BrokerServices): ApiHandler {
  const body = (errorCode: number) => ({
    throttleTimeMs: 0,
    errorCode,
    errorMessage: null,
    endpointType: 1,
    clusterId: services.clusterId,
    controllerId: services.nodeId,
    brokers: [{ brokerId: services.nodeId, host: services.advertised.host, port: services.advertised.port, rack: null }],
    clusterAuthorizedOperations: -2147483648,
  });
  return {
    api: DescribeCluster,
    errorResponse: (_req, code) => body(code),
    handle: (_ctx, req) => (req.endpointType !== 1 ? body(ErrorCode.UNSUPPORTED_ENDPOINT_TYPE) : body(ErrorCode.NONE)),
  };
}
