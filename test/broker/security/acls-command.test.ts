// `brook acls add|list|remove` round trips: over the wire as a super user (through
// @platformatic/kafka's Admin, SASL), on a stopped broker's data directory, help and usage errors,
// and SECURITY_DISABLED from a broker without an authorizer.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createAclsCommand } from '../../../src/cli/acls-command.ts';
import { runCli } from '../../cli/ops/helpers.ts';
import { addUser, type SecureTempBroker, startSecureBroker } from '../../helpers/secure-broker.ts';
import { startTempBroker, tempDir } from '../../helpers/temp-broker.ts';

const acls = (argv: string[]) => runCli(createAclsCommand, argv);

describe('brook acls', () => {
  let tb: SecureTempBroker;
  let props: string;

  before(async () => {
    tb = await startSecureBroker(
      [{ name: 'SASL_PLAINTEXT', securityProtocol: 'SASL_PLAINTEXT', host: '127.0.0.1', port: 0, saslMechanisms: ['SCRAM-SHA-256'] }],
      { authorizer: true, superUsers: ['User:admin'] },
    );
    await addUser(tb, 'admin', 'admin-secret', ['SCRAM-SHA-256']);
    props = join(tb.dataDir, 'admin.properties');
    writeFileSync(
      props,
      `bootstrap.servers=${tb.bootstrapOf('SASL_PLAINTEXT')}\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-256\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="admin-secret";\n`,
    );
  });
  after(() => tb.dispose());

  test('add, list (table, JSON, --match), remove, over the wire', async () => {
    const added = await acls([
      'add',
      '--principal',
      'User:alice',
      '--operation',
      'Read,Describe',
      '--topic',
      'clicks-',
      '--prefixed',
      '--properties',
      props,
    ]);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /added: ALLOW User:alice READ on TOPIC PREFIXED 'clicks-' from host \*/);
    const denied = await acls([
      'add',
      '--principal',
      'User:*',
      '--operation',
      'Write',
      '--topic',
      'clicks-eu',
      '--deny',
      '--host',
      '10.0.0.1',
      '--properties',
      props,
    ]);
    assert.equal(denied.code, 0, denied.stderr);

    const listed = await acls(['list', '--json', '--properties', props]);
    assert.equal(listed.code, 0, listed.stderr);
    const rows = JSON.parse(listed.stdout) as Record<string, string>[];
    assert.equal(rows.length, 3);
    assert.deepEqual(
      rows.find((r) => r.permission === 'DENY'),
      {
        resourceType: 'TOPIC',
        resourceName: 'clicks-eu',
        patternType: 'LITERAL',
        principal: 'User:*',
        host: '10.0.0.1',
        operation: 'WRITE',
        permission: 'DENY',
      },
    );
    const table = await acls(['list', '--topic', 'clicks-eu', '--match', '--properties', props]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /RESOURCE\s+NAME\s+PATTERN/);
    assert.equal(table.stdout.trim().split('\n').length, 4);

    const removed = await acls(['remove', '--topic', 'clicks-', '--prefixed', '--operation', 'Read', '--properties', props]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, /clicks-\s+PREFIXED\s+User:alice/);
    const left = JSON.parse((await acls(['list', '--json', '--properties', props])).stdout) as Record<string, string>[];
    assert.deepEqual(left.map((r) => r.operation).sort(), ['DESCRIBE', 'WRITE']);
    const none = await acls(['remove', '--topic', 'nothing', '--properties', props]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no ACL matched/);
  });

  test('a principal without Alter on the cluster is refused', async () => {
    await addUser(tb, 'eve', 'eve-secret', ['SCRAM-SHA-256']);
    const eve = join(tb.dataDir, 'eve.properties');
    writeFileSync(
      eve,
      `bootstrap.servers=${tb.bootstrapOf('SASL_PLAINTEXT')}\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-256\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="eve" password="eve-secret";\n`,
    );
    const r = await acls(['add', '--principal', 'User:eve', '--operation', 'All', '--cluster', '--properties', eve]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /CLUSTER_AUTHORIZATION_FAILED|authoriz/i);
  });

  test('on a stopped broker: --data-dir, then the broker enforces what was written', async () => {
    const dir = tempDir();
    const first = await startTempBroker({ authorizer: true }, dir);
    await first.broker.close();
    const r = await acls(['add', '--principal', 'User:ANONYMOUS', '--operation', 'Describe', '--cluster', '--data-dir', dir]);
    assert.equal(r.code, 0, r.stderr);
    const again = await startTempBroker({ authorizer: true }, dir);
    try {
      // ANONYMOUS on PLAINTEXT may now describe ACLs, and sees the one it was given.
      const listed = await acls(['list', '--json', '--bootstrap', again.bootstrap]);
      assert.equal(listed.code, 0, listed.stderr);
      assert.equal((JSON.parse(listed.stdout) as unknown[]).length, 1);
      const add = await acls(['add', '--principal', 'User:ANONYMOUS', '--operation', 'All', '--cluster', '--bootstrap', again.bootstrap]);
      assert.equal(add.code, 1);
    } finally {
      await again.dispose();
    }
  });

  test('a broker without an authorizer answers SECURITY_DISABLED', async () => {
    const plain = await startTempBroker();
    try {
      const r = await acls(['list', '--bootstrap', plain.bootstrap]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /SECURITY_DISABLED|--authorizer/);
    } finally {
      await plain.dispose();
    }
  });

  test('help shows examples; usage errors name what is missing', async () => {
    const help = await acls(['help', 'add']);
    assert.match(help.stdout, /Example:\n {2}brook acls add --principal User:alice/);
    const noResource = await acls(['add', '--principal', 'User:a', '--operation', 'Read']);
    assert.equal(noResource.code, 2);
    assert.match(noResource.stderr, /which resource\?/);
    const badOp = await acls(['add', '--principal', 'User:a', '--operation', 'Fly', '--topic', 't']);
    assert.equal(badOp.code, 2);
    assert.match(badOp.stderr, /unknown operation 'Fly'/);
  });
});
