// Every exception the Glue API emits, as the AWS SDK surfaces it (its own exception classes) and as
// it goes over the wire; protocol failures: unknown operation, malformed JSON, oversized bodies.
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import {
  AccessDeniedException,
  AlreadyExistsException,
  ConcurrentModificationException,
  CreateRegistryCommand,
  EntityNotFoundException,
  GetRegistryCommand,
  GetSchemaVersionCommand,
  GetTableCommand,
  GlueServiceException,
  InternalServiceException,
  InvalidInputException,
  ListRegistriesCommand,
  RegisterSchemaVersionCommand,
  ResourceNumberLimitExceededException,
} from '@aws-sdk/client-glue';
import { GlueError } from '../../../src/registry/glue/errors.ts';
import { createGlueHandler, isGlueRequest } from '../../../src/registry/glue/handler.ts';
import { rawCall, startGlueHarness } from './harness.ts';
import { MemoryGlueBackend } from './memory-backend.ts';

test('each backend error reaches the SDK as its own exception class, with status and message', async () => {
  const backend = new MemoryGlueBackend({ maxRegistries: 2 });
  const h = await startGlueHarness({ backend });
  try {
    const get = () => h.client.send(new GetRegistryCommand({ RegistryId: { RegistryName: 'r' } }));
    const cases: [string, () => Promise<unknown>, new (...args: any[]) => GlueServiceException, number, RegExp][] = [
      ['EntityNotFoundException', get, EntityNotFoundException, 400, /Registry not found: 'r'/],
      [
        'AlreadyExistsException',
        async () => {
          await h.client.send(new CreateRegistryCommand({ RegistryName: 'r' }));
          return h.client.send(new CreateRegistryCommand({ RegistryName: 'r' }));
        },
        AlreadyExistsException,
        400,
        /Registry already exists: 'r'/,
      ],
      [
        'ResourceNumberLimitExceededException',
        () => h.client.send(new CreateRegistryCommand({ RegistryName: 'r2' })),
        ResourceNumberLimitExceededException,
        400,
        /At most 2 registries/,
      ],
      [
        'InvalidInputException',
        () => h.client.send(new CreateRegistryCommand({ RegistryName: 'a b' })),
        InvalidInputException,
        400,
        /regular expression pattern/,
      ],
      [
        'ConcurrentModificationException',
        () => {
          backend.faults.set(
            'getRegistry',
            new GlueError('ConcurrentModificationException', 'Registry r changed while this request ran; retry'),
          );
          return get();
        },
        ConcurrentModificationException,
        400,
        /changed while this request ran/,
      ],
      [
        'AccessDeniedException',
        () => {
          backend.faults.set('getRegistry', new GlueError('AccessDeniedException', 'principal x may not read registry r'));
          return get();
        },
        AccessDeniedException,
        400,
        /may not read registry r/,
      ],
      [
        'InternalServiceException',
        () => {
          backend.faults.set('getRegistry', new GlueError('InternalServiceException', 'the schemas topic is unavailable; retry'));
          return get();
        },
        InternalServiceException,
        500,
        /schemas topic is unavailable/,
      ],
    ];
    for (const [name, call, ctor, status, message] of cases) {
      const err = await call().then(
        () => assert.fail(`${name}: the call succeeded`),
        (e: unknown) => e,
      );
      assert.ok(err instanceof ctor, `${name}: got ${String(err)}`);
      assert.equal(err.name, name);
      assert.equal(err.$metadata.httpStatusCode, status, name);
      assert.equal(err.$fault, status === 500 ? 'server' : 'client', name);
      assert.match(err.message, message, name);
      assert.match(err.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/, `${name}: request id`);
    }
  } finally {
    await h.close();
  }
});

test('an unexpected backend failure is an InternalServiceException that does not leak the cause', async () => {
  const backend = new MemoryGlueBackend();
  const h = await startGlueHarness({ backend });
  try {
    const cause = new Error('ECONNREFUSED 10.1.2.3:9092 secret-detail');
    backend.faults.set('listRegistries', cause);
    const seen: unknown[] = [];
    const onEvent = (event: unknown) => seen.push(event);
    diagnostics.subscribe('brook:registry:glue', onEvent);
    const err = await h.client.send(new ListRegistriesCommand({})).catch((e: unknown) => e);
    diagnostics.unsubscribe('brook:registry:glue', onEvent);
    // The cause goes to the diagnostics channel, for the operator, and not to the client.
    assert.deepEqual(
      seen.map((e) => ({ ...(e as object), durationMs: 0 })),
      [{ operation: 'ListRegistries', status: 500, errorType: 'InternalServiceException', durationMs: 0, cause }],
    );
    assert.ok(err instanceof InternalServiceException, String(err));
    assert.equal(err.$metadata.httpStatusCode, 500);
    assert.doesNotMatch(err.message, /secret-detail/);
    // And the next request is served normally.
    assert.equal((await h.client.send(new ListRegistriesCommand({}))).Registries?.length, 1);
  } finally {
    await h.close();
  }
});

