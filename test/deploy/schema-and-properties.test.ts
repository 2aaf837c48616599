// The files the deployment hands to AWS: Glue gets Brook's own ClickEvent schema (the text the
// generator looks up), MSK the reference's server properties, and the tasks a client properties
// file that Brook reads as MSK IAM.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { SCHEMA_FILE } from '../../deploy/setup/steps.ts';
import { connectionFromProperties, parseProperties } from '../../src/generator/properties.ts';
import { CLICK_EVENT_AVSC } from '../../src/generator/schema.ts';
import { loadConfiguration, REPO, TERRAFORM_ROOT, type TfModule } from './hcl.ts';

let modules: Map<string, TfModule>;
const mod = (name: string) => modules.get(name === 'root' ? TERRAFORM_ROOT : `${TERRAFORM_ROOT}/modules/${name}`)!;

before(async () => {
  modules = await loadConfiguration();
});

describe('the Glue schema', () => {
  const AVSC = join(REPO, 'deploy/schemas/click-event.avsc');

  test("deploy/schemas/click-event.avsc is Brook's ClickEvent schema, byte for byte", () => {
    assert.equal(readFileSync(AVSC, 'utf8').trim(), CLICK_EVENT_AVSC);
    assert.equal(SCHEMA_FILE, AVSC, 'the setup registers the same file in a Confluent registry');
  });

  test('the root gives the glue module that file as the schema definition', () => {
    const arg = mod('root').modules.get('glue').schema_definition as string;
    const m = /^\$\{trimspace\(file\("\$\{path\.module\}\/([^"]+)"\)\)\}$/.exec(arg);
    assert.ok(m, `schema_definition reads a file: ${arg}`);
    assert.equal(resolve(TERRAFORM_ROOT, m[1]!), AVSC);
  });

  test('the schema is Avro with compatibility FULL, as the reference registered it', () => {
    const glue = mod('glue');
    const schema = glue.resources.get('aws_glue_schema.clickstream');
    assert.equal(schema.data_format, 'AVRO');
    assert.equal(schema.compatibility, `\${var.compatibility}`);
    assert.equal(glue.variables.get('compatibility').default, 'FULL');
    assert.equal(schema.schema_definition, `\${var.schema_definition}`);
    assert.equal(mod('root').locals.get('schema_name'), 'clickstream');
  });
});

describe('the MSK server properties', () => {
  const file = join(TERRAFORM_ROOT, 'modules/msk/server.properties');
  const props = parseProperties(readFileSync(file, 'utf8'));

  test("are the reference's: no topic auto-creation, three replicas, two in sync", () => {
    assert.equal(props.get('auto.create.topics.enable'), 'false');
    assert.equal(props.get('default.replication.factor'), '3');
    assert.equal(props.get('min.insync.replicas'), '2');
    assert.equal(props.get('log.retention.hours'), '8');
    assert.equal(props.get('log.cleanup.policy'), 'compact,delete');
    assert.equal(props.size, 13);
  });

  test('fit the smallest cluster the module allows, and the configuration uses the file', () => {
    const validation = mod('root').variables.get('broker_count').validation[0].condition as string;
    assert.match(validation, /var\.broker_count >= 3/);
    assert.ok(Number(props.get('min.insync.replicas')) < Number(props.get('default.replication.factor')));
    assert.ok(Number(props.get('default.replication.factor')) <= mod('root').variables.get('broker_count').default);
    assert.equal(mod('msk').resources.get('aws_msk_configuration.this').server_properties, `\${file("\${path.module}/server.properties")}`);
  });
});

describe('deploy/msk-iam.properties', () => {
  test('Brook reads it as MSK IAM over TLS (SASL/OAUTHBEARER), its region from the environment', () => {
    const props = parseProperties(readFileSync(join(REPO, 'deploy/msk-iam.properties'), 'utf8'));
    const conn = connectionFromProperties(props, readFileSync, { env: { AWS_REGION: 'eu-west-1' } });
    assert.equal(conn.sasl?.mechanism, 'OAUTHBEARER');
    assert.deepEqual(conn.tls, {}, 'TLS with the system roots (MSK brokers have publicly trusted certificates)');
    assert.equal(conn.bootstrap, undefined, 'the bootstrap servers come from the task, not the image');
  });

  test('without a region it is refused, so a task without AWS_REGION fails clearly', () => {
    const props = parseProperties(readFileSync(join(REPO, 'deploy/msk-iam.properties'), 'utf8'));
    assert.throws(() => connectionFromProperties(props, readFileSync, { env: {} }), /region/);
  });
});
