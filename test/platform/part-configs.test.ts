// How the configuration becomes each part's settings: the Kafka connection (TLS files, SASL
// password from its variable, MSK IAM), the registry (embedded, Confluent with basic auth, Glue),
// OpenSearch (basic auth, SigV4), and the generator's and processor's own configurations.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import type { BrookConfig } from '../../src/config/types.ts';
import { describeSecurity, kafkaConnection } from '../../src/platform/kafka-connection.ts';
import { generateConfig, processConfig, publicUrl, schemaRegistry } from '../../src/platform/part-configs.ts';
import { tempDir } from '../helpers/temp-broker.ts';

const dir = tempDir('brook-part-configs-');
after(() => rmSync(dir, { recursive: true, force: true }));

function configOf(file: object, env: NodeJS.ProcessEnv = {}): BrookConfig {
  const path = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(file));
  return loadConfig({ file: path, env }).config;
}

test('SASL_SSL with SCRAM: CA file read, password taken from the named variable, never shown', () => {
  const ca = join(dir, 'ca.pem');
  writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
  const env = { KAFKA_PW: 'pw-1' };
  const config = configOf(
    {
      kafka: {
        bootstrap: 'b-1.example.com:9096,b-2.example.com:9096',
        securityProtocol: 'SASL_SSL',
        tls: { caFile: ca },
        sasl: { mechanism: 'SCRAM-SHA-256', username: 'alice', passwordEnv: 'KAFKA_PW' },
      },
    },
    env,
  );
  const conn = kafkaConnection(config, config.kafka.bootstrap!, env);
  assert.deepEqual(conn.bootstrap, ['b-1.example.com:9096', 'b-2.example.com:9096']);
  assert.equal(String(conn.tls?.ca), '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
  assert.deepEqual(conn.sasl, { mechanism: 'SCRAM-SHA-256', username: 'alice', password: 'pw-1' });
  assert.equal(describeSecurity(config), 'SASL_SSL, SCRAM-SHA-256 as alice');
});

test('MSK IAM: OAUTHBEARER with a token signed per connection, region from the file or AWS_REGION', () => {
  const env = { AWS_REGION: 'eu-central-1' };
  const config = configOf(
    {
      kafka: {
        bootstrap: 'b-1.msk.example.com:9098',
        securityProtocol: 'SASL_SSL',
        sasl: { mechanism: 'AWS_MSK_IAM', awsProfile: 'prod' },
      },
    },
    env,
  );
  const conn = kafkaConnection(config, config.kafka.bootstrap!, env);
  assert.equal(conn.tls !== undefined, true, 'MSK IAM runs over TLS');
  assert.equal(conn.sasl?.mechanism, 'OAUTHBEARER');
  assert.equal(typeof (conn.sasl as { token: unknown }).token, 'function');
  assert.equal(describeSecurity(config), 'SASL_SSL, MSK IAM');
});

test('the registry: embedded, Confluent with basic auth (password from its variable), or AWS Glue', () => {
  const embedded = configOf({});
  assert.deepEqual(schemaRegistry(embedded, 'http://127.0.0.1:8081', {}), {
    kind: 'confluent',
    url: 'http://127.0.0.1:8081',
    embedded: true,
  });

  const env = { SR_PASSWORD: 'p@ss:word' };
  const confluent = configOf({ registry: { url: 'https://sr.example.com/base', username: 'bob', passwordEnv: 'SR_PASSWORD' } }, env);
  const r = schemaRegistry(confluent, null, env);
  assert.equal(r.kind, 'confluent');
  assert.equal(r.kind === 'confluent' && r.url, 'https://bob:p%40ss%3Aword@sr.example.com/base');
  assert.equal(publicUrl(r.kind === 'confluent' ? r.url : ''), 'https://sr.example.com/base');
  assert.equal(processConfig(confluent, r, ['k:9092'], env).registry, r.kind === 'confluent' ? r.url : '');

  const glue = configOf({ registry: { glue: { region: 'us-west-2', registryName: 'clicks' } } });
  const g = schemaRegistry(glue, null, {});
  assert.deepEqual(g, { kind: 'glue', region: 'us-west-2', registryName: 'clicks' });
  const gen = generateConfig(glue, g, ['k:9092'], 0);
  assert.equal(gen.glue, true);
  assert.equal(gen.glueRegion, 'us-west-2');
  assert.equal(gen.registryName, 'clicks');
  assert.equal(gen.autoRegister, true);
  assert.equal(processConfig(glue, g, ['k:9092'], {}).glueRegion, 'us-west-2');
});

test('OpenSearch: basic auth with the password from its variable, or SigV4', () => {
  const env = { OS_PW: 'secret' };
  const basic = configOf(
    { opensearch: { url: 'https://os.example.com:9200', username: 'admin', passwordEnv: 'OS_PW', indexPrefix: 'brook-' } },
    env,
  );
  const p = processConfig(basic, schemaRegistry(basic, 'http://r', env), ['k:9092'], env);
  assert.deepEqual(p.opensearch, {
    url: 'https://os.example.com:9200',
    auth: { type: 'basic', username: 'admin', password: 'secret' },
    indexPrefix: 'brook-',
    flushEveryMs: 1000,
    maxActions: 1000,
  });
  const sigv4 = configOf({ opensearch: { url: 'https://search-x.eu-west-1.es.amazonaws.com', awsRegion: 'eu-west-1' } });
  assert.deepEqual(processConfig(sigv4, schemaRegistry(sigv4, 'http://r', {}), ['k:9092'], {}).opensearch?.auth, {
    type: 'aws-sigv4',
    region: 'eu-west-1',
  });
});

test('the generator and processor settings follow the configuration; startTime may be relative to now', () => {
  const config = configOf({
    dataDir: '/var/brook',
    generator: { threads: 4, rate: 500, noDelay: true, startTime: '-10m', timeStep: 5, seed: 3 },
    processor: { checkpointIntervalSeconds: 2.5, from: 'earliest' },
    topics: { clickstream: 'clicks', partitions: 6 },
    store: { retention: '12h' },
    dashboard: { port: 0 },
  });
  const reg = schemaRegistry(config, 'http://127.0.0.1:8081', {});
  const g = generateConfig(config, reg, ['127.0.0.1:9092'], 1_000_000_000);
  assert.equal(g.workers, 4);
  assert.equal(g.rate, 500);
  assert.equal(g.noDelay, true);
  assert.equal(g.startTime, 1_000_000_000 - 600_000);
  assert.equal(g.timeStep, 5);
  assert.equal(g.topic, 'clicks');
  assert.equal(g.partitions, 6);
  assert.equal(g.logEvents, false);
  assert.equal(g.dataDir, '/var/brook');
  const p = processConfig(config, reg, ['127.0.0.1:9092'], {});
  assert.equal(p.checkpointIntervalMs, 2500);
  assert.equal(p.from, 'earliest');
  assert.equal(p.topic, 'clicks');
  assert.equal(p.storePath, '/var/brook/store/clickstream.duckdb');
  assert.equal(p.storeRetentionMs, 12 * 3600_000);
  assert.deepEqual(p.dashboard, { port: 0, host: '127.0.0.1' });
});
