// The security flags end to end: `brook generate` through a TLS/SASL proxy in front of a real
// broker (Brook's broker has no TLS or SASL of its own yet), each topic read back through the proxy
// with the same settings, every event exactly once; and refused certificates and logins fail clearly.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Admin, Consumer, MessagesStreamModes } from '@platformatic/kafka';
import { parseCommandArgs } from '../../src/cli/command.ts';
import { generateCommand } from '../../src/cli/generate-command.ts';
import { checkBroker } from '../../src/generator/broker-check.ts';
import { clientConnection, kafkaConnection } from '../../src/generator/connection.ts';
import { type GenerateConfig, parseGenerateConfig } from '../../src/generator/options.ts';
import { type GenerateSummary, runGenerate } from '../../src/generator/run.ts';
import type { ClickEvent } from '../../src/generator/schema.ts';
import { AvroDecoder, ConfluentRestClient } from '../../src/registry/serde/index.ts';
import { type Registry, startRegistry } from '../../src/registry/server.ts';
import { type SecureBroker, startSecureBroker } from '../helpers/kafka-security-proxy.ts';
import { startTempBroker, type TempBroker, tempDir } from '../helpers/temp-broker.ts';
import { type AwsTestCredentials, checkMskIamToken } from './msk-iam-token.ts';
import { makeTestPki, type TestPki } from './test-pki.ts';

const AWS: AwsTestCredentials = { accessKeyId: 'AKIABROOKTEST0000001', secretAccessKey: 'brook/test+secret/key', region: 'eu-west-1' };
const USERS = { alice: 'alice-secret' };

