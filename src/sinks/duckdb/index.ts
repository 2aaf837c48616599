// The analytics store's public surface: open one, its contract, its errors.

export {
  type AnalyticsStoreOptions,
  DEFAULT_RETENTION_MS,
  openAnalyticsStore,
  storeCommitChannel,
  storeListenerErrorChannel,
} from './analytics-store.ts';
export type { AnalyticsStore, ChartQuery, ChartResult, ChartSeries, CommitInfo, TableStats } from './analytics-store.types.ts';
export { AnalyticsStoreError, type AnalyticsStoreErrorCode } from './errors.ts';
export { MEMORY_PATH } from './open.ts';
export { RETENTION_INTERVAL_MS } from './writer.ts';
