// The Glue client (AWS SDK, SigV4) against a fake Glue endpoint speaking AWS JSON 1.1: the lookup
// and auto-registration flow, PENDING and FAILURE versions, error mapping, and Glue-framed records
// end to end (plain and zlib).
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AvroDecoder } from '../../../src/registry/serde/decoder.ts';
import { AvroEncoder } from '../../../src/registry/serde/encoder.ts';
import { SerdeError, SerdeErrorCode } from '../../../src/registry/serde/errors.ts';
import { GlueRegistryClient } from '../../../src/registry/serde/glue-client.ts';
import { type ClickEvent, clickEvent, PRODUCER_SCHEMA, READER_SCHEMA, READER_WITH_SESSION_SCHEMA } from './clickstream-schemas.ts';
import { type FakeGlueRegistry, startFakeGlueRegistry } from './fake-glue-registry.ts';

const credentials = { accessKeyId: 'AKIDBROOKTEST', secretAccessKey: 'not-a-secret' };

function isSerdeError(code: string, includes?: string) {
  return (err: unknown) => {
    if (!(err instanceof SerdeError)) return false;
    assert.equal(err.code, code, err.message);
    if (includes !== undefined) assert.ok(err.message.includes(includes), `'${err.message}' should mention '${includes}'`);
    return true;
  };
}

let fake: FakeGlueRegistry;
let glue: GlueRegistryClient;

before(async () => {
  fake = await startFakeGlueRegistry();
  glue = new GlueRegistryClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials, pendingPollMs: 1 });
});
after(async () => {
  glue.close();
  await fake.close();
});

const targets = (from: number) => fake.requests.slice(from).map((r) => r.target.replace('AWSGlue.', ''));

describe('AWS JSON 1.1 requests', () => {
  test('SigV4-signed POSTs with X-Amz-Target and the JSON 1.1 content type', async () => {
    const n = fake.requests.length;
    await glue.getOrRegisterVersionId({ registryName: 'default-registry', schemaName: 'signed' }, PRODUCER_SCHEMA, true);
    const r = fake.requests[n]!;
    assert.equal(r.target, 'AWSGlue.GetSchemaByDefinition');
    assert.equal(r.headers['content-type'], 'application/x-amz-json-1.1');
    assert.match(
      String(r.headers.authorization),
      /^AWS4-HMAC-SHA256 Credential=AKIDBROOKTEST\/\d{8}\/us-east-1\/glue\/aws4_request, SignedHeaders=.*x-amz-target/,
    );
    assert.ok(r.headers['x-amz-date']);
    assert.deepEqual(r.body, { SchemaId: { RegistryName: 'default-registry', SchemaName: 'signed' }, SchemaDefinition: PRODUCER_SCHEMA });
  });
});

describe('get or register', () => {
  test('a new schema: by definition (not found), register version (no schema), create schema', async () => {
    const n = fake.requests.length;
    const id = await glue.getOrRegisterVersionId({ registryName: 'default-registry', schemaName: 'clickstream' }, PRODUCER_SCHEMA, true);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(targets(n), ['GetSchemaByDefinition', 'RegisterSchemaVersion', 'CreateSchema']);
    const create = fake.requests.at(-1)!.body;
    assert.equal(create.DataFormat, 'AVRO');
    assert.equal(create.Compatibility, 'BACKWARD');
    assert.deepEqual(create.RegistryId, { RegistryName: 'default-registry' });
  });

  test('a known definition: one GetSchemaByDefinition', async () => {
    const first = await glue.getOrRegisterVersionId({ registryName: 'default-registry', schemaName: 'known' }, PRODUCER_SCHEMA, true);
    const n = fake.requests.length;
    assert.equal(
      await glue.getOrRegisterVersionId({ registryName: 'default-registry', schemaName: 'known' }, PRODUCER_SCHEMA, false),
      first,
    );
    assert.deepEqual(targets(n), ['GetSchemaByDefinition']);
  });

  test('a new definition of an existing schema: RegisterSchemaVersion', async () => {
    const v1 = await glue.getOrRegisterVersionId({ registryName: 'default-registry', schemaName: 'evolving' }, PRODUCER_SCHEMA, true);
    const n = fake.requests.length;
    const v2 = await glue.getOrRegisterVersionId(
      { registryName: 'default-registry', schemaName: 'evolving' },
      READER_WITH_SESSION_SCHEMA,
      true,
    );
    assert.notEqual(v1, v2);
    assert.deepEqual(targets(n), ['GetSchemaByDefinition', 'RegisterSchemaVersion']);
  });

  test('auto-registration off: SERDE_SCHEMA_NOT_REGISTERED', async () => {
    await assert.rejects(
      glue.getOrRegisterVersionId({ registryName: 'default-registry', schemaName: 'absent' }, PRODUCER_SCHEMA, false),
      isSerdeError(SerdeErrorCode.SCHEMA_NOT_REGISTERED, 'default-registry/absent'),
    );
  });

  test('a PENDING version is polled until AVAILABLE', async () => {
    await glue.getOrRegisterVersionId({ registryName: 'default-registry', schemaName: 'pending' }, PRODUCER_SCHEMA, true);
    fake.pendingPolls = 2;
    try {
      const n = fake.requests.length;
      const id = await glue.getOrRegisterVersionId(
        { registryName: 'default-registry', schemaName: 'pending' },
        READER_WITH_SESSION_SCHEMA,
        true,
      );
      assert.deepEqual(targets(n), ['GetSchemaByDefinition', 'RegisterSchemaVersion', 'GetSchemaVersion', 'GetSchemaVersion']);
      assert.equal(await glue.getSchemaByVersionId(id), READER_WITH_SESSION_SCHEMA);
    } finally {
      fake.pendingPolls = 0;
    }
  });

  test('a version that fails the compatibility check is SERDE_SCHEMA_INCOMPATIBLE', async () => {
    await glue.getOrRegisterVersionId({ registryName: 'default-registry', schemaName: 'strict' }, PRODUCER_SCHEMA, true);
    fake.failDefinition = (d) => d.includes('sessionid');
    try {
      await assert.rejects(
        glue.getOrRegisterVersionId({ registryName: 'default-registry', schemaName: 'strict' }, READER_WITH_SESSION_SCHEMA, true),
        isSerdeError(SerdeErrorCode.SCHEMA_INCOMPATIBLE, 'FAILURE'),
      );
    } finally {
      fake.failDefinition = () => false;
    }
  });

  test('an unknown registry is SERDE_REGISTRY_ERROR saying to create it', async () => {
    await assert.rejects(
      glue.getOrRegisterVersionId({ registryName: 'no-such-registry', schemaName: 's' }, PRODUCER_SCHEMA, true),
      isSerdeError(SerdeErrorCode.REGISTRY_ERROR, "registry 'no-such-registry' not found"),
    );
  });

  test('an invalid definition is SERDE_INVALID_SCHEMA', async () => {
    await assert.rejects(
      glue.getOrRegisterVersionId({ registryName: 'default-registry', schemaName: 'bad' }, '{not json', true),
      isSerdeError(SerdeErrorCode.INVALID_SCHEMA, 'AVRO data format is invalid'),
    );
  });
});