describe('brook generate over TLS and SASL', () => {
  const dir = tempDir('brook-gen-security-');
  let pki: TestPki;
  let registryBroker: TempBroker;
  let registry: Registry;
  let tls: SecureBroker;
  let mtls: SecureBroker;
  let sasl: SecureBroker;

  before(async () => {
    pki = makeTestPki(dir);
    // The registry keeps its schemas in a plaintext broker of its own: the secured brokers send every client to the proxy.
    registryBroker = await startTempBroker();
    registry = await startRegistry({ port: 0, bootstrap: registryBroker.bootstrap });
    const server = { cert: pki.serverCert, key: pki.serverKey };
    tls = await startSecureBroker({ tls: server });
    mtls = await startSecureBroker({ tls: { ...server, ca: pki.ca, requireClientCert: true } });
    sasl = await startSecureBroker({
      tls: server,
      sasl: {
        mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'],
        users: USERS,
        checkToken: (t) => checkMskIamToken(t, AWS),
      },
      advertisedHost: 'localhost',
    });
  });
  after(async () => {
    for (const b of [tls, mtls, sasl]) await b?.close();
    await registry?.close();
    await registryBroker?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  function propertiesFile(name: string, lines: string[]): string {
    const path = join(dir, `${name}.properties`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  }
  const truststore = () => `ssl.truststore.location=${pki.caFile}`;

  function configFor(
    sb: SecureBroker,
    topic: string,
    flags: string[],
    env: NodeJS.ProcessEnv = {},
    bootstrap = sb.bootstrap,
  ): GenerateConfig {
    const argv = ['-t', topic, '--bootstrap', bootstrap, '--registry', registry.url, '-gar', '-nt', '2', '-nou', '4', '-nd', '-nle'];
    const values = parseCommandArgs(generateCommand, [...argv, '--bookmark', join(dir, `${topic}.bookmark`), ...flags]).values;
    return parseGenerateConfig(values, env);
  }

  async function generate(config: GenerateConfig, env: NodeJS.ProcessEnv = {}) {
    const made: ClickEvent[] = [];
    const notes: string[] = [];
    const summary: GenerateSummary = await runGenerate(config, {
      env,
      onEvent: (e) => made.push(e),
      err: (t) => notes.push(t),
      out: () => {},
    });
    return { summary, made, notes: notes.join('') };
  }

  /** Reads the topic through the proxy with the run's own settings; every event once, nothing else. */
  async function assertDelivered(sb: SecureBroker, config: GenerateConfig, made: ClickEvent[], env: NodeJS.ProcessEnv = {}) {
    let records = 0n;
    for (let p = 0; p < 3; p++) records += sb.broker.broker.logs.partition(config.topic, p)?.logEndOffset ?? 0n;
    assert.equal(records, BigInt(made.length), 'records in the log');
    const conn = kafkaConnection(config, env);
    const consumer = new Consumer({
      groupId: `read-${config.topic}`,
      clientId: 'security-reader',
      bootstrapBrokers: conn.bootstrap!,
      maxWaitTime: 200,
      ...clientConnection(conn),
    });
    const decoder = new AvroDecoder<ClickEvent>({ source: new ConfluentRestClient({ url: registry.url }) });
    const read = new Map<number, ClickEvent>();
    try {
      const stream = await consumer.consume({
        topics: [config.topic],
        mode: MessagesStreamModes.EARLIEST,
        sessionTimeout: 10_000,
        heartbeatInterval: 500,
      });
      for await (const message of stream) {
        const event = await decoder.decode(message.value as Buffer);
        assert.ok(!read.has(event.globalseq), `globalseq ${event.globalseq} read twice`);
        read.set(event.globalseq, event);
        if (read.size === made.length) break;
      }
      await stream.close();
    } finally {
      await consumer.close();
    }
    for (const e of made) assert.deepEqual({ ...read.get(e.globalseq) }, e);
  }

  async function assertRoundTrip(sb: SecureBroker, config: GenerateConfig, env: NodeJS.ProcessEnv = {}) {
    const { summary, made, notes } = await generate(config, env);
    assert.equal(summary.sessions, 8, notes);
    assert.equal(summary.failed, 0, notes);
    assert.equal(summary.acknowledged, made.length);
    await assertDelivered(sb, config, made, env);
  }

  test('-ssl with -pfp ssl.truststore.location (a PEM CA file)', async () => {
    const before = tls.log.connections;
    await assertRoundTrip(
      tls,
      configFor(tls, 'tls-clicks', ['-ssl', '-pfp', propertiesFile('tls', ['ssl.truststore.type=PEM', truststore()])]),
    );
    assert.ok(tls.log.connections > before, 'the clients went through the TLS proxy');
  });

  test('-ssl without the CA: the untrusted broker certificate is a clear error', async () => {
    await assert.rejects(generate(configFor(tls, 'tls-untrusted', ['-ssl'])), /TLS certificate is not trusted .*ssl\.truststore\.location/);
  });

  test('-ssl against a plaintext listener is a clear error; plaintext against a TLS one gets a hint', async () => {
    const flags = ['-ssl', '-pfp', propertiesFile('tls-plain', [truststore()])];
    const config = configFor(tls, 'tls-to-plaintext', flags, {}, registryBroker.bootstrap);
    await assert.rejects(generate(config), /closed the connection during the TLS handshake: is it a TLS listener\?/);
    assert.match(
      (await checkBroker({ bootstrap: [tls.bootstrap] })).hint ?? '',
      /closed the connection without answering: if it is a TLS listener, add -ssl/,
    );
    assert.deepEqual(await checkBroker({ bootstrap: [registryBroker.bootstrap] }), {});
  });

  test('the SASL proxy lets no request through before authentication', async () => {
    const admin = new Admin({ clientId: 'no-sasl', bootstrapBrokers: [sasl.bootstrap], tls: { ca: pki.ca }, retries: 0 });
    await assert.rejects(admin.listTopics());
    await admin.close();
    assert.ok(
      sasl.log.failures.some((f) => /^request \d+ v\d+ before authentication$/.test(f)),
      sasl.log.failures.join(),
    );
  });

  test('-mtls with a client certificate and key (PEM files, key encrypted)', async () => {
    const props = propertiesFile('mtls', [
      truststore(),
      `ssl.keystore.location=${pki.clientCertFile}`,
      `ssl.key.location=${pki.clientKeyFile}`,
      `ssl.key.password=${pki.clientKeyPassword}`,
    ]);
    await assertRoundTrip(mtls, configFor(mtls, 'mtls-clicks', ['-mtls', '-pfp', props]));
    assert.ok(mtls.log.clientCertificates.includes('brook-generator'), mtls.log.clientCertificates.join());
  });

  test('-mtls with a Java PEM keystore: key and certificate in one file', async () => {
    const props = propertiesFile('mtls-keystore', [
      'security.protocol=SSL',
      truststore(),
      'ssl.keystore.type=PEM',
      `ssl.keystore.location=${pki.clientKeystoreFile}`,
      `ssl.key.password=${pki.clientKeyPassword}`,
    ]);
    await assertRoundTrip(mtls, configFor(mtls, 'mtls-keystore-clicks', ['-mtls', '-pfp', props]));
  });

  test('a client without a certificate is refused by the mTLS broker with a clear error', async () => {
    const failuresBefore = mtls.log.failures.length;
    const config = configFor(mtls, 'mtls-refused', ['-ssl', '-pfp', propertiesFile('no-cert', [truststore()])]);
    await assert.rejects(generate(config), /refused the TLS handshake \(tlsv13 alert certificate required\).*-mtls/);
    assert.match(mtls.log.failures.slice(failuresBefore).join(), /peer did not return a certificate/);
  });

  test('-sse -ssu with BROOK_SASL_PASSWORD: SCRAM-SHA-512 over TLS', async () => {
    const env = { BROOK_SASL_PASSWORD: USERS.alice };
    const config = configFor(sasl, 'scram512-clicks', ['-sse', '-ssu', 'alice', '-pfp', propertiesFile('sse', [truststore()])]);
    await assertRoundTrip(sasl, config, env);
    assert.ok(sasl.log.authenticated.some((a) => a.mechanism === 'SCRAM-SHA-512' && a.principal === 'alice'));
  });

  test('-sse with a wrong password: every event failed, with a clear error, without retrying', { timeout: 30_000 }, async () => {
    const config = configFor(sasl, 'scram-refused', ['-sse', '-ssu', 'alice', '-pfp', propertiesFile('sse-bad', [truststore()])]);
    const { summary, made, notes } = await generate(config, { BROOK_SASL_PASSWORD: 'not-the-password' });
    assert.ok(made.length > 0);
    assert.equal(summary.acknowledged, 0);
    assert.equal(summary.failed, made.length);
    assert.match(
      notes,
      /events not acknowledged: SASL authentication failed \(Authentication failed .* SCRAM-SHA-512\): check the user name and password/,
    );
    assert.doesNotMatch(notes, /retry \d+ with backoff/);
    assert.ok(sasl.log.failures.some((f) => f.startsWith('SCRAM-SHA-512: Authentication failed')));
  });

  test('-pfp with SASL_SSL and SCRAM-SHA-256', async () => {
    const props = propertiesFile('scram256', [
      'security.protocol=SASL_SSL',
      'sasl.mechanism=SCRAM-SHA-256',
      'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="alice-secret";',
      truststore(),
    ]);
    await assertRoundTrip(sasl, configFor(sasl, 'scram256-clicks', ['-pfp', props]));
    assert.ok(sasl.log.authenticated.some((a) => a.mechanism === 'SCRAM-SHA-256' && a.principal === 'alice'));
  });

  test('-pfp with SASL_SSL and PLAIN', async () => {
    const props = propertiesFile('plain', [
      'security.protocol=SASL_SSL',
      'sasl.mechanism=PLAIN',
      'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="alice-secret";',
      truststore(),
    ]);
    await assertRoundTrip(sasl, configFor(sasl, 'plain-clicks', ['-pfp', props]));
    assert.ok(sasl.log.authenticated.some((a) => a.mechanism === 'PLAIN' && a.principal === 'alice'));
  });

  describe('MSK IAM, with AWS credentials in the environment', () => {
    const saved = new Map<string, string | undefined>();
    const aws = { AWS_ACCESS_KEY_ID: AWS.accessKeyId, AWS_SECRET_ACCESS_KEY: AWS.secretAccessKey, AWS_REGION: AWS.region };
    // The signer reads the default credential chain from process.env itself.
    before(() => {
      for (const name of [
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'AWS_REGION',
        'AWS_DEFAULT_REGION',
        'AWS_PROFILE',
      ]) {
        saved.set(name, process.env[name]);
        delete process.env[name];
      }
      Object.assign(process.env, aws);
    });
    after(() => {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });
    const port = () => sasl.bootstrap.split(':')[1];

    test('-iam: OAUTHBEARER over TLS with a signed kafka-cluster:Connect URL, region from AWS_REGION', async () => {
      const tokensBefore = sasl.log.tokens.length;
      // By host name, as MSK's brokers are: the name goes out as TLS SNI.
      const config = configFor(
        sasl,
        'iam-clicks',
        ['-iam', '-pfp', propertiesFile('iam', [truststore()])],
        process.env,
        `localhost:${port()}`,
      );
      assert.equal(config.iamRegion, AWS.region);
      await assertRoundTrip(sasl, config, process.env);
      const tokens = sasl.log.tokens.slice(tokensBefore);
      assert.ok(tokens.length >= 2, 'a token for each connection');
      for (const t of tokens) assert.equal(checkMskIamToken(t, AWS), AWS.accessKeyId);
      assert.ok(sasl.log.authenticated.some((a) => a.mechanism === 'OAUTHBEARER' && a.principal === AWS.accessKeyId));
      assert.ok(sasl.log.serverNames.includes('localhost'), sasl.log.serverNames.join());
    });

    test('-pfp with sasl.mechanism=AWS_MSK_IAM and the IAMLoginModule, region from --iam-region', async () => {
      const props = propertiesFile('msk-iam', [
        'security.protocol=SASL_SSL',
        'sasl.mechanism=AWS_MSK_IAM',
        'sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required;',
        'sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler',
        truststore(),
      ]);
      const env = { ...process.env, AWS_REGION: undefined };
      const config = configFor(sasl, 'msk-iam-clicks', ['-pfp', props, '--iam-region', AWS.region], env);
      await assertRoundTrip(sasl, config, env);
    });

    test('-iam signed with another secret key: refused, every event failed, clearly', { timeout: 30_000 }, async () => {
      process.env.AWS_SECRET_ACCESS_KEY = 'not-the-secret';
      try {
        const config = configFor(sasl, 'iam-refused', ['-iam', '-pfp', propertiesFile('iam-bad', [truststore()])], process.env);
        const { summary, made, notes } = await generate(config, process.env);
        assert.equal(summary.acknowledged, 0);
        assert.equal(summary.failed, made.length);
        assert.match(notes, /SASL authentication failed \(invalid OAUTHBEARER token: X-Amz-Signature does not match/);
      } finally {
        process.env.AWS_SECRET_ACCESS_KEY = AWS.secretAccessKey;
      }
    });
  });
});
