// The "consumer" embedded protocol: the bytes inside JoinGroup metadata (a subscription) and
// SyncGroup assignments. Each blob starts with its own int16 version, independent of the API version.
import { ByteReader } from '../../common/bytes.ts';
import { ProtocolError } from '../../common/errors.ts';
import { arrayOf, field, type Message, message } from '../schema.ts';

export const CONSUMER_PROTOCOL_MAX_VERSION = 3;

export const ConsumerProtocolSubscription = message('ConsumerProtocolSubscription', 'none', [
  field('topics', arrayOf('string')),
  field('userData', 'bytes', { nullable: '0+', default: null }),
  field('ownedPartitions', arrayOf([field('topic', 'string', { v: '1+' }), field('partitions', arrayOf('int32'), { v: '1+' })]), {
    v: '1+',
  }),
  field('generationId', 'int32', { v: '2+', default: -1 }),
  field('rackId', 'string', { v: '3+', nullable: '3+', default: null }),
]);

// Versions 1-3 change nothing here; they follow the subscription's versions.
export const ConsumerProtocolAssignment = message('ConsumerProtocolAssignment', 'none', [
  field('assignedPartitions', arrayOf([field('topic', 'string'), field('partitions', arrayOf('int32'))])),
  field('userData', 'bytes', { nullable: '0+', default: null }),
]);

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface Subscription {
  /** The version the member wrote, which may be newer than Brook knows. */
  version: number;
  topics: string[];
  userData: Buffer | null;
  ownedPartitions: TopicPartitions[];
  generationId: number;
  rackId: string | null;
}

export interface Assignment {
  version: number;
  assignedPartitions: TopicPartitions[];
  userData: Buffer | null;
}

/**
 * Reads a blob at the version it names. A newer version than Brook knows is read with the highest
 * known one, since new versions only append fields (Kafka's ConsumerProtocol does the same). Some
 * clients (KafkaJS) announce a version but write an older body, so when the body ends exactly where
 * an older version ends, that reading wins and the missing fields keep their defaults.
 */
function decodeVersioned(buf: Buffer, schema: typeof ConsumerProtocolSubscription, what: string): { version: number; body: Message } {
  const head = new ByteReader(buf);
  const version = head.int16();
  if (version < 0) throw new ProtocolError(`${what} version ${version} is negative`);
  let first: unknown;
  for (let v = Math.min(version, CONSUMER_PROTOCOL_MAX_VERSION); v >= 0; v--) {
    const r = new ByteReader(buf, 2);
    try {
      const body = schema.read(r, v);
      // Trailing bytes are fields of a version newer than Brook knows; a lower reading must end exactly.
      if (v === Math.min(version, CONSUMER_PROTOCOL_MAX_VERSION) || r.remaining === 0) return { version, body };
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      first ??= err;
    }
  }
  throw first instanceof ProtocolError ? first : new ProtocolError(`${what} could not be read`);
}

export function decodeSubscription(buf: Buffer): Subscription {
  const { version, body } = decodeVersioned(buf, ConsumerProtocolSubscription, 'subscription');
  return {
    version,
    topics: body.topics,
    userData: body.userData,
    ownedPartitions: body.ownedPartitions,
    generationId: body.generationId,
    rackId: body.rackId,
  };
}

export function encodeSubscription(
  subscription: Omit<Partial<Subscription>, 'version'> & { topics: string[] },
  version = CONSUMER_PROTOCOL_MAX_VERSION,
): Buffer {
  return withVersion(version, ConsumerProtocolSubscription.encode(version, subscription));
}

export function decodeAssignment(buf: Buffer): Assignment {
  // An empty blob is what a member gets when the leader assigned it nothing (or a rebalance failed).
  if (buf.length === 0) return { version: 0, assignedPartitions: [], userData: null };
  const { version, body } = decodeVersioned(buf, ConsumerProtocolAssignment, 'assignment');
  return { version, assignedPartitions: body.assignedPartitions, userData: body.userData };
}

export function encodeAssignment(
  assignment: { assignedPartitions: TopicPartitions[]; userData?: Buffer | null },
  version = CONSUMER_PROTOCOL_MAX_VERSION,
): Buffer {
  return withVersion(version, ConsumerProtocolAssignment.encode(version, assignment));
}

function withVersion(version: number, body: Buffer): Buffer {
  if (version < 0 || version > CONSUMER_PROTOCOL_MAX_VERSION) throw new RangeError(`consumer protocol version ${version} is not 0-3`);
  const out = Buffer.allocUnsafe(2 + body.length);
  out.writeInt16BE(version, 0);
  body.copy(out, 2);
  return out;
}
