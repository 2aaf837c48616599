// Malformed and hostile bytes: truncated bodies, lying lengths and random noise only ever raise
// ProtocolError (architecture habit 3), never a RangeError, a TypeError or a huge allocation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ByteReader } from '../../src/common/bytes.ts';
import { ProtocolError } from '../../src/common/errors.ts';
import { decodeAssignment, decodeSubscription } from '../../src/protocol/apis/consumer-protocol.ts';
import { ALL_APIS, API_BY_KEY, Metadata, Produce } from '../../src/protocol/apis/index.ts';
import { readRequestHeader } from '../../src/protocol/headers.ts';
import type { MessageSchema } from '../../src/protocol/schema.ts';
import { kebabName, readFixtures } from './fixture-files.ts';

const fixtures = readFixtures();
const byName = new Map(ALL_APIS.map((api) => [kebabName(api), api]));

/** Every schema at every version Brook implements. */
const schemas: { label: string; schema: MessageSchema; version: number }[] = ALL_APIS.flatMap((api) =>
  Array.from({ length: api.maxVersion - api.minVersion + 1 }, (_, i) => api.minVersion + i).flatMap((version) => [
    { label: `${api.name} v${version} request`, schema: api.request, version },
    { label: `${api.name} v${version} response`, schema: api.response, version },
  ]),
);

function decodeOrProtocolError(schema: MessageSchema, version: number, bytes: Buffer): boolean {
  try {
    schema.read(new ByteReader(bytes), version);
    return true;
  } catch (err) {
    if (err instanceof ProtocolError) return false;
    throw err;
  }
}

/** Decodes a whole request frame (header and body) the way the connection loop does. */
function decodeFrame(frame: Buffer): void {
  try {
    const apiKey = new ByteReader(frame).int16();
    const api = API_BY_KEY.get(apiKey);
    const { header, body } = readRequestHeader(frame, api);
    if (api && header.apiVersion >= api.minVersion && header.apiVersion <= api.maxVersion) api.request.read(body, header.apiVersion);
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
  }
}

function bodyOf(f: { bytes: Buffer; kind: string; api: string; version: number }): Buffer {
  const api = byName.get(f.api);
  if (!api) throw new Error(f.api);
  const frame = f.bytes.subarray(4);
  if (f.kind === 'request') {
    const { body } = readRequestHeader(frame, api);
    return frame.subarray(body.offset);
  }
  // Response header: correlation id, plus an empty tag section in header v1.
  const flexibleHeader = api.isFlexible(f.version) && api.key !== 18;
  return frame.subarray(flexibleHeader ? 5 : 4);
}

test('every strict prefix of every fixture body is refused with ProtocolError', () => {
  for (const f of fixtures) {
    const api = byName.get(f.api);
    assert.ok(api);
    const schema = f.kind === 'request' ? api.request : api.response;
    const body = bodyOf(f);
    assert.ok(decodeOrProtocolError(schema, f.version, body), `${f.file} decodes whole`);
    for (let n = 0; n < body.length; n++) {
      assert.throws(() => schema.read(new ByteReader(body.subarray(0, n)), f.version), ProtocolError, `${f.file} cut at ${n}`);
    }
  }
});

