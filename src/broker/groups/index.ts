// The group coordinator's public surface, for the protocol handlers and the broker.
export { DEFAULT_GROUP_CONFIG, type GroupConfig, type GroupCoordinatorOptions } from './config.ts';
export { CONSUMER_PROTOCOL_TYPE } from './consumer-protocol.ts';
export { type CoordinatorStatus, GroupCoordinator } from './coordinator.ts';
export { GROUPS_CHANNEL, type GroupEvent, type MemberRemoval } from './events.ts';
export { realScheduler, type Scheduler, type TimerHandle } from './scheduler.ts';
export { OFFSETS_TOPIC, partitionFor } from './store.ts';
export * from './types.ts';
