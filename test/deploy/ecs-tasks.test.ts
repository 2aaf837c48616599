// The ECS task definitions, read from the Terraform and filled in with sample values through the
// root module's wiring: each container's command line parses with Brook's CLI, the processor's
// environment is a valid `brook up` configuration for MSK IAM, Glue and OpenSearch, the
// generator's flags are the reference producer's, and the setup task's steps are valid.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setupSteps } from '../../deploy/setup/steps.ts';
import { loadConfig } from '../../src/config/load.ts';
import { parseGenerateConfig } from '../../src/generator/options.ts';
import { kafkaConnection } from '../../src/platform/kafka-connection.ts';
import { processConfig, schemaRegistry } from '../../src/platform/part-configs.ts';
import { parseBrookCommandLine } from './cli-table.ts';
import { expressionValue, loadConfiguration, REPO, TERRAFORM_ROOT, type TfModule } from './hcl.ts';

const REGION = 'eu-central-1';
const BOOTSTRAP = 'b-1.brook.abc123.c2.kafka.eu-central-1.amazonaws.com:9098,b-2.brook.abc123.c2.kafka.eu-central-1.amazonaws.com:9098';
const DOMAIN = 'vpc-brook-search-abcdefgh.eu-central-1.es.amazonaws.com';
const PROCESSOR_ROLE = 'arn:aws:iam::123456789012:role/brook-brook-processor';

/** What Terraform would know after apply: root variables without defaults, module outputs, resources. */
const ROOT_VARIABLES: Record<string, string> = { region: REGION };
const MODULE_OUTPUTS: Record<string, string> = {
  'msk.bootstrap_brokers_sasl_iam': BOOTSTRAP,
  'glue.registry_name': 'brook-clickstream',
  'glue.schema_name': 'clickstream',
  'opensearch.endpoint': DOMAIN,
  'opensearch.dashboards_url': `https://${DOMAIN}/_dashboards`,
  'opensearch.master_user_name': 'brookadmin',
  'opensearch.master_password_secret_arn':
    'arn:aws:secretsmanager:eu-central-1:123456789012:secret:brook/opensearch/master-password-AbCdEf',
};
const RESOURCES: Record<string, string> = { 'aws_iam_role.processor.arn': PROCESSOR_ROLE };

let modules: Map<string, TfModule>;
let dir: string;
const root = () => modules.get(TERRAFORM_ROOT)!;
const brook = () => modules.get(`${TERRAFORM_ROOT}/modules/brook`)!;

/** A variable of the brook module as the root sets it: a root local, root variable or module output. */
function brookVariable(name: string): string {
  const arg = root().modules.get('brook')[name];
  if (typeof arg !== 'string') throw new Error(`the root does not pass ${name} to the brook module`);
  const ref = /^\$\{(local|var|module)\.([\w-]+)(?:\.([\w-]+))?\}$/.exec(arg);
  if (!ref) throw new Error(`cannot sample ${name} = ${arg}`);
  const [, kind, a, b] = ref;
  if (kind === 'local') return String(root().locals.get(a!));
  if (kind === 'var') return String(root().variables.get(a!).default ?? ROOT_VARIABLES[a!] ?? fail(`root var.${a}`));
  return MODULE_OUTPUTS[`${a}.${b}`] ?? fail(`module.${a}.${b}`);
}

function fail(what: string): never {
  throw new Error(`no sample value for ${what}: add one to the test`);
}

/** Fills the interpolations of a string the brook module builds. */
function sample(text: string): string {
  return text.replace(/\$\{([^}]+)\}/g, (_, expr: string) => {
    const v = /^(?:tostring\()?var\.([\w-]+)\)?$/.exec(expr);
    if (v) return brookVariable(v[1]!);
    return RESOURCES[expr] ?? fail(expr);
  });
}

async function container(family: string): Promise<any> {
  const td = brook().resources.get(`aws_ecs_task_definition.${family}`);
  const [c] = await expressionValue(td.container_definitions);
  return c;
}