test('lying array, string and bytes lengths are refused before anything is allocated', () => {
  const cases: [string, MessageSchema, number, string][] = [
    // Metadata v1: topics array claims 2^31-1 entries, 2 bytes follow.
    ['classic array', Metadata.request, 1, '7fffffff' + '0001'],
    // Metadata v12: compact array claims 2^32-2 entries.
    ['compact array', Metadata.request, 12, 'ffffffff0f' + '00'],
    // Metadata v1: one topic whose name claims 32767 bytes.
    ['classic string', Metadata.request, 1, '00000001' + '7fff' + '6162'],
    // Metadata v9: compact string claiming 2^32-2 bytes.
    ['compact string', Metadata.request, 9, '02' + 'ffffffff0f' + '61'],
    // Produce v3: records claiming 2 GiB.
    [
      'classic bytes',
      Produce.request,
      3,
      'ffff' + '0001' + '00007530' + '00000001' + '0001' + '61' + '00000001' + '00000000' + '7fffffff' + '00',
    ],
    // Produce v9: compact records claiming 4 GiB.
    ['compact bytes', Produce.request, 9, '00' + '0001' + '00007530' + '02' + '0261' + '02' + '00000000' + 'ffffffff0f' + '00'],
    // Metadata v9: a tag section claiming 2^31 tags.
    ['tag count', Metadata.request, 9, '01' + '01' + '00' + '00' + '8080808008'],
    // A varint longer than five bytes.
    ['endless varint', Metadata.request, 9, 'ffffffffffffff'],
    // A negative length where null is not allowed.
    ['null array', Metadata.request, 0, 'ffffffff'],
    ['null string', Metadata.request, 1, '00000001' + 'ffff'],
  ];
  for (const [what, schema, version, hex] of cases) {
    const before = process.memoryUsage().arrayBuffers;
    assert.throws(() => schema.read(new ByteReader(Buffer.from(hex, 'hex')), version), ProtocolError, what);
    assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024 * 1024, `${what}: allocated a lot`);
  }
});

test('nested lying counts cannot multiply into a large allocation', () => {
  // Metadata v5 response: throttle, 65536 brokers claimed, each (node 1) claiming a 32767-byte host.
  const hex = `0000000000010000${'000000017fff'.repeat(4)}`;
  assert.throws(() => Metadata.response.read(new ByteReader(Buffer.from(hex, 'hex')), 5), ProtocolError);
});

test('a request frame too short for its header, or with a lying client id, is refused', () => {
  // Empty; one byte; no correlation id; half a client id length; a client id longer than the frame;
  // a flexible version (Produce v9, header v2) without its tag section.
  for (const hex of ['', '00', '0000000000', '000000000000000700', '0000000000000007' + '7fff' + '61', '0000000900000007' + '0000']) {
    assert.throws(() => readRequestHeader(Buffer.from(hex, 'hex'), Produce), ProtocolError, hex);
  }
});

test('property: random bytes decoded with every API and version raise only ProtocolError', () => {
  fc.assert(
    fc.property(fc.nat({ max: schemas.length - 1 }), fc.uint8Array({ maxLength: 96 }), (i, bytes) => {
      const { schema, version } = schemas[i] as (typeof schemas)[number];
      decodeOrProtocolError(schema, version, Buffer.from(bytes));
    }),
    { numRuns: 20_000 },
  );
});

test('property: mutated fixtures raise only ProtocolError, as bodies and as whole frames', () => {
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0xff) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), byte: fc.constant(0) }),
  );
  fc.assert(
    fc.property(fc.nat({ max: fixtures.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (i, mutations) => {
      const f = fixtures[i] as (typeof fixtures)[number];
      const api = byName.get(f.api);
      assert.ok(api);
      let body: Buffer = Buffer.from(bodyOf(f));
      let frame: Buffer = Buffer.from(f.bytes.subarray(4));
      for (const m of mutations) {
        body = mutate(body, m);
        frame = mutate(frame, m);
      }
      const schema = f.kind === 'request' ? api.request : api.response;
      decodeOrProtocolError(schema, f.version, body);
      if (f.kind === 'request') decodeFrame(frame);
    }),
    { numRuns: 20_000 },
  );
});

test('property: random consumer protocol blobs raise only ProtocolError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      for (const decode of [decodeSubscription, decodeAssignment]) {
        try {
          decode(Buffer.from(bytes));
        } catch (err) {
          if (!(err instanceof ProtocolError)) throw err;
        }
      }
    }),
    { numRuns: 5_000 },
  );
});

function mutate(buf: Buffer, m: { kind: 'set' | 'insert' | 'delete'; at: number; byte: number }): Buffer {
  if (buf.length === 0) return m.kind === 'insert' ? Buffer.from([m.byte]) : buf;
  const at = m.at % buf.length;
  if (m.kind === 'set') {
    const out = Buffer.from(buf);
    out[at] = m.byte;
    return out;
  }
  if (m.kind === 'insert') return Buffer.concat([buf.subarray(0, at), Buffer.from([m.byte]), buf.subarray(at)]);
  return Buffer.concat([buf.subarray(0, at), buf.subarray(at + 1)]);
}
