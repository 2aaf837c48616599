// The shape of a peer cross-check case, and builders that tie a Brook API to a peer's request
// builder or response parser. Case files list realistic messages per API and version.
import type { ApiDefinition } from '../../../src/protocol/api.ts';
import type { Message } from '../../../src/protocol/schema.ts';
import {
  hasKafkajs,
  hasPlatformatic,
  kafkajsDecode,
  kafkajsRequest,
  type PeerName,
  type PeerRequest,
  platformaticParse,
  platformaticRequest,
} from '../peers.ts';

export interface RequestCase {
  api: ApiDefinition;
  version: number;
  peer: PeerName;
  /** Encodes the request with the peer. */
  build(correlationId?: number): Promise<PeerRequest>;
  /** The Brook message the peer was asked to send: decoding the peer's bytes must give its projection. */
  canonical: Message;
  /** Extra checks on Brook's decoding (record batches and the like). */
  check?(decoded: Message): void;
}

export interface ResponseCase {
  api: ApiDefinition;
  version: number;
  peer: PeerName;
  /** What Brook encodes. */
  value: Message;
  /** Parses the body with the peer. */
  parse(body: Buffer): Promise<unknown>;
  /** Values the peer must report where its output does not mirror Kafka's (kafkajs always; platformatic's normalized shapes). */
  expect?: unknown;
  /** platformatic uses Kafka's names: paths of its output not to compare with Brook's message. */
  ignore?: string[];
  /** Extra checks on the peer's output (decoded records and the like). */
  check?(parsed: any): void;
  /** Renames the peer's fields to Kafka's where the peer chose its own names. */
  adapt?(parsed: any): unknown;
}

export const label = (c: { api: ApiDefinition; version: number; peer: PeerName }): string => `${c.api.name} v${c.version} (${c.peer})`;

export function pltReq(
  api: ApiDefinition,
  version: number,
  args: unknown[],
  canonical: Message,
  check?: (decoded: Message) => void,
): RequestCase {
  if (!hasPlatformatic(api.name, version)) throw new Error(`@platformatic/kafka has no ${api.name} v${version}`);
  const build = (cid?: number) => platformaticRequest(api.name, version, cloneArgs(args), cid);
  return { api, version, peer: 'platformatic', build, canonical, ...(check ? { check } : {}) };
}

export function kjsReq(
  api: ApiDefinition,
  dir: string,
  version: number,
  args: unknown,
  canonical: Message,
  check?: (decoded: Message) => void,
): RequestCase {
  if (!hasKafkajs(dir, version)) throw new Error(`kafkajs has no ${dir} v${version}`);
  return { api, version, peer: 'kafkajs', build: (cid) => kafkajsRequest(dir, version, args, cid), canonical, ...(check ? { check } : {}) };
}

export function pltRes(
  api: ApiDefinition,
  version: number,
  value: Message,
  opts: { ignore?: string[]; check?: (parsed: any) => void; adapt?: (parsed: any) => unknown; expect?: unknown } = {},
): ResponseCase {
  if (!hasPlatformatic(api.name, version)) throw new Error(`@platformatic/kafka has no ${api.name} v${version}`);
  const parse = async (body: Buffer) => {
    const { parsed, unread } = platformaticParse(api.name, version, body, api.key);
    if (unread !== 0) throw new Error(`${api.name} v${version}: platformatic left ${unread} bytes of Brook's response unread`);
    return parsed;
  };
  return { api, version, peer: 'platformatic', value, parse, ...opts };
}

export function kjsRes(
  api: ApiDefinition,
  dir: string,
  version: number,
  value: Message,
  expect: unknown,
  check?: (parsed: any) => void,
): ResponseCase {
  if (!hasKafkajs(dir, version)) throw new Error(`kafkajs has no ${dir} v${version}`);
  return { api, version, peer: 'kafkajs', value, parse: (body) => kafkajsDecode(dir, version, body), expect, ...(check ? { check } : {}) };
}

/** Inclusive version list. */
export const versions = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// Platformatic mutates some arguments (Produce fills in partitions and timestamps): give each build its own copy.
function cloneArgs(args: unknown[]): unknown[] {
  return args.map((a) => cloneDeep(a));
}

function cloneDeep(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return v;
  if (Array.isArray(v)) return v.map(cloneDeep);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, cloneDeep(x)]));
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cloneDeep(x)]));
  }
  return v;
}
