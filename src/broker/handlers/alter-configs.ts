// AlterConfigs (replace every override of a topic) and IncrementalAlterConfigs (SET, DELETE,
// APPEND, SUBTRACT per key, KIP-339). Broker settings are static: changing them is refused.

import { LogError } from '../../log/log-error.ts';
import { TOPIC_CONFIG_BY_NAME } from '../../log/topic-config.ts';
import type { TopicInfo } from '../../log/types.ts';
import type { ApiDefinition } from '../../protocol/api.ts';
import { AlterConfigs } from '../../protocol/apis/alter-configs.ts';
import { IncrementalAlterConfigs } from '../../protocol/apis/incremental-alter-configs.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { Message } from '../../protocol/schema.ts';
import { Op as AclOp, ResourceType as AclResource, access } from '../authz.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';
import { ResourceType } from './describe-configs.ts';
import { errorMessageOf, expectedErrorCode } from './errors.ts';

const Op = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

type Changes = (info: TopicInfo, configs: Message[]) => Record<string, string | null>;

/** Legacy AlterConfigs: the given set becomes the whole set of overrides. */
const replaceAll: Changes = (info, configs) => {
  const changes: Record<string, string | null> = {};
  for (const name of Object.keys(info.overrides)) changes[name] = null;
  for (const c of configs) changes[c.name] = c.value;
  return changes;
};

const incremental: Changes = (info, configs) => {
  const changes: Record<string, string | null> = {};
  const current = (name: string): string[] => {
    const v =
      changes[name] !== undefined
        ? changes[name]
        : ((info.overrides as Record<string, string | undefined>)[name] ?? TOPIC_CONFIG_BY_NAME.get(name)?.default ?? '');
    return v
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  };
  for (const c of configs) {
    switch (c.configOperation) {
      case Op.SET:
        changes[c.name] = c.value;
        break;
      case Op.DELETE:
        changes[c.name] = null;
        break;
      case Op.APPEND:
      case Op.SUBTRACT: {
        if (TOPIC_CONFIG_BY_NAME.get(c.name)?.type !== 'list') {
          throw new LogError('INVALID_CONFIG', `${c.name} is not a list config: APPEND and SUBTRACT apply to lists only`);
        }
        const items = current(c.name);
        const given = String(c.value ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const next =
          c.configOperation === Op.APPEND
            ? [...items, ...given.filter((g) => !items.includes(g))]
            : items.filter((i) => !given.includes(i));
        changes[c.name] = next.join(',');
        break;
      }
      default:
        throw new LogError('INVALID_REQUEST', `unknown config operation ${c.configOperation}`);
    }
  }
  return changes;
};

function alterHandler(api: ApiDefinition, services: BrokerServices, toChanges: Changes): ApiHandler {
  const response = (r: Message, errorCode: number, errorMessage: string | null): Message => ({
    errorCode,
    errorMessage,
    resourceType: r.resourceType,
    resourceName: r.resourceName,
  });
  return {
    api,
    errorResponse: (req, code) => ({ throttleTimeMs: 0, responses: (req.resources ?? []).map((r: Message) => response(r, code, null)) }),
    handle(ctx, req) {
      const can = access(services, ctx);
      const responses = req.resources.map((r: Message) => {
        if (r.resourceType === ResourceType.TOPIC && !can(AclOp.ALTER_CONFIGS, AclResource.TOPIC, r.resourceName)) {
          return response(r, ErrorCode.TOPIC_AUTHORIZATION_FAILED, `not authorized to alter the configs of topic '${r.resourceName}'`);
        }
        if (r.resourceType !== ResourceType.TOPIC && !can.cluster(AclOp.ALTER_CONFIGS)) {
          return response(r, ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'not authorized to alter the broker configs');
        }
        if (r.resourceType === ResourceType.BROKER) {
          return response(r, ErrorCode.INVALID_REQUEST, 'broker settings are static: change them on the command line and restart');
        }
        if (r.resourceType !== ResourceType.TOPIC)
          return response(r, ErrorCode.INVALID_REQUEST, `resource type ${r.resourceType} is not supported`);
        try {
          const info = services.logs.topic(r.resourceName);
          if (!info) throw new LogError('UNKNOWN_TOPIC_OR_PARTITION', `topic '${r.resourceName}' does not exist`);
          services.logs.alterTopicConfig(info.name, toChanges(info, r.configs), req.validateOnly);
          return response(r, ErrorCode.NONE, null);
        } catch (err) {
          return response(r, expectedErrorCode(err), errorMessageOf(err));
        }
      });
      return { throttleTimeMs: 0, responses };
    },
  };
}

export const alterConfigsHandler = (services: BrokerServices) => alterHandler(AlterConfigs, services, replaceAll);
export const incrementalAlterConfigsHandler = (services: BrokerServices) => alterHandler(IncrementalAlterConfigs, services, incremental);
