// `brook web-users add|list|remove` and the users file it writes: scrypt hashes with their own salt
// and parameters (never the password), mode 0600, certificate subjects, and errors that say what to do.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createWebUsersCommand } from '../../src/cli/web-users-command.ts';
import { readWebUsers, SCRYPT_DEFAULTS, verifyPassword } from '../../src/security/http-users.ts';
import { runCli } from '../cli/ops/helpers.ts';
import { makeCa } from '../helpers/pki.ts';
import { tempDir } from '../helpers/temp-broker.ts';

const webUsers = (argv: string[]) => runCli(createWebUsersCommand, argv);

describe('brook web-users', () => {
  const dir = tempDir('brook-web-users-');
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'sub', 'web-users.json');

  test('add hashes the password with scrypt and a salt of its own; the file is 0600 and holds no password', async () => {
    writeFileSync(join(dir, 'alice.pw'), 'correct horse battery staple\n');
    const alice = await webUsers(['add', 'alice', '--role', 'admin', '--password-file', join(dir, 'alice.pw'), '--file', file]);
    assert.equal(alice.code, 0, alice.stderr);
    assert.equal(alice.stdout, `user alice added: admin, signs in with password (${file})\n`);
    const bob = await webUsers(['add', 'bob', '--password', 'correct horse battery staple', '--file', file]);
    assert.equal(bob.code, 0, bob.stderr);
    assert.match(bob.stdout, /user bob added: read-only/, 'a new user is read-only unless told otherwise');

    assert.equal(statSync(file).mode & 0o777, 0o600);
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes('correct horse'), 'no plaintext password in the file');
    const [a, b] = readWebUsers(file);
    assert.equal(a?.password?.algorithm, 'scrypt');
    assert.deepEqual([a?.password?.N, a?.password?.r, a?.password?.p], [SCRYPT_DEFAULTS.N, SCRYPT_DEFAULTS.r, SCRYPT_DEFAULTS.p]);
    assert.notEqual(a?.password?.salt, b?.password?.salt, 'each user has its own salt');
    assert.notEqual(a?.password?.hash, b?.password?.hash, 'so the same password hashes differently');
    // The password file's trailing newline is not part of the password.
    assert.equal(await verifyPassword('correct horse battery staple', a!.password!), true);
    assert.equal(await verifyPassword('correct horse battery stapl', a!.password!), false);
  });

  test('add on an existing user changes only what it is given', async () => {
    const changed = await webUsers(['add', 'bob', '--role', 'admin', '--file', file]);
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(changed.stdout, /user bob changed: admin, signs in with password/);
    const bob = readWebUsers(file).find((u) => u.name === 'bob')!;
    assert.equal(await verifyPassword('correct horse battery staple', bob.password!), true, 'the password stayed');
  });

  test('a certificate user: the subject is read from the PEM file, in the servers RFC 2253 form', async () => {
    const ca = makeCa(dir);
    const cert = ca.issue('carol', '/O=Brook/OU=ops/CN=carol');
    const carol = await webUsers(['add', 'carol', '--cert', cert.certFile, '--file', file]);
    assert.equal(carol.code, 0, carol.stderr);
    assert.match(carol.stdout, /user carol added: read-only, signs in with certificate CN=carol,OU=ops,O=Brook/);
    const taken = await webUsers(['add', 'dave', '--cert-subject', 'CN=carol,OU=ops,O=Brook', '--file', file]);
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /certificate subject CN=carol,OU=ops,O=Brook already belongs to user carol/);
  });

  test('list shows roles and ways in, never hashes', async () => {
    const json = await webUsers(['list', '--json', '--file', file]);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), [
      { name: 'alice', role: 'admin', password: true, certSubject: null },
      { name: 'bob', role: 'admin', password: true, certSubject: null },
      { name: 'carol', role: 'read-only', password: false, certSubject: 'CN=carol,OU=ops,O=Brook' },
    ]);
    const table = await webUsers(['list', '--file', file]);
    assert.match(table.stdout, /^USER\s+ROLE\s+PASSWORD\s+CERTIFICATE SUBJECT\n/);
    assert.match(table.stdout, /carol\s+read-only\s+no\s+CN=carol,OU=ops,O=Brook/);
    assert.ok(!table.stdout.includes('scrypt') && !json.stdout.includes('salt'));
  });

  test('remove, and the mistakes a person makes', async () => {
    const removed = await webUsers(['remove', 'bob', '--file', file]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual(
      readWebUsers(file).map((u) => u.name),
      ['alice', 'carol'],
    );
    const again = await webUsers(['remove', 'bob', '--file', file]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /there is no user bob in /);

    const noWayIn = await webUsers(['add', 'erin', '--file', file]);
    assert.equal(noWayIn.code, 2);
    assert.match(noWayIn.stderr, /user erin needs a way to sign in: --password, --password-file, --cert or --cert-subject/);
    const colon = await webUsers(['add', 'a:b', '--password', 'x', '--file', file]);
    assert.equal(colon.code, 2);
    assert.match(colon.stderr, /colon, which HTTP basic auth cannot carry/);
    const role = await webUsers(['add', 'erin', '--password', 'x', '--role', 'root', '--file', file]);
    assert.equal(role.code, 2);
    assert.match(role.stderr, /--role must be read-only or admin, got 'root'/);

    const missing = await webUsers(['list', '--file', join(dir, 'nope.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /does not exist: create it with 'brook web-users add NAME --role admin/);
    const damaged = join(dir, 'damaged.json');
    writeFileSync(damaged, '{"version": 1, "users": [{"name": "x", "role": "admin"}]}');
    const bad = await webUsers(['list', '--file', damaged]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /is damaged \(user x has neither a password nor a certificate subject\); fix it, or remove it/);
  });
});
