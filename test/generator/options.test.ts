// The flags of `brook generate`: short forms, validation rules of the original (and -iam's), the
// security flags on top of -pfp, and -pfp parsing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCommandArgs, UsageError } from '../../src/cli/command.ts';
import { generateCommand } from '../../src/cli/generate-command.ts';
import { clientConnection, kafkaConnection } from '../../src/generator/connection.ts';
import { parseGenerateConfig, rewriteShortForms } from '../../src/generator/options.ts';
import { connectionFromProperties, parseProperties } from '../../src/generator/properties.ts';

const config = (...argv: string[]) => parseGenerateConfig(parseCommandArgs(generateCommand, argv).values, {});
const configEnv = (env: NodeJS.ProcessEnv, ...argv: string[]) => parseGenerateConfig(parseCommandArgs(generateCommand, argv).values, env);
/** A -pfp file read through a stub: `/p` is the properties text, other paths their own name. */
const withFile =
  (text: string) =>
  (path: string): Buffer =>
    Buffer.from(path === '/p' ? text : path);

describe('generate flags', () => {
  test('defaults', () => {
    const c = config();
    assert.equal(c.topic, 'clickstream');
    assert.equal(c.workers, 2);
    assert.equal(c.glue, false);
    assert.equal(c.idempotent, true);
    assert.equal(c.dataDir, './.brook');
  });

  test('the original short forms and long forms mean the same', () => {
    const short = config(
      '-t',
      'x',
      '-nt',
      '8',
      '-nou',
      '10',
      '-rf',
      '3',
      '-nd',
      '-nle',
      '-gsr',
      '-gsrr',
      'eu-west-1',
      '-grn',
      'r',
      '-gsn',
      's',
      '-gsd',
      'd',
      '-gar',
      '-gcs',
      'full',
    );
    const long = config(
      '--topic=x',
      '--numThreads',
      '8',
      '--numberOfUsers',
      '10',
      '--runFor',
      '3',
      '--noDelay',
      '--nologgingEvents',
      '--glueSchemaRegistry',
      '--gsrRegion',
      'eu-west-1',
      '--gsrRegistryName',
      'r',
      '--gsrSchemaName',
      's',
      '--gsrSchemaDescription',
      'd',
      '--gsrAutoRegistration',
      '--gsrCompatibilitySetting',
      'FULL',
    );
    assert.deepEqual(short, long);
    assert.equal(short.workers, 8);
    assert.equal(short.runForMs, 3000);
    assert.equal(short.compatibility, 'FULL');
    assert.equal(short.logEvents, false);
  });

  test('rewrite keeps values, `=` forms and everything after --', () => {
    assert.deepEqual(rewriteShortForms(['-nt=4', '-xyz', '--', '-nd']), ['--numThreads=4', '-xyz', '--', '-nd']);
  });

  test('validation of the original: clear usage errors', () => {
    const bad: [string[], RegExp][] = [
      [['-sse', '-ssu', 'u', '-mtls'], /-sse .* -mtls .* cannot be used together/],
      [['-sse', '-ssu', 'u', '-ssl'], /-sse .* -ssl cannot be used together/],
      [['-sse'], /-sse .* needs the user name: -ssu/],
      [['-iam'], /-iam needs the MSK cluster's region: --iam-region REGION, or AWS_REGION/],
      [['-iam', '--iam-region', 'eu-west-1', '-sse', '-ssu', 'u'], /-iam .* and -sse .* cannot be used together/],
      [['-iam', '--iam-region', 'eu-west-1', '-mtls'], /-iam .* and -mtls .* cannot be used together/],
      [['-iam', '--iam-region', 'eu-west-1', '-ssl'], /-iam .* already uses TLS\) and -ssl cannot be used together/],
      [['-iam', '--iam-region', 'b-1.example:9098'], /--iam-region must be an AWS region name/],
      [['-gcs', 'SOMETIMES'], /-gcs must be one of/],
      [['-nt', '0'], /--numThreads must be an integer/],
      [['--rate', 'fast'], /--rate must be an integer/],
      [['--start-time', 'yesterday-ish'], /--start-time must be/],
      [['--compression', 'rar'], /--compression must be/],
      [['-zz'], /Unknown option/],
    ];
    for (const [argv, message] of bad)
      assert.throws(
        () => config(...argv),
        (e) => e instanceof UsageError && message.test(e.message),
        argv.join(' '),
      );
  });

  test('--start-time accepts epoch ms and ISO dates', () => {
    assert.equal(config('--start-time', '1000').startTime, 1000);
    assert.equal(config('--start-time', '2026-01-01T00:00:00Z').startTime, Date.UTC(2026, 0, 1));
  });

  test('-sse takes the password from the environment; -mtls needs a client certificate', () => {
    const c = config('-sse', '-ssu', 'alice');
    assert.deepEqual(kafkaConnection(c, { BROOK_SASL_PASSWORD: 'pw' }).sasl, {
      mechanism: 'SCRAM-SHA-512',
      username: 'alice',
      password: 'pw',
    });
    assert.throws(() => kafkaConnection(c, {}), /BROOK_SASL_PASSWORD/);
    assert.throws(() => kafkaConnection(config('-mtls')), /-mtls needs a client certificate/);
    assert.deepEqual(kafkaConnection(config('--bootstrap', 'a:1, b:2')).bootstrap, ['a:1', 'b:2']);
  });

  test("-iam's region: --iam-region, else AWS_REGION, else AWS_DEFAULT_REGION", () => {
    const env = { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'ap-south-1' };
    assert.equal(configEnv(env, '-iam', '--iam-region', 'eu-central-1').iamRegion, 'eu-central-1');
    assert.equal(configEnv(env, '-iam').iamRegion, 'us-west-2');
    assert.equal(configEnv({ AWS_DEFAULT_REGION: 'ap-south-1' }, '-iam').iamRegion, 'ap-south-1');
    assert.equal(configEnv(env).iamRegion, undefined, 'only -iam looks at the environment');
  });

  test('-iam is SASL/OAUTHBEARER over TLS with a token made for each connection', async () => {
    const c = config('-iam', '--iam-region', 'eu-west-1', '--bootstrap', 'b-1.demo.abc123.c2.kafka.eu-west-1.amazonaws.com:9098');
    const conn = kafkaConnection(c, {});
    assert.deepEqual(conn.tls, {});
    assert.equal(conn.sasl?.mechanism, 'OAUTHBEARER');
    assert.equal(typeof (conn.sasl as { token?: unknown }).token, 'function', 'a provider, not a fixed token');
    // MSK's brokers are host names: they go out as TLS SNI.
    assert.equal(clientConnection(conn).tlsServerName, true);
    assert.equal(clientConnection(kafkaConnection(config('-ssl', '--bootstrap', '127.0.0.1:9093'))).tlsServerName, undefined);
  });

  test('the security flags switch TLS on for the TLS settings of a -pfp file, and replace its SASL', () => {
    const file = ['ssl.truststore.location=/ca.pem', 'bootstrap.servers=b:9094'].join('\n');
    const ssl = kafkaConnection(config('-ssl', '-pfp', '/p'), {}, withFile(file));
    assert.equal(ssl.tls?.ca?.toString(), '/ca.pem');
    assert.deepEqual(ssl.bootstrap, ['b:9094']);
    assert.equal(kafkaConnection(config('-pfp', '/p'), {}, withFile(file)).tls, undefined, 'PLAINTEXT without a flag');
    const plainFile = [
      'security.protocol=SASL_SSL',
      'sasl.mechanism=PLAIN',
      'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="a" password="b";',
      'ssl.truststore.location=/ca.pem',
    ].join('\n');
    const sse = kafkaConnection(config('-sse', '-ssu', 'alice', '-pfp', '/p'), { BROOK_SASL_PASSWORD: 'pw' }, withFile(plainFile));
    assert.deepEqual(sse.sasl, { mechanism: 'SCRAM-SHA-512', username: 'alice', password: 'pw' });
    assert.equal(sse.tls?.ca?.toString(), '/ca.pem');
    const ssl2 = kafkaConnection(config('-ssl', '-pfp', '/p'), {}, withFile(plainFile));
    assert.equal(ssl2.sasl?.mechanism, 'PLAIN', "-ssl keeps the file's SASL");
  });
});

