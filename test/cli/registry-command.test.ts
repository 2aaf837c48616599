// `brook registry` and `brook schemas` as a user runs them: help, bad flags (exit 2), the one
// "listening" line, register/get/list/check/config/delete against the running registry, clean stop.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { startTempBroker, type TempBroker, tempDir } from '../helpers/temp-broker.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'brook.js');
const exec = promisify(execFile);

/** Runs `brook ...` without blocking this process (the broker the child needs lives here). */
async function brook(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], { encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function startRegistryCli(args: string[]): Promise<{ url: string; stop(): Promise<{ code: number | null; stdout: string }> }> {
  const child = spawn(process.execPath, [BIN, 'registry', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise((resolve, reject) => {
    const early = (code: number | null) => reject(new Error(`registry exited early (${code}): ${stderr}`));
    child.once('exit', early);
    child.stdout.on('data', (c) => {
      stdout += c;
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) {
        child.off('exit', early);
        resolve({
          url: m[1]!,
          stop: () =>
            new Promise((done) => {
              child.once('exit', (code) => done({ code, stdout }));
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}

test('help: brook lists registry and schemas; each describes its options and subcommands', async () => {
  const top = await brook('--help');
  assert.match(top.stdout, /registry\s+Run the schema registry/);
  assert.match(top.stdout, /schemas\s+List, get, register/);
  const reg = await brook('registry', '--help');
  assert.equal(reg.code, 0);
  for (const flag of ['--host', '--port', '--bootstrap', '--topic', '--replication-factor']) assert.ok(reg.stdout.includes(flag), flag);
  const schemas = await brook('schemas', '--help');
  assert.equal(schemas.code, 0);
  for (const sub of ['list', 'get', 'register', 'check', 'delete', 'config', 'mode'])
    assert.match(schemas.stdout, new RegExp(`brook schemas ${sub}`));
  const one = await brook('schemas', 'help', 'register');
  assert.equal(one.code, 0);
  assert.match(one.stdout, /Usage: brook schemas register <subject> <schema.avsc\|-\|JSON>/);
});

test('bad input exits 2 with a clear message', async () => {
  assert.equal((await brook('registry', '--port', 'eighty')).code, 2);
  const sub = await brook('schemas', 'frobnicate');
  assert.equal(sub.code, 2);
  assert.match(sub.stderr, /unknown subcommand 'frobnicate'/);
  const missing = await brook('schemas', 'register', 'only-a-subject');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /missing the schema/);
  const file = await brook('schemas', 'register', 's', '/nonexistent/x.avsc');
  assert.equal(file.code, 2);
  assert.match(file.stderr, /cannot read schema file/);
});

/** A port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('an unreachable registry or Kafka is reported plainly with exit 1', async () => {
  const port = await closedPort();
  const schemas = await brook('schemas', 'list', '--registry', `http://127.0.0.1:${port}`);
  assert.equal(schemas.code, 1);
  assert.match(schemas.stderr, new RegExp(`cannot reach the registry at http://127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED`));
  const registry = await brook('registry', '--port', '0', '--bootstrap', `127.0.0.1:${port}`);
  assert.equal(registry.code, 1);
  assert.match(registry.stderr, /check that Kafka is running/);
});

describe('brook schemas against a running brook registry', () => {
  let tb: TempBroker;
  let reg: Awaited<ReturnType<typeof startRegistryCli>>;
  const dir = tempDir('brook-cli-schemas-');
  const v1 = join(dir, 'user-v1.avsc');
  const v2 = join(dir, 'user-v2.avsc');
  const bad = join(dir, 'user-bad.avsc');
  before(async () => {
    tb = await startTempBroker();
    reg = await startRegistryCli(['--port', '0', '--bootstrap', tb.bootstrap]);
    const user = (fields: object[]) => JSON.stringify({ type: 'record', name: 'User', fields }, null, 2);
    writeFileSync(v1, user([{ name: 'name', type: 'string' }]));
    writeFileSync(
      v2,
      user([
        { name: 'name', type: 'string' },
        { name: 'age', type: 'int', default: 0 },
      ]),
    );
    writeFileSync(
      bad,
      user([
        { name: 'name', type: 'string' },
        { name: 'email', type: 'string' },
      ]),
    );
  });
  after(async () => {
    const stopped = await reg?.stop();
    assert.equal(stopped?.code, 0, 'SIGTERM stops the registry cleanly');
    assert.match(stopped?.stdout ?? '', /stopped/);
    await tb.dispose();
  });

  test('register, get, list', async () => {
    const r1 = await brook('schemas', 'register', 'users-value', v1, '--registry', reg.url);
    assert.equal(r1.code, 0, r1.stderr);
    assert.equal(r1.stdout.trim(), 'registered users-value version 1 (id 1)');
    const r2 = await brook('schemas', 'register', 'users-value', v2, '--registry', reg.url, '--json');
    assert.deepEqual(JSON.parse(r2.stdout), { subject: 'users-value', version: 2, id: 2 });
    const list = await brook('schemas', 'list', '--registry', reg.url);
    assert.equal(list.stdout.trim(), 'users-value');
    const got = await brook('schemas', 'get', 'users-value', '--registry', reg.url);
    assert.match(got.stdout, /subject: users-value\nversion: 2\nid:\s+2\n\{/);
    const v1got = await brook('schemas', 'get', 'users-value', '--version', '1', '--json', '--registry', reg.url);
    assert.equal(JSON.parse(v1got.stdout).id, 1);
    const byId = await brook('schemas', 'get', '--id', '2', '--registry', reg.url);
    assert.match(byId.stdout, /^id: 2\n/);
    assert.match(byId.stdout, /"age"/);
  });

  test('check: compatible (exit 0), incompatible with reasons (exit 1); errors from the registry exit 1', async () => {
    const ok = await brook('schemas', 'check', 'users-value', v2, '--registry', reg.url);
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /^compatible with users-value/);
    const no = await brook('schemas', 'check', 'users-value', bad, '--registry', reg.url);
    assert.equal(no.code, 1);
    assert.match(no.stdout, /NOT compatible with users-value:\n {2}- .*READER_FIELD_MISSING_DEFAULT_VALUE/);
    const refused = await brook('schemas', 'register', 'users-value', bad, '--registry', reg.url);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /incompatible.*\(HTTP 409, error 409\)/);
    const missing = await brook('schemas', 'get', 'nobody', '--registry', reg.url);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Subject 'nobody' not found.*error 40401/);
  });

  test('config and mode: show (inherited), set, unset', async () => {
    assert.equal((await brook('schemas', 'config', '--registry', reg.url)).stdout.trim(), 'global: BACKWARD');
    assert.equal(
      (await brook('schemas', 'config', 'users-value', '--registry', reg.url)).stdout.trim(),
      'users-value: BACKWARD (inherited from the global level)',
    );
    assert.equal(
      (await brook('schemas', 'config', 'users-value', '--set', 'full', '--registry', reg.url)).stdout.trim(),
      'users-value: FULL',
    );
    assert.equal((await brook('schemas', 'config', 'users-value', '--registry', reg.url)).stdout.trim(), 'users-value: FULL');
    assert.equal(
      (await brook('schemas', 'config', 'users-value', '--unset', '--registry', reg.url)).stdout.trim(),
      'users-value: unset (was FULL)',
    );
    const badLevel = await brook('schemas', 'config', '--set', 'SIDEWAYS', '--registry', reg.url);
    assert.equal(badLevel.code, 1);
    assert.match(badLevel.stderr, /error 42203/);
    assert.equal((await brook('schemas', 'mode', '--registry', reg.url)).stdout.trim(), 'global: READWRITE');
    assert.equal(
      (await brook('schemas', 'mode', 'users-value', '--set', 'READONLY', '--registry', reg.url)).stdout.trim(),
      'users-value: READONLY',
    );
    assert.equal(
      (await brook('schemas', 'mode', 'users-value', '--unset', '--registry', reg.url)).stdout.trim(),
      'users-value: unset (was READONLY)',
    );
  });

  test('delete: a version, then the subject, soft then permanent', async () => {
    const v = await brook('schemas', 'delete', 'users-value', '--version', '1', '--registry', reg.url);
    assert.equal(v.stdout.trim(), 'deleted users-value version 1 (soft; add --permanent to delete for good)');
    const s = await brook('schemas', 'delete', 'users-value', '--registry', reg.url);
    assert.equal(s.stdout.trim(), 'deleted users-value versions 2 (soft; add --permanent to delete for good)');
    assert.equal((await brook('schemas', 'list', '--registry', reg.url)).stdout.trim(), '(no subjects)');
    assert.equal((await brook('schemas', 'list', '--deleted', '--registry', reg.url)).stdout.trim(), 'users-value');
    const hard = await brook('schemas', 'delete', 'users-value', '--permanent', '--registry', reg.url, '--json');
    assert.deepEqual(JSON.parse(hard.stdout), { subject: 'users-value', versions: [1, 2] });
  });
});
