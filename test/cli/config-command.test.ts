// `brook config print|check|schema` and `brook up` with a bad configuration, as users run them:
// brook.config.json found in the current directory, BROOK_* variables over it, flags over both,
// every problem listed with its path, exit codes 0, 1 (config check) and 2 (brook up).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../helpers/temp-broker.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'brook.js');
const dir = tempDir('brook-config-cli-');
after(() => rmSync(dir, { recursive: true, force: true }));

function brook(args: string[], env: NodeJS.ProcessEnv = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BROOK_')));
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env: { ...clean, ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('config print: the file in the current directory, then BROOK_* variables, then flags, each value with its source', () => {
  writeFileSync(join(dir, 'brook.config.json'), JSON.stringify({ generator: { rate: 100, threads: 3 }, dashboard: { port: 9100 } }));
  const r = brook(['config', 'print', '--json', '--rate', '300'], { BROOK_GENERATOR_RATE: '200', BROOK_DASHBOARD_PORT: '9200' });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    file: string;
    config: { generator: { rate: number; threads: number }; dashboard: { port: number }; broker: { port: number } };
    sources: Record<string, { source: string; origin: string | null }>;
  };
  assert.equal(out.file, join(dir, 'brook.config.json'));
  assert.equal(out.config.generator.rate, 300);
  assert.equal(out.config.dashboard.port, 9200);
  assert.equal(out.config.generator.threads, 3);
  assert.equal(out.config.broker.port, 9092);
  assert.deepEqual(out.sources['generator.rate'], { source: 'flag', origin: '--rate' });
  assert.deepEqual(out.sources['dashboard.port'], { source: 'env', origin: 'BROOK_DASHBOARD_PORT' });
  assert.equal(out.sources['generator.threads']?.source, 'file');
  assert.deepEqual(out.sources['broker.port'], { source: 'default', origin: null });

  const text = brook(['config', 'print'], { OPENSEARCH_PASSWORD: 'never-shown' });
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^generator\.threads +3 +file$/m);
  assert.match(text.stdout, /^opensearch\.passwordEnv +OPENSEARCH_PASSWORD \(set\) +default$/m);
  assert.doesNotMatch(text.stdout, /never-shown/);
});

test('config check lists every problem with its path and exits 1; brook up refuses the same with exit 2', () => {
  writeFileSync(
    join(dir, 'brook.config.json'),
    JSON.stringify({ processor: { checkpointIntervalSeconds: '10s' }, generatr: { threads: 2 } }),
  );
  const file = join(dir, 'brook.config.json');
  const check = brook(['config', 'check'], { BROOK_GENERATOR_RATE: 'fast' });
  assert.equal(check.code, 1);
  assert.equal(
    check.stderr,
    [
      'brook config check: 3 problems:',
      `  processor.checkpointIntervalSeconds: expected a positive number, got "10s" (${file})`,
      `  generatr: unknown key "generatr" at the top level; did you mean "generator"? (${file})`,
      '  generator.rate: expected an integer from 1 to 1000000000, got "fast" (environment variable BROOK_GENERATOR_RATE)',
      '',
    ].join('\n'),
  );
  const up = brook(['up', '--dashboard-port', '0']);
  assert.equal(up.code, 2);
  assert.match(
    up.stderr,
    /^brook up: invalid configuration:\n {2}processor\.checkpointIntervalSeconds: expected a positive number, got "10s"/,
  );

  writeFileSync(join(dir, 'brook.config.json'), JSON.stringify({ generator: { threads: 2 } }));
  const ok = brook(['config', 'check']);
  assert.equal(ok.code, 0);
  assert.match(
    ok.stdout,
    /^configuration is valid: .*brook\.config\.json; 1 key\(s\) from the file, 0 from BROOK_\* variables, 0 from flags/,
  );
});

test('config schema prints a JSON Schema of the file', () => {
  const r = brook(['config', 'schema']);
  assert.equal(r.code, 0);
  const schema = JSON.parse(r.stdout) as { properties: Record<string, { properties: Record<string, { default: unknown }> }> };
  assert.equal(schema.properties.processor?.properties.checkpointIntervalSeconds?.default, 5);
  assert.equal(brook(['config']).code, 2, 'a subcommand is required');
});
