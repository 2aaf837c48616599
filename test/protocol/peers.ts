// Thin adapters over the two peer client libraries in node_modules (kafkajs 2.2 and
// @platformatic/kafka): encode a request body or whole frame with the peer, parse a response body.
import { createRequire } from 'node:module';
import * as platformatic from '@platformatic/kafka';

const require = createRequire(import.meta.url);
type Any = any;

const plt = platformatic as unknown as Record<string, Any>;
const KafkajsEncoder: Any = require('kafkajs/src/protocol/encoder.js');
const kafkajsRequestFrame: Any = require('kafkajs/src/protocol/request.js');

export type PeerName = 'kafkajs' | 'platformatic';

export const CLIENT_ID = 'brook-tests';

/** What a peer sends: the body alone, and the whole frame (size + header + body) as it goes on the socket. */
export interface PeerRequest {
  body: Buffer;
  frame: Buffer;
  /** Whether the peer writes request header v2 (tagged fields), i.e. thinks this version is flexible. */
  headerTaggedFields: boolean;
  /** Whether the peer expects response header v1. */
  responseHeaderTaggedFields: boolean;
}

/** `fetchV12` style name of a platformatic API module. */
export function platformaticName(api: string, version: number): string {
  return `${api[0]?.toLowerCase()}${api.slice(1)}V${version}`;
}

export function hasPlatformatic(api: string, version: number): boolean {
  const mod = plt[platformaticName(api, version)];
  return mod !== undefined && typeof mod.createRequest === 'function';
}

/** Calls the module's `api(connection, ...args)` against a recording connection, as the client would. */
export async function platformaticRequest(api: string, version: number, args: unknown[], correlationId = 7): Promise<PeerRequest> {
  const mod = plt[platformaticName(api, version)];
  if (!mod) throw new Error(`@platformatic/kafka has no ${api} v${version}`);
  let sent: Any[] | null = null;
  const connection = {
    send: (...a: Any[]) => {
      sent = a;
    },
  };
  mod.api(connection, ...args, () => {});
  if (sent === null) throw new Error(`${api} v${version}: the peer sent nothing`);
  const [apiKey, apiVersion, createPayload, , hasRequestHeaderTaggedFields, hasResponseHeaderTaggedFields] = sent as Any[];
  const payload = await createPayload();
  const body = Buffer.from(payload.buffer);
  // The frame exactly as @platformatic/kafka's Connection#send builds it.
  const writer = plt.Writer.create().appendInt16(apiKey).appendInt16(apiVersion).appendInt32(correlationId).appendString(CLIENT_ID, false);
  if (hasRequestHeaderTaggedFields) writer.appendTaggedFields();
  writer.appendFrom(payload).prependLength();
  return {
    body,
    frame: Buffer.from(writer.buffer),
    headerTaggedFields: hasRequestHeaderTaggedFields,
    responseHeaderTaggedFields: hasResponseHeaderTaggedFields,
  };
}

/** Parses a response body (after the response header) with the module's parseResponse. */
export function platformaticParse(api: string, version: number, body: Buffer, apiKey: number): { parsed: Any; unread: number } {
  const mod = plt[platformaticName(api, version)];
  // Some modules reuse an older version's parser without exporting it: take it from what `api` sends.
  let parse = mod.parseResponse;
  if (typeof parse !== 'function') {
    mod.api({ send: (...a: Any[]) => (parse = a[3]) }, () => {});
  }
  const reader = plt.Reader.from(body);
  let parsed: Any;
  try {
    parsed = parse(1, apiKey, version, reader);
  } catch (err) {
    // Responses carrying error codes throw, with the parsed response attached.
    if (!(err as Any)?.response) throw err;
    parsed = (err as Any).response;
  }
  return { parsed, unread: body.length - reader.position };
}

export function hasKafkajs(dir: string, version: number): boolean {
  try {
    require.resolve(`kafkajs/src/protocol/requests/${dir}/v${version}/request.js`);
    return true;
  } catch {
    return false;
  }
}

/** `dir` is kafkajs' folder name under src/protocol/requests (e.g. 'findCoordinator'). */
export async function kafkajsRequest(dir: string, version: number, args: unknown, correlationId = 7): Promise<PeerRequest> {
  const build = require(`kafkajs/src/protocol/requests/${dir}/v${version}/request.js`);
  const request = build(args);
  if (request.apiVersion !== version) throw new Error(`kafkajs ${dir} v${version} built v${request.apiVersion}`);
  const encoder = await request.encode();
  if (!(encoder instanceof KafkajsEncoder)) throw new Error('kafkajs encode() did not return an Encoder');
  const frame = await kafkajsRequestFrame({ correlationId, clientId: CLIENT_ID, request });
  // kafkajs only speaks non-flexible versions, with request header v1 and response header v0.
  return {
    body: Buffer.from(encoder.buffer),
    frame: Buffer.from(frame.buffer),
    headerTaggedFields: false,
    responseHeaderTaggedFields: false,
  };
}

export async function kafkajsDecode(dir: string, version: number, body: Buffer): Promise<Any> {
  const mod = require(`kafkajs/src/protocol/requests/${dir}/v${version}/response.js`);
  // A few kafkajs responses (DeleteRecords) are factories over the request's topics.
  const { decode } = typeof mod === 'function' ? mod({ topics: [] }) : mod;
  return decode(body);
}

/** Platformatic writes UUIDs as dashed hex strings. */
export function uuidString(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function uuidBuffer(s: string): Buffer {
  return Buffer.from(s.replaceAll('-', ''), 'hex');
}

export { plt as platformatic };
