// The one-shot setup (deploy/setup/): its steps from the environment, the OpenSearch writer role,
// and the real script run twice against Brook's broker and registry and a fake OpenSearch: the
// topics, the schema with compatibility FULL, the indexes, the dashboard and the role mapping,
// and a failure that stops it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Admin, ConfigResourceTypes } from '@platformatic/kafka';
import { mapWriterRole, WRITER_ROLE, WriterRoleError, writerRole } from '../../deploy/setup/opensearch-writer-role.ts';
import { runSetup } from '../../deploy/setup/setup.ts';
import { SCHEMA_FILE, SetupConfigError, setupSteps } from '../../deploy/setup/steps.ts';
import { CLICK_EVENT_AVSC } from '../../src/generator/schema.ts';
import { withBrokerAndRegistry } from '../helpers/temp-stack.ts';
import { parseBrookCommandLine } from './cli-table.ts';
import { type FakeOpenSearch, startFakeOpenSearch } from './fake-opensearch.ts';
import { REPO } from './hcl.ts';

const ROLE = 'arn:aws:iam::123456789012:role/brook-processor';

describe('setupSteps', () => {
  test('without SETUP_BOOTSTRAP it says what to set', () => {
    assert.throws(
      () => setupSteps({}, REPO),
      (e) => e instanceof SetupConfigError && /SETUP_BOOTSTRAP/.test(e.message),
    );
  });

  test('a writer role needs the master user, and OpenSearch', () => {
    const base = { SETUP_BOOTSTRAP: 'k:9092', SETUP_WRITER_ROLE_ARN: ROLE };
    assert.throws(() => setupSteps(base, REPO), /needs SETUP_OPENSEARCH_URL/);
    assert.throws(() => setupSteps({ ...base, SETUP_OPENSEARCH_URL: 'https://os' }, REPO), /needs SETUP_OPENSEARCH_USER/);
  });

  test("topics come from brook up's keys: names, partitions, replication, with cleanup.policy=delete", async () => {
    const steps = setupSteps(
      { SETUP_BOOTSTRAP: 'k:9092', BROOK_TOPICS_PARTITIONS: '6', BROOK_TOPICS_REPLICATION_FACTOR: '3', BROOK_TOPICS_LATE: 'late' },
      REPO,
    );
    assert.deepEqual(
      steps.map((s) => (s.kind === 'brook' ? s.argv : [])),
      [
        [
          'topics',
          'create',
          'clickstream',
          '--partitions',
          '6',
          '--replication-factor',
          '3',
          '--config',
          'cleanup.policy=delete',
          '--if-not-exists',
          '--bootstrap',
          'k:9092',
        ],
        [
          'topics',
          'create',
          'User_Sessions_Aggregates_With_Order_Checkout',
          'ClickEvents_UserId_Agg_Result',
          'Departments_Agg',
          'clickstream.dlq',
          'late',
          '--partitions',
          '1',
          '--replication-factor',
          '3',
          '--config',
          'cleanup.policy=delete',
          '--if-not-exists',
          '--bootstrap',
          'k:9092',
        ],
      ],
    );
    for (const s of steps) if (s.kind === 'brook') await parseBrookCommandLine(s.argv);
  });

  test('a Confluent registry gets compatibility FULL and the schema file; SigV4 replaces basic auth', async () => {
    const steps = setupSteps(
      {
        SETUP_BOOTSTRAP: 'k:9092',
        SETUP_REGISTRY_URL: 'http://r:8081',
        SETUP_OPENSEARCH_URL: 'https://os',
        SETUP_OPENSEARCH_AWS_REGION: 'us-east-1',
      },
      REPO,
    );
    const argv = steps.flatMap((s) => (s.kind === 'brook' ? [s.argv] : []));
    assert.deepEqual(argv[2], ['schemas', 'config', 'clickstream-value', '--set', 'FULL', '--registry', 'http://r:8081']);
    assert.deepEqual(argv[3], ['schemas', 'register', 'clickstream-value', SCHEMA_FILE, '--registry', 'http://r:8081']);
    assert.deepEqual(argv[4]!.slice(0, 6), ['opensearch', 'setup', '--url', 'https://os', '--aws-region', 'us-east-1']);
    for (const a of argv) await parseBrookCommandLine(a);
  });
});

describe('the OpenSearch writer role', () => {
  let os: FakeOpenSearch;
  before(async () => {
    os = await startFakeOpenSearch('admin', 'pw');
  });
  after(() => os.close());

  test('maps the IAM role to a role that may only write the three indexes', async () => {
    const indices = ['departments_count', 'user_session_counts', 'user_session_details'];
    await mapWriterRole({ url: `${os.url}/`, user: 'admin', password: 'pw', roleArn: ROLE, indices });
    assert.deepEqual(os.roles.get(WRITER_ROLE), writerRole(indices));
    assert.deepEqual(writerRole(indices).cluster_permissions, ['indices:data/write/bulk']);
    assert.deepEqual(os.roleMappings.get(WRITER_ROLE), { backend_roles: [ROLE] });
    assert.ok(os.requests.every((r) => r.authorized && r.method === 'PUT'));
  });

  test('a refused sign-in names the master user, and is not retried', async () => {
    const before = os.requests.length;
    await assert.rejects(
      mapWriterRole({ url: os.url, user: 'admin', password: 'wrong', roleArn: ROLE, indices: ['x'], retryDelayMs: 1 }),
      (e) => e instanceof WriterRoleError && /HTTP 401/.test(e.message) && /master user/.test(e.message),
    );
    assert.equal(os.requests.length - before, 1);
  });

  test('a server error is retried until the domain answers', async () => {
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      calls++;
      return calls < 3 ? new Response('busy', { status: 503 }) : fetch(input, init);
    };
    await mapWriterRole({ url: os.url, user: 'admin', password: 'pw', roleArn: ROLE, indices: ['x'], fetch: flaky, retryDelayMs: 1 });
    assert.equal(calls, 4, 'two failures, then the role and its mapping');
  });
});

