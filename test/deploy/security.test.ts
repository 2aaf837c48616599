// Security rules of the Terraform, checked on the parsed configuration: no security group lets
// the internet in (unless allowlisted with a reason), no IAM policy grants `*` or `service:*` on
// `*`, a `*` resource or principal appears only where the allowlist says why, and the task roles
// name exactly the topics, groups and schemas Brook uses.
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { RESULT_TOPICS } from '../../src/jobs/clickstream/rows.ts';
import { expressionValue, loadConfiguration, parseHcl, REPO, strings, TERRAFORM_ROOT, type TfModule } from './hcl.ts';

const OPEN = ['0.0.0.0/0', '::/0'];

/**
 * Ingress from anywhere, by `module/resource`. Empty: nothing in the deployment accepts
 * connections from the internet. OpenSearch Dashboards is reached by SSM port forwarding through
 * the access host, which has no inbound rule at all.
 */
const OPEN_INGRESS_ALLOWED: Array<{ at: string; reason: string }> = [];

/** Statements that may name Resource "*", by `module/policy#sid`, and why. */
const STAR_RESOURCE_ALLOWED: Array<{ at: string; actions: string[]; reason: string }> = [
  {
    at: 'brook/aws_iam_policy_document.execution#EcrLogin',
    actions: ['ecr:GetAuthorizationToken'],
    reason: 'has no resource-level permissions',
  },
  {
    at: 'brook/aws_iam_policy_document.processor#ReadSchemaVersions',
    actions: ['glue:GetSchemaVersion'],
    reason: 'records carry only a schema version UUID; AWS documents "*" for deserializers',
  },
];

/** Statements that may name Principal "*", and why. */
const STAR_PRINCIPAL_ALLOWED: Array<{ at: string; reason: string }> = [
  {
    at: 'opensearch/aws_iam_policy_document.access#FineGrainedAccessControlDecides',
    reason:
      'fine-grained access control authenticates every request; the domain is reachable only inside the VPC from named security groups',
  },
];

interface Statement {
  at: string;
  effect: string;
  actions: string[];
  notActions: string[];
  resources: string[];
  principals: string[];
}

let modules: Map<string, TfModule>;
const mod = (name: string) => modules.get(name === 'root' ? TERRAFORM_ROOT : `${TERRAFORM_ROOT}/modules/${name}`)!;
const label = (m: TfModule) => (m.dir === TERRAFORM_ROOT ? 'root' : relative(`${TERRAFORM_ROOT}/modules`, m.dir));
const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [v as string]);

/** Every ingress that names a CIDR: inline ingress blocks (also dynamic ones) and rule resources. */
function openIngress(m: TfModule): string[] {
  const found: string[] = [];
  const isOpen = (values: unknown) => strings(values).some((s) => OPEN.some((o) => s.text.includes(o)));
  for (const [key, body] of m.resources) {
    const at = `${label(m)}/${key}`;
    const [type] = key.split('.');
    if (type === 'aws_security_group') {
      const blocks = [...list(body.ingress), ...list(body.dynamic?.ingress).flatMap((d: any) => list(d.content))] as any[];
      for (const b of blocks) if (isOpen([b.cidr_blocks, b.ipv6_cidr_blocks])) found.push(at);
    }
    if (type === 'aws_vpc_security_group_ingress_rule' && isOpen([body.cidr_ipv4, body.cidr_ipv6])) found.push(at);
    if (type === 'aws_security_group_rule' && body.type === 'ingress' && isOpen([body.cidr_blocks, body.ipv6_cidr_blocks])) found.push(at);
  }
  // A CIDR from a variable is open when the variable's default is.
  for (const [name, body] of m.variables) if (isOpen(body.default)) found.push(`${label(m)}/var.${name}`);
  return found;
}

