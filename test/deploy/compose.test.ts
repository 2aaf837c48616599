// docker-compose.yml, read with a small YAML-subset reader (no YAML dependency): the services
// and their dependencies, pinned images, ports bound to the loopback only, and Brook's services:
// command lines that parse with the CLI, a processor environment that is a valid `brook up`
// configuration for Kafka, a Confluent registry and OpenSearch, and valid setup steps.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setupSteps } from '../../deploy/setup/steps.ts';
import { loadConfig } from '../../src/config/load.ts';
import { parseGenerateConfig } from '../../src/generator/options.ts';
import { parseBrookCommandLine } from './cli-table.ts';
import { REPO } from './hcl.ts';
import { parseYamlSubset, type YamlValue } from './yaml-subset.ts';

type Service = Record<string, any>;
const compose = parseYamlSubset(readFileSync(join(REPO, 'docker-compose.yml'), 'utf8')) as Record<string, any>;
const services = compose.services as Record<string, Service>;
const BROOK_IMAGE = 'brook:local';
const brookServices = Object.entries(services).filter(([, s]) => s.image === BROOK_IMAGE);
const env = (name: string): Record<string, string> => services[name]!.environment ?? {};
const dir = mkdtempSync(join(tmpdir(), 'brook-deploy-compose-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the YAML subset reader', () => {
  test('reads mappings, sequences and quoted scalars, and refuses what it does not know', () => {
    const doc = parseYamlSubset('a:\n  b: "x # y"  # comment\n  c:\n    - \'it\'\'s\'\n    - ["p", "q"]\n  d: 10s\n');
    assert.deepEqual(doc, { a: { b: 'x # y', c: ["it's", ['p', 'q']], d: '10s' } });
    assert.throws(() => parseYamlSubset('a: &anchor 1\n'), /outside the YAML subset/);
    assert.throws(() => parseYamlSubset('a:\n\tb: 1\n'), /tab/);
    assert.throws(() => parseYamlSubset('a: 1\na: 2\n'), /duplicate key/);
    assert.throws(() => parseYamlSubset('a:\n  - b: 1\n'), /mappings inside sequences/);
  });
});

describe('docker-compose.yml', () => {
  test('runs Kafka, a registry, OpenSearch and Dashboards, and Brook: setup, processor(s), generator', () => {
    assert.deepEqual(Object.keys(compose), ['services']);
    assert.deepEqual(Object.keys(services).sort(), [
      'dashboards',
      'generator',
      'kafka',
      'opensearch',
      'processor',
      'processor-2',
      'registry',
      'setup',
    ]);
    assert.deepEqual(brookServices.map(([n]) => n).sort(), ['generator', 'processor', 'processor-2', 'setup']);
    for (const [name, s] of brookServices) assert.equal(s.build, '.', `${name} builds the image from the repository`);
  });

  test('every dependency is a service, and a health condition waits on a real health check', () => {
    const conditions = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, how] of Object.entries<Record<string, string>>(s.depends_on ?? {})) {
        assert.ok(services[dep], `${name} depends on unknown ${dep}`);
        assert.ok(conditions.has(how.condition!), `${name} -> ${dep}: ${how.condition}`);
        if (how.condition === 'service_healthy') assert.ok(services[dep]!.healthcheck?.test, `${dep} has a health check`);
      }
    }
  });

  test('other images are pinned to a version, and every published port is on the loopback only', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.image !== BROOK_IMAGE) assert.match(s.image, /^[\w./-]+:\d+\.\d+\.\d+$/, `${name} image ${s.image}`);
      for (const port of (s.ports ?? []) as string[]) assert.match(port, /^127\.0\.0\.1:\d+:\d+$/, `${name} port ${port}`);
    }
  });

  test('the host names Brook is given are the services', () => {
    const hosts = brookServices.flatMap(([, s]) =>
      [...Object.values<string>(s.environment ?? {}), ...((s.command ?? []) as string[])].flatMap((v) =>
        [...v.matchAll(/(?:^|\/\/|,)([a-z][\w-]*):\d+/g)].map((m) => m[1]!),
      ),
    );
    assert.ok(hosts.length >= 8);
    for (const h of hosts) assert.ok(services[h], `${h} is a service`);
    assert.match(env('kafka').KAFKA_ADVERTISED_LISTENERS!, /PLAINTEXT:\/\/kafka:9092/);
    assert.equal(env('kafka').KAFKA_AUTO_CREATE_TOPICS_ENABLE, 'false');
  });

  test('the processors are brook up against Kafka, the registry and OpenSearch, checkpointing to a topic', async () => {
    for (const name of ['processor', 'processor-2']) {
      const parsed = await parseBrookCommandLine(services[name]!.command);
      assert.equal(parsed.command.name, 'up');
      assert.equal(parsed.values['no-generator'], true);
      assert.equal(services[name]!.healthcheck, undefined, "the image's health check applies");
      const { config, warnings } = loadConfig({ env: env(name), cwd: dir });
      assert.deepEqual(warnings, []);
      assert.deepEqual(config.kafka.bootstrap, ['kafka:9092']);
      assert.equal(config.registry.url, 'http://registry:8081');
      assert.equal(config.opensearch.url, 'http://opensearch:9200');
      assert.equal(config.processor.checkpointTopic, 'clickstream.checkpoints');
      assert.equal(config.dashboard.host, '0.0.0.0', 'reachable through the published port');
    }
    assert.deepEqual(env('processor'), env('processor-2'), 'the second processor joins the same group');
    assert.deepEqual(services['processor-2']!.profiles, ['scale-out']);
  });

  test('the setup runs valid steps: topics, the schema with FULL, indexes and the dashboard', async () => {
    const setup = services.setup!;
    assert.deepEqual(setup.entrypoint, ['node', 'deploy/setup/run-setup.ts']);
    assert.deepEqual(setup.healthcheck, { disable: 'true' });
    const steps = setupSteps(env('setup'), dir);
    const argv = steps.flatMap((s) => (s.kind === 'brook' ? [s.argv] : []));
    assert.equal(argv.length, steps.length, 'no IAM role to map on a laptop');
    for (const a of argv) await parseBrookCommandLine(a);
    assert.deepEqual(
      argv.map((a) => a.slice(0, 2).join(' ')),
      ['topics create', 'topics create', 'schemas config', 'schemas register', 'opensearch setup'],
    );
    assert.ok(argv[0]!.includes('--replication-factor'), 'one broker: replication factor 1');
  });

  test("the generator is the reference producer with Confluent framing, without the image's health check", async () => {
    const g = services.generator!;
    const parsed = await parseBrookCommandLine(g.command as string[]);
    const config = parseGenerateConfig(parsed.values, {});
    assert.equal(config.bootstrap, 'kafka:9092');
    assert.equal(config.registry, 'http://registry:8081');
    assert.equal(config.glue, false);
    assert.equal(config.workers, 2);
    assert.deepEqual(g.healthcheck, { disable: 'true' } as YamlValue);
  });
});