describe('runSetup', () => {
  test('stops at the first failing step and returns its exit code', async () => {
    const ran: string[][] = [];
    const lines: string[] = [];
    const code = await runSetup(
      { SETUP_BOOTSTRAP: 'k:9092', SETUP_REGISTRY_URL: 'http://r:8081' },
      {
        log: (l) => lines.push(l),
        brook: (argv) => {
          ran.push(argv);
          return argv[0] === 'schemas' ? 3 : 0;
        },
      },
    );
    assert.equal(code, 3);
    assert.deepEqual(
      ran.map((a) => a.slice(0, 2).join(' ')),
      ['topics create', 'topics create', 'schemas config'],
    );
    assert.match(lines.at(-1)!, /failed at step 3/);
  });

  test('without the master password in its variable, the role step fails before any request', async () => {
    const lines: string[] = [];
    const code = await runSetup(
      { SETUP_BOOTSTRAP: 'k:9092', SETUP_OPENSEARCH_URL: 'http://os', SETUP_OPENSEARCH_USER: 'admin', SETUP_WRITER_ROLE_ARN: ROLE },
      { log: (l) => lines.push(l), brook: () => 0, mapRole: () => assert.fail('no request without a password') },
    );
    assert.equal(code, 1);
    assert.match(lines.at(-1)!, /OPENSEARCH_PASSWORD/);
  });
});

describe('deploy/setup/run-setup.ts against a broker, a registry and OpenSearch', () => {
  const stack = withBrokerAndRegistry('brook-deploy-setup-');
  let os: FakeOpenSearch;
  before(async () => {
    os = await startFakeOpenSearch('admin', 'pw');
  });
  after(() => os.close());

  const run = (password: string) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, [join(REPO, 'deploy/setup/run-setup.ts')], {
        cwd: stack.dir,
        env: {
          PATH: process.env.PATH,
          SETUP_BOOTSTRAP: stack.tb.bootstrap,
          SETUP_REGISTRY_URL: stack.registry.url,
          SETUP_OPENSEARCH_URL: os.url,
          SETUP_DASHBOARDS_URL: os.url,
          SETUP_OPENSEARCH_USER: 'admin',
          SETUP_WRITER_ROLE_ARN: ROLE,
          SETUP_OUT_DIR: stack.dir,
          OPENSEARCH_PASSWORD: password,
          BROOK_TOPICS_PARTITIONS: '4',
          BROOK_TOPICS_REPLICATION_FACTOR: '1',
        },
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('close', (code) => resolve({ code, output }));
    });

  test('creates the topics, the schema, the indexes, the dashboard and the role mapping; and again', async () => {
    for (const attempt of [1, 2]) {
      const { code, output } = await run('pw');
      assert.equal(code, 0, `run ${attempt}:\n${output}`);
      assert.match(output, /setup: done \(6 steps\)/);
    }
    const admin = new Admin({ clientId: 'deploy-test', bootstrapBrokers: [stack.tb.bootstrap] });
    try {
      const topics = ['clickstream', 'Departments_Agg', 'ClickEvents_UserId_Agg_Result', 'User_Sessions_Aggregates_With_Order_Checkout'];
      const metadata = await admin.metadata({ topics: [...topics, 'clickstream.dlq', 'clickstream.late'] });
      assert.equal(metadata.topics.get('clickstream')?.partitionsCount, 4);
      assert.equal(metadata.topics.get('clickstream.late')?.partitionsCount, 1);
      const configs = await admin.describeConfigs({
        resources: topics.map((resourceName) => ({ resourceType: ConfigResourceTypes.TOPIC, resourceName })),
      });
      for (const r of configs) assert.equal(r.configs.find((c) => c.name === 'cleanup.policy')?.value, 'delete', r.resourceName);
    } finally {
      await admin.close();
    }
    const config = (await (await fetch(`${stack.registry.url}/config/clickstream-value`)).json()) as { compatibilityLevel: string };
    assert.equal(config.compatibilityLevel, 'FULL');
    const latest = (await (await fetch(`${stack.registry.url}/subjects/clickstream-value/versions/latest`)).json()) as {
      version: number;
      schema: string;
    };
    assert.deepEqual(JSON.parse(latest.schema), JSON.parse(CLICK_EVENT_AVSC));
    assert.equal(latest.version, 1, 'the second run registered nothing new');

    const paths = os.requests.filter((r) => r.authorized).map((r) => `${r.method} ${r.path}`);
    for (const p of [
      'PUT /departments_count',
      'PUT /user_session_counts',
      'PUT /user_session_details',
      'GET /departments_count/_mapping',
      'POST /api/saved_objects/_import',
      `PUT /_plugins/_security/api/roles/${WRITER_ROLE}`,
      `PUT /_plugins/_security/api/rolesmapping/${WRITER_ROLE}`,
    ])
      assert.ok(paths.includes(p), `${p} in ${paths.join(', ')}`);
    assert.deepEqual(os.roleMappings.get(WRITER_ROLE), { backend_roles: [ROLE] });
  });

  test('a wrong master password stops it at the OpenSearch step with a non-zero exit', async () => {
    const { code, output } = await run('wrong');
    assert.notEqual(code, 0);
    assert.match(output, /setup: failed at step 5 \(brook opensearch setup exited with 1\)/);
    assert.doesNotMatch(output, /setup: done/);
  });
});
