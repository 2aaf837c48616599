// What an operator sees when things are wrong: no broker at the address (every command says which
// address and what to do, quickly), an unknown topic, a bad properties file, malformed flags.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createConsumeCommand } from '../../../src/cli/consume-command.ts';
import { createGroupsCommand } from '../../../src/cli/groups-command.ts';
import { createProduceCommand } from '../../../src/cli/produce-command.ts';
import { createTopicsCommand } from '../../../src/cli/topics-command.ts';
import { startTempBroker, type TempBroker, tempDir } from '../../helpers/temp-broker.ts';
import { closedPort, runCli } from './helpers.ts';

describe('errors', () => {
  let tb: TempBroker;
  before(async () => {
    tb = await startTempBroker();
  });
  after(() => tb.dispose());

  test('no broker at the address: each command names it and says what to do, in seconds', async () => {
    const address = `127.0.0.1:${await closedPort()}`;
    const cases: [Parameters<typeof runCli>[0], string[]][] = [
      [createTopicsCommand, ['list']],
      [createTopicsCommand, ['create', 'x']],
      [createGroupsCommand, ['list']],
      [createProduceCommand, ['x', '--value', 'v']],
      [createConsumeCommand, ['x']],
    ];
    for (const [make, args] of cases) {
      const started = Date.now();
      const r = await runCli(make, [...args, '--bootstrap', address]);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(
        r.stderr,
        new RegExp(
          `cannot reach the Kafka broker at ${address} \\(connection refused\\)\\. Is a broker running there\\? Start one with 'brook broker'`,
        ),
      );
      assert.ok(Date.now() - started < 5000, `${args.join(' ')} took ${Date.now() - started} ms`);
    }
    const dns = await runCli(createTopicsCommand, ['list', '--bootstrap', 'no-such-host.invalid:9092']);
    assert.match(dns.stderr, /cannot reach the Kafka broker at no-such-host.invalid:9092 \(no such host\)/);
  });

  test('an unknown topic: describe, alter-config, produce and consume all say so and how to create it', async () => {
    const b = ['-b', tb.bootstrap];
    for (const args of [
      ['describe', 'ghost'],
      ['alter-config', 'ghost', '--set', 'retention.ms=1'],
    ]) {
      const r = await runCli(createTopicsCommand, [...args, ...b]);
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /topic 'ghost' does not exist on 127\.0\.0\.1:\d+: see 'brook topics list', or create it with 'brook topics create ghost'/,
      );
    }
    for (const [make, args] of [
      [createProduceCommand, ['ghost', '--value', 'v']],
      [createConsumeCommand, ['ghost']],
    ] as const) {
      const r = await runCli(make, [...args, ...b]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /topic 'ghost' does not exist/);
    }
  });

  test('--properties: read for bootstrap.servers; unsupported settings and missing files are clear errors', async () => {
    const dir = tempDir();
    const good = join(dir, 'client.properties');
    writeFileSync(good, `# a Kafka client file\nbootstrap.servers=${tb.bootstrap}\nsecurity.protocol=PLAINTEXT\n`);
    const r = await runCli(createTopicsCommand, ['list', '--properties', good, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const iam = join(dir, 'iam.properties');
    writeFileSync(iam, 'bootstrap.servers=b-1.msk:9098\nsecurity.protocol=SASL_SSL\nsasl.mechanism=AWS_MSK_IAM\n');
    const saved = [process.env.AWS_REGION, process.env.AWS_DEFAULT_REGION];
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    const bad = await runCli(createTopicsCommand, ['list', '--properties', iam]).finally(() => {
      if (saved[0] !== undefined) process.env.AWS_REGION = saved[0];
      if (saved[1] !== undefined) process.env.AWS_DEFAULT_REGION = saved[1];
    });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /iam.properties: sasl.mechanism AWS_MSK_IAM needs the MSK cluster's region: --iam-region REGION/);
    const kerberos = join(dir, 'kerberos.properties');
    writeFileSync(kerberos, 'bootstrap.servers=b-1:9092\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism=GSSAPI\n');
    const gssapi = await runCli(createTopicsCommand, ['list', '--properties', kerberos]);
    assert.equal(gssapi.code, 1);
    assert.match(gssapi.stderr, /GSSAPI \(Kerberos\) is not supported by brook \(use PLAIN/);
    const missing = await runCli(createTopicsCommand, ['list', '--properties', join(dir, 'nope.properties')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read --properties file .*nope.properties': ENOENT/);
  });

  test('malformed flags are usage errors (exit 2) that name the flag', async () => {
    const cases: [Parameters<typeof runCli>[0], string[], RegExp][] = [
      [createTopicsCommand, ['list', '--bootstrap', 'localhost'], /--bootstrap takes HOST:PORT/],
      [createTopicsCommand, ['create', 'x', '--partitions', 'many'], /--partitions must be an integer/],
      [createTopicsCommand, ['create', 'x', '--config', 'novalue'], /--config takes KEY=VALUE, got 'novalue'/],
      [createTopicsCommand, ['alter-config', 'x'], /nothing to change/],
      [createTopicsCommand, [], /which subcommand\?/],
      [createProduceCommand, [], /missing the topic/],
      [createProduceCommand, ['t', '--timestamp', 'yesterday'], /--timestamp must be epoch milliseconds or an ISO date/],
      [createProduceCommand, ['t', '--header', 'nokey'], /--header takes KEY=VALUE/],
      [createConsumeCommand, ['t', '--offset', 'middle'], /--offset takes earliest, latest, an offset N or -N/],
      [createConsumeCommand, ['t', '--offset', '3', '--from-time', '0'], /--offset or --from-time, not both/],
      [createConsumeCommand, ['t', '--count', '0'], /--count must be an integer from 1/],
      [createConsumeCommand, ['t', '--json', '--pretty'], /--json prints whole records/],
      [createConsumeCommand, ['t', '--frobnicate'], /frobnicate/],
    ];
    for (const [make, args, message] of cases) {
      const r = await runCli(make, [...args, ...(args.includes('--bootstrap') ? [] : ['-b', tb.bootstrap])]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });
});