/** The container's environment: literal lists, or `[for k, v in local.X : ...]` over a locals map. */
function environment(c: any): Record<string, string> {
  if (Array.isArray(c.environment)) return Object.fromEntries(c.environment.map((e: any) => [e.name, sample(e.value)]));
  const m = /^\$\{\[for k, v in local\.(\w+) : \{ name = k, value = v \}\]\}$/.exec(c.environment);
  if (!m) throw new Error(`cannot read environment ${c.environment}`);
  return Object.fromEntries(Object.entries<string>(brook().locals.get(m[1]!)).map(([k, v]) => [k, sample(v)]));
}

before(async () => {
  modules = await loadConfiguration();
  dir = mkdtempSync(join(tmpdir(), 'brook-deploy-ecs-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the processor task', () => {
  test('runs `brook up --no-generator`, checked by its own health check script', async () => {
    const c = await container('processor');
    const parsed = await parseBrookCommandLine(c.command.map(sample));
    assert.equal(parsed.command.name, 'up');
    assert.equal(parsed.values['no-generator'], true);
    assert.deepEqual(c.healthCheck.command.slice(0, 2), ['CMD', 'node']);
    assert.ok(existsSync(join(REPO, c.healthCheck.command[2])), c.healthCheck.command[2]);
  });

  test('its environment is a valid brook up configuration for MSK IAM, Glue and OpenSearch with SigV4', async () => {
    const env = environment(await container('processor'));
    const { config, warnings } = loadConfig({ env, cwd: dir });
    assert.deepEqual(warnings, [], 'every BROOK_ variable is a configuration key');
    assert.deepEqual(config.kafka.bootstrap, BOOTSTRAP.split(','));
    assert.equal(config.kafka.securityProtocol, 'SASL_SSL');
    assert.equal(config.kafka.sasl.mechanism, 'AWS_MSK_IAM');
    assert.equal(kafkaConnection(config, config.kafka.bootstrap!, env).sasl?.mechanism, 'OAUTHBEARER');

    const registry = schemaRegistry(config, null, env);
    assert.deepEqual(registry, { kind: 'glue', region: REGION, registryName: 'brook-clickstream' });
    const p = processConfig(config, registry, config.kafka.bootstrap!, env);
    assert.equal(p.glueRegion, REGION);
    assert.equal(p.checkpointTopic, root().locals.get('checkpoint_topic'), 'checkpoints in the topic the IAM policy names');
    assert.equal(p.group, root().locals.get('processor_group'));
    assert.equal(p.topic, root().locals.get('input_topic'));
    assert.equal(p.dlqTopic, root().locals.get('dead_letter_topic'));
    assert.equal(p.lateTopic, root().locals.get('late_topic'));
    assert.equal(p.opensearch?.url, `https://${DOMAIN}`);
    assert.deepEqual(p.opensearch?.auth, { type: 'aws-sigv4', region: REGION });
    assert.equal(config.generator.enabled, true, 'the generator is turned off by the --no-generator flag');
  });
});

describe('the generator task', () => {
  test("runs `brook generate` with the reference producer's IAM and Glue flags", async () => {
    const c = await container('generator');
    const parsed = await parseBrookCommandLine(c.command.map(sample));
    assert.equal(parsed.command.name, 'generate');
    const g = parseGenerateConfig(parsed.values, environment(c));
    assert.equal(g.iam, true);
    assert.equal(g.iamRegion, REGION);
    assert.equal(g.bootstrap, BOOTSTRAP);
    assert.equal(g.glue, true);
    assert.equal(g.glueRegion, REGION);
    assert.equal(g.registryName, 'brook-clickstream');
    assert.equal(g.schemaName, 'clickstream');
    assert.equal(g.autoRegister, false, 'the schema is Terraform-managed; the role may not register versions');
    assert.equal(g.topic, root().locals.get('input_topic'));
    assert.equal(g.logEvents, false);
  });
});

describe('the setup task', () => {
  test('runs the setup script with the master password from Secrets Manager', async () => {
    const c = await container('setup');
    assert.deepEqual(c.entryPoint, ['node', 'deploy/setup/run-setup.ts']);
    assert.ok(existsSync(join(REPO, c.entryPoint[1])));
    assert.deepEqual(
      c.secrets.map((s: any) => s.name),
      ['OPENSEARCH_PASSWORD'],
    );
    assert.equal(c.secrets[0].valueFrom, `\${var.opensearch_master_password_secret_arn}`);
  });

  test('its steps create the topics, set up OpenSearch and map the processor role, all valid brook command lines', async () => {
    const c = await container('setup');
    const env: Record<string, string> = { ...environment(c), OPENSEARCH_PASSWORD: 'secret' };
    assert.ok(existsSync(join(REPO, env.SETUP_KAFKA_PROPERTIES!)), 'the properties file is in the repository (and the image)');
    const steps = setupSteps(env, dir);
    const brookSteps = steps.flatMap((s) => (s.kind === 'brook' ? [s.argv] : []));
    for (const argv of brookSteps) await parseBrookCommandLine(argv);
    assert.deepEqual(
      brookSteps.map((a) => a.slice(0, 2).join(' ')),
      ['topics create', 'topics create', 'opensearch setup'],
    );
    assert.ok(brookSteps[0]!.includes('--properties'));
    const os = brookSteps[2]!;
    assert.equal(os[os.indexOf('--dashboards-url') + 1], `https://${DOMAIN}/_dashboards`);
    assert.equal(os[os.indexOf('--user') + 1], 'brookadmin');
    assert.equal(os[os.indexOf('--password-env') + 1], 'OPENSEARCH_PASSWORD');
    const role = steps.find((s) => s.kind === 'opensearch-writer-role');
    assert.ok(role && role.kind === 'opensearch-writer-role');
    assert.equal(role.roleArn, PROCESSOR_ROLE);
    assert.deepEqual(role.indices.sort(), ['departments_count', 'user_session_counts', 'user_session_details']);
  });

  test('its topics are exactly those the setup role may create', async () => {
    const env = { ...environment(await container('setup')), OPENSEARCH_PASSWORD: 'x' };
    const created = setupSteps(env, dir)
      .flatMap((s) => (s.kind === 'brook' && s.argv[1] === 'create' ? s.argv.slice(2, s.argv.indexOf('--partitions')) : []))
      .sort();
    const locals = root().locals;
    const granted = [locals.get('input_topic'), ...locals.get('result_topics'), locals.get('dead_letter_topic'), locals.get('late_topic')];
    assert.deepEqual(created, granted.sort());
  });
});

describe('all tasks', () => {
  test('run the image from the repository, on x86-64 Linux, logging to the log group', async () => {
    for (const family of ['processor', 'generator', 'setup']) {
      const td = brook().resources.get(`aws_ecs_task_definition.${family}`);
      assert.equal(td.runtime_platform[0].cpu_architecture, 'X86_64', family);
      assert.deepEqual(td.requires_compatibilities, ['FARGATE']);
      const c = await container(family);
      assert.equal(c.image, `\${local.image}`);
      assert.equal(c.logConfiguration.logDriver, 'awslogs');
    }
    assert.match(brook().locals.get('image'), /^\$\{aws_ecr_repository\.brook\.repository_url\}:/);
  });

  test('the services run nothing until an image is pushed and the setup has run', () => {
    assert.equal(brook().locals.get('pipeline_running'), `\${var.image_tag != "" && var.start_pipeline}`);
    assert.equal(
      brook().resources.get('aws_ecs_service.processor').desired_count,
      `\${local.pipeline_running ? var.processor_task_count : 0}`,
    );
    assert.equal(
      brook().resources.get('aws_ecs_service.generator').desired_count,
      `\${local.pipeline_running && var.run_generator ? 1 : 0}`,
    );
    assert.equal(root().variables.get('start_pipeline').default, false);
    assert.equal(root().variables.get('image_tag').default, '');
  });
});
