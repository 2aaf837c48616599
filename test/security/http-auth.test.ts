// The request authenticator on its own: basic auth parsing, roles, the users file re-read when it
// changes (a cached login does not outlive a password change), and a damaged file refusing everyone.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { HttpAuthenticator, parseBasicAuth, roleAllows } from '../../src/security/http-auth.ts';
import { hashPassword, writeWebUsers } from '../../src/security/http-users.ts';
import { tempDir } from '../helpers/temp-broker.ts';
import { basic, FAST_SCRYPT } from './http-fixtures.ts';

/** A request over plain TCP with these headers: all the authenticator reads. */
const request = (headers: Record<string, string> = {}) => ({ headers, socket: {}, method: 'GET', url: '/' }) as unknown as IncomingMessage;

describe('HttpAuthenticator', () => {
  const dir = tempDir('brook-http-auth-');
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'web-users.json');

  test('basic auth headers: user and password split at the first colon; anything else is no credentials', () => {
    assert.deepEqual(parseBasicAuth(basic({ username: 'al', password: 'p:w' })), { user: 'al', password: 'p:w' });
    assert.deepEqual(parseBasicAuth('basic  YWw6'), { user: 'al', password: '' });
    assert.equal(parseBasicAuth('Bearer abc'), null);
    assert.equal(parseBasicAuth(`Basic ${Buffer.from('no-colon').toString('base64')}`), null);
    assert.equal(parseBasicAuth(undefined), null);
  });

  test('roles: admin may do what read-only may, not the other way round', () => {
    assert.equal(roleAllows('admin', 'admin'), true);
    assert.equal(roleAllows('admin', 'read-only'), true);
    assert.equal(roleAllows('read-only', 'read-only'), true);
    assert.equal(roleAllows('read-only', 'admin'), false);
  });

  test('a missing users file stops the start, with the command that makes one', () => {
    assert.throws(
      () => new HttpAuthenticator({ usersFile: join(dir, 'none.json'), realm: 'r' }),
      /does not exist: create it with 'brook web-users add NAME --role admin/,
    );
  });

  test('a password change takes effect at the next request, cached login or not; a damaged file refuses everyone', async () => {
    writeWebUsers(file, [{ name: 'ann', role: 'read-only', password: await hashPassword('one', FAST_SCRYPT) }]);
    const auth = new HttpAuthenticator({ usersFile: file, realm: 'brook-test' });
    assert.equal(auth.challenge, 'Basic realm="brook-test", charset="UTF-8"');
    const as = (password: string, needed: 'read-only' | 'admin' = 'read-only') =>
      auth.authorize(request({ authorization: basic({ username: 'ann', password }) }), needed);

    assert.deepEqual(await as('one'), { ok: true, user: 'ann', role: 'read-only', via: 'password' });
    assert.deepEqual(await as('one'), { ok: true, user: 'ann', role: 'read-only', via: 'password' }, 'again, from the cache');
    assert.deepEqual(await as('one', 'admin'), {
      ok: false,
      status: 403,
      message: 'user ann is read-only; this request needs the admin role',
    });
    assert.equal((await as('two')).ok, false);
    assert.equal((await auth.authorize(request(), 'read-only')).ok, false);

    writeWebUsers(file, [{ name: 'ann', role: 'admin', password: await hashPassword('two', FAST_SCRYPT) }]);
    assert.deepEqual(await as('one'), { ok: false, status: 401, message: 'wrong user name or password' });
    assert.deepEqual(await as('two', 'admin'), { ok: true, user: 'ann', role: 'admin', via: 'password' });

    writeFileSync(file, '{"version": 1, "users": [');
    const refused = await as('two');
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.status, 503);
    assert.match(!refused.ok ? refused.message : '', /is damaged .*Until then every request is refused/);
  });
});
