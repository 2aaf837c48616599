// The registry over HTTPS with users: @kafkajs/confluent-schema-registry and Brook's own clients
// trust the test CA and sign in with basic auth or a client certificate; read-only may read, look
// up and test, admin may also register, configure and delete; 401 and 403 in Confluent's shape.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { parseCommandArgs } from '../../src/cli/command.ts';
import { generateCommand } from '../../src/cli/generate-command.ts';
import { createWebUsersCommand } from '../../src/cli/web-users-command.ts';
import { parseGenerateConfig } from '../../src/generator/options.ts';
import { runGenerate } from '../../src/generator/run.ts';
import { ConfluentRestClient, type SerdeError } from '../../src/registry/serde/index.ts';
import { type Registry, startRegistry } from '../../src/registry/server.ts';
import { runCli } from '../cli/ops/helpers.ts';
import { startTempBroker, type TempBroker, tempDir } from '../helpers/temp-broker.ts';
import { ADMIN, basic, httpsCall, makeWebAuthFixture, READER, type WebAuthFixture } from '../security/http-fixtures.ts';

const SCHEMA = JSON.stringify({ type: 'record', name: 'Ping', fields: [{ name: 'n', type: 'int' }] });
const SCHEMA_V2 = JSON.stringify({
  type: 'record',
  name: 'Ping',
  fields: [
    { name: 'n', type: 'int' },
    { name: 'm', type: 'int', default: 0 },
  ],
});
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'brook.js');

