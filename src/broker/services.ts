// What handlers reach: the broker's identity and settings, the log, and the group coordinator.
import type { LogManager } from '../log/types.ts';
import type { BrokerConfig } from './config.ts';
import type { GroupCoordinator } from './groups/coordinator.ts';

export interface BrokerServices {
  readonly config: BrokerConfig;
  readonly nodeId: number;
  readonly clusterId: string;
  /** Where clients should connect: the advertised listener. */
  readonly advertised: { host: string; port: number };
  readonly logs: LogManager;
  readonly groups: GroupCoordinator;
}
