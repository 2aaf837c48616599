// The Confluent REST API over HTTP against a registry on a real broker: every endpoint, and every
// error code with its HTTP status (40401..40409, 409, 42201..42205, 42207, 50001, 404, 405, 413, 415).
import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { after, before, describe, test } from 'node:test';
import { type Registry, startRegistry } from '../../../src/registry/server.ts';
import { startTempBroker, type TempBroker } from '../../helpers/temp-broker.ts';
import { record } from '../store/helpers.ts';

const SR = 'application/vnd.schemaregistry.v1+json';

interface Answer {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

function client(base: () => string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': SR, ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  };
}

function expectError(a: Answer, status: number, errorCode: number, message?: RegExp): void {
  assert.equal(a.status, status, a.text);
  assert.equal(a.body.error_code, errorCode, a.text);
  assert.equal(typeof a.body.message, 'string');
  if (message) assert.match(a.body.message, message);
}

const V1 = record('User', [['name', 'string']], { namespace: 'ex' });
const V2 = record(
  'User',
  [
    ['name', 'string'],
    ['age', 'int', 0],
  ],
  { namespace: 'ex' },
);
const BREAKING = record(
  'User',
  [
    ['name', 'string'],
    ['email', 'string'],
  ],
  { namespace: 'ex' },
);

describe('Confluent REST API', () => {
  let tb: TempBroker;
  let registry: Registry;
  const api = client(() => registry.url);
  before(async () => {
    tb = await startTempBroker();
    registry = await startRegistry({ port: 0, bootstrap: tb.bootstrap, store: { writeTimeoutMs: 5000, readTimeoutMs: 5000 } });
  });
  after(async () => {
    await registry?.close();
    await tb.dispose();
  });

  test('GET / and /schemas/types; answers in the registry content type', async () => {
    const root = await api('GET', '/');
    assert.equal(root.status, 200);
    assert.deepEqual(root.body, {});
    assert.equal(root.headers.get('content-type'), SR);
    assert.deepEqual((await api('GET', '/schemas/types')).body, ['AVRO']);
  });

  test('register, dedup, look up, read back by subject/version and by id', async () => {
    const r1 = await api('POST', '/subjects/users-value/versions', { schema: V1 });
    assert.equal(r1.status, 200, r1.text);
    assert.deepEqual(r1.body, { id: 1 });
    const again = await api('POST', '/subjects/users-value/versions', {
      schema: JSON.stringify(JSON.parse(V1), null, 2),
      schemaType: 'AVRO',
    });
    assert.deepEqual(again.body, { id: 1 }, 'whitespace does not make a new schema');
    assert.deepEqual((await api('POST', '/subjects/users-value/versions', { schema: V2 })).body, { id: 2 });

    assert.deepEqual((await api('GET', '/subjects')).body, ['users-value']);
    assert.deepEqual((await api('GET', '/subjects/users-value/versions')).body, [1, 2]);
    assert.deepEqual((await api('GET', '/subjects/users-value/versions/1')).body, {
      subject: 'users-value',
      version: 1,
      id: 1,
      schema: V1,
    });
    for (const latest of ['latest', '-1']) {
      assert.equal((await api('GET', `/subjects/users-value/versions/${latest}`)).body.version, 2);
    }
    const raw = await api('GET', '/subjects/users-value/versions/2/schema');
    assert.equal(raw.text, V2);
    assert.deepEqual((await api('GET', '/subjects/users-value/versions/1/referencedby')).body, []);

    assert.deepEqual((await api('GET', '/schemas/ids/2')).body, { schema: V2 });
    assert.equal((await api('GET', '/schemas/ids/1/schema')).text, V1);
    assert.deepEqual((await api('GET', '/schemas/ids/1/subjects')).body, ['users-value']);
    assert.deepEqual((await api('GET', '/schemas/ids/1/versions')).body, [{ subject: 'users-value', version: 1 }]);
    const all = await api('GET', '/schemas?latestOnly=true');
    assert.deepEqual(
      all.body.map((s: { subject: string; version: number }) => [s.subject, s.version]),
      [['users-value', 2]],
    );

    const found = await api('POST', '/subjects/users-value', { schema: V1 });
    assert.deepEqual(found.body, { subject: 'users-value', version: 1, id: 1, schema: V1 });
    expectError(await api('POST', '/subjects/users-value', { schema: record('Nope', [['x', 'int']]) }), 404, 40403);
    expectError(await api('POST', '/subjects/nobody', { schema: V1 }), 404, 40401);
  });

  test('plain JSON and octet-stream bodies are accepted; other content types get 415', async () => {
    const plain = await api('POST', '/subjects/ct/versions', { schema: V1 }, { 'content-type': 'application/json' });
    assert.equal(plain.status, 200, plain.text);
    const octet = await api('POST', '/subjects/ct/versions', { schema: V1 }, { 'content-type': 'application/octet-stream' });
    assert.equal(octet.status, 200, octet.text);
    expectError(await api('POST', '/subjects/ct/versions', { schema: V1 }, { 'content-type': 'text/plain' }), 415, 415, /not accepted/);
  });

  test('bad bodies: 400 for broken JSON, 413 past the size limit, 42201 for a missing or invalid schema', async () => {
    expectError(await api('POST', '/subjects/bad/versions', '{"schema": '), 400, 400, /not valid JSON/);
    expectError(await api('POST', '/subjects/bad/versions', '[1,2]'), 400, 400, /JSON object/);
    expectError(await api('POST', '/subjects/bad/versions', {}), 422, 42201, /Empty schema/);
    expectError(
      await api('POST', '/subjects/bad/versions', { schema: '{"type":"record","name":"X","fields":[{"name":"a","type":"nope"}]}' }),
      422,
      42201,
      /nope/,
    );
    expectError(await api('POST', '/subjects/bad/versions', { schema: '{}', schemaType: 'PROTOBUF' }), 422, 42201, /not supported/);
    const huge = await api('POST', '/subjects/bad/versions', { schema: 'x'.repeat(3 * 1024 * 1024) });
    expectError(huge, 413, 413, /exceeds/);
  });

  test('URL-encoded subjects', async () => {
    const subject = 'team/a b:c-value';
    const enc = encodeURIComponent(subject);
    assert.equal((await api('POST', `/subjects/${enc}/versions`, { schema: V1 })).status, 200);
    assert.ok((await api('GET', '/subjects')).body.includes(subject));
    assert.equal((await api('GET', `/subjects/${enc}/versions/1`)).body.subject, subject);
  });

  test('40401, 40402, 40403, 42202 on reads', async () => {
    expectError(await api('GET', '/subjects/ghost/versions'), 404, 40401, /ghost/);
    expectError(await api('GET', '/subjects/ghost/versions/1'), 404, 40401);
    expectError(await api('GET', '/subjects/users-value/versions/99'), 404, 40402, /99/);
    expectError(await api('GET', '/schemas/ids/999'), 404, 40403, /999/);
    expectError(await api('GET', '/schemas/ids/abc'), 404, 40403);
    for (const v of ['0', 'abc', '-2', '99999999999'])
      expectError(await api('GET', `/subjects/users-value/versions/${v}`), 422, 42202, /not a valid version/);
  });

  test('409 with the reasons; compatibility checks with and without verbose', async () => {
    const refused = await api('POST', '/subjects/users-value/versions', { schema: BREAKING });
    expectError(refused, 409, 409, /incompatible.*READER_FIELD_MISSING_DEFAULT_VALUE.*email/);

    const no = await api('POST', '/compatibility/subjects/users-value/versions/latest?verbose=true', { schema: BREAKING });
    assert.equal(no.body.is_compatible, false);
    assert.ok(
      no.body.messages.some((m: string) => m.includes('READER_FIELD_MISSING_DEFAULT_VALUE')),
      no.text,
    );
    assert.deepEqual((await api('POST', '/compatibility/subjects/users-value/versions/1', { schema: BREAKING })).body, {
      is_compatible: false,
    });
    const yes = await api('POST', '/compatibility/subjects/users-value/versions?verbose=true', {
      schema: record(
        'User',
        [
          ['name', 'string'],
          ['age', 'int', 0],
          ['x', 'long', 1],
        ],
        { namespace: 'ex' },
      ),
    });
    assert.deepEqual(yes.body, { is_compatible: true, messages: [] });
    assert.deepEqual((await api('POST', '/compatibility/subjects/new-subject/versions', { schema: V1 })).body, { is_compatible: true });
    expectError(await api('POST', '/compatibility/subjects/new-subject/versions/latest', { schema: V1 }), 404, 40401);
    expectError(await api('POST', '/compatibility/subjects/users-value/versions/7', { schema: V1 }), 404, 40402);
    expectError(await api('POST', '/compatibility/subjects/users-value/versions/zero', { schema: V1 }), 422, 42202);
  });

  test('config: global and per subject, defaultToGlobal, 40408, 42203, delete', async () => {
    assert.deepEqual((await api('GET', '/config')).body, { compatibilityLevel: 'BACKWARD' });
    expectError(await api('GET', '/config/users-value'), 404, 40408);
    assert.deepEqual((await api('GET', '/config/users-value?defaultToGlobal=true')).body, { compatibilityLevel: 'BACKWARD' });
    assert.deepEqual((await api('PUT', '/config/users-value', { compatibility: 'none' })).body, { compatibility: 'NONE' });
    assert.deepEqual((await api('GET', '/config/users-value')).body, { compatibilityLevel: 'NONE' });
    assert.equal((await api('POST', '/subjects/users-value/versions', { schema: BREAKING })).status, 200, 'NONE accepts it');
    assert.deepEqual((await api('DELETE', '/config/users-value')).body, { compatibilityLevel: 'NONE' });
    expectError(await api('DELETE', '/config/users-value'), 404, 40408);
    assert.deepEqual((await api('PUT', '/config', { compatibility: 'FULL' })).body, { compatibility: 'FULL' });
    assert.deepEqual((await api('GET', '/config/users-value?defaultToGlobal=true')).body, { compatibilityLevel: 'FULL' });
    expectError(await api('PUT', '/config', { compatibility: 'SOMETIMES' }), 422, 42203, /Valid values/);
    expectError(await api('PUT', '/config/users-value', {}), 422, 42203);
    assert.deepEqual((await api('DELETE', '/config')).body, { compatibilityLevel: 'FULL' });
    assert.deepEqual((await api('GET', '/config')).body, { compatibilityLevel: 'BACKWARD' });
  });

  test('mode: READONLY refuses writes with 42205, subject override, IMPORT with ids, 42204, 40409', async () => {
    assert.deepEqual((await api('GET', '/mode')).body, { mode: 'READWRITE' });
    assert.deepEqual((await api('PUT', '/mode', { mode: 'READONLY' })).body, { mode: 'READONLY' });
    expectError(await api('POST', '/subjects/ro/versions', { schema: V1 }), 422, 42205, /read-only/);
    expectError(await api('DELETE', '/subjects/users-value/versions/1'), 422, 42205);
    expectError(await api('GET', '/mode/ro'), 404, 40409);
    assert.deepEqual((await api('GET', '/mode/ro?defaultToGlobal=true')).body, { mode: 'READONLY' });
    assert.deepEqual((await api('PUT', '/mode/ro', { mode: 'READWRITE' })).body, { mode: 'READWRITE' });
    assert.equal((await api('POST', '/subjects/ro/versions', { schema: V1 })).status, 200);
    assert.deepEqual((await api('DELETE', '/mode/ro')).body, { mode: 'READWRITE' });
    assert.deepEqual((await api('PUT', '/mode', { mode: 'READWRITE' })).body, { mode: 'READWRITE' });
    expectError(await api('PUT', '/mode', { mode: 'SIDEWAYS' }), 422, 42204);

    expectError(await api('POST', '/subjects/imported/versions', { schema: V1, id: 100, version: 1 }), 422, 42205, /import mode/);
    expectError(await api('PUT', '/mode', { mode: 'IMPORT' }), 422, 42205, /existing subjects/);
    assert.deepEqual((await api('PUT', '/mode/imported', { mode: 'IMPORT' })).body, { mode: 'IMPORT' });
    assert.deepEqual((await api('POST', '/subjects/imported/versions', { schema: V1, id: 100, version: 3 })).body, { id: 100 });
    assert.deepEqual((await api('GET', '/subjects/imported/versions')).body, [3]);
    expectError(await api('POST', '/subjects/imported/versions', { schema: V2, id: 100, version: 4 }), 422, 42207);
    assert.deepEqual((await api('PUT', '/mode/imported', { mode: 'READWRITE' })).body, { mode: 'READWRITE' });
  });

  test('deletes: soft, then permanent; 40404, 40405, 40406, 40407; deleted=true', async () => {
    const s = '/subjects/del-value';
    await api('POST', `${s}/versions`, { schema: V1 });
    await api('POST', `${s}/versions`, { schema: V2 });
    expectError(await api('DELETE', `${s}/versions/1?permanent=true`), 404, 40407);
    assert.deepEqual((await api('DELETE', `${s}/versions/1`)).body, 1);
    expectError(await api('DELETE', `${s}/versions/1`), 404, 40406);
    assert.deepEqual((await api('GET', `${s}/versions`)).body, [2]);
    assert.deepEqual((await api('GET', `${s}/versions?deleted=true`)).body, [1, 2]);
    assert.equal((await api('GET', `${s}/versions/1?deleted=true`)).body.version, 1);
    assert.deepEqual((await api('DELETE', `${s}/versions/1?permanent=true`)).body, 1);
    expectError(await api('DELETE', `${s}?permanent=true`), 404, 40405);
    assert.deepEqual((await api('DELETE', s)).body, [2]);
    expectError(await api('DELETE', s), 404, 40404);
    assert.ok(!(await api('GET', '/subjects')).body.includes('del-value'));
    assert.ok((await api('GET', '/subjects?deleted=true')).body.includes('del-value'));
    assert.deepEqual((await api('DELETE', `${s}?permanent=true`)).body, [2]);
    expectError(await api('GET', `${s}/versions?deleted=true`), 404, 40401);
    expectError(await api('DELETE', s), 404, 40401);
  });

  test('404 for unknown routes, 405 (with Allow) for a wrong method', async () => {
    expectError(await api('GET', '/nowhere'), 404, 404, /No such endpoint/);
    expectError(await api('GET', '/subjects/a/b/c/d/e'), 404, 404);
    const wrong = await api('PATCH', '/subjects');
    expectError(wrong, 405, 405, /PATCH is not allowed/);
    assert.equal(wrong.headers.get('allow'), 'GET');
    expectError(await api('PUT', '/subjects/x/versions', { schema: V1 }), 405, 405);
  });

  test('every request is reported on the brook:registry:http channel', async () => {
    const seen: { method: string; status: number; errorCode?: number }[] = [];
    const listener = (m: unknown) => seen.push(m as (typeof seen)[number]);
    subscribe('brook:registry:http', listener);
    try {
      await api('GET', '/subjects');
      await api('GET', '/schemas/ids/12345');
    } finally {
      unsubscribe('brook:registry:http', listener);
    }
    assert.deepEqual(
      seen.map((e) => [e.method, e.status, e.errorCode]),
      [
        ['GET', 200, undefined],
        ['GET', 404, 40403],
      ],
    );
  });
});

describe('Confluent REST API without Kafka', () => {
  test('a write with the broker gone answers 50001 quickly, saying what to check', async () => {
    const tb = await startTempBroker();
    const registry = await startRegistry({ port: 0, bootstrap: tb.bootstrap, store: { writeTimeoutMs: 10_000, readTimeoutMs: 10_000 } });
    try {
      const api = client(() => registry.url);
      assert.equal((await api('POST', '/subjects/s/versions', { schema: V1 })).status, 200);
      await tb.dispose();
      const started = performance.now();
      const down = await api('POST', '/subjects/s/versions', { schema: V2 });
      expectError(down, 500, 50001, /Kafka is running/);
      assert.ok(performance.now() - started < 8000, 'fails well before the write timeout');
      expectError(await api('GET', '/subjects'), 500, 50001);
      assert.deepEqual((await api('GET', '/schemas/ids/1')).body, { schema: V1 }, 'a known id is still served');
    } finally {
      await registry.close();
    }
  });

  test('a write that cannot complete in time answers 50002', async () => {
    const tb = await startTempBroker();
    const registry = await startRegistry({ port: 0, bootstrap: tb.bootstrap, store: { writeTimeoutMs: 1, readTimeoutMs: 5000 } });
    try {
      const api = client(() => registry.url);
      expectError(await api('PUT', '/config', { compatibility: 'FULL' }), 500, 50002, /Timed out/);
    } finally {
      await registry.close();
      await tb.dispose();
    }
  });
});
