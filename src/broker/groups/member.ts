// One member of a classic group: what it joined with, its assignment, the JoinGroup or SyncGroup
// it is waiting on (answered later), and its session timer.
import type { Scheduler } from './scheduler.ts';
import { Timer } from './scheduler.ts';
import type { JoinGroupResult, Protocol, SyncGroupResult } from './types.ts';

export const EMPTY = Buffer.alloc(0);

export interface MemberInit {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocolType: string;
  protocols: Protocol[];
}

export class Member {
  memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  readonly protocolType: string;
  protocols: Protocol[];
  assignment: Buffer = EMPTY;
  /** Joined but not yet through a completed join phase: may expire while it waits (KAFKA-7610). */
  isNew = false;
  /** Set while a JoinGroup waits for the join phase to end. */
  joinWaiter: ((r: JoinGroupResult) => void) | null = null;
  /** Set while a SyncGroup waits for the leader's assignment. */
  syncWaiter: ((r: SyncGroupResult) => void) | null = null;
  readonly sessionTimer: Timer;

  constructor(init: MemberInit, scheduler: Scheduler) {
    this.memberId = init.memberId;
    this.groupInstanceId = init.groupInstanceId;
    this.clientId = init.clientId;
    this.clientHost = init.clientHost;
    this.rebalanceTimeoutMs = init.rebalanceTimeoutMs;
    this.sessionTimeoutMs = init.sessionTimeoutMs;
    this.protocolType = init.protocolType;
    this.protocols = init.protocols;
    this.sessionTimer = new Timer(scheduler);
  }

  get isAwaitingJoin(): boolean {
    return this.joinWaiter !== null;
  }

  get isAwaitingSync(): boolean {
    return this.syncWaiter !== null;
  }

  get isStatic(): boolean {
    return this.groupInstanceId !== null;
  }

  metadataFor(protocolName: string | null): Buffer {
    if (protocolName === null) return EMPTY;
    return this.protocols.find((p) => p.name === protocolName)?.metadata ?? EMPTY;
  }

  /** Same protocols, same order, same metadata bytes: a rejoin that changes nothing. */
  matches(protocols: Protocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false;
    return protocols.every((p, i) => {
      const mine = this.protocols[i] as Protocol;
      return p.name === mine.name && p.metadata.equals(mine.metadata);
    });
  }

  /** Answers the waiting JoinGroup, if any; true when there was one. */
  completeJoin(result: JoinGroupResult): boolean {
    const waiter = this.joinWaiter;
    if (waiter === null) return false;
    this.joinWaiter = null;
    waiter(result);
    return true;
  }

  /** Answers the waiting SyncGroup, if any; true when there was one. */
  completeSync(result: SyncGroupResult): boolean {
    const waiter = this.syncWaiter;
    if (waiter === null) return false;
    this.syncWaiter = null;
    waiter(result);
    return true;
  }
}