describe('get by version UUID', () => {
  test('returns the definition', async () => {
    const id = fake.addVersion('default-registry', 'direct', READER_SCHEMA);
    assert.equal(await glue.getSchemaByVersionId(id), READER_SCHEMA);
  });

  test('an unknown UUID is SERDE_UNKNOWN_SCHEMA naming it', async () => {
    const unknown = '0fffffff-ffff-4fff-8fff-ffffffffffff';
    await assert.rejects(glue.getSchemaByVersionId(unknown), (err: unknown) => {
      isSerdeError(SerdeErrorCode.UNKNOWN_SCHEMA, unknown)(err);
      assert.equal((err as SerdeError).schemaVersionId, unknown);
      assert.equal((err as SerdeError).registryCode, 'EntityNotFoundException');
      return true;
    });
  });

  test('Confluent calls are SERDE_UNSUPPORTED', async () => {
    await assert.rejects(glue.getSchemaById(1), isSerdeError(SerdeErrorCode.UNSUPPORTED));
    await assert.rejects(glue.getOrRegisterId('s'), isSerdeError(SerdeErrorCode.UNSUPPORTED));
  });
});

describe('outages', () => {
  test('a 500 is retried by the SDK', async () => {
    const id = fake.addVersion('default-registry', 'flaky', READER_SCHEMA);
    const client = new GlueRegistryClient({ endpoint: fake.endpoint, credentials, maxAttempts: 2 });
    try {
      fake.failNext(1);
      assert.equal(await client.getSchemaByVersionId(id), READER_SCHEMA);
      fake.failNext(2);
      await assert.rejects(client.getSchemaByVersionId(id), isSerdeError(SerdeErrorCode.REGISTRY_UNAVAILABLE, 'InternalServiceException'));
    } finally {
      fake.failNext(0);
      client.close();
    }
  });

  test('AccessDeniedException is SERDE_REGISTRY_AUTH', async () => {
    fake.failNext(1, 'AccessDeniedException', 400);
    await assert.rejects(
      glue.getSchemaByVersionId('0fffffff-ffff-4fff-8fff-ffffffffffff'),
      isSerdeError(SerdeErrorCode.REGISTRY_AUTH, 'credentials'),
    );
  });

  test('connection refused is SERDE_REGISTRY_UNAVAILABLE', async () => {
    const port = await closedPort();
    const client = new GlueRegistryClient({ endpoint: `http://127.0.0.1:${port}`, credentials, maxAttempts: 1 });
    try {
      await assert.rejects(
        client.getSchemaByVersionId('0fffffff-ffff-4fff-8fff-ffffffffffff'),
        isSerdeError(SerdeErrorCode.REGISTRY_UNAVAILABLE),
      );
    } finally {
      client.close();
    }
  });
});

describe('Glue framing end to end', () => {
  for (const compression of ['none', 'zlib'] as const) {
    test(`encode with auto-registration, decode with the original reader namespace (${compression})`, async () => {
      const encoder = await AvroEncoder.create<ClickEvent>({
        schema: PRODUCER_SCHEMA,
        topic: `e2e-${compression}`,
        framing: 'glue',
        compression,
        source: glue,
        autoRegister: true,
      });
      const decoder = new AvroDecoder<ClickEvent>({ source: glue, readerSchema: READER_SCHEMA });
      const gets = fake.count('GetSchemaVersion');
      for (let i = 0; i < 100; i++) {
        const bytes = encoder.encodeCopy(clickEvent(i));
        assert.equal(bytes[1], compression === 'zlib' ? 5 : 0);
        assert.deepStrictEqual(await decoder.decode(bytes), clickEvent(i));
      }
      assert.equal(fake.count('GetSchemaVersion') - gets, 1);
      assert.equal(encoder.subject, `default-registry/e2e-${compression}`);
    });
  }
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
