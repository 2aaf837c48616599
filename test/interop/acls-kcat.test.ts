// kcat (librdkafka) against a broker with the authorizer on, as a SCRAM user over SASL_PLAINTEXT:
// produce is refused without Write, Metadata lists only describable topics, and consume works with Read.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Operation, PatternType, Permission, ResourceType } from '../../src/security/acl.ts';
import { kcat } from '../helpers/kcat.ts';
import { addUser, type SecureTempBroker, startSecureBroker } from '../helpers/secure-broker.ts';

describe('kcat with ACLs', () => {
  let tb: SecureTempBroker;
  const as = (user: string) => [
    '-b',
    tb.bootstrapOf('SASL_PLAINTEXT'),
    '-X',
    'security.protocol=SASL_PLAINTEXT',
    '-X',
    'sasl.mechanisms=SCRAM-SHA-512',
    '-X',
    `sasl.username=${user}`,
    '-X',
    `sasl.password=${user}-secret`,
  ];
  const grant = (resourceType: number, resourceName: string, operation: number) => ({
    resourceType,
    resourceName,
    patternType: PatternType.LITERAL,
    principal: 'User:carol',
    host: '*',
    operation,
    permission: Permission.ALLOW,
  });

  before(async () => {
    tb = await startSecureBroker(
      [{ name: 'SASL_PLAINTEXT', securityProtocol: 'SASL_PLAINTEXT', host: '127.0.0.1', port: 0, saslMechanisms: ['SCRAM-SHA-512'] }],
      { authorizer: true },
    );
    await addUser(tb, 'carol', 'carol-secret', ['SCRAM-SHA-512']);
    for (const t of ['open', 'readonly', 'invisible']) tb.broker.logs.createTopic(t, 1, {});
    tb.broker.authorizer.store.add([
      grant(ResourceType.TOPIC, 'open', Operation.ALL),
      grant(ResourceType.TOPIC, 'readonly', Operation.READ),
    ]);
  });
  after(() => tb.dispose());

  test('Metadata lists only the topics carol may describe', async () => {
    const r = await kcat([...as('carol'), '-L', '-J'], { timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr);
    const topics = (JSON.parse(r.stdout) as { topics: { topic: string }[] }).topics.map((t) => t.topic).sort();
    assert.deepEqual(topics, ['open', 'readonly']);
  });

  test('produce without Write is refused with a topic authorization error; with All it works', async () => {
    const ok = await kcat([...as('carol'), '-P', '-t', 'open'], { input: 'hello\n', timeoutMs: 30_000 });
    assert.equal(ok.code, 0, ok.stderr);
    const no = await kcat([...as('carol'), '-P', '-t', 'readonly'], { input: 'nope\n', timeoutMs: 30_000 });
    assert.notEqual(no.code, 0);
    assert.match(no.stderr, /Topic authorization failed/i);
  });

  test('consume a topic carol may read', async () => {
    const c = await kcat([...as('carol'), '-C', '-t', 'open', '-o', 'beginning', '-e', '-q'], {
      timeoutMs: 30_000,
    });
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stdout, /hello/);
  });
});
