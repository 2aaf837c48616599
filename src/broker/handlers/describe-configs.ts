// DescribeConfigs: topic configs (effective value and source) and the broker's static settings.
import { DescribeConfigs } from '../../protocol/apis/describe-configs.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { Message } from '../../protocol/schema.ts';
import { ResourceType as AclResource, access, Op } from '../authz.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';
import { describeBrokerConfigs, describeTopicConfigs } from './config-entries.ts';

export const ResourceType = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

export function describeConfigsHandler(services: BrokerServices): ApiHandler {
  const result = (r: Message, errorCode: number, errorMessage: string | null, configs: Message[] = []): Message => ({
    errorCode,
    errorMessage,
    resourceType: r.resourceType,
    resourceName: r.resourceName,
    configs,
  });
  return {
    api: DescribeConfigs,
    errorResponse: (req, code) => ({ throttleTimeMs: 0, results: (req.resources ?? []).map((r: Message) => result(r, code, null)) }),
    handle(ctx, req) {
      const can = access(services, ctx);
      const results = req.resources.map((r: Message) => {
        const keys = r.configurationKeys as string[] | null;
        if (r.resourceType === ResourceType.TOPIC && !can(Op.DESCRIBE_CONFIGS, AclResource.TOPIC, r.resourceName)) {
          return result(r, ErrorCode.TOPIC_AUTHORIZATION_FAILED, `not authorized to describe the configs of topic '${r.resourceName}'`);
        }
        if (r.resourceType !== ResourceType.TOPIC && !can.cluster(Op.DESCRIBE_CONFIGS)) {
          return result(r, ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'not authorized to describe the broker configs');
        }
        if (r.resourceType === ResourceType.TOPIC) {
          const info = services.logs.topic(r.resourceName);
          if (!info) return result(r, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic '${r.resourceName}' does not exist`);
          return result(r, ErrorCode.NONE, null, describeTopicConfigs(info, keys, req.includeSynonyms));
        }
        if (r.resourceType === ResourceType.BROKER) {
          if (r.resourceName !== '' && r.resourceName !== String(services.nodeId)) {
            return result(r, ErrorCode.INVALID_REQUEST, `this is broker ${services.nodeId}, not '${r.resourceName}'`);
          }
          return result(r, ErrorCode.NONE, null, describeBrokerConfigs(services, keys));
        }
        return result(r, ErrorCode.INVALID_REQUEST, `resource type ${r.resourceType} is not supported (topics: 2, brokers: 4)`);
      });
      return { throttleTimeMs: 0, results };
    },
  };
}
