// Shared set-up for the coordinator's tests: an in-memory log with a few topics, a manual clock,
// request builders with sensible defaults, and consumer-protocol subscription bytes.

import type { GroupCoordinatorOptions } from '../../../src/broker/groups/config.ts';
import { GroupCoordinator } from '../../../src/broker/groups/coordinator.ts';
import type { HeartbeatRequest, JoinGroupRequest, JoinGroupResult, SyncGroupRequest } from '../../../src/broker/groups/types.ts';
import { ByteWriter } from '../../../src/common/bytes.ts';
import { ManualScheduler } from './manual-scheduler.ts';
import { MemoryLogManager } from './memory-log.ts';

export const SESSION_MS = 10_000;
export const REBALANCE_MS = 30_000;

export interface Harness {
  logs: MemoryLogManager;
  clock: ManualScheduler;
  coordinator: GroupCoordinator;
}

export async function start(
  options: Partial<GroupCoordinatorOptions> = {},
  logs = defaultLogs(),
  clock = new ManualScheduler(),
): Promise<Harness> {
  const coordinator = new GroupCoordinator({ logs, scheduler: clock, initialRebalanceDelayMs: 0, ...options });
  await coordinator.load();
  return { logs, clock, coordinator };
}

export function defaultLogs(): MemoryLogManager {
  const logs = new MemoryLogManager();
  logs.createTopic('orders', 3, {});
  logs.createTopic('clicks', 2, {});
  return logs;
}

/** ConsumerProtocolSubscription v0: topics, null user data. */
export function subscription(...topics: string[]): Buffer {
  const w = new ByteWriter().int16(0).int32(topics.length);
  for (const t of topics) w.int16(Buffer.byteLength(t)).utf8(t);
  return w.int32(-1).toBuffer();
}

export function join(groupId: string, over: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId,
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscription('orders') }],
    sessionTimeoutMs: SESSION_MS,
    rebalanceTimeoutMs: REBALANCE_MS,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    requireKnownMemberId: false,
    reason: null,
    ...over,
  };
}

export function sync(groupId: string, joined: JoinGroupResult, assignments: SyncGroupRequest['assignments'] = []): SyncGroupRequest {
  return {
    groupId,
    generationId: joined.generationId,
    memberId: joined.memberId,
    groupInstanceId: null,
    protocolType: joined.protocolType,
    protocolName: joined.protocolName,
    assignments,
  };
}

export function heartbeat(
  groupId: string,
  joined: { memberId: string; generationId: number },
  groupInstanceId: string | null = null,
): HeartbeatRequest {
  return { groupId, generationId: joined.generationId, memberId: joined.memberId, groupInstanceId };
}

/** True when the promise has settled by the time pending callbacks have run. */
export async function isSettled(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  p.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

/**
 * Brings `groupId` to Stable with one member per entry of `clientIds` (all in generation 1):
 * everyone joins during the initial delay, then the leader assigns `assignment-<clientId>`.
 */
export async function stableGroup(h: Harness, groupId: string, clientIds: string[], over: Partial<JoinGroupRequest> = {}) {
  if (clientIds.length > 1 && h.coordinator.config.initialRebalanceDelayMs === 0) throw new Error('several members need an initial delay');
  const pending = clientIds.map((clientId) => h.coordinator.joinGroup(join(groupId, { clientId, ...over })));
  // Newcomers during the first delay extend it once (Kafka's InitialDelayedJoin).
  h.clock.advance(h.coordinator.config.initialRebalanceDelayMs * 2);
  const joined = await Promise.all(pending);
  const leader = joined.find((j) => j.memberId === j.leader);
  if (leader === undefined) throw new Error('no leader');
  const assignments = joined.map((j, i) => ({ memberId: j.memberId, assignment: Buffer.from(`assignment-${clientIds[i]}`) }));
  const synced = await Promise.all(joined.map((j) => h.coordinator.syncGroup(sync(groupId, j, j === leader ? assignments : []))));
  return { joined, synced, leader };
}
