// `brook opensearch setup` through its Command object against a fake OpenSearch and a fake
// OpenSearch Dashboards: the indexes (idempotent), the file on disk, and the _import request
// (multipart `file` part named *.ndjson, osd-xsrf, overwrite=true); plus usage errors and help.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import { promisify } from 'node:util';
import { parseCommandArgs, renderHelp, UsageError } from '../../../src/cli/command.ts';
import { opensearchCommand } from '../../../src/cli/opensearch-command.ts';
import { importSavedObjects } from '../../../src/sinks/opensearch/dashboards-import.ts';
import { OpenSearchHttp } from '../../../src/sinks/opensearch/http-client.ts';
import { parseProcessOpenSearch } from '../../../src/sinks/opensearch/options.ts';
import { retryPolicy } from '../../../src/sinks/opensearch/retry.ts';
import { FakeOpenSearch } from './fake-opensearch.ts';

const dir = mkdtempSync(join(tmpdir(), 'brook-os-setup-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const fakes: FakeOpenSearch[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

async function fake(opts = {}): Promise<FakeOpenSearch> {
  const f = await FakeOpenSearch.start(opts);
  fakes.push(f);
  return f;
}

const RUN = join(import.meta.dirname, 'run-opensearch-command.ts');
const exec = promisify(execFile);

/** Runs `brook opensearch <argv>` in a child process (the fakes live here, so it must not block). */
async function brook(
  argv: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [RUN, ...argv], {
      encoding: 'utf8',
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The command's run() in process, for errors raised before any output. */
async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(opensearchCommand, argv);
  return opensearchCommand.run(values, positionals);
}

const BASIC = { username: 'admin', password: 'Adm1n!pass' };

test('setup creates the indexes, writes the file and imports it into Dashboards; a second run changes nothing', async () => {
  const os = await fake({ basic: BASIC });
  const dash = await fake({ basic: BASIC, dashboardsBasePath: '/_dashboards' });
  const env = { BROOK_TEST_OS_PASSWORD: BASIC.password };
  const out = join(dir, 'sub', 'dash.ndjson');
  const argv = [
    'setup',
    '--url',
    os.url,
    '--dashboards-url',
    `${dash.url}/_dashboards`,
    '--user',
    'admin',
    '--password-env',
    'BROOK_TEST_OS_PASSWORD',
    '--out',
    out,
  ];
  const first = await brook(argv, { env });
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual([...os.indices.keys()].sort(), ['departments_count', 'user_session_counts', 'user_session_details']);
  assert.deepEqual(os.violations, []);
  assert.match(first.stdout, new RegExp(`wrote 9 saved objects .* to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`));
  assert.match(first.stdout, /index departments_count on http:\/\/127\.0\.0\.1:\d+: created/);
  assert.match(first.stdout, /imported 9 saved objects into OpenSearch Dashboards at http:\/\/127\.0\.0\.1:\d+\/_dashboards/);

  assert.equal(dash.imports.length, 1);
  const imp = dash.imports[0]!;
  assert.equal(imp.headers['osd-xsrf'], 'true');
  assert.match(String(imp.headers['content-type']), /^multipart\/form-data; boundary=/);
  assert.equal(imp.query.get('overwrite'), 'true');
  assert.equal(imp.fileName, 'clickstream-dashboard.ndjson');
  assert.equal(imp.partContentType, 'application/ndjson');
  assert.equal(imp.content, readFileSync(out, 'utf8'), 'the file on disk is what was imported');
  assert.equal(imp.objects.length, 9);
  assert.equal(dash.savedObjects.size, 9);
  assert.equal(dash.requests[0]!.headers.authorization, `Basic ${Buffer.from('admin:Adm1n!pass').toString('base64')}`);

  const second = await brook(argv, { env });
  assert.equal(second.code, 0);
  assert.match(second.stdout, /index departments_count on .*: exists, mapping as expected/);
  assert.equal(dash.imports.length, 2);
  assert.equal(dash.savedObjects.size, 9, 'overwritten, not duplicated');
});

test('without --dashboards-url: the file is written (default name) and the import is left to the user', async () => {
  const os = await fake();
  const r = await brook(['setup', '--url', os.url, '--index-prefix', 'qa-'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const file = join(dir, 'clickstream-dashboard.ndjson');
  assert.ok(r.stdout.includes(file), r.stdout);
  assert.match(r.stdout, /Saved objects > Import/);
  const objects = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    objects.filter((o) => o.type === 'index-pattern').map((o) => o.attributes.title),
    ['qa-user_session_details', 'qa-user_session_counts', 'qa-departments_count'],
  );
  assert.deepEqual([...os.indices.keys()].sort(), ['qa-departments_count', 'qa-user_session_counts', 'qa-user_session_details']);
});

test('the import request carries osd-xsrf: without it Dashboards refuses (as the real one does)', async () => {
  const dash = await fake();
  const client = new OpenSearchHttp({ url: dash.url });
  const res = await client.request('POST', '/api/saved_objects/_import', { body: 'x', contentType: 'multipart/form-data; boundary=b' });
  assert.equal(res.status, 400);
  assert.match(res.text, /Request must contain a osd-xsrf header/);
  // A refused object is reported by type, id and reason.
  const bad =
    '{"type":"visualization","id":"v","attributes":{"title":"V"},"references":[{"name":"r","type":"index-pattern","id":"nope"}]}\n';
  await assert.rejects(
    importSavedObjects(client, bad, retryPolicy({})),
    /imported 0 objects and refused 1: visualization\/v \(V\): missing_references/,
  );
  client.close();
});

test('usage errors: unknown or missing subcommand, no --url, basic auth without a password, both auth kinds', async () => {
  await assert.rejects(run(['frobnicate']), (e: unknown) => e instanceof UsageError && /unknown subcommand 'frobnicate'/.test(e.message));
  await assert.rejects(run([]), /missing the subcommand/);
  await assert.rejects(run(['setup']), /--url is required/);
  await assert.rejects(run(['setup', 'extra', '--url', 'http://x']), /unexpected argument 'extra'/);
  await assert.rejects(run(['setup', '--url', 'localhost:9200']), /--url must be an http\(s\) URL/);
  await assert.rejects(run(['setup', '--url', 'http://x', '--user', 'a', '--aws-region', 'eu-west-1']), /alternatives/);
  await assert.rejects(run(['setup', '--url', 'http://x', '--aws-region', 'Europe']), /must be an AWS region/);
  await assert.rejects(run(['setup', '--url', 'http://x', '--ca', '/nonexistent.pem']), /no such file/);
  await assert.rejects(run(['setup', '--url', 'http://x', '--index-prefix', 'Bad']), /upper-case/);
  assert.throws(() => parseCommandArgs(opensearchCommand, ['setup', '--bogus']), UsageError);
  // As a user sees it: exit 2 and the reason on stderr.
  const r = await brook(['setup', '--url', 'http://x', '--user', 'admin'], { env: { OPENSEARCH_PASSWORD: '' } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--user admin needs a password in the environment variable OPENSEARCH_PASSWORD/);
});

test('a cluster that refuses: exit 1 with the reason', async () => {
  const os = await fake({ basic: BASIC });
  const r = await brook(['setup', '--url', os.url, '--user', 'admin', '--out', join(dir, 'x.ndjson')], {
    env: { OPENSEARCH_PASSWORD: 'wrong' },
  });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot create index user_session_details on http:\/\/127\.0\.0\.1:\d+: HTTP 401/);
});

test('--help lists every option with its description', () => {
  const help = renderHelp(opensearchCommand);
  assert.match(help, /^Usage: brook opensearch setup --url URL/);
  for (const flag of [
    '--url URL',
    '--dashboards-url URL',
    '--user USER',
    '--password-env VAR',
    '--aws-region REGION',
    '--ca FILE',
    '--index-prefix PREFIX',
    '--out FILE',
  ])
    assert.ok(help.includes(flag), flag);
  assert.match(help, /default: \.\/clickstream-dashboard\.ndjson/);
  assert.match(help, /default: OPENSEARCH_PASSWORD/);
});

test('the `brook process` flags: nothing without --opensearch-url, else sink options', () => {
  assert.equal(parseProcessOpenSearch({}), undefined);
  assert.throws(() => parseProcessOpenSearch({ 'opensearch-user': 'a' }), /--opensearch-user needs --opensearch-url/);
  const opts = parseProcessOpenSearch(
    {
      'opensearch-url': 'https://search.example:9200',
      'opensearch-aws-region': 'us-east-1',
      'opensearch-flush-ms': '250',
      'opensearch-index-prefix': 'p-',
    },
    {},
  );
  assert.deepEqual(opts, {
    url: 'https://search.example:9200',
    auth: { type: 'aws-sigv4', region: 'us-east-1' },
    indexPrefix: 'p-',
    flushEveryMs: 250,
    maxActions: 1000,
  });
  const basic = parseProcessOpenSearch(
    { 'opensearch-url': 'http://h:9200', 'opensearch-user': 'u', 'opensearch-password-env': 'PW' },
    { PW: 'pw' },
  );
  assert.deepEqual(basic?.auth, { type: 'basic', username: 'u', password: 'pw' });
  assert.throws(
    () => parseProcessOpenSearch({ 'opensearch-url': 'http://h', 'opensearch-max-actions': '0' }),
    /--opensearch-max-actions must be an integer/,
  );
});
