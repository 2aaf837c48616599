// The configuration layers and their validation: defaults, brook.config.json, BROOK_* variables and
// flags in that order of precedence; every error names the key's path, what was expected, what was
// given and where; unknown keys get a did-you-mean; secrets never come from the file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseCommandArgs } from '../../src/cli/command.ts';
import { upCommand } from '../../src/cli/up-command.ts';
import { ConfigError, formatProblem } from '../../src/config/errors.ts';
import { flagSettings } from '../../src/config/flags.ts';
import { configJsonSchema } from '../../src/config/json-schema.ts';
import { childrenOf, envNameOf, KEYS } from '../../src/config/keys.ts';
import { type LoadOptions, loadConfig } from '../../src/config/load.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function dirWith(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'brook-config-'));
  dirs.push(dir);
  if (config !== undefined) writeFileSync(join(dir, 'brook.config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

function problems(opts: LoadOptions): string[] {
  try {
    loadConfig(opts);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems.map(formatProblem);
  }
  assert.fail('expected a ConfigError');
}

const flags = (...argv: string[]) => flagSettings(parseCommandArgs(upCommand, argv).values);

test('with nothing set, every key has its default and says so', () => {
  const { config, resolved, file } = loadConfig({ cwd: dirWith(undefined), env: {} });
  assert.equal(file, null);
  assert.equal(config.dataDir, './.brook');
  assert.equal(config.broker.port, 9092);
  assert.equal(config.registry.port, 8081);
  assert.equal(config.dashboard.port, 8080);
  assert.equal(config.topics.partitions, 3);
  assert.equal(config.generator.threads, 2);
  assert.equal(config.generator.noDelay, false);
  assert.equal(config.kafka.bootstrap, null);
  assert.ok([...resolved.values()].every((r) => r.source === 'default'));
});

test('file, then environment, then flags: each later layer wins, key by key', () => {
  const cwd = dirWith({ generator: { rate: 100, threads: 4 }, dashboard: { port: 9000 }, processor: { checkpointIntervalSeconds: 5 } });
  const env = { BROOK_GENERATOR_RATE: '200', BROOK_DASHBOARD_PORT: '9001' };
  const { config, resolved } = loadConfig({ cwd, env, flags: flags('--rate', '300') });
  assert.equal(config.generator.rate, 300, 'flag over env over file');
  assert.equal(config.dashboard.port, 9001, 'env over file');
  assert.equal(config.generator.threads, 4, 'file over default');
  assert.equal(config.processor.checkpointIntervalSeconds, 5);
  assert.deepEqual(resolved.get('generator.rate'), { value: 300, source: 'flag', origin: '--rate' });
  assert.deepEqual(resolved.get('dashboard.port'), { value: 9001, source: 'env', origin: 'BROOK_DASHBOARD_PORT' });
  assert.equal(resolved.get('generator.threads')?.source, 'file');
  assert.equal(resolved.get('generator.threads')?.origin, join(cwd, 'brook.config.json'));
});

test('boolean flags, the short forms and --set all land in the flag layer; named flags win over --set', () => {
  const { config, resolved } = loadConfig({
    cwd: dirWith(undefined),
    env: {},
    flags: flags('--no-generator', '-nd', '-nt', '3', '--set', 'generator.rate=10', '--set=processor.idleTimeoutMs=0', '--rate', '20'),
  });
  assert.equal(config.generator.enabled, false);
  assert.equal(config.generator.noDelay, true);
  assert.equal(config.generator.threads, 3);
  assert.equal(config.generator.rate, 20);
  assert.equal(config.processor.idleTimeoutMs, 0);
  assert.equal(resolved.get('processor.idleTimeoutMs')?.origin, '--set processor.idleTimeoutMs');
});

test('--config names the file; relative paths in it are relative to the file', () => {
  const dir = dirWith(undefined);
  writeFileSync(join(dir, 'prod.json'), JSON.stringify({ $schema: './schema.json', dataDir: 'state', store: { path: '/abs/s.duckdb' } }));
  const { config, file } = loadConfig({ cwd: tmpdir(), env: {}, file: join(dir, 'prod.json') });
  assert.equal(file, join(dir, 'prod.json'));
  assert.equal(config.dataDir, join(dir, 'state'));
  assert.equal(config.store.path, '/abs/s.duckdb');
  assert.deepEqual(problems({ cwd: dir, env: {}, file: 'missing.json' }), [
    `the configuration file ${join(dir, 'missing.json')} does not exist (named by --config)`,
  ]);
  // BROOK_CONFIG names it too.
  assert.equal(loadConfig({ cwd: tmpdir(), env: { BROOK_CONFIG: join(dir, 'prod.json') } }).file, join(dir, 'prod.json'));
});

test('wrong types and bad values are reported with the path, what was expected, what was given and where', () => {
  const cwd = dirWith({
    processor: { checkpointIntervalSeconds: '10s', from: 'beginning' },
    broker: { port: 70000 },
    generator: { threads: 0, noDelay: 'yes' },
    kafka: 'localhost:9092',
    store: { retention: '1 week' },
  });
  const file = join(cwd, 'brook.config.json');
  assert.deepEqual(problems({ cwd, env: {} }), [
    `processor.checkpointIntervalSeconds: expected a positive number, got "10s" (${file})`,
    `processor.from: expected one of "earliest", "latest", "committed", got "beginning" (${file})`,
    `broker.port: expected a port number from 0 to 65535 (0 picks a free port), got 70000 (${file})`,
    `generator.threads: expected an integer from 1 to 1024, got 0 (${file})`,
    `generator.noDelay: expected true or false, got "yes" (${file})`,
    `kafka: expected an object with the keys bootstrap, securityProtocol, tls, sasl, got "localhost:9092" (${file})`,
    `store.retention: expected a duration such as 30s, 12h or 7d, got "1 week" (${file})`,
  ]);
});

test('environment variables and flags are checked the same way, naming the variable or the flag', () => {
  assert.deepEqual(
    problems({
      cwd: dirWith(undefined),
      env: { BROOK_PROCESSOR_CHECKPOINT_INTERVAL_SECONDS: '10s', BROOK_GENERATOR_ENABLED: 'maybe' },
      flags: flags('--dashboard-port', 'http', '--set', 'topics.partitions=-1'),
    }),
    [
      'processor.checkpointIntervalSeconds: expected a positive number, got "10s" (environment variable BROOK_PROCESSOR_CHECKPOINT_INTERVAL_SECONDS)',
      'generator.enabled: expected true or false, got "maybe" (environment variable BROOK_GENERATOR_ENABLED)',
      'topics.partitions: expected an integer from 1 to 10000, got "-1" (--set topics.partitions)',
      'dashboard.port: expected a port number from 0 to 65535 (0 picks a free port), got "http" (--dashboard-port)',
    ],
  );
});

test('unknown keys get a did-you-mean from their object or from anywhere', () => {
  const cwd = dirWith({
    dashbaord: { port: 1 },
    processor: { checkpointInterval: 3 },
    checkpointIntervalSeconds: 4,
    generator: { zzz: 1 },
  });
  const file = join(cwd, 'brook.config.json');
  assert.deepEqual(problems({ cwd, env: {} }), [
    `dashbaord: unknown key "dashbaord" at the top level; did you mean "dashboard"? (${file})`,
    `processor.checkpointInterval: unknown key "checkpointInterval" in processor; did you mean "processor.checkpointIntervalSeconds"? (${file})`,
    `checkpointIntervalSeconds: unknown key "checkpointIntervalSeconds" at the top level; did you mean "processor.checkpointIntervalSeconds"? (${file})`,
    `generator.zzz: unknown key "zzz" in generator; the keys there are ${childrenOf('generator').join(', ')} (${file})`,
  ]);
  assert.deepEqual(problems({ cwd: dirWith(undefined), env: {}, flags: flags('--set', 'registy.url=http://x') }), [
    'registy.url: unknown key "registy" at the top level; did you mean "registry"? (--set registy.url)',
  ]);
});

test('a secret in the file is refused with where to put it instead', () => {
  const cwd = dirWith({ kafka: { sasl: { mechanism: 'PLAIN', username: 'u', password: 'hunter2' } } });
  const [first] = problems({ cwd, env: {} });
  assert.match(
    first!,
    /^kafka\.sasl\.password: unknown key "password" in kafka\.sasl: secrets are never read from the file; .*kafka\.sasl\.passwordEnv/,
  );
  assert.doesNotMatch(first!, /hunter2/);
});

test('a file that is not JSON, or not an object, says so', () => {
  const cwd = dirWith('{ "dataDir": "./x", }');
  const [p] = problems({ cwd, env: {} });
  assert.match(p!, /brook\.config\.json is not valid JSON: /);
  assert.match(problems({ cwd: dirWith('[1]'), env: {} })[0]!, /must hold a JSON object/);
});

test('rules across keys: external systems, secrets by variable name, alternatives', () => {
  const env = {};
  assert.deepEqual(problems({ cwd: dirWith({ kafka: { securityProtocol: 'SSL' } }), env }), [
    `kafka.securityProtocol: SSL needs an external cluster in kafka.bootstrap (the embedded broker speaks PLAINTEXT) (${join(dirs.at(-1)!, 'brook.config.json')})`,
  ]);
  const sasl = {
    kafka: { bootstrap: 'b-1.msk:9096', securityProtocol: 'SASL_SSL', sasl: { mechanism: 'SCRAM-SHA-512', username: 'alice' } },
  };
  assert.match(
    problems({ cwd: dirWith(sasl), env })[0]!,
    /^kafka\.sasl\.passwordEnv: the environment variable BROOK_SASL_PASSWORD is not set/,
  );
  const ok = loadConfig({ cwd: dirs.at(-1)!, env: { BROOK_SASL_PASSWORD: 's3cret' } });
  assert.deepEqual(ok.config.kafka.bootstrap, ['b-1.msk:9096']);

  const iam = { kafka: { bootstrap: ['b-1:9098', 'b-2:9098'], securityProtocol: 'SASL_SSL', sasl: { mechanism: 'AWS_MSK_IAM' } } };
  assert.match(problems({ cwd: dirWith(iam), env: {} })[0]!, /^kafka\.sasl\.region: MSK IAM needs the cluster's region/);
  assert.equal(loadConfig({ cwd: dirs.at(-1)!, env: { AWS_REGION: 'eu-west-1' } }).config.kafka.sasl.mechanism, 'AWS_MSK_IAM');

  const mtls = { kafka: { bootstrap: 'k:9093', securityProtocol: 'SSL', tls: { certFile: '/nonexistent/cert.pem' } } };
  const mtlsProblems = problems({ cwd: dirWith(mtls), env: {} });
  assert.ok(mtlsProblems.some((p) => p.startsWith('kafka.tls.keyFile: mTLS needs both kafka.tls.certFile and kafka.tls.keyFile')));
  assert.ok(mtlsProblems.some((p) => p.startsWith('kafka.tls.certFile: cannot read /nonexistent/cert.pem (ENOENT)')));

  const both = { registry: { url: 'https://sr.example.com', glue: { region: 'us-east-1' } } };
  assert.match(
    problems({ cwd: dirWith(both), env: {} })[0]!,
    /^registry\.glue\.region: registry\.url and registry\.glue\.region are alternatives/,
  );
  const auth = { registry: { url: 'https://sr.example.com', username: 'bob', passwordEnv: 'SR_PW' } };
  assert.match(problems({ cwd: dirWith(auth), env: {} })[0]!, /^registry\.passwordEnv: the environment variable SR_PW is not set/);
  assert.match(
    problems({ cwd: dirWith({ opensearch: { username: 'admin' } }), env: {} })[0]!,
    /^opensearch\.username: needs opensearch\.url/,
  );
  const os = { opensearch: { url: 'https://os:9200', username: 'admin', awsRegion: 'us-east-1' } };
  assert.ok(
    problems({ cwd: dirWith(os), env: { OPENSEARCH_PASSWORD: 'x' } }).some((p) =>
      p.startsWith('opensearch.awsRegion: opensearch.username and awsRegion are alternatives'),
    ),
  );
  assert.deepEqual(problems({ cwd: dirWith({ dashboard: { port: 9092 } }), env: {} }), [
    `dashboard.port: port 9092 is also broker.port: give each part its own port (${join(dirs.at(-1)!, 'brook.config.json')})`,
  ]);
});

test('an unknown BROOK_ variable is a warning with a suggestion, not an error', () => {
  const { warnings } = loadConfig({ cwd: dirWith(undefined), env: { BROOK_DASHBOARD_PROT: '1', BROOK_SASL_PASSWORD: 'x' } });
  assert.deepEqual(warnings, [
    'environment variable BROOK_DASHBOARD_PROT is not a configuration key; did you mean BROOK_DASHBOARD_PORT (dashboard.port)?',
  ]);
});

test('every key has a unique variable name, and the JSON Schema describes every key', () => {
  const names = KEYS.map((k) => envNameOf(k.path));
  assert.equal(new Set(names).size, names.length);
  assert.equal(envNameOf('processor.checkpointIntervalSeconds'), 'BROOK_PROCESSOR_CHECKPOINT_INTERVAL_SECONDS');
  const schema = configJsonSchema() as { properties: Record<string, { properties?: Record<string, unknown> }> };
  for (const key of KEYS) {
    let node: { properties?: Record<string, unknown> } | undefined = schema;
    for (const seg of key.path.split('.')) node = node?.properties?.[seg] as typeof node;
    assert.ok(node, `schema has ${key.path}`);
  }
});