describe('-pfp properties files', () => {
  test('Java properties syntax: comments, = and :, continuations, escapes', () => {
    const props = parseProperties(
      [
        '# a comment',
        '! another',
        'bootstrap.servers = b1:9094,\\',
        '    b2:9094',
        'security.protocol: SASL_SSL',
        'key\\ with\\ spaces=v\\tx',
        'unicode=\\u0041b',
        'empty=',
        '  indented   value here',
      ].join('\n'),
    );
    assert.equal(props.get('bootstrap.servers'), 'b1:9094,b2:9094');
    assert.equal(props.get('security.protocol'), 'SASL_SSL');
    assert.equal(props.get('key with spaces'), 'v\tx');
    assert.equal(props.get('unicode'), 'Ab');
    assert.equal(props.get('empty'), '');
    assert.equal(props.get('indented'), 'value here');
  });

  test('maps bootstrap servers, TLS files and SASL/SCRAM', () => {
    const files: Record<string, string> = { '/ca.pem': 'CA', '/cert.pem': 'CERT', '/key.pem': 'KEY' };
    const conn = connectionFromProperties(
      parseProperties(
        [
          'bootstrap.servers=b1:9096,b2:9096',
          'security.protocol=SASL_SSL',
          'sasl.mechanism=SCRAM-SHA-512',
          'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="s3cret";',
          'ssl.truststore.type=PEM',
          'ssl.truststore.location=/ca.pem',
          'ssl.keystore.type=PEM',
          'ssl.keystore.location=/cert.pem',
          'ssl.key.location=/key.pem',
        ].join('\n'),
      ),
      (p) => Buffer.from(files[p]!),
    );
    assert.deepEqual(conn.bootstrap, ['b1:9096', 'b2:9096']);
    assert.equal(conn.tls?.ca?.toString(), 'CA');
    assert.equal(conn.tls?.cert?.toString(), 'CERT');
    assert.equal(conn.tls?.key?.toString(), 'KEY');
    assert.deepEqual(conn.sasl, { mechanism: 'SCRAM-SHA-512', username: 'alice', password: 's3cret' });
  });

  test('a Java PEM keystore (key and chain in one file) gives both the certificate and the key', () => {
    const keystore = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nk\n-----END ENCRYPTED PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nc\n';
    const conn = connectionFromProperties(
      parseProperties('security.protocol=SSL\nssl.keystore.type=PEM\nssl.keystore.location=/ks.pem\nssl.key.password=pw'),
      () => Buffer.from(keystore),
    );
    assert.equal(conn.tls?.cert?.toString(), keystore);
    assert.equal(conn.tls?.key?.toString(), keystore);
    assert.equal(conn.tls?.passphrase, 'pw');
  });

  test('MSK IAM: AWS_MSK_IAM, or OAUTHBEARER with AWS login module or callback handler', () => {
    const iam = (lines: string[], region = 'eu-west-1') =>
      connectionFromProperties(parseProperties(['security.protocol=SASL_SSL', ...lines].join('\n')), () => Buffer.alloc(0), {
        ...(region ? { region } : {}),
        env: {},
      });
    const forms = [
      ['sasl.mechanism=AWS_MSK_IAM', 'sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required;'],
      ['sasl.mechanism=OAUTHBEARER', 'sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required;'],
      [
        'sasl.mechanism=OAUTHBEARER',
        'sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;',
        'sasl.login.callback.handler.class=software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler',
      ],
      [
        'sasl.mechanism=AWS_MSK_IAM',
        'sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required awsProfileName="dev" awsDebugCreds=true;',
      ],
    ];
    for (const lines of forms) {
      const conn = iam(lines);
      assert.equal(conn.sasl?.mechanism, 'OAUTHBEARER', lines.join(' '));
      assert.deepEqual(conn.tls, {});
    }
    const region = connectionFromProperties(parseProperties('security.protocol=SASL_SSL\nsasl.mechanism=AWS_MSK_IAM'), undefined, {
      env: { AWS_DEFAULT_REGION: 'us-east-2' },
    });
    assert.equal(region.sasl?.mechanism, 'OAUTHBEARER', 'region from the environment');
    assert.throws(() => iam(['sasl.mechanism=AWS_MSK_IAM'], ''), /AWS_MSK_IAM needs the MSK cluster's region/);
    assert.throws(
      () => iam(['sasl.mechanism=AWS_MSK_IAM', 'sasl.jaas.config=x required awsStsRegion="us-east-1";']),
      /awsStsRegion is not supported/,
    );
    assert.throws(
      () =>
        connectionFromProperties(parseProperties('security.protocol=SASL_PLAINTEXT\nsasl.mechanism=AWS_MSK_IAM'), undefined, {
          region: 'eu-west-1',
        }),
      /MSK IAM needs TLS: set security.protocol=SASL_SSL/,
    );
  });

  test('unsupported settings are clear errors', () => {
    const conn = (text: string) => connectionFromProperties(parseProperties(text), () => Buffer.alloc(0));
    assert.throws(() => conn('security.protocol=SASL_SSL\nsasl.mechanism=GSSAPI'), /GSSAPI \(Kerberos\) is not supported/);
    assert.throws(() => conn('security.protocol=SASL_SSL\nsasl.mechanism=OAUTHBEARER'), /OAUTHBEARER is supported for MSK IAM only/);
    assert.throws(() => conn('security.protocol=SSL\nssl.truststore.location=/x/kafka.truststore.jks'), /Java keystore/);
    assert.throws(() => conn('security.protocol=BOGUS'), /security.protocol/);
    assert.throws(() => conn('security.protocol=SASL_SSL\nsasl.mechanism=PLAIN'), /username=/);
    assert.deepEqual(conn('bootstrap.servers=h:1'), { bootstrap: ['h:1'] });
  });
});
