// Listener specs as `brook broker` takes them, and their validation.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listenersFromFlags } from '../../../src/cli/broker-command.ts';
import { parseListener, parseSaslMechanisms, validateListeners } from '../../../src/security/listeners.ts';
import { makeCa } from '../../helpers/pki.ts';

test('parseListener: PROTOCOL://host:port, NAME=PROTOCOL://..., empty host and [v6]', () => {
  assert.deepEqual(parseListener('SASL_SSL://0.0.0.0:9094'), {
    name: 'SASL_SSL',
    securityProtocol: 'SASL_SSL',
    host: '0.0.0.0',
    port: 9094,
  });
  assert.deepEqual(parseListener('INTERNAL=SSL://:9093'), { name: 'INTERNAL', securityProtocol: 'SSL', host: '0.0.0.0', port: 9093 });
  assert.equal(parseListener('PLAINTEXT://[::1]:9092').host, '::1');
  assert.throws(() => parseListener('TLS://x:1'), /unknown security protocol TLS/);
  assert.throws(() => parseListener('localhost:9092'), /must look like/);
});

test('validateListeners: unique names, TLS needs a certificate, mTLS a CA; SASL gets default mechanisms', () => {
  assert.throws(() => validateListeners([{ securityProtocol: 'SSL', host: 'h', port: 1 }]), /--tls-cert/);
  assert.throws(
    () =>
      validateListeners([
        { securityProtocol: 'PLAINTEXT', host: 'h', port: 1 },
        { securityProtocol: 'PLAINTEXT', host: 'h', port: 2 },
      ]),
    /two listeners are named PLAINTEXT/,
  );
  assert.throws(
    () => validateListeners([{ securityProtocol: 'SSL', host: 'h', port: 1, tls: { cert: 'c', key: 'k', clientAuth: 'required' } }]),
    /--tls-ca/,
  );
  assert.deepEqual(validateListeners([{ securityProtocol: 'SASL_PLAINTEXT', host: 'h', port: 1 }])[0]?.saslMechanisms, [
    'SCRAM-SHA-256',
    'SCRAM-SHA-512',
  ]);
  assert.throws(() => parseSaslMechanisms('SCRAM-SHA-1'), /unknown SASL mechanism/);
});

test('listenersFromFlags reads the PEM files and applies per-listener advertised addresses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'brook-flags-'));
  try {
    const ca = makeCa(dir);
    const s = ca.issue('server', '/CN=localhost', { server: true });
    const ls = listenersFromFlags({
      listener: 'SSL://0.0.0.0:9093,SASL_PLAINTEXT://127.0.0.1:9095',
      'advertised-listener': 'SSL://broker.example.com:19093',
      'tls-cert': s.certFile,
      'tls-key': s.keyFile,
      'tls-ca': ca.caFile,
      'ssl-client-auth': 'required',
      'sasl-mechanisms': 'plain,SCRAM-SHA-512',
    });
    assert.equal(ls.length, 2);
    assert.equal(ls[0]?.tls?.clientAuth, 'required');
    assert.equal(ls[0]?.advertisedHost, 'broker.example.com');
    assert.equal(ls[0]?.advertisedPort, 19093);
    assert.deepEqual(ls[1]?.saslMechanisms, ['PLAIN', 'SCRAM-SHA-512']);
    assert.equal(ls[1]?.tls, undefined);
    assert.deepEqual(listenersFromFlags({}), []);
    assert.throws(() => listenersFromFlags({ 'tls-cert': s.certFile }), /needs a --listener/);
    assert.throws(() => listenersFromFlags({ listener: 'SSL://:1' }), /needs --tls-cert and --tls-key/);
    assert.throws(() => listenersFromFlags({ listener: 'SSL://:1', 'ssl-client-auth': 'maybe' }), /none, requested or required/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
