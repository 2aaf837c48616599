// The Confluent REST client against a fake registry over real HTTP: the three calls, basic auth,
// retries on 5xx and resets, timeouts, error mapping, and encoder/decoder end to end.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, before, describe, test } from 'node:test';
import avsc from 'avsc';
import { ConfluentRestClient } from '../../../src/registry/serde/confluent-rest-client.ts';
import { AvroDecoder } from '../../../src/registry/serde/decoder.ts';
import { AvroEncoder } from '../../../src/registry/serde/encoder.ts';
import { SerdeError, SerdeErrorCode } from '../../../src/registry/serde/errors.ts';
import { frameConfluent } from '../../../src/registry/serde/framing.ts';
import { type ClickEvent, clickEvent, PRODUCER_SCHEMA, READER_SCHEMA } from './clickstream-schemas.ts';
import { type FakeConfluentRegistry, startFakeConfluentRegistry } from './fake-confluent-registry.ts';

function isSerdeError(code: string, includes?: string) {
  return (err: unknown) => {
    if (!(err instanceof SerdeError)) return false;
    assert.equal(err.code, code, err.message);
    if (includes !== undefined) assert.ok(err.message.includes(includes), `'${err.message}' should mention '${includes}'`);
    return true;
  };
}

let fake: FakeConfluentRegistry;
let client: ConfluentRestClient;

before(async () => {
  fake = await startFakeConfluentRegistry();
  client = new ConfluentRestClient({ url: fake.url, backoffMs: 0, retries: 2 });
});
after(async () => {
  client.close();
  await fake.close();
});

describe('REST calls', () => {
  test('register (POST /subjects/{subject}/versions) is idempotent; lookup (POST /subjects/{subject}) finds it', async () => {
    const id = await client.getOrRegisterId('clicks-value', PRODUCER_SCHEMA, true);
    assert.equal(await client.getOrRegisterId('clicks-value', PRODUCER_SCHEMA, true), id);
    assert.equal(await client.getOrRegisterId('clicks-value', PRODUCER_SCHEMA, false), id);
    const register = fake.requests.find((r) => r.method === 'POST' && r.path === '/subjects/clicks-value/versions')!;
    assert.equal(register.headers['content-type'], 'application/vnd.schemaregistry.v1+json');
    assert.match(String(register.headers.accept), /^application\/vnd\.schemaregistry\.v1\+json/);
    assert.deepEqual(JSON.parse(register.body), { schema: PRODUCER_SCHEMA });
    assert.equal(fake.count('POST', '/subjects/clicks-value'), 3);
  });

  test('GET /schemas/ids/{id} returns the schema text', async () => {
    const id = await client.getOrRegisterId('get-value', READER_SCHEMA, true);
    assert.equal(await client.getSchemaById(id), READER_SCHEMA);
  });

  test('subjects are URL-encoded', async () => {
    await client.getOrRegisterId('a/b c-value', PRODUCER_SCHEMA, true);
    assert.ok(fake.requests.some((r) => r.path === '/subjects/a%2Fb%20c-value/versions'));
  });

  test('40403 on GET is SERDE_UNKNOWN_SCHEMA naming the id', async () => {
    await assert.rejects(client.getSchemaById(9999), (err: unknown) => {
      isSerdeError(SerdeErrorCode.UNKNOWN_SCHEMA, 'schema id 9999')(err);
      const e = err as SerdeError;
      assert.equal(e.schemaId, 9999);
      assert.equal(e.registryCode, 40403);
      assert.equal(e.status, 404);
      return true;
    });
  });

  test('lookup without registration: 40401 (no subject) and 40403 (no such schema) are SERDE_SCHEMA_NOT_REGISTERED', async () => {
    await assert.rejects(
      client.getOrRegisterId('nothing-value', PRODUCER_SCHEMA, false),
      isSerdeError(SerdeErrorCode.SCHEMA_NOT_REGISTERED, 'nothing-value'),
    );
    await client.getOrRegisterId('some-value', READER_SCHEMA, true);
    await assert.rejects(client.getOrRegisterId('some-value', PRODUCER_SCHEMA, false), isSerdeError(SerdeErrorCode.SCHEMA_NOT_REGISTERED));
  });

  test('409 is SERDE_SCHEMA_INCOMPATIBLE, 422 is SERDE_INVALID_SCHEMA, a stray 404 hints at the URL', async () => {
    await assert.rejects(
      client.getOrRegisterId('x-value', '{"type":"incompatible"}', true),
      isSerdeError(SerdeErrorCode.SCHEMA_INCOMPATIBLE, 'incompatible'),
    );
    await assert.rejects(client.getOrRegisterId('x-value', 'not json', true), isSerdeError(SerdeErrorCode.INVALID_SCHEMA, '42201'));
    const wrongPath = new ConfluentRestClient({ url: `${fake.url}/wrong/prefix`, retries: 0 });
    await assert.rejects(wrongPath.getSchemaById(1), isSerdeError(SerdeErrorCode.REGISTRY_ERROR, 'URL'));
  });

  test('a non-Avro schema behind an id is SERDE_INVALID_SCHEMA', async () => {
    fake.addSchema(500, 'syntax = "proto3";', 'PROTOBUF');
    await assert.rejects(client.getSchemaById(500), isSerdeError(SerdeErrorCode.INVALID_SCHEMA, 'PROTOBUF'));
  });

  test('Glue calls are SERDE_UNSUPPORTED', async () => {
    await assert.rejects(client.getSchemaByVersionId('2a7d0c4e-5b6f-4e1d-8c9b-a0b1c2d3e4f5'), isSerdeError(SerdeErrorCode.UNSUPPORTED));
    await assert.rejects(client.getOrRegisterVersionId({ registryName: 'r', schemaName: 's' }), isSerdeError(SerdeErrorCode.UNSUPPORTED));
  });
});

