// `brook users add|list|remove` round trips: over the wire (plain and SASL-authenticated, through
// @platformatic/kafka), and on a stopped broker's data directory; kafkajs then logs in with SCRAM.
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { createUsersCommand } from '../../../src/cli/users-command.ts';
import { CREDENTIALS_FILE } from '../../../src/security/credential-store.ts';
import { runCli } from '../../cli/ops/helpers.ts';
import { type SecureTempBroker, startSecureBroker } from '../../helpers/secure-broker.ts';
import { tempDir } from '../../helpers/temp-broker.ts';

const users = (argv: string[]) => runCli(createUsersCommand, argv);

describe('brook users', () => {
  let tb: SecureTempBroker;
  let plain: string;
  let sasl: string;
  const listeners = [
    { name: 'PLAINTEXT', securityProtocol: 'PLAINTEXT' as const, host: '127.0.0.1', port: 0 },
    {
      name: 'SASL_PLAINTEXT',
      securityProtocol: 'SASL_PLAINTEXT' as const,
      host: '127.0.0.1',
      port: 0,
      saslMechanisms: ['SCRAM-SHA-512' as const, 'PLAIN' as const],
    },
  ];

  before(async () => {
    tb = await startSecureBroker(listeners);
    plain = tb.bootstrapOf('PLAINTEXT');
    sasl = tb.bootstrapOf('SASL_PLAINTEXT');
  });
  after(() => tb.dispose());

  test('add, list, log in with kafkajs, remove, over the wire', async () => {
    const added = await users(['add', 'alice', '--password', 'alice-secret', '--iterations', '4096', '--bootstrap', plain]);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /user alice: SCRAM-SHA-256, SCRAM-SHA-512 \(4096 iterations\)/);
    const listed = await users(['list', '--json', '--bootstrap', plain]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout), [
      {
        user: 'alice',
        credentials: [
          { mechanism: 'SCRAM-SHA-256', iterations: 4096 },
          { mechanism: 'SCRAM-SHA-512', iterations: 4096 },
        ],
      },
    ]);
    // The store holds salted keys only, readable by the broker's user alone.
    const file = join(tb.dataDir, CREDENTIALS_FILE);
    assert.equal(statSync(file).mode & 0o777, 0o600);

    const kafka = new Kafka({
      brokers: [sasl],
      sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'alice-secret' },
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    assert.ok(Array.isArray(await admin.listTopics()));
    await admin.disconnect();
    const wrong = new Kafka({
      brokers: [sasl],
      sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'nope' },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    await assert.rejects(wrong.connect(), /SASL SCRAM SHA512 authentication failed|invalid credentials/i);

    // Authenticated as alice over SASL, through a client properties file.
    const props = join(tb.dataDir, 'client.properties');
    writeFileSync(
      props,
      `bootstrap.servers=${sasl}\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="alice-secret";\n`,
    );
    assert.equal(
      (await users(['add', 'bob', '--password', 'b', '--mechanism', 'SCRAM-SHA-256,SCRAM-SHA-512', '--properties', props])).code,
      0,
    );
    const rm = await users(['remove', 'bob', '--mechanism', 'SCRAM-SHA-256', '--properties', props]);
    assert.equal(rm.code, 0, rm.stderr);
    assert.match((await users(['list', 'bob', '--bootstrap', plain])).stdout, /bob\s+SCRAM-SHA-512/);
    const rm2 = await users(['remove', 'bob', '--bootstrap', plain]);
    assert.equal(rm2.code, 0, rm2.stderr);
    const gone = await users(['list', 'bob', '--bootstrap', plain]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /user bob: Attempt to describe a user credential that does not exist/);
  });

  test('bad input is a usage error', async () => {
    assert.equal((await users(['add', 'x', '--bootstrap', plain])).code, 2);
    assert.equal((await users(['add', 'x', '--password', 'p', '--iterations', '100', '--bootstrap', plain])).code, 2);
    assert.equal((await users(['add', 'x', '--password', 'p', '--mechanism', 'MD5', '--bootstrap', plain])).code, 2);
    const locked = await users(['list', '--data-dir', tb.dataDir]);
    assert.equal(locked.code, 1, 'a running broker holds the data directory');
    assert.match(locked.stderr, /in use by process/);
  });

  test('--data-dir edits a stopped broker; the broker then accepts the user', async () => {
    const dir = tempDir();
    const stopped = await startSecureBroker(listeners, {}, dir);
    await stopped.broker.close();
    const add = await users(['add', 'carol', '--password', 'carol-pw', '--mechanism', 'SCRAM-SHA-512', '--data-dir', dir]);
    assert.equal(add.code, 0, add.stderr);
    assert.match((await users(['list', '--data-dir', dir])).stdout, /carol\s+SCRAM-SHA-512\s+8192/);
    const again = await startSecureBroker(listeners, {}, dir);
    try {
      const kafka = new Kafka({
        brokers: [again.bootstrapOf('SASL_PLAINTEXT')],
        sasl: { mechanism: 'plain', username: 'carol', password: 'carol-pw' },
        logLevel: logLevel.NOTHING,
      });
      const admin = kafka.admin();
      await admin.connect();
      await admin.listTopics();
      await admin.disconnect();
    } finally {
      await again.dispose();
    }
  });
});