test('the wire shape of an error: __type and Message in the body, x-amzn-ErrorType and a request id in the headers', async () => {
  const h = await startGlueHarness();
  try {
    const res = await rawCall(h.url, 'AWSGlue.GetRegistry', '{"RegistryId":{"RegistryName":"nope"}}');
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('content-type'), 'application/x-amz-json-1.1');
    assert.equal(res.headers.get('x-amzn-errortype'), 'EntityNotFoundException');
    assert.match(res.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
    assert.deepEqual(res.json, { __type: 'EntityNotFoundException', Message: "Registry not found: 'nope'" });
    // Without signature headers the request is served all the same (verification comes with security).
    const ok = await rawCall(h.url, 'AWSGlue.GetRegistry', '{"RegistryId":{"RegistryName":"default-registry"}}');
    assert.equal(ok.status, 200);
    assert.equal(ok.json.RegistryName, 'default-registry');
  } finally {
    await h.close();
  }
});

test('an operation Brook does not implement is UnknownOperationException, from the SDK and raw', async () => {
  const h = await startGlueHarness();
  try {
    const err = await h.client.send(new GetTableCommand({ DatabaseName: 'd', Name: 't' })).catch((e: unknown) => e);
    assert.ok(err instanceof GlueServiceException, String(err));
    assert.equal(err.name, 'UnknownOperationException');
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.match(err.message, /does not implement 'GetTable'.*RegisterSchemaVersion/);

    const raw = await rawCall(h.url, 'AWSGlue.NoSuchThing', '{}');
    assert.equal(raw.status, 400);
    assert.equal(raw.json.__type, 'UnknownOperationException');
    assert.equal(raw.headers.get('x-amzn-errortype'), 'UnknownOperationException');
    // Inherited property names are not operations.
    assert.equal((await rawCall(h.url, 'AWSGlue.constructor', '{}')).json.__type, 'UnknownOperationException');
  } finally {
    await h.close();
  }
});

test('malformed JSON, a body that is not an object, and members of the wrong type are SerializationException', async () => {
  const h = await startGlueHarness();
  try {
    for (const [body, message] of [
      ['{"RegistryId": {', /not valid JSON/],
      ['[1,2]', /must be a JSON object/],
      ['"text"', /must be a JSON object/],
      ['{"RegistryId": "default-registry"}', /'RegistryId' must be an object, got string/],
      ['{"RegistryId": {"RegistryName": 7}}', /'RegistryId.RegistryName' must be a string, got number/],
    ] as const) {
      const res = await rawCall(h.url, 'AWSGlue.GetRegistry', body);
      assert.equal(res.status, 400, body);
      assert.equal(res.json.__type, 'SerializationException', body);
      assert.match(res.json.Message, message, body);
    }
    const wrongNumber = await rawCall(h.url, 'AWSGlue.ListRegistries', '{"MaxResults": 1.5}');
    assert.match(wrongNumber.json.Message, /'MaxResults' must be an integer/);
    const wrongMap = await rawCall(h.url, 'AWSGlue.CreateRegistry', '{"RegistryName": "x", "Tags": {"a": 1}}');
    assert.match(wrongMap.json.Message, /'Tags.a' must be a string/);
    const wrongList = await rawCall(h.url, 'AWSGlue.QuerySchemaVersionMetadata', '{"MetadataList": {}}');
    assert.match(wrongList.json.Message, /'MetadataList' must be a list/);
    // An empty body is an empty input: here it fails validation, not parsing.
    const empty = await rawCall(h.url, 'AWSGlue.GetRegistry', '');
    assert.deepEqual(empty.json, { __type: 'InvalidInputException', Message: "'RegistryId' is required" });
  } finally {
    await h.close();
  }
});