/** Statements of aws_iam_policy_document data sources and of jsonencode'd policy documents. */
async function policyStatements(m: TfModule): Promise<Statement[]> {
  const out: Statement[] = [];
  for (const [key, body] of m.data) {
    if (!key.startsWith('aws_iam_policy_document.')) continue;
    for (const [i, s] of list(body.statement).entries() as IterableIterator<[number, any]>) {
      out.push({
        at: `${label(m)}/${key}#${s.sid ?? i}`,
        effect: s.effect ?? 'Allow',
        actions: list(s.actions),
        notActions: list(s.not_actions),
        resources: list(s.resources),
        principals: list(s.principals).flatMap((p: any) => list(p.identifiers)),
      });
    }
  }
  for (const [key, body] of m.resources) {
    for (const s of strings(body)) {
      if (!/^\$\{jsonencode\(/.test(s.text) || !s.text.includes('Statement')) continue;
      const doc = await expressionValue(s.text);
      for (const [i, st] of list(doc.Statement).entries() as IterableIterator<[number, any]>) {
        const principal = st.Principal === '*' ? ['*'] : Object.values(st.Principal ?? {}).flatMap((p) => list(p as string));
        out.push({
          at: `${label(m)}/${key}.${s.path}#${st.Sid ?? i}`,
          effect: st.Effect ?? 'Allow',
          actions: list(st.Action),
          notActions: list(st.NotAction),
          resources: list(st.Resource),
          principals: principal,
        });
      }
    }
  }
  return out;
}

function policyProblems(statements: Statement[]): string[] {
  const problems: string[] = [];
  for (const s of statements) {
    if (s.effect !== 'Allow') continue;
    if (s.actions.includes('*')) problems.push(`${s.at}: Action "*"`);
    if (s.notActions.length > 0) problems.push(`${s.at}: Allow with NotAction grants everything else`);
    const wildcardService = s.actions.filter((a) => /^[\w-]+:\*$/.test(a));
    if (s.resources.includes('*') && wildcardService.length > 0) problems.push(`${s.at}: ${wildcardService.join(', ')} on Resource "*"`);
    if (s.resources.includes('*')) {
      const allowed = STAR_RESOURCE_ALLOWED.find((a) => a.at === s.at);
      if (!allowed) problems.push(`${s.at}: Resource "*" without a reason in STAR_RESOURCE_ALLOWED`);
      else if (s.actions.some((a) => !allowed.actions.includes(a)))
        problems.push(`${s.at}: Resource "*" for more than ${allowed.actions.join(', ')}`);
    }
    if (s.principals.includes('*') && !STAR_PRINCIPAL_ALLOWED.some((a) => a.at === s.at)) problems.push(`${s.at}: Principal "*"`);
  }
  return problems;
}

async function fixtureModule(text: string): Promise<TfModule> {
  const json = await parseHcl('fixture.tf', text);
  const m: TfModule = {
    dir: `${TERRAFORM_ROOT}/modules/fixture`,
    files: new Map([['fixture.tf', json]]),
    variables: new Map(),
    locals: new Map(),
    outputs: new Map(),
    modules: new Map(),
    resources: new Map(),
    data: new Map(),
  };
  for (const [type, byName] of Object.entries<any>(json.resource ?? {}))
    for (const [name, bodies] of Object.entries<any>(byName)) m.resources.set(`${type}.${name}`, bodies[0]);
  for (const [type, byName] of Object.entries<any>(json.data ?? {}))
    for (const [name, bodies] of Object.entries<any>(byName)) m.data.set(`${type}.${name}`, bodies[0]);
  return m;
}

before(async () => {
  modules = await loadConfiguration();
});

describe('security groups', () => {
  test('no ingress from 0.0.0.0/0 or ::/0 except the documented ones', () => {
    const found = [...modules.values()].flatMap(openIngress);
    assert.deepEqual(
      found.filter((f) => !OPEN_INGRESS_ALLOWED.some((a) => a.at === f)),
      [],
    );
    // An allowlist entry for something that no longer exists would hide a future one.
    assert.deepEqual(
      OPEN_INGRESS_ALLOWED.filter((a) => !found.includes(a.at)),
      [],
    );
  });

  test('the check finds open inline, dynamic and standalone ingress rules', async () => {
    const m = await fixtureModule(`
resource "aws_security_group" "inline" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_security_group" "dynamic" {
  dynamic "ingress" {
    for_each = [1]
    content {
      ipv6_cidr_blocks = ["::/0"]
    }
  }
}
resource "aws_vpc_security_group_ingress_rule" "rule" {
  cidr_ipv4 = "0.0.0.0/0"
}
resource "aws_security_group_rule" "old" {
  type        = "ingress"
  cidr_blocks = ["0.0.0.0/0"]
}
resource "aws_vpc_security_group_egress_rule" "egress_is_fine" {
  cidr_ipv4 = "0.0.0.0/0"
}
`);
    assert.deepEqual(openIngress(m).sort(), [
      'fixture/aws_security_group.dynamic',
      'fixture/aws_security_group.inline',
      'fixture/aws_security_group_rule.old',
      'fixture/aws_vpc_security_group_ingress_rule.rule',
    ]);
  });

  test('every ingress rule names a source security group, not an address range', () => {
    const rules = [...modules.values()].flatMap((m) =>
      [...m.resources]
        .filter(([k]) => k.startsWith('aws_vpc_security_group_ingress_rule.'))
        .map(([k, b]) => ({ at: `${label(m)}/${k}`, b })),
    );
    assert.ok(rules.length >= 5);
    assert.deepEqual(
      rules.filter((r) => typeof r.b.referenced_security_group_id !== 'string').map((r) => r.at),
      [],
    );
  });
});

describe('IAM policies', () => {
  test('no "*" action, no "service:*" on "*", and "*" resources or principals only where documented', async () => {
    const statements = (await Promise.all([...modules.values()].map(policyStatements))).flat();
    assert.ok(statements.length >= 15, `found only ${statements.length} statements`);
    assert.deepEqual(policyProblems(statements), []);
    for (const a of [...STAR_RESOURCE_ALLOWED, ...STAR_PRINCIPAL_ALLOWED])
      assert.ok(
        statements.some((s) => s.at === a.at),
        `allowlist entry ${a.at} matches no statement`,
      );
  });

  test('the check finds wildcards in policy documents and in jsonencode', async () => {
    const m = await fixtureModule(`
data "aws_iam_policy_document" "bad" {
  statement {
    sid       = "Everything"
    actions   = ["*"]
    resources = ["arn:aws:s3:::b"]
  }
  statement {
    sid       = "AllOfS3"
    actions   = ["s3:*"]
    resources = ["*"]
  }
  statement {
    sid       = "Anyone"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}
resource "aws_iam_role_policy" "inline" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Json", Effect = "Allow", Action = "kafka-cluster:*", Resource = "*" }]
  })
}
`);
    const problems = policyProblems(await policyStatements(m));
    for (const what of [
      '#Everything: Action "*"',
      '#AllOfS3: s3:* on Resource "*"',
      '#Anyone: Principal "*"',
      '#Json: kafka-cluster:* on Resource "*"',
    ])
      assert.ok(
        problems.some((p) => p.endsWith(what)),
        `${what} not reported in:\n${problems.join('\n')}`,
      );
  });

  test("the Terraform's pipeline names are Brook's own defaults", () => {
    const { config } = loadConfig({ env: {}, cwd: REPO });
    const locals = mod('root').locals;
    assert.equal(locals.get('input_topic'), config.topics.clickstream);
    assert.deepEqual(locals.get('result_topics'), Object.values(RESULT_TOPICS));
    assert.equal(locals.get('dead_letter_topic'), config.topics.deadLetter);
    assert.equal(locals.get('late_topic'), config.topics.late);
    assert.equal(locals.get('processor_group'), config.processor.group);
  });

  test('each task role reaches exactly the topics and groups of its part', async () => {
    const brook = mod('brook');
    const byRole = new Map<string, Statement[]>();
    for (const s of await policyStatements(brook)) {
      const role = /aws_iam_policy_document\.(\w+)#/.exec(s.at)![1]!;
      byRole.set(role, [...(byRole.get(role) ?? []), s]);
    }
    // kafka-cluster actions and the resources they are granted on, per role.
    const grants = (role: string) =>
      byRole
        .get(role)!
        .filter((s) => s.actions.some((a) => a.startsWith('kafka-cluster:')))
        .map((s) => ({ actions: [...s.actions].sort(), resources: s.resources }));
    const topic = (name: string) => `\${local.topic_arn[var.${name}]}`;
    assert.deepEqual(grants('generator'), [
      { actions: ['kafka-cluster:Connect', 'kafka-cluster:WriteDataIdempotently'], resources: [`\${var.msk_cluster_arn}`] },
      { actions: ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData'], resources: [topic('input_topic')] },
    ]);
    const processor = grants('processor');
    assert.deepEqual(processor[1], {
      actions: ['kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData'],
      resources: [topic('input_topic')],
    });
    assert.deepEqual(processor[4]!.resources, [`\${local.group_arns}`]);
    assert.deepEqual(brook.locals.get('group_arns'), [
      `\${var.msk_group_arn_prefix}/\${var.processor_group}`,
      `\${var.msk_group_arn_prefix}/\${var.processor_group}-*`,
    ]);
    // Only the processor's own topics (checkpoints, scale-out exchange) may be created by it.
    const creators = processor.filter((g) => g.actions.includes('kafka-cluster:CreateTopic'));
    assert.deepEqual(
      creators.map((g) => g.resources),
      [[topic('checkpoint_topic'), `\${local.group_topics_arn}`]],
    );
    assert.equal(brook.locals.get('group_topics_arn'), `\${var.msk_topic_arn_prefix}/\${var.processor_group}-*`);
    // No role but the setup creates pipeline topics, and no role reads what it only writes.
    const setup = grants('setup');
    assert.deepEqual(setup[1], {
      actions: ['kafka-cluster:CreateTopic', 'kafka-cluster:DescribeTopic'],
      resources: [`\${[for t in local.pipeline_topics : local.topic_arn[t]]}`],
    });
    assert.ok(!byRole.get('setup')!.some((s) => s.actions.some((a) => a.startsWith('es:'))));
    const search = byRole.get('processor')!.filter((s) => s.actions.some((a) => a.startsWith('es:')));
    assert.deepEqual(
      search.map((s) => [s.actions, s.resources]),
      [[['es:ESHttpPost'], [`\${var.opensearch_domain_arn}/_bulk`]]],
    );
  });

  test('only the setup task can read the OpenSearch master password', async () => {
    const secretReaders = (await policyStatements(mod('brook'))).filter((s) => s.actions.includes('secretsmanager:GetSecretValue'));
    assert.deepEqual(
      secretReaders.map((s) => s.at),
      ['brook/aws_iam_policy_document.setup_execution#ReadOpenSearchMasterPassword'],
    );
    const setup = mod('brook').resources.get('aws_ecs_task_definition.setup');
    assert.equal(setup.execution_role_arn, `\${aws_iam_role.setup_execution.arn}`);
    for (const other of ['processor', 'generator'])
      assert.equal(mod('brook').resources.get(`aws_ecs_task_definition.${other}`).execution_role_arn, `\${aws_iam_role.execution.arn}`);
  });
});

describe('managed services', () => {
  test('MSK accepts IAM and mutual TLS from the private CA, never unauthenticated clients, and encrypts', () => {
    const msk = mod('msk').resources.get('aws_msk_cluster.this');
    const auth = msk.client_authentication[0];
    assert.equal(auth.unauthenticated, false);
    assert.equal(auth.sasl[0].iam, true);
    assert.deepEqual(auth.tls[0].certificate_authority_arns, [`\${var.client_ca_arn}`]);
    assert.equal(msk.encryption_info[0].encryption_in_transit[0].client_broker, 'TLS');
    assert.equal(msk.encryption_info[0].encryption_in_transit[0].in_cluster, true);
    assert.equal(msk.encryption_info[0].encryption_at_rest_kms_key_arn, `\${aws_kms_key.msk.arn}`);
    assert.equal(msk.logging_info[0].broker_logs[0].cloudwatch_logs[0].enabled, true);
    assert.equal(mod('root').modules.get('msk').client_ca_arn, `\${module.pca.ca_arn}`);
  });

  test('OpenSearch has fine-grained access control, HTTPS only, encryption, and lives in the VPC', () => {
    const d = mod('opensearch').resources.get('aws_opensearch_domain.this');
    assert.equal(d.advanced_security_options[0].enabled, true);
    assert.equal(d.advanced_security_options[0].internal_user_database_enabled, true);
    assert.equal(d.domain_endpoint_options[0].enforce_https, true);
    assert.equal(d.encrypt_at_rest[0].enabled, true);
    assert.equal(d.node_to_node_encryption[0].enabled, true);
    assert.ok(d.vpc_options[0].subnet_ids, 'VPC access');
  });

  test('nothing gets a public address but the NAT gateway', () => {
    const subnets = mod('network').resources;
    for (const key of ['aws_subnet.public', 'aws_subnet.private']) assert.notEqual(subnets.get(key).map_public_ip_on_launch, true, key);
    assert.equal(mod('access').resources.get('aws_instance.host').associate_public_ip_address, false);
    for (const s of ['processor', 'generator'])
      assert.equal(mod('brook').resources.get(`aws_ecs_service.${s}`).network_configuration[0].assign_public_ip, false);
    assert.equal(mod('msk').resources.get('aws_msk_cluster.this').broker_node_group_info[0].connectivity_info, undefined);
  });

  test('the reference repository path is not read by the Terraform', () => {
    for (const m of modules.values())
      for (const e of strings([...m.files.values()])) assert.ok(!e.text.includes('shared/'), `${label(m)} ${e.path}`);
    assert.ok(!relative(REPO, TERRAFORM_ROOT).startsWith('..'));
  });
});
