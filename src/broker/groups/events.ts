// Diagnostics for the group coordinator on the `brook:groups` channel (no logger in the core):
// rebalances, members joining, leaving and expiring, offsets expiring, loading. Free when unobserved.
import diagnostics_channel from 'node:diagnostics_channel';

export const GROUPS_CHANNEL = 'brook:groups';

export type GroupEvent =
  | { type: 'rebalance-started'; groupId: string; generationId: number; reason: string }
  | {
      type: 'rebalance-completed';
      groupId: string;
      generationId: number;
      protocolName: string | null;
      leader: string | null;
      members: number;
    }
  | { type: 'member-joined'; groupId: string; memberId: string; groupInstanceId: string | null; reason: string | null }
  | {
      type: 'member-removed';
      groupId: string;
      memberId: string;
      groupInstanceId: string | null;
      cause: MemberRemoval;
      reason: string | null;
    }
  | { type: 'static-member-replaced'; groupId: string; groupInstanceId: string; oldMemberId: string; newMemberId: string }
  | { type: 'offsets-expired'; groupId: string; partitions: number }
  | { type: 'group-removed'; groupId: string; cause: 'deleted' | 'expired' }
  | { type: 'store-failed'; groupId: string; errorCode: number; what: string }
  | { type: 'loaded'; groups: number; offsets: number; records: number; skipped: number; ms: number }
  | { type: 'load-skipped'; topic: string; partition: number; offset: string; error: string };

export type MemberRemoval = 'left' | 'session-expired' | 'rebalance-timeout' | 'sync-timeout' | 'join-timeout' | 'group-full';

const channel = diagnostics_channel.channel(GROUPS_CHANNEL);

export function publish(event: GroupEvent): void {
  if (channel.hasSubscribers) channel.publish(event);
}
