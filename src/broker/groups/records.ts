// Keys and values of the __consumer_offsets topic in Kafka's own layout, so the log reads the same
// as a Kafka broker's: offset commit key (v0/1) and value (v0-3), group metadata key (v2) and value
// (v0-3). Brook writes key v1, offset value v3 and group value v3; it reads every version listed.
import { ByteReader, ByteWriter } from '../../common/bytes.ts';
import { ProtocolError } from '../../common/errors.ts';

export interface OffsetKey {
  type: 'offset';
  groupId: string;
  topic: string;
  partition: number;
}

export interface GroupKey {
  type: 'group';
  groupId: string;
}

/** Key versions 3+ belong to KIP-848 consumer groups and share groups: skipped, as Kafka's classic loader does. */
export interface UnknownKey {
  type: 'unknown';
  version: number;
}

export type RecordKey = OffsetKey | GroupKey | UnknownKey;

export interface OffsetValue {
  offset: bigint;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: bigint;
  /** Only in value v1 (per-commit retention of OffsetCommit v2-4); -1 otherwise. */
  expireTimestamp: bigint;
}

export interface StoredMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  subscription: Buffer;
  assignment: Buffer;
}

export interface GroupValue {
  /** '' for none. */
  protocolType: string;
  generationId: number;
  protocolName: string | null;
  leader: string | null;
  /** -1 when unknown (value v0-1). */
  currentStateTimestamp: bigint;
  members: StoredMember[];
}

const OFFSET_KEY_VERSION = 1;
const GROUP_KEY_VERSION = 2;
const OFFSET_VALUE_VERSION = 3;
const GROUP_VALUE_VERSION = 3;

function writeString(w: ByteWriter, s: string): void {
  const n = Buffer.byteLength(s);
  if (n > 0x7fff) throw new ProtocolError(`string of ${n} bytes does not fit an int16 length`);
  w.int16(n).utf8(s);
}

function writeNullableString(w: ByteWriter, s: string | null): void {
  if (s === null) w.int16(-1);
  else writeString(w, s);
}

function writeBytes(w: ByteWriter, b: Buffer): void {
  w.int32(b.length).bytes(b);
}

function readNullableString(r: ByteReader): string | null {
  const n = r.int16();
  return n < 0 ? null : r.utf8(n);
}

function readString(r: ByteReader, what: string): string {
  const s = readNullableString(r);
  if (s === null) throw new ProtocolError(`null ${what}`);
  return s;
}

function readBytes(r: ByteReader): Buffer {
  const n = r.int32();
  return n < 0 ? Buffer.alloc(0) : Buffer.from(r.bytes(n));
}

export function offsetKey(groupId: string, topic: string, partition: number): Buffer {
  const w = new ByteWriter(64).int16(OFFSET_KEY_VERSION);
  writeString(w, groupId);
  writeString(w, topic);
  return w.int32(partition).toBuffer();
}

export function groupKey(groupId: string): Buffer {
  const w = new ByteWriter(32).int16(GROUP_KEY_VERSION);
  writeString(w, groupId);
  return w.toBuffer();
}

export function decodeKey(buf: Buffer): RecordKey {
  const r = new ByteReader(buf);
  const version = r.int16();
  if (version === 0 || version === 1) {
    const groupId = readString(r, 'group id');
    const topic = readString(r, 'topic');
    return { type: 'offset', groupId, topic, partition: r.int32() };
  }
  if (version === 2) return { type: 'group', groupId: readString(r, 'group id') };
  return { type: 'unknown', version };
}

export function offsetValue(v: { offset: bigint; leaderEpoch: number; metadata: string; commitTimestamp: bigint }): Buffer {
  const w = new ByteWriter(64).int16(OFFSET_VALUE_VERSION).int64(v.offset).int32(v.leaderEpoch);
  writeString(w, v.metadata);
  return w.int64(v.commitTimestamp).toBuffer();
}

export function decodeOffsetValue(buf: Buffer): OffsetValue {
  const r = new ByteReader(buf);
  const version = r.int16();
  if (version < 0 || version > 3) throw new ProtocolError(`offset commit value version ${version} is not supported`);
  const offset = r.int64();
  const leaderEpoch = version >= 3 ? r.int32() : -1;
  const metadata = readNullableString(r) ?? '';
  const commitTimestamp = r.int64();
  const expireTimestamp = version === 1 ? r.int64() : -1n;
  return { offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp };
}

export function groupValue(v: GroupValue): Buffer {
  const w = new ByteWriter(256).int16(GROUP_VALUE_VERSION);
  writeString(w, v.protocolType);
  w.int32(v.generationId);
  writeNullableString(w, v.protocolName);
  writeNullableString(w, v.leader);
  w.int64(v.currentStateTimestamp);
  w.int32(v.members.length);
  for (const m of v.members) {
    writeString(w, m.memberId);
    writeNullableString(w, m.groupInstanceId);
    writeString(w, m.clientId);
    writeString(w, m.clientHost);
    w.int32(m.rebalanceTimeoutMs).int32(m.sessionTimeoutMs);
    writeBytes(w, m.subscription);
    writeBytes(w, m.assignment);
  }
  return w.toBuffer();
}

export function decodeGroupValue(buf: Buffer): GroupValue {
  const r = new ByteReader(buf);
  const version = r.int16();
  if (version < 0 || version > 3) throw new ProtocolError(`group metadata value version ${version} is not supported`);
  const protocolType = readString(r, 'protocol type');
  const generationId = r.int32();
  const protocolName = readNullableString(r);
  const leader = readNullableString(r);
  const currentStateTimestamp = version >= 2 ? r.int64() : -1n;
  const count = r.int32();
  if (count < 0 || count > r.remaining) throw new ProtocolError(`group metadata claims ${count} members`);
  const members: StoredMember[] = [];
  for (let i = 0; i < count; i++) {
    const memberId = readString(r, 'member id');
    const groupInstanceId = version >= 3 ? readNullableString(r) : null;
    const clientId = readString(r, 'client id');
    const clientHost = readString(r, 'client host');
    const rebalanceTimeoutMs = version >= 1 ? r.int32() : -1;
    const sessionTimeoutMs = r.int32();
    const subscription = readBytes(r);
    const assignment = readBytes(r);
    members.push({
      memberId,
      groupInstanceId,
      clientId,
      clientHost,
      rebalanceTimeoutMs: rebalanceTimeoutMs < 0 ? sessionTimeoutMs : rebalanceTimeoutMs,
      sessionTimeoutMs,
      subscription,
      assignment,
    });
  }
  return { protocolType, generationId, protocolName, leader, currentStateTimestamp, members };
}
