// `brook certs` as users meet it: the real `brook` binary (the default directory under the
// configured data directory, exit codes), --help on every subcommand with an example, and flags
// that do not belong to a subcommand refused rather than ignored.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { certs, modeOf, openssl, scratchDir } from './helpers.ts';

const BROOK = fileURLToPath(new URL('../../bin/brook.js', import.meta.url));

function brook(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BROOK, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the brook binary: CA and certificates under ./.brook/certs by default, or the configured data directory', () => {
  const cwd = scratchDir(after);
  const init = brook(cwd, ['certs', 'ca', 'init']);
  assert.equal(init.code, 0, init.stderr);
  const dir = join(cwd, '.brook', 'certs');
  assert.equal(modeOf(dir), 0o700);
  assert.equal(modeOf(join(dir, 'ca.key')), 0o600);

  const server = brook(cwd, ['certs', 'server', '--host', 'kafka.internal']);
  assert.equal(server.code, 0, server.stderr);
  assert.match(server.stdout, /SANs +DNS:localhost, IP:127\.0\.0\.1, IP:::1, DNS:\S+, DNS:kafka\.internal/);
  assert.equal(openssl('verify', '-CAfile', join(dir, 'ca.pem'), '-verify_hostname', 'kafka.internal', join(dir, 'server.pem')).code, 0);

  // BROOK_DATA_DIR (what brook up uses) moves it, as does brook.config.json's dataDir.
  const viaEnv = brook(cwd, ['certs', 'ca', 'init'], { BROOK_DATA_DIR: join(cwd, 'env-data') });
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
  assert.ok(existsSync(join(cwd, 'env-data', 'certs', 'ca.pem')));
  writeFileSync(join(cwd, 'brook.config.json'), JSON.stringify({ dataDir: './file-data' }));
  const viaFile = brook(cwd, ['certs', 'ca', 'init']);
  assert.equal(viaFile.code, 0, viaFile.stderr);
  assert.ok(existsSync(join(cwd, 'file-data', 'certs', 'ca.pem')));
});

test('--help on every subcommand: its usage, its options only, and an example', async () => {
  for (const [argv, usage, has, lacks] of [
    [['ca', 'init', '--help'], 'brook certs ca init', '--subject DN', '--keystore'],
    [['ca', '--help'], 'brook certs ca init', '--validity-days N', '--csr'],
    [['issue', '-h'], 'brook certs issue', '--keystore FILE', '--host'],
    [['server', '--help'], 'brook certs server', '--host HOST', '--csr'],
    [['list', '--help'], 'brook certs list', '--json', '--san'],
    [['help', 'issue'], 'brook certs issue', '--csr FILE', '--json'],
    [['help', 'ca'], 'brook certs ca init', '--key-type TYPE', '--out'],
  ] as const) {
    const r = await certs(...argv);
    assert.equal(r.code, 0, argv.join(' '));
    assert.ok(r.stdout.startsWith(`Usage: ${usage}`), `${argv.join(' ')}: ${r.stdout.slice(0, 80)}`);
    assert.ok(r.stdout.includes(has), `${argv.join(' ')} lists ${has}`);
    assert.ok(!r.stdout.includes(lacks), `${argv.join(' ')} does not list ${lacks}`);
    assert.match(r.stdout, /\nExample:\n {2}brook certs /);
  }
  const all = await certs('--help');
  for (const sub of ['ca init', 'issue', 'server', 'list']) assert.match(all.stdout, new RegExp(`brook certs ${sub} `));
});

test('usage errors: no subcommand, unknown ones, flags of another subcommand, keystore without password', async () => {
  const dir = scratchDir(after);
  const cases: [string[], RegExp][] = [
    [[], /which subcommand\? one of ca init, issue, server, list/],
    [['renew'], /unknown subcommand 'renew'/],
    [['ca'], /which CA subcommand\? 'brook certs ca init' creates the CA/],
    [['list', '--cn', 'x'], /--cn does not apply to 'brook certs list'/],
    [['ca', 'init', '--keystore', 'k.p12'], /--keystore does not apply to 'brook certs ca init'/],
    [['issue', '--dir', dir, '--cn', 'a', '--keystore', 'k.p12'], /--keystore needs a password/],
    [['issue', '--dir', dir, '--cn', 'a', '--password', 'x'], /--password and --alias are for the keystore: add --keystore FILE/],
    [['ca', 'init', '--dir', dir, '--key-type', 'dsa'], /--key-type: unknown key type 'dsa': use one of ec-p256, rsa-2048, rsa-3072/],
    [['list', 'extra'], /unexpected argument 'extra'/],
    [['issue', '--dir', dir, '--cn', 'a', '--validity-days', 'ten'], /--validity-days must be an integer from 1 to 36500, got 'ten'/],
  ];
  for (const [argv, message] of cases) {
    const r = await certs(...argv);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test('issue --keystore with a password file, --out and --name: the files land where asked', async () => {
  const dir = scratchDir(after);
  assert.equal((await certs('ca', 'init', '--dir', join(dir, 'ca'))).code, 0);
  writeFileSync(join(dir, 'pw'), 'from-a-file\n');
  const r = await certs(
    'issue',
    '--dir',
    join(dir, 'ca'),
    '--cn',
    'Reporting Service',
    '--out',
    join(dir, 'out'),
    '--keystore',
    join(dir, 'out', 'reporting.p12'),
    '--password-file',
    join(dir, 'pw'),
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /keystore +.*reporting\.p12 \(PKCS#12, alias reporting-service\)/);
  for (const f of ['reporting-service.pem', 'reporting-service-chain.pem', 'reporting-service.key'])
    assert.ok(existsSync(join(dir, 'out', f)), f);
  assert.equal(modeOf(join(dir, 'out')), 0o700);
  assert.equal(
    openssl('pkcs12', '-info', '-nodes', '-noout', '-in', join(dir, 'out', 'reporting.p12'), '-passin', 'pass:from-a-file').code,
    0,
  );
  const listed = JSON.parse((await certs('list', '--dir', join(dir, 'ca'), '--json')).stdout);
  assert.equal(listed.issued[0].files.keystore, join(dir, 'out', 'reporting.p12'));
});
