// `brook up --secure` end to end, in process: certificates made on the first run, the pipeline
// filling all five charts with every part on its own identity, the dashboard and registry behind
// HTTPS and logins, kcat over mTLS with the printed command, and nothing for a client without a
// certificate, with another CA's, or with a part's identity outside its ACLs. A second start
// reuses the certificates.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { initCa, issueCertificate, saveIssued } from '../../src/certs/api.ts';
import { RESULT_TOPICS } from '../../src/jobs/clickstream/rows.ts';
import { type Platform, startPlatform } from '../../src/platform.ts';
import { createTlsFetch } from '../../src/security/http-client.ts';
import { kcat } from '../helpers/kcat.ts';
import { allChartsFilled, type ChartsAnswer, fastGeneratorArgs, runCli, testConfig, waitFor } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'brook-secure-'));
let platform: Platform | undefined;
after(async () => {
  await platform?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ssl = (p: Platform, id?: string) => [
  '-b',
  p.bootstrap.join(','),
  '-X',
  'security.protocol=SSL',
  '-X',
  `ssl.ca.location=${p.secure!.caFile}`,
  ...(id
    ? [
        '-X',
        `ssl.certificate.location=${join(p.secure!.certsDir, `${id}-chain.pem`)}`,
        '-X',
        `ssl.key.location=${join(p.secure!.certsDir, `${id}.key`)}`,
      ]
    : []),
];

test('brook up --secure: charts fill over mTLS and ACLs; nobody without the right identity gets in', { timeout: 150_000 }, async () => {
  const logs: string[] = [];
  const config = testConfig(dir, ['--secure', ...fastGeneratorArgs(Date.now() - 5 * 60_000, 120)]);
  platform = await startPlatform({ config, log: (l) => logs.push(l) });
  const p = platform;
  assert.ok(p.secure, 'the platform reports its secure setup');
  assert.match(p.dashboardUrl, /^https:\/\//);
  assert.match(p.registryUrl!, /^https:\/\//);
  assert.equal(statSync(join(p.secure.certsDir, 'ca.key')).mode & 0o777, 0o600);
  assert.equal(statSync(p.secure.adminPasswordFile).mode & 0o777, 0o600);

  // The dashboard: HTTPS with Brook's CA; 401 without a login, the operator's password works.
  const ca = readFileSync(p.secure.caFile);
  const tlsFetch = createTlsFetch({ ca });
  after(() => tlsFetch.close());
  const charts = new URL('/api/charts?last=15m', p.dashboardUrl);
  assert.equal((await tlsFetch(charts)).status, 401);
  const password = readFileSync(p.secure.adminPasswordFile, 'utf8').trim();
  const login = { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` };
  assert.equal(
    (await tlsFetch(charts, { headers: { authorization: `Basic ${Buffer.from('admin:wrong').toString('base64')}` } })).status,
    401,
  );
  const answer = await waitFor('five non-empty charts', 90_000, async () => {
    const a = (await (await tlsFetch(charts, { headers: login })).json()) as ChartsAnswer;
    return allChartsFilled(a) ? a : undefined;
  });
  assert.equal(answer.charts.length, 5);
  // The dashboard's own identity (User:dashboard) may describe the topics and the processor's group.
  const pipeline = (await (await tlsFetch(new URL('/api/pipeline', p.dashboardUrl), { headers: login })).json()) as {
    kafka: { error: string | null };
    topics: Array<{ name: string }>;
    groups: Array<{ id: string }>;
  };
  assert.equal(pipeline.kafka.error, null);
  assert.ok(
    pipeline.topics.some((t) => t.name === 'clickstream'),
    JSON.stringify(pipeline.topics),
  );
  assert.ok(
    pipeline.groups.some((g) => g.id === 'clickstream-processor'),
    JSON.stringify(pipeline.groups),
  );

  // The printed kcat command works as printed (the operator, a super user).
  const printed = p.secure.kcat.split(' ').slice(1);
  const listed = await kcat(printed, { timeoutMs: 30_000 });
  assert.equal(listed.code, 0, listed.stderr);
  for (const topic of ['clickstream', ...Object.values(RESULT_TOPICS)]) assert.match(listed.stdout, new RegExp(`topic "${topic}"`));
  const rows = await kcat([...ssl(p, 'admin'), '-C', '-t', RESULT_TOPICS.user_session_counts, '-o', 'beginning', '-c', '1', '-e'], {
    timeoutMs: 30_000,
  });
  assert.equal(rows.code, 0, rows.stderr);
  assert.equal(typeof (JSON.parse(rows.stdout.trim()) as { windowBeginTime: unknown }).windowBeginTime, 'number');

  // No certificate, or one from another CA: the handshake fails, nothing is listed.
  const noCert = await kcat([...ssl(p), '-L', '-m', '5'], { timeoutMs: 30_000 });
  assert.notEqual(noCert.code, 0);
  assert.doesNotMatch(noCert.stdout, /clickstream/);
  // Another CA's certificate with the operator's very name.
  const otherCa = await initCa(join(dir, 'other-ca'), { subject: 'CN=Someone Else CA' });
  const stranger = await saveIssued(otherCa, await issueCertificate(otherCa, { subject: 'CN=admin,O=Brook' }), { name: 'stranger' });
  const strangerRun = await kcat(
    [...ssl(p), '-X', `ssl.certificate.location=${stranger.chain}`, '-X', `ssl.key.location=${stranger.key}`, '-L', '-m', '5'],
    { timeoutMs: 30_000 },
  );
  assert.notEqual(strangerRun.code, 0);
  assert.doesNotMatch(strangerRun.stdout, /clickstream/);

  // Least privilege: the generator may write the input but not read results, nor see them.
  const genList = await kcat([...ssl(p, 'generator'), '-L'], { timeoutMs: 30_000 });
  assert.equal(genList.code, 0, genList.stderr);
  assert.match(genList.stdout, /topic "clickstream"/);
  assert.doesNotMatch(genList.stdout, new RegExp(RESULT_TOPICS.departments_count));
  const genRead = await kcat([...ssl(p, 'generator'), '-C', '-t', RESULT_TOPICS.departments_count, '-o', 'beginning', '-c', '1', '-e'], {
    timeoutMs: 30_000,
  });
  assert.match(genRead.stderr, /authoriz/i);
  // The dashboard's identity may read results but not write the input.
  const dashWrite = await kcat([...ssl(p, 'dashboard'), '-P', '-t', 'clickstream'], { input: 'x\n', timeoutMs: 30_000 });
  assert.match(dashWrite.stderr, /authoriz/i);

  // The registry: HTTPS, read-only identities cannot register.
  const asProcessor = createTlsFetch({
    ca,
    cert: readFileSync(join(p.secure.certsDir, 'processor-chain.pem')),
    key: readFileSync(join(p.secure.certsDir, 'processor.key')),
  });
  after(() => asProcessor.close());
  assert.equal((await asProcessor(new URL('/subjects', p.registryUrl!))).status, 200);
  const register = await asProcessor(new URL('/subjects/x-value/versions', p.registryUrl!), {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: '"string"' }),
  });
  assert.equal(register.status, 403);

  // The operator CLI with the written properties file: consume decodes Avro through the HTTPS registry.
  const consume = runCli([
    'consume',
    'clickstream',
    '--properties',
    p.secure.adminProperties,
    '--count',
    '2',
    '--json',
    '--registry',
    p.registryUrl!,
    '--registry-ca',
    p.secure.caFile,
    '--registry-cert',
    join(p.secure.certsDir, 'admin-chain.pem'),
    '--registry-key',
    join(p.secure.certsDir, 'admin.key'),
  ]);
  assert.equal(await consume.exited, 0, consume.stderr());
  const consumed = consume
    .stdout()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { value: { format?: string; value?: { userid?: unknown } } | Record<string, unknown> });
  assert.equal(consumed.length, 2);
  assert.match(JSON.stringify(consumed[0]), /"userid":\d+/, 'the value was decoded from Avro');
  // Without the CA the registry's certificate is not trusted: a clear failure, not bytes.
  const untrusted = runCli([
    'consume',
    'clickstream',
    '--properties',
    p.secure.adminProperties,
    '--count',
    '1',
    '--registry',
    p.registryUrl!,
  ]);
  assert.notEqual(await untrusted.exited, 0);

  // brook status signs in with the operator's certificate.
  const status = runCli(['status', '--data-dir', p.dataDir]);
  assert.equal(await status.exited, 0, status.stderr());
  assert.match(status.stdout(), /Brook at https:/);

  const exit = await p.stop();
  platform = undefined;
  assert.deepEqual(exit, { ok: true });

  // A second start reuses the CA and certificates (the CA file is unchanged).
  const caBefore = readFileSync(join(dir, 'certs', 'ca.pem'), 'utf8');
  platform = await startPlatform({ config: testConfig(dir, ['--secure', '--no-generator']), log: () => undefined });
  assert.equal(readFileSync(platform.secure!.caFile, 'utf8'), caBefore);
  assert.deepEqual(await platform.stop(), { ok: true });
  platform = undefined;
});
