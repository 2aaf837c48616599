// The OpenSearch sink's public surface: the sink, index setup, the Dashboards saved objects, and
// the flag parsing that `brook process` and `brook opensearch setup` share.
export type { OpenSearchAuth } from './auth.ts';
export { OpenSearchError, type OpenSearchErrorCode } from './errors.ts';
export { type HttpResult, type OpenSearchConnectionOptions, OpenSearchHttp } from './http-client.ts';
export { ensureIndexes, type IndexSetup } from './indexes.ts';
export { documentOf, indexMapping, indexNames } from './mappings.ts';
export { connectionOptionSpecs, PROCESS_OPENSEARCH_OPTIONS, parseConnection, parseProcessOpenSearch } from './options.ts';
export type { RetryInfo } from './retry.ts';
export { clickstreamSavedObjects, DASHBOARD_TITLE, type SavedObject, savedObjectsNdjson } from './saved-objects.ts';
export { type SetupOptions, type SetupSummary, setupOpenSearch } from './setup.ts';
export { OpenSearchSink, type OpenSearchSinkOptions, type OpenSearchSinkStats } from './sink.ts';