describe('basic auth', () => {
  test('without credentials SERDE_REGISTRY_AUTH; with them, or in the URL, accepted', async () => {
    const f = await startFakeConfluentRegistry();
    try {
      f.requireAuth('brook', 's3cret:x');
      const anonymous = new ConfluentRestClient({ url: f.url, retries: 0 });
      await assert.rejects(anonymous.getOrRegisterId('a-value', PRODUCER_SCHEMA, true), isSerdeError(SerdeErrorCode.REGISTRY_AUTH, '401'));
      const withAuth = new ConfluentRestClient({ url: f.url, auth: { username: 'brook', password: 's3cret:x' } });
      const id = await withAuth.getOrRegisterId('a-value', PRODUCER_SCHEMA, true);
      const inUrl = new ConfluentRestClient({ url: f.url.replace('http://', 'http://brook:s3cret%3Ax@') });
      assert.equal(await inUrl.getSchemaById(id), PRODUCER_SCHEMA);
      assert.ok(!inUrl.url.includes('s3cret'), 'credentials are not kept in the URL (fetch refuses them)');
    } finally {
      await f.close();
    }
  });
});

describe('retries and timeouts', () => {
  test('5xx answers are retried, then succeed', async () => {
    const id = await client.getOrRegisterId('retry-value', PRODUCER_SCHEMA, true);
    const before = fake.count('GET', `/schemas/ids/${id}`);
    fake.inject(
      { kind: 'status', status: 500, body: { error_code: 50001, message: 'Error in the backend data store' } },
      { kind: 'status', status: 503, body: { error_code: 50003, message: 'Error while forwarding the request to the leader' } },
    );
    assert.equal(await client.getSchemaById(id), PRODUCER_SCHEMA);
    assert.equal(fake.count('GET', `/schemas/ids/${id}`) - before, 3);
  });

  test('5xx on every attempt is SERDE_REGISTRY_UNAVAILABLE with the last answer', async () => {
    const fault = { kind: 'status', status: 500, body: { error_code: 50001, message: 'store down' } } as const;
    fake.inject(fault, fault, fault);
    await assert.rejects(client.getSchemaById(1), (err: unknown) => {
      isSerdeError(SerdeErrorCode.REGISTRY_UNAVAILABLE, 'store down')(err);
      assert.equal((err as SerdeError).schemaId, 1);
      assert.ok((err as SerdeError).message.includes('3 attempts'));
      return true;
    });
  });

  test('a reset connection is retried', async () => {
    const id = await client.getOrRegisterId('reset-value', PRODUCER_SCHEMA, true);
    fake.inject({ kind: 'drop' });
    assert.equal(await client.getSchemaById(id), PRODUCER_SCHEMA);
  });

  test('no answer within the timeout is SERDE_REGISTRY_UNAVAILABLE', async () => {
    const impatient = new ConfluentRestClient({ url: fake.url, timeoutMs: 50, retries: 1, backoffMs: 0 });
    fake.inject({ kind: 'hang' }, { kind: 'hang' });
    await assert.rejects(impatient.getSchemaById(1), isSerdeError(SerdeErrorCode.REGISTRY_UNAVAILABLE, 'no answer within 50 ms'));
  });

  test('connection refused is SERDE_REGISTRY_UNAVAILABLE', async () => {
    const port = await closedPort();
    const nobody = new ConfluentRestClient({ url: `http://127.0.0.1:${port}`, retries: 1, backoffMs: 0 });
    await assert.rejects(nobody.getSchemaById(3), isSerdeError(SerdeErrorCode.REGISTRY_UNAVAILABLE, 'ECONNREFUSED'));
  });

  test('close() ends a request in flight', async () => {
    const closing = new ConfluentRestClient({ url: fake.url });
    fake.inject({ kind: 'hang' });
    const n = fake.requests.length;
    const pending = closing.getSchemaById(1);
    await fake.received(n + 1);
    closing.close();
    await assert.rejects(pending, isSerdeError(SerdeErrorCode.REGISTRY_UNAVAILABLE, 'closed'));
  });
});

