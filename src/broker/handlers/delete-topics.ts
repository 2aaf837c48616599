// DeleteTopics: by name (v0-5) or by name or id (v6+).
import { DeleteTopics } from '../../protocol/apis/delete-topics.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { Message } from '../../protocol/schema.ts';
import { ZERO_UUID } from '../../protocol/schema.ts';
import { access, Op, ResourceType } from '../authz.ts';
import type { ApiHandler } from '../handler.ts';
import type { BrokerServices } from '../services.ts';
import { errorMessageOf, expectedErrorCode } from './errors.ts';

export function deleteTopicsHandler(services: BrokerServices): ApiHandler {
  const targets = (req: Message, version: number): { name: string | null; topicId: Buffer }[] =>
    version >= 6 ? req.topics : req.topicNames.map((name: string) => ({ name, topicId: ZERO_UUID }));
  return {
    api: DeleteTopics,
    errorResponse: (req, code) => ({
      throttleTimeMs: 0,
      responses: [...(req.topics ?? []), ...(req.topicNames ?? []).map((name: string) => ({ name, topicId: ZERO_UUID }))].map(
        (t: Message) => ({ name: t.name, topicId: t.topicId, errorCode: code, errorMessage: null }),
      ),
    }),
    handle(ctx, req) {
      const can = access(services, ctx);
      const responses = targets(req, ctx.apiVersion).map((t) => {
        const info = t.name !== null ? services.logs.topic(t.name) : services.logs.topicById(t.topicId);
        // By id, a topic the principal may not describe looks like one that does not exist (as Kafka).
        if (t.name === null && info && !can(Op.DESCRIBE, ResourceType.TOPIC, info.name)) {
          return { name: null, topicId: t.topicId, errorCode: ErrorCode.UNKNOWN_TOPIC_ID, errorMessage: 'no such topic' };
        }
        const name = t.name ?? info?.name;
        if (name !== undefined && !can(Op.DELETE, ResourceType.TOPIC, name)) {
          return {
            name: t.name,
            topicId: t.topicId,
            errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
            errorMessage: `not authorized to delete topic '${name}'`,
          };
        }
        if (!info) {
          return {
            name: t.name,
            topicId: t.topicId,
            errorCode: t.name !== null ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.UNKNOWN_TOPIC_ID,
            errorMessage: 'no such topic',
          };
        }
        try {
          if (info.internal)
            return {
              name: info.name,
              topicId: info.id,
              errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
              errorMessage: `'${info.name}' is an internal topic`,
            };
          services.logs.deleteTopic(info.name);
          return { name: info.name, topicId: info.id, errorCode: ErrorCode.NONE, errorMessage: null };
        } catch (err) {
          return { name: info.name, topicId: info.id, errorCode: expectedErrorCode(err), errorMessage: errorMessageOf(err) };
        }
      });
      return { throttleTimeMs: 0, responses };
    },
  };
}
