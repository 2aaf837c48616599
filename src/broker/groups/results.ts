// Error-shaped results, so every early answer has the same shape as Kafka's (generation -1, no
// protocol, no leader, no assignment).
import { EMPTY } from './member.ts';
import type { JoinGroupResult, SyncGroupResult } from './types.ts';

export function joinError(errorCode: number, memberId: string): JoinGroupResult {
  return { errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', skipAssignment: false, memberId, members: [] };
}

export function syncError(errorCode: number): SyncGroupResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY };
}
