// The flags of `brook generate`: short forms, validation rules of the original, and -pfp parsing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCommandArgs, UsageError } from '../../src/cli/command.ts';
import { generateCommand } from '../../src/cli/generate-command.ts';
import { parseGenerateConfig, rewriteShortForms } from '../../src/generator/options.ts';
import { connectionFromProperties, parseProperties } from '../../src/generator/properties.ts';
import { kafkaConnection } from '../../src/generator/run.ts';

const config = (...argv: string[]) => parseGenerateConfig(parseCommandArgs(generateCommand, argv).values);

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
      [['-iam'], /-iam .* not supported/],
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

  test('unsupported settings are clear errors', () => {
    const conn = (text: string) => connectionFromProperties(parseProperties(text), () => Buffer.alloc(0));
    assert.throws(() => conn('security.protocol=SASL_SSL\nsasl.mechanism=AWS_MSK_IAM'), /AWS_MSK_IAM is not supported/);
    assert.throws(() => conn('security.protocol=SSL\nssl.truststore.location=/x/kafka.truststore.jks'), /Java keystore/);
    assert.throws(() => conn('security.protocol=BOGUS'), /security.protocol/);
    assert.throws(() => conn('security.protocol=SASL_SSL\nsasl.mechanism=PLAIN'), /username=/);
    assert.deepEqual(conn('bootstrap.servers=h:1'), { bootstrap: ['h:1'] });
  });
});