test('a body over the limit is refused with 413 and the connection closed, whether declared or streamed', async () => {
  const h = await startGlueHarness({ maxBodyBytes: 1024 });
  try {
    const declared = await rawCall(h.url, 'AWSGlue.RegisterSchemaVersion', JSON.stringify({ SchemaDefinition: 'x'.repeat(5000) }));
    assert.equal(declared.status, 413);
    assert.equal(declared.json.__type, 'RequestEntityTooLargeException');
    assert.equal(declared.headers.get('connection'), 'close');
    assert.match(declared.json.Message, /exceeds 1024 bytes/);

    // Chunked, with no Content-Length: the limit applies while reading.
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode(' '.repeat(500)));
        controller.close();
      },
    });
    const streamed = await fetch(`${h.url}/`, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSGlue.ListRegistries' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    assert.equal(streamed.status, 413);

    const sdk = await h.client
      .send(
        new RegisterSchemaVersionCommand({
          SchemaId: { RegistryName: 'default-registry', SchemaName: 's' },
          SchemaDefinition: 'y'.repeat(4000),
        }),
      )
      .catch((e: unknown) => e);
    assert.ok(sdk instanceof GlueServiceException, String(sdk));
    assert.equal(sdk.name, 'RequestEntityTooLargeException');
    assert.equal(sdk.$metadata.httpStatusCode, 413);
    // The server still serves small requests.
    assert.equal((await h.client.send(new ListRegistriesCommand({}))).Registries?.length, 1);
  } finally {
    await h.close();
  }
});

test('isGlueRequest recognizes a POST with an AWSGlue target, on any path, and nothing else', () => {
  const req = (method: string, url: string, target?: string) =>
    ({ method, url, headers: target ? { 'x-amz-target': target } : {} }) as IncomingMessage;
  assert.equal(isGlueRequest(req('POST', '/', 'AWSGlue.GetSchema')), true);
  assert.equal(isGlueRequest(req('POST', '/?x=1', 'AWSGlue.GetSchema')), true);
  assert.equal(isGlueRequest(req('POST', '/glue/', 'AWSGlue.GetSchema')), true, 'an endpoint with a path');
  assert.equal(isGlueRequest(req('GET', '/', 'AWSGlue.GetSchema')), false);
  assert.equal(isGlueRequest(req('POST', '/', 'DynamoDB_20120810.GetItem')), false);
  assert.equal(isGlueRequest(req('POST', '/')), false);
});

test('the handler mounted alone answers a request that is not a Glue call with UnknownOperationException', async () => {
  const handler = createGlueHandler({ backend: new MemoryGlueBackend() });
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const res = await fetch(`${url}/subjects`);
    assert.equal(res.status, 400);
    const body = (await res.json()) as { __type: string; Message: string };
    assert.equal(body.__type, 'UnknownOperationException');
    assert.match(body.Message, /a POST with X-Amz-Target: AWSGlue.<Operation>; got GET with none/);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('the handler refuses a region or account id that would make malformed ARNs', () => {
  const backend = new MemoryGlueBackend();
  assert.throws(() => createGlueHandler({ backend, region: 'US East' }), /region 'US East'/);
  assert.throws(() => createGlueHandler({ backend, accountId: '42' }), /accountId '42' must be 12 digits/);
});

test('GetSchemaVersion names a version one way or the other', async () => {
  const h = await startGlueHarness();
  try {
    await assert.rejects(h.client.send(new GetSchemaVersionCommand({})), {
      name: 'InvalidInputException',
      message: 'Either SchemaVersionId, or SchemaId with SchemaVersionNumber, is required',
    });
    await assert.rejects(h.client.send(new GetSchemaVersionCommand({ SchemaVersionId: 'not-a-uuid' })), {
      name: 'InvalidInputException',
      message: `Value "not-a-uuid" at 'SchemaVersionId' failed to satisfy constraint: Member must have length greater than or equal to 36`,
    });
    await assert.rejects(h.client.send(new GetSchemaVersionCommand({ SchemaVersionId: 'ZZZZZZZZ-0000-4000-8000-000000000000' })), {
      name: 'InvalidInputException',
      message: /at 'SchemaVersionId' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    });
    await assert.rejects(
      h.client.send(
        new GetSchemaVersionCommand({
          SchemaId: { SchemaName: 's', RegistryName: 'default-registry' },
          SchemaVersionNumber: { LatestVersion: true, VersionNumber: 1 },
        }),
      ),
      { name: 'InvalidInputException', message: /either LatestVersion = true or VersionNumber, not both/ },
    );
    await assert.rejects(
      h.client.send(
        new GetSchemaVersionCommand({
          SchemaId: { SchemaName: 's', RegistryName: 'default-registry' },
          SchemaVersionNumber: { LatestVersion: false },
        }),
      ),
      { name: 'InvalidInputException', message: /must have LatestVersion = true or a VersionNumber/ },
    );
    await assert.rejects(
      h.client.send(
        new GetSchemaVersionCommand({
          SchemaId: { SchemaName: 's', RegistryName: 'default-registry' },
          SchemaVersionNumber: { VersionNumber: 0 },
        }),
      ),
      {
        name: 'InvalidInputException',
        message: `Value 0 at 'SchemaVersionNumber.VersionNumber' failed to satisfy constraint: Member must have value greater than or equal to 1`,
      },
    );
  } finally {
    await h.close();
  }
});