describe('encoder and decoder over REST', () => {
  test('auto-registered once, decoded with the other namespace, one GET for many records', async () => {
    const encoder = await AvroEncoder.create<ClickEvent>({ schema: PRODUCER_SCHEMA, topic: 'e2e', source: client });
    const decoder = new AvroDecoder<ClickEvent>({ source: client, readerSchema: READER_SCHEMA });
    const id = encoder.schemaId!;
    const gets = fake.count('GET', `/schemas/ids/${id}`);
    for (let i = 0; i < 200; i++) assert.deepStrictEqual(await decoder.decode(encoder.encodeCopy(clickEvent(i))), clickEvent(i));
    assert.equal(fake.count('POST', '/subjects/e2e-value/versions'), 1);
    assert.equal(fake.count('GET', `/schemas/ids/${id}`) - gets, 1);
  });

  test('concurrent decodes of an uncached id share one HTTP fetch', async () => {
    const id = await client.getOrRegisterId(
      'concurrent-value',
      JSON.stringify({ ...JSON.parse(PRODUCER_SCHEMA), doc: 'concurrent' }),
      true,
    );
    const type = avsc.Type.forSchema(JSON.parse(PRODUCER_SCHEMA));
    const decoder = new AvroDecoder<ClickEvent>({ source: client, readerSchema: READER_SCHEMA });
    const release = fake.hold();
    const n = fake.requests.length;
    const pending = Array.from({ length: 50 }, (_, i) => decoder.decode(frameConfluent(id, type.toBuffer(clickEvent(i)))));
    await fake.received(n + 1);
    release();
    const values = await Promise.all(pending);
    assert.deepStrictEqual(
      values,
      Array.from({ length: 50 }, (_, i) => clickEvent(i)),
    );
    assert.equal(fake.count('GET', `/schemas/ids/${id}`), 1);
    assert.equal(fake.requests.length, n + 1);
  });

  test('an unknown id in a record is SERDE_UNKNOWN_SCHEMA from the registry’s 40403', async () => {
    const decoder = new AvroDecoder({ source: client });
    await assert.rejects(
      decoder.decode(frameConfluent(4242, Buffer.from([0]))),
      isSerdeError(SerdeErrorCode.UNKNOWN_SCHEMA, 'schema id 4242'),
    );
  });
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