describe('the registry over HTTPS with basic auth and client certificates', { timeout: 60_000 }, () => {
  const dir = tempDir('brook-registry-auth-');
  let fx: WebAuthFixture;
  let tb: TempBroker;
  let registry: Registry;
  let strict: Registry;

  before(async () => {
    fx = await makeWebAuthFixture(dir);
    tb = await startTempBroker();
    const tls = { cert: fx.pki.server.cert, key: fx.pki.server.key, ca: fx.pki.ca.ca };
    // 'requested': passwords and certificates on one port; 'required': mutual TLS only.
    registry = await startRegistry({
      port: 0,
      bootstrap: tb.bootstrap,
      tls: { ...tls, clientAuth: 'requested' },
      auth: { usersFile: fx.usersFile },
    });
    strict = await startRegistry({
      port: 0,
      bootstrap: tb.bootstrap,
      tls: { ...tls, clientAuth: 'required' },
      auth: { usersFile: fx.usersFile },
    });
  });
  after(async () => {
    await registry?.close();
    await strict?.close();
    await tb?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = (opts: { auth?: { username: string; password: string }; cert?: { cert: Buffer; key: Buffer } }) =>
    new SchemaRegistry({
      host: registry.url,
      ...(opts.auth ? { auth: opts.auth } : {}),
      agent: new Agent({ ca: fx.pki.ca.ca, ...(opts.cert ?? {}) }),
      retry: { retries: 0 },
    });

  test('the URL is https, and the CA is what makes it trusted', async () => {
    assert.match(registry.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const trusted = await httpsCall(registry.url, '/subjects', { ca: fx.pki.ca.ca, headers: { authorization: basic(READER) } });
    assert.equal(trusted.status, 200);
    await assert.rejects(httpsCall(registry.url, '/subjects'), /self-signed certificate|unable to (get|verify)/i);
  });

  test('@kafkajs/confluent-schema-registry: admin registers, read-only reads but cannot register', async () => {
    const admin = client({ auth: ADMIN });
    const { id } = await admin.register({ type: SchemaType.AVRO, schema: SCHEMA }, { subject: 'ping-value' });
    assert.ok(id > 0);

    const reader = client({ auth: READER });
    assert.equal(await reader.getLatestSchemaId('ping-value'), id);
    assert.equal(JSON.stringify(await reader.getSchema(id)).includes('Ping'), true);
    const refused = await reader.register({ type: SchemaType.AVRO, schema: SCHEMA_V2 }, { subject: 'ping-value' }).then(
      () => assert.fail('a read-only user registered a schema'),
      (e: { status?: number; message: string }) => e,
    );
    assert.equal(refused.status, 403);
    assert.match(refused.message, /user reader is read-only; this request needs the admin role/);
  });

  test('no credentials, a wrong password or an unknown user: 401 with the challenge, error_code 40101', async () => {
    const cases: [string, Record<string, string>][] = [
      ['no credentials', {}],
      ['wrong password', { authorization: basic({ username: ADMIN.username, password: 'guess' }) }],
      ['unknown user', { authorization: basic({ username: 'mallory', password: 'guess' }) }],
      ['another scheme', { authorization: 'Bearer abc' }],
    ];
    for (const [what, headers] of cases) {
      const a = await httpsCall(registry.url, '/subjects', { ca: fx.pki.ca.ca, headers });
      assert.equal(a.status, 401, what);
      assert.equal(a.headers['www-authenticate'], 'Basic realm="brook-registry", charset="UTF-8"', what);
      assert.equal(a.json.error_code, 40101, what);
      assert.equal(typeof a.json.message, 'string', what);
    }
    const reader = await client({ auth: { username: READER.username, password: 'nope' } })
      .getLatestSchemaId('ping-value')
      .catch((e) => e);
    assert.equal(reader.status, 401);
  });

  test('each role against every kind of request: read-only reads, looks up, tests; admin also writes', async () => {
    const call = (who: { username: string; password: string }, method: string, path: string, body?: unknown) =>
      httpsCall(registry.url, path, { method, body, ca: fx.pki.ca.ca, headers: { authorization: basic(who) } });
    const reads: [string, string, unknown?][] = [
      ['GET', '/subjects'],
      ['GET', '/subjects/ping-value/versions/latest'],
      ['GET', '/schemas/ids/1'],
      ['GET', '/config'],
      ['GET', '/mode'],
      ['POST', '/subjects/ping-value', { schema: SCHEMA }],
      ['POST', '/compatibility/subjects/ping-value/versions/latest', { schema: SCHEMA_V2 }],
    ];
    for (const [method, path, body] of reads) {
      assert.equal((await call(READER, method, path, body)).status, 200, `read-only ${method} ${path}`);
    }
    const writes: [string, string, unknown?][] = [
      ['POST', '/subjects/scratch-value/versions', { schema: SCHEMA }],
      ['POST', '/subjects/scratch-value/versions', { schema: SCHEMA_V2 }],
      ['PUT', '/config/scratch-value', { compatibility: 'NONE' }],
      ['PUT', '/mode/scratch-value', { mode: 'READWRITE' }],
      ['PUT', '/config', { compatibility: 'BACKWARD' }],
      ['DELETE', '/config/scratch-value'],
      ['DELETE', '/subjects/scratch-value/versions/1'],
      ['DELETE', '/subjects/scratch-value'],
    ];
    for (const [method, path, body] of writes) {
      const refused = await call(READER, method, path, body);
      assert.equal(refused.status, 403, `read-only ${method} ${path}`);
      assert.equal(refused.json.error_code, 40301);
      assert.equal(refused.headers['www-authenticate'], undefined, 'a 403 asks for no other login');
      assert.equal((await call(ADMIN, method, path, body)).status, 200, `admin ${method} ${path}: ${refused.text}`);
    }
  });

  test('client certificates: by subject (admin), by CN (read-only), unknown (403), another CA (refused by TLS)', async () => {
    const alice = client({ cert: fx.aliceCert });
    const { id } = await alice.register({ type: SchemaType.AVRO, schema: SCHEMA_V2 }, { subject: 'ping-value' });
    assert.ok(id > 0);

    const reader = client({ cert: fx.readerCert });
    assert.equal(await reader.getLatestSchemaId('ping-value'), id);
    const refused = await reader.register({ type: SchemaType.AVRO, schema: SCHEMA }, { subject: 'other-value' }).catch((e) => e);
    assert.equal(refused.status, 403);

    const nobody = await httpsCall(registry.url, '/subjects', { ca: fx.pki.ca.ca, cert: fx.nobodyCert });
    assert.equal(nobody.status, 403);
    assert.match(nobody.json.message, /CN=nobody,O=Brook belongs to no user: add one with 'brook web-users add/);

    // Mutual TLS: the handshake itself fails for a certificate of another CA, and for none at all.
    await assert.rejects(httpsCall(strict.url, '/subjects', { ca: fx.pki.ca.ca, cert: fx.pki.stranger }), (e: Error) => {
      assert.match(`${e.message} ${(e as NodeJS.ErrnoException).code}`, /unknown ca|alert|ECONNRESET|socket hang up/i);
      return true;
    });
    await assert.rejects(httpsCall(strict.url, '/subjects', { ca: fx.pki.ca.ca, headers: { authorization: basic(ADMIN) } }));
    assert.equal((await httpsCall(strict.url, '/subjects', { ca: fx.pki.ca.ca, cert: fx.readerCert })).status, 200);
    // 'requested' lets a client without a certificate in, but not one with an untrusted certificate.
    await assert.rejects(httpsCall(registry.url, '/subjects', { ca: fx.pki.ca.ca, cert: fx.pki.stranger }));
  });

  test('the Glue API on the same port: the same users and roles, in Glue error shapes', async () => {
    const glue = (target: string, opts: { cert?: typeof fx.aliceCert; auth?: string }) =>
      httpsCall(registry.url, '/', {
        method: 'POST',
        ca: fx.pki.ca.ca,
        ...(opts.cert ? { cert: opts.cert } : {}),
        headers: {
          'x-amz-target': `AWSGlue.${target}`,
          'content-type': 'application/x-amz-json-1.1',
          ...(opts.auth ? { authorization: opts.auth } : {}),
        },
        body: target === 'CreateRegistry' ? { RegistryName: 'auth-test' } : {},
      });
    const anonymous = await glue('ListRegistries', {});
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.__type, 'UnrecognizedClientException');
    assert.equal((await glue('ListRegistries', { cert: fx.readerCert })).status, 200);
    const denied = await glue('CreateRegistry', { auth: basic(READER) });
    assert.equal(denied.status, 403);
    assert.equal(denied.json.__type, 'AccessDeniedException');
    assert.equal((await glue('CreateRegistry', { cert: fx.aliceCert })).status, 200);
  });

  test("Brook's ConfluentRestClient: HTTPS with the CA and basic auth; the role decides, the CA is needed", async () => {
    const url = new URL(registry.url);
    url.username = ADMIN.username;
    url.password = ADMIN.password;
    const admin = new ConfluentRestClient({ url: url.href, tls: { ca: fx.pki.ca.ca }, retries: 0 });
    const id = await admin.getOrRegisterId('brook-client-value', SCHEMA, true);
    assert.match(await admin.getSchemaById(id), /Ping/);
    admin.close();

    const reader = new ConfluentRestClient({ url: registry.url, auth: READER, tls: { ca: fx.pki.ca.ca }, retries: 0 });
    assert.equal(await reader.getOrRegisterId('brook-client-value', SCHEMA, false), id);
    await assert.rejects(reader.getOrRegisterId('brook-client-value', SCHEMA_V2, true), (e: SerdeError) => {
      assert.equal(e.code, 'SERDE_REGISTRY_AUTH');
      assert.match(e.message, /HTTP 403/);
      return true;
    });
    reader.close();

    const byCert = new ConfluentRestClient({
      url: strict.url,
      tls: { ca: fx.pki.ca.ca, cert: fx.readerCert.cert, key: fx.readerCert.key },
      retries: 0,
    });
    assert.match(await byCert.getSchemaById(id), /Ping/);
    byCert.close();

    const untrusting = new ConfluentRestClient({ url: registry.url, auth: READER, retries: 0 });
    await assert.rejects(untrusting.getSchemaById(id), (e: SerdeError) => {
      assert.equal(e.code, 'SERDE_REGISTRY_UNAVAILABLE');
      assert.match(e.message, /SELF_SIGNED|UNABLE_TO_VERIFY|self-signed/i);
      return true;
    });
  });

  test('the generator registers its schema over HTTPS with the CA (registryTls) and an admin login in the URL', async () => {
    const url = new URL(registry.url);
    url.username = ADMIN.username;
    url.password = ADMIN.password;
    const argv = ['--bootstrap', tb.bootstrap, '--registry', url.href, '-nt', '1', '-nou', '1', '-nd', '-nle', '-gar', '--quiet'];
    const config = parseGenerateConfig(parseCommandArgs(generateCommand, [...argv, '--data-dir', join(dir, 'generator')]).values);
    const summary = await runGenerate({ ...config, registryTls: { ca: fx.pki.ca.ca } }, { out: () => {}, err: () => {} });
    assert.ok(summary.acknowledged > 0);
    const latest = await httpsCall(registry.url, '/subjects/clickstream-value/versions/latest', {
      ca: fx.pki.ca.ca,
      headers: { authorization: basic(READER) },
    });
    assert.equal(latest.status, 200);
    assert.match(latest.json.schema, /ClickEvent/);
  });

  test('brook schemas with --registry-ca and --registry-user (password from BROOK_REGISTRY_PASSWORD)', async () => {
    const run = async (args: string[], password: string) => {
      const child = spawn(process.execPath, [BIN, 'schemas', ...args, '--registry', registry.url, '--registry-ca', fx.pki.ca.caFile], {
        env: { ...process.env, BROOK_REGISTRY_PASSWORD: password },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (err += c));
      const [code] = await once(child, 'exit');
      return { code, out, err };
    };
    const listed = await run(['list', '--registry-user', READER.username], READER.password);
    assert.equal(listed.code, 0, listed.err);
    assert.match(listed.out, /^ping-value$/m);
    const refused = await run(['config', '--set', 'FULL', '--registry-user', READER.username], READER.password);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /needs the admin role \(HTTP 403, error 40301\)/);
    const set = await run(['config', 'ping-value', '--set', 'FULL', '--registry-user', ADMIN.username], ADMIN.password);
    assert.equal(set.code, 0, set.err);
    assert.match(set.out, /ping-value: FULL/);
  });

  test('a user removed with brook web-users is refused at the next request, without a restart', async () => {
    const get = () => httpsCall(registry.url, '/subjects', { ca: fx.pki.ca.ca, headers: { authorization: basic(READER) } });
    assert.equal((await get()).status, 200);
    const removed = await runCli(createWebUsersCommand, ['remove', READER.username, '--file', fx.usersFile]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal((await get()).status, 401, 'the cached login went with the old file');
    const added = await runCli(createWebUsersCommand, ['add', READER.username, '--password', READER.password, '--file', fx.usersFile]);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /user reader added: read-only, signs in with password/);
    assert.equal((await get()).status, 200);
  });
});
