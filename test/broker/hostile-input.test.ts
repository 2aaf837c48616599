// Bad input against a running broker: lying sizes, unknown APIs and versions, truncated and
// random bodies, oversized frames. The broker must answer or close that connection only, and keep
// serving real clients; a property test throws random and mutated requests at it.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { Kafka, logLevel } from 'kafkajs';
import { ApiVersions } from '../../src/protocol/apis/api-versions.ts';
import { Metadata } from '../../src/protocol/apis/metadata.ts';
import { Produce } from '../../src/protocol/apis/produce.ts';
import { ErrorCode } from '../../src/protocol/error-codes.ts';
import { encodeRequest } from '../../src/protocol/headers.ts';
import { simpleBatch } from '../../src/protocol/records.ts';
import { startTempBroker, type TempBroker } from '../helpers/temp-broker.ts';
import { WireClient } from '../helpers/wire-client.ts';

/** Writes raw bytes on a fresh connection; resolves with what came back once the peer closes or goes quiet. */
function sendRaw(port: number, bytes: Buffer, quietMs = 150): Promise<{ closed: boolean; reply: Buffer }> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout;
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve({ closed, reply: Buffer.concat(chunks) });
    };
    s.on('data', (c) => chunks.push(c));
    s.on('close', () => finish(true));
    s.on('error', () => {});
    s.on('connect', () => {
      s.write(bytes);
      timer = setTimeout(() => finish(false), quietMs);
    });
  });
}

function frameOf(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

describe('hostile input', () => {
  let tb: TempBroker;
  let port: number;
  before(async () => {
    tb = await startTempBroker({ maxRequestBytes: 1024 * 1024 });
    port = tb.broker.address.port;
    tb.broker.logs.createTopic('victim', 1, {});
  });
  after(() => tb.dispose());

  async function realClientStillWorks(): Promise<void> {
    const producer = new Kafka({ brokers: [tb.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 1 } }).producer();
    await producer.connect();
    const [meta] = await producer.send({ topic: 'victim', messages: [{ key: 'k', value: 'still alive' }] });
    await producer.disconnect();
    assert.equal(meta?.errorCode, 0);
  }

  test('a frame over socket.request.max.bytes is refused from its size prefix', async () => {
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(512 * 1024 * 1024);
    const r = await sendRaw(port, prefix);
    assert.equal(r.closed, true);
    assert.equal(r.reply.length, 0);
  });

  test('a negative size, an unknown API key and an unsupported version close the connection', async () => {
    assert.equal((await sendRaw(port, Buffer.from([0xff, 0xff, 0xff, 0xf0]))).closed, true);
    const unknownKey = frameOf(Buffer.from([0x30, 0x39, 0, 0, 0, 0, 0, 1, 0xff, 0xff]));
    assert.equal((await sendRaw(port, unknownKey)).closed, true);
    const badVersion = frameOf(Buffer.from([0, 3, 0x7f, 0, 0, 0, 0, 1, 0xff, 0xff]));
    assert.equal((await sendRaw(port, badVersion)).closed, true);
  });

  test('ApiVersions at an unknown version gets a v0 answer with UNSUPPORTED_VERSION (KIP-511)', async () => {
    const req = frameOf(Buffer.from([0, 18, 0, 99, 0, 0, 0, 42, 0xff, 0xff]));
    const r = await sendRaw(port, req);
    assert.ok(r.reply.length > 10, 'got a response');
    assert.equal(r.reply.readInt32BE(4), 42, 'correlation id echoed');
    assert.equal(r.reply.readInt16BE(8), ErrorCode.UNSUPPORTED_VERSION);
  });

  test('a truncated body or a lying array length closes the connection; other clients do not notice', async () => {
    const good = encodeRequest(Metadata, { apiKey: 3, apiVersion: 9, correlationId: 5, clientId: 'x' }, { topics: null });
    assert.equal((await sendRaw(port, frameOf(good.subarray(0, good.length - 2)))).closed, true);
    const lying = Buffer.from(good);
    lying[lying.length - 4] = 0xff; // an absurd compact array length where topics start
    await sendRaw(port, frameOf(lying));
    await realClientStillWorks();
  });

  test('a corrupt record batch gets CORRUPT_MESSAGE and writes nothing', async () => {
    const client = await WireClient.connect(port);
    const batch = simpleBatch([{ key: 'a', value: 'b' }], BigInt(Date.now()));
    batch.writeUInt8(batch.readUInt8(batch.length - 1) ^ 1, batch.length - 1);
    const res = await client.send(Produce, 9, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 1000,
      topicData: [{ name: 'victim', partitionData: [{ index: 0, records: batch }] }],
    });
    client.close();
    assert.equal(res.responses[0].partitionResponses[0].errorCode, ErrorCode.CORRUPT_MESSAGE);
  });

  test('property: random and mutated requests never take the broker down', async () => {
    const templates = [
      encodeRequest(
        Metadata,
        { apiKey: 3, apiVersion: 12, correlationId: 1, clientId: 'f' },
        { topics: [{ topicId: Buffer.alloc(16), name: 'victim' }] },
      ),
      encodeRequest(
        ApiVersions,
        { apiKey: 18, apiVersion: 3, correlationId: 2, clientId: 'f' },
        { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' },
      ),
      encodeRequest(
        Produce,
        { apiKey: 0, apiVersion: 7, correlationId: 3, clientId: 'f' },
        {
          transactionalId: null,
          acks: 1,
          timeoutMs: 100,
          topicData: [{ name: 'victim', partitionData: [{ index: 0, records: simpleBatch([{ key: 'k', value: 'v' }], 1n) }] }],
        },
      ),
    ];
    const mutated = fc
      .tuple(
        fc.constantFrom(...templates),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.nat(),
      )
      .map(([t, edits, cut]) => {
        const b = Buffer.from(t);
        for (const [at, v] of edits) b[at % b.length] = v;
        return frameOf(b.subarray(0, Math.max(8, b.length - (cut % 4 === 0 ? cut % b.length : 0))));
      });
    const random = fc.uint8Array({ minLength: 0, maxLength: 300 }).map((a) => Buffer.from(a));
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, random), async (bytes) => {
        await sendRaw(port, bytes, 30);
      }),
      { numRuns: 300 },
    );
    await realClientStillWorks();
  });
});
