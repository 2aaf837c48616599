// ApiVersions: advertises exactly the APIs that have a handler, with the versions Brook speaks.
import { ApiVersions } from '../../protocol/apis/api-versions.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type { ApiHandler } from '../handler.ts';

export type ApiVersionList = { apiKey: number; minVersion: number; maxVersion: number }[];

export function apiVersionsHandler(list: () => ApiVersionList): ApiHandler {
  return {
    api: ApiVersions,
    errorResponse: (_req, code) => ({ errorCode: code, apiKeys: list(), throttleTimeMs: 0 }),
    handle: () => ({ errorCode: ErrorCode.NONE, apiKeys: list(), throttleTimeMs: 0 }),
  };
}
