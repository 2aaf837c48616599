// deploy/README.md against what it describes: it says plainly that nothing was applied, every
// `terraform output` and variable it names exists, its `brook` command lines parse, and its table
// gives every resource of the reference's Terraform a counterpart that exists, or a reason.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parseBrookCommandLine } from './cli-table.ts';
import { loadConfiguration, REPO, TERRAFORM_ROOT, type TfModule } from './hcl.ts';

const readme = readFileSync(join(REPO, 'deploy/README.md'), 'utf8');

/**
 * The module blocks of the reference's Terraform (its main.tf), per-zone subnets as one entry.
 * Kafka Connect's are named in the README as out of scope; the rest are in the mapping table.
 */
const REFERENCE = [
  'vpc',
  'vpc_dhcp_options',
  'vpc_dhcp_options_assoc',
  'eip',
  'public_subnet_1a/1b/1c',
  'private_subnet_1a/1b/1c',
  'public_route_table',
  'private_route_table',
  'internet_gateway',
  'nat_gateway',
  'internet_gateway_route',
  'nat_gateway_route',
  'security_group',
  'vpc_security_group_rule',
  'ec2_iam_role',
  'ec2_iam_role_policy_attachment',
  'kda_iam_role',
  'kda_iam_role_policy_attachment',
  'kafka_authorization_iam_policy',
  'key_pair',
  'iam_instance_profile',
  'launch_template',
  'kafka_client_instance',
  'time_sleep',
  'streaming_artifacts_bucket',
  's3_object',
  's3_object_file_upload',
  'kafka_connect_vpc_endpoint',
  'glue_vpc_endpoint',
  'acmpca_ca',
  'acmpca_certificate',
  'acmpca_ca_certificate',
  'msk_kms_key',
  'msk_broker_log_group',
  'msk_configuraion',
  'msk_cluster',
  'opensearch_vpc_endpoint',
  'opensearch_service',
  'kda_cloudwatch_log_group',
  'kda_cloudwatch_log_stream',
  'clickstream_registry',
  'clickstream_schema',
  'kdaflinkclickstream_application',
];
const OUT_OF_SCOPE = [
  'kafka_connect_iam_role',
  'kafka_connect_iam_policy',
  'kafka_connect_iam_role_policy_attachment',
  'kafka_connect_target_bucket',
];

let modules: Map<string, TfModule>;
const root = () => modules.get(TERRAFORM_ROOT)!;
const mappingTable = () => {
  const start = readme.indexOf("## How the reference's resources map to this deployment");
  return readme.slice(start, readme.indexOf('\n## ', start + 5));
};

before(async () => {
  modules = await loadConfiguration();
});

describe('deploy/README.md', () => {
  test('says plainly that the Terraform has not been applied', () => {
    assert.match(readme, /has not been applied/);
  });

  test('every terraform output it uses exists', () => {
    const used = [...readme.matchAll(/terraform output -raw (\w+)/g)].map((m) => m[1]!);
    assert.ok(used.length >= 8);
    assert.deepEqual(
      used.filter((o) => !root().outputs.has(o)),
      [],
    );
  });

  test('every variable it sets or lists exists', () => {
    const set = [...readme.matchAll(/`([a-z][a-z0-9_]+) = /g)].map((m) => m[1]!);
    const configure = readme.slice(readme.indexOf('### 1. Configure'), readme.indexOf('### 2. '));
    const listed = [...configure.matchAll(/^\| `([a-z][a-z0-9_]+)`(?:, `([a-z][a-z0-9_]+)`)?(?:, `([a-z][a-z0-9_]+)`)? \|/gm)].flatMap(
      (m) => m.slice(1).filter(Boolean),
    );
    assert.ok(set.length >= 5 && listed.length >= 10);
    assert.deepEqual(
      [...set, ...listed].filter((v) => !root().variables.has(v)),
      [],
    );
  });

  test('its brook command lines parse', async () => {
    const lines = [...readme.matchAll(/`npx brook ([^`]+)`/g)].map((m) => m[1]!.split(/\s+/));
    assert.ok(lines.length >= 2);
    for (const argv of lines) await parseBrookCommandLine(argv);
  });

  test("maps every resource of the reference's Terraform, or names it out of scope", () => {
    const table = mappingTable();
    const rows = table.split('\n').filter((l) => l.startsWith('| `'));
    const firstColumns = rows.map((r) => r.split(' | ')[0]!);
    assert.deepEqual(
      REFERENCE.filter((name) => !firstColumns.some((c) => c.includes(`\`${name}\``))),
      [],
    );
    for (const name of OUT_OF_SCOPE) assert.ok(table.includes(`\`${name}\``), `${name} is named as out of scope`);
    // Each row has a counterpart or says why not.
    for (const r of rows) {
      const [, here, why] = r.split(' | ');
      assert.ok(here !== 'none' || (why && why.trim().length > 10), `row without a reason: ${r}`);
    }
  });

  test('the Terraform resources the table names exist', () => {
    const declared = [...modules.values()].flatMap((m) => [...m.resources.keys()]);
    const named = [...mappingTable().matchAll(/`(aws_[a-z0-9_]+)(?:\.([\w*]+))?`/g)];
    assert.ok(named.length >= 30);
    for (const [, type, name] of named) {
      const ok = name === undefined || name === '*' ? declared.some((d) => d.startsWith(`${type}.`)) : declared.includes(`${type}.${name}`);
      assert.ok(ok, `${type}${name ? `.${name}` : ''} is not in the Terraform`);
    }
  });
});
