// Request header v0-v2 and response header v0-v1. The header version follows from whether the
// API version is flexible (KIP-482); ApiVersions always answers with header v0 because a client
// reads that response before it knows what the broker speaks (librdkafka relies on it).
import { ByteReader, ByteWriter } from '../common/bytes.ts';
import type { ApiDefinition } from './api.ts';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

export const API_VERSIONS_KEY = 18;

/** Reads the fixed part (key, version, correlation id) that every header version shares. */
export function readHeaderPrefix(frame: Buffer): { apiKey: number; apiVersion: number; correlationId: number } {
  const r = new ByteReader(frame);
  return { apiKey: r.int16(), apiVersion: r.int16(), correlationId: r.int32() };
}

/** Reads the whole header; returns it with a reader positioned at the body. */
export function readRequestHeader(frame: Buffer, api: ApiDefinition | undefined): { header: RequestHeader; body: ByteReader } {
  const r = new ByteReader(frame);
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  // client_id stays a classic nullable string even in header v2.
  const n = r.int16();
  const clientId = n < 0 ? null : r.utf8(n);
  if (api?.isFlexible(apiVersion)) {
    const tags = r.uvarint();
    for (let i = 0; i < tags; i++) {
      r.uvarint();
      r.skip(r.uvarint());
    }
  }
  return { header: { apiKey, apiVersion, correlationId, clientId }, body: r };
}

export function writeRequestHeader(w: ByteWriter, api: ApiDefinition, header: RequestHeader): void {
  w.int16(header.apiKey).int16(header.apiVersion).int32(header.correlationId);
  if (header.clientId === null) w.int16(-1);
  else w.int16(Buffer.byteLength(header.clientId)).utf8(header.clientId);
  if (api.isFlexible(header.apiVersion)) w.uvarint(0);
}

export function responseHeaderVersion(api: ApiDefinition, version: number): 0 | 1 {
  if (api.key === API_VERSIONS_KEY) return 0;
  return api.isFlexible(version) ? 1 : 0;
}

export function writeResponseHeader(w: ByteWriter, api: ApiDefinition, version: number, correlationId: number): void {
  w.int32(correlationId);
  if (responseHeaderVersion(api, version) === 1) w.uvarint(0);
}

/** Encodes a whole response (header + body) as chunks, without the size prefix. */
export function encodeResponse(api: ApiDefinition, version: number, correlationId: number, body: Record<string, unknown>): Buffer[] {
  const w = new ByteWriter(512);
  writeResponseHeader(w, api, version, correlationId);
  api.response.write(w, version, body);
  return w.toChunks();
}

/** Encodes a whole request (header + body), without the size prefix: for tests and tools. */
export function encodeRequest(api: ApiDefinition, header: RequestHeader, body: Record<string, unknown>): Buffer {
  const w = new ByteWriter(512);
  writeRequestHeader(w, api, header);
  api.request.write(w, header.apiVersion, body);
  return w.toBuffer();
}

export { ByteReader };
