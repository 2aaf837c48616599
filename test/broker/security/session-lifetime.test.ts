// The session's KIP-368 clock rules with an injected clock: a login expires exactly at its
// lifetime, renews only when a lifetime is set and at most once a second, and keeps its principal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CredentialStore } from '../../../src/security/credential-store.ts';
import { SaslAuthenticationError } from '../../../src/security/sasl-errors.ts';
import { SaslServer } from '../../../src/security/sasl-server.ts';
import { makeCredential } from '../../../src/security/scram.ts';
import { MIN_REAUTH_INTERVAL_MS, SecuritySession } from '../../../src/security/session.ts';

async function loggedIn(lifetimeMs: number) {
  let clock = 1000;
  const store = new CredentialStore(null);
  const credential = await makeCredential('SCRAM-SHA-256', 'pw', 4096);
  store.apply({ upsert: ['alice', 'bob'].map((user) => ({ user, mechanism: 'SCRAM-SHA-256' as const, credential })) });
  const sasl = new SaslServer(['PLAIN'], store);
  const session = new SecuritySession(
    { name: 'SASL', securityProtocol: 'SASL_PLAINTEXT', host: '127.0.0.1', port: 0, saslMechanisms: ['PLAIN'] },
    { sasl, tlsSubject: null, now: () => clock },
  );
  const plain = async (user: string) => {
    assert.ok(sasl.handshake('PLAIN'));
    const step = await sasl.step(Buffer.from(`\0${user}\0pw`));
    session.completeSasl(step.user as string, lifetimeMs);
  };
  await plain('alice');
  return { session, sasl, plain, advance: (ms: number) => (clock += ms) };
}

test('a login with a lifetime expires exactly when it ends; without one, never', async () => {
  const { session, advance } = await loggedIn(500);
  assert.equal(session.authenticated, true);
  advance(499);
  assert.equal(session.expired, false);
  advance(1);
  assert.equal(session.expired, true);
  const forever = await loggedIn(0);
  forever.advance(10 ** 9);
  assert.equal(forever.session.expired, false);
  assert.equal(forever.session.beginReauthentication(), false, 'no lifetime, no re-authentication (as Kafka)');
});

test('re-authentication starts at most once a second and renews the lifetime from its end', async () => {
  const { session, sasl, plain, advance } = await loggedIn(500);
  assert.equal(session.beginReauthentication(), true);
  assert.equal(session.reauthenticating, true);
  assert.equal(sasl.state, 'handshake');
  advance(400);
  await plain('alice');
  assert.equal(session.reauthenticating, false);
  advance(499);
  assert.equal(session.expired, false, 'the renewed login lasts from the re-authentication on');
  assert.equal(session.beginReauthentication(), false, `a second start within ${MIN_REAUTH_INTERVAL_MS} ms is refused`);
  advance(MIN_REAUTH_INTERVAL_MS - 899);
  assert.equal(session.expired, true);
  assert.equal(session.beginReauthentication(), true, 'an expired login may still re-authenticate');
});

test('re-authentication must prove the same principal', async () => {
  const { session, plain } = await loggedIn(500);
  assert.ok(session.beginReauthentication());
  await assert.rejects(plain('bob'), (err: unknown) => {
    assert.ok(err instanceof SaslAuthenticationError);
    assert.equal(err.message, 'Cannot change principals during re-authentication from User:alice to User:bob');
    return true;
  });
  assert.equal(session.principalName, 'User:alice');
});
