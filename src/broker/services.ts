// What handlers reach: the broker's identity and settings, the log, the group coordinator, and the
// security stores (SCRAM users, ACLs with their authorizer).
import type { LogManager } from '../log/types.ts';
import type { Authorizer } from '../security/authorizer.ts';
import type { CredentialStore } from '../security/credential-store.ts';
import type { SecurityProtocol } from '../security/listeners.ts';
import type { BrokerConfig } from './config.ts';
import type { GroupCoordinator } from './groups/coordinator.ts';

export interface BrokerServices {
  readonly config: BrokerConfig;
  readonly nodeId: number;
  readonly clusterId: string;
  /** Where clients should connect: the first listener's advertised address. */
  readonly advertised: { host: string; port: number };
  /** Every listener with its advertised address (Metadata answers with the client's own listener). */
  readonly listeners: readonly BoundListener[];
  /** SCRAM users (PLAIN checks passwords against them too). */
  readonly credentials: CredentialStore;
  /** ACLs and the decisions made with them (allows everything when switched off). */
  readonly authorizer: Authorizer;
  readonly logs: LogManager;
  readonly groups: GroupCoordinator;
}

export interface BoundListener {
  readonly name: string;
  readonly securityProtocol: SecurityProtocol;
  /** Bound address. */
  readonly address: { host: string; port: number };
  readonly advertised: { host: string; port: number };
}
