// `brook up` on an external cluster configured in brook.config.json: no embedded broker, every
// part (registry store, topics, processor, dashboard, generator) connecting through a TLS and SASL
// front (test/helpers/kafka-security-proxy.ts) with SASL_SSL + SCRAM-SHA-512, and with SSL + mTLS.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { startPlatform } from '../../src/platform.ts';
import { makeTestPki, type TestPki } from '../generator/test-pki.ts';
import { type SecureBroker, startSecureBroker } from '../helpers/kafka-security-proxy.ts';
import { tempDir } from '../helpers/temp-broker.ts';
import { getJson, waitFor } from './helpers.ts';

describe('brook up against an external Kafka with TLS and SASL', () => {
  const dir = tempDir('brook-up-external-');
  let pki: TestPki;
  let sasl: SecureBroker;
  let mtls: SecureBroker;

  before(async () => {
    pki = makeTestPki(dir);
    const server = { cert: pki.serverCert, key: pki.serverKey };
    sasl = await startSecureBroker({ tls: server, sasl: { mechanisms: ['SCRAM-SHA-512'], users: { alice: 'alice-secret' } } });
    mtls = await startSecureBroker({ tls: { ...server, ca: pki.ca, requireClientCert: true } });
  });
  after(async () => {
    await sasl?.close();
    await mtls?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the pipeline from a config file until the generator's events are processed; returns what the dashboard saw. */
  async function runPipeline(name: string, file: object, env: NodeJS.ProcessEnv) {
    const cwd = join(dir, name);
    const configFile = join(dir, `${name}.json`);
    writeFileSync(configFile, JSON.stringify({ dataDir: cwd, registry: { port: 0 }, dashboard: { port: 0 }, ...file }));
    const { config } = loadConfig({
      file: configFile,
      env,
      flags: [
        { path: 'generator.sessionsPerThread', origin: 'test', value: 5 },
        { path: 'generator.noDelay', origin: 'test', value: true },
        { path: 'processor.checkpointIntervalSeconds', origin: 'test', value: 1 },
      ],
    });
    const logs: string[] = [];
    const p = await startPlatform({ config, env, log: (l) => logs.push(l) });
    try {
      assert.deepEqual(p.embedded, { broker: false, registry: true });
      await waitFor('every generated event processed', 20_000, async () => {
        const g = p.generatorStats();
        const m = p.metrics();
        const read = m.operators.filter((o) => o.kind === 'source').reduce((a, o) => a + o.recordsIn, 0);
        return g && g.acknowledged > 0 && logs.some((l) => l.startsWith('generator: finished')) && read === g.acknowledged
          ? true
          : undefined;
      });
      const pipeline = await getJson<{ kafka: { error: string | null }; topics: Array<{ name: string }> }>(p.dashboardUrl, '/api/pipeline');
      assert.equal(pipeline.kafka.error, null);
      return pipeline.topics.map((t) => t.name);
    } finally {
      assert.deepEqual(await p.stop(), { ok: true }, logs.join('\n'));
    }
  }

  test('SASL_SSL with SCRAM-SHA-512, the password from the variable the file names', async () => {
    const topics = await runPipeline(
      'scram',
      {
        kafka: {
          bootstrap: sasl.bootstrap,
          securityProtocol: 'SASL_SSL',
          tls: { caFile: pki.caFile },
          sasl: { mechanism: 'SCRAM-SHA-512', username: 'alice', passwordEnv: 'TEST_KAFKA_PASSWORD' },
        },
      },
      { TEST_KAFKA_PASSWORD: 'alice-secret' },
    );
    assert.ok(topics.includes('clickstream') && topics.includes('_schemas') && topics.includes('Departments_Agg'));
    assert.ok(sasl.log.authenticated.length > 0);
    assert.ok(sasl.log.authenticated.every((a) => a.mechanism === 'SCRAM-SHA-512' && a.principal === 'alice'));
    assert.deepEqual(sasl.log.failures, []);
  });

  test('SSL with a client certificate (mTLS), its key decrypted with the passphrase from a variable', async () => {
    await runPipeline(
      'mtls',
      {
        kafka: {
          bootstrap: [mtls.bootstrap],
          securityProtocol: 'SSL',
          tls: { caFile: pki.caFile, certFile: pki.clientCertFile, keyFile: pki.clientKeyFile, keyPasswordEnv: 'TEST_KEY_PASS' },
        },
      },
      { TEST_KEY_PASS: pki.clientKeyPassword },
    );
    assert.ok(mtls.log.clientCertificates.length > 0);
    assert.ok(mtls.log.clientCertificates.every((cn) => cn === 'brook-generator'));
  });
});
