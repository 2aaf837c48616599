// What the coordinator's parts share: the groups, the clock, the settings and the store.
import type { LogManager } from '../../log/types.ts';
import type { GroupConfig } from './config.ts';
import type { Group } from './group.ts';
import type { Scheduler } from './scheduler.ts';
import type { OffsetsStore } from './store.ts';

export interface CoordinatorContext {
  readonly groups: Map<string, Group>;
  readonly scheduler: Scheduler;
  readonly config: GroupConfig;
  readonly store: OffsetsStore;
  readonly logs: LogManager;
  /** Keeps a store write in view so close() can wait for it. */
  track<T>(p: Promise<T>): Promise<T>;
}
