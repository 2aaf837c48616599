// The Terraform of deploy/terraform/aws, checked without Terraform: every file parses, every
// reference (var., local., module.X.Y, resources, data sources) names something declared, module
// calls pass exactly the called module's variables, and the root has the inputs and outputs the
// deployment promises.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { expressions, loadConfiguration, moduleArguments, parseHcl, REPO, references, TERRAFORM_ROOT, type TfModule } from './hcl.ts';

let modules: Map<string, TfModule>;
const root = () => modules.get(TERRAFORM_ROOT)!;
const rel = (dir: string) => relative(REPO, dir) || '.';

function tfFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tfFiles(join(dir, e.name)) : e.name.endsWith('.tf') ? [join(dir, e.name)] : [],
  );
}

/** Problems with the references of one module; empty when all resolve. */
function unresolvedReferences(m: TfModule, all: Map<string, TfModule>): string[] {
  const problems: string[] = [];
  for (const e of expressions(m)) {
    const refs = references(e.text);
    const where = `${rel(m.dir)}/${e.file} (${e.path})`;
    for (const v of refs.vars) if (!m.variables.has(v)) problems.push(`${where}: var.${v} is not declared`);
    for (const l of refs.locals) if (!m.locals.has(l)) problems.push(`${where}: local.${l} is not defined`);
    for (const r of refs.resources) if (!m.resources.has(r)) problems.push(`${where}: ${r} is not a resource of this module`);
    for (const d of refs.data) if (!m.data.has(d)) problems.push(`${where}: data.${d} is not a data source of this module`);
    for (const [name, output] of refs.moduleOutputs) {
      const call = m.modules.get(name);
      if (!call) problems.push(`${where}: module.${name} is not called here`);
      else if (!all.get(resolve(m.dir, call.source))?.outputs.has(output))
        problems.push(`${where}: module ${name} (${call.source}) has no output ${output}`);
    }
  }
  return problems;
}

before(async () => {
  modules = await loadConfiguration();
});

describe('deploy/terraform/aws', () => {
  test('every .tf file parses, and every one belongs to a module the root uses', async () => {
    const files = tfFiles(join(REPO, 'deploy/terraform'));
    assert.ok(files.length >= 20, `expected the root and seven modules, found ${files.length} .tf files`);
    for (const f of files) await parseHcl(basename(f), readFileSync(f, 'utf8'));
    const used = new Set([...modules.values()].flatMap((m) => [...m.files.keys()].map((f) => join(m.dir, f))));
    assert.deepEqual(
      files.filter((f) => !used.has(f)),
      [],
      'files of modules that nothing calls',
    );
  });

  test('the root calls the seven modules of the deployment', () => {
    assert.deepEqual([...root().modules.keys()].sort(), ['access', 'brook', 'glue', 'msk', 'network', 'opensearch', 'pca']);
  });

  test('every var., local., module.X.Y, resource and data source reference resolves', () => {
    const problems = [...modules.values()].flatMap((m) => unresolvedReferences(m, modules));
    assert.deepEqual(problems, []);
  });

  test('the reference check finds a dangling variable, local, module output and resource', async () => {
    const dir = join(TERRAFORM_ROOT, 'modules/glue');
    const glue = modules.get(dir)!;
    const broken: TfModule = {
      ...glue,
      files: new Map([
        ...glue.files,
        [
          'broken.tf',
          await parseHcl(
            'broken.tf',
            `output "x" {\n  value = "\${var.nope}-\${local.nope}-\${aws_glue_registry.nope.arn}-\${module.nope.out}-\${data.aws_region.nope.name}"\n}\n`,
          ),
        ],
      ]),
    };
    const problems = unresolvedReferences(broken, modules);
    for (const what of ['var.nope', 'local.nope', 'aws_glue_registry.nope', 'module.nope', 'data.aws_region.nope'])
      assert.ok(
        problems.some((p) => p.includes(what)),
        `${what} not reported: ${problems.join('\n')}`,
      );
  });

  test('every module call passes only variables of the called module, and every required one', () => {
    const problems: string[] = [];
    for (const m of modules.values()) {
      for (const [name, call] of m.modules) {
        const target = modules.get(resolve(m.dir, call.source))!;
        const args = moduleArguments(call);
        for (const a of args)
          if (!target.variables.has(a)) problems.push(`${rel(m.dir)}: module ${name} passes ${a}, not a variable of ${call.source}`);
        for (const [v, body] of target.variables)
          if (!('default' in body) && !args.includes(v)) problems.push(`${rel(m.dir)}: module ${name} does not pass the required ${v}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  test('every variable and output says what it is, and every module has main, variables and outputs files', () => {
    const problems: string[] = [];
    for (const m of modules.values()) {
      for (const [kind, map] of [
        ['variable', m.variables],
        ['output', m.outputs],
      ] as const)
        for (const [name, body] of map)
          if (typeof body.description !== 'string' || body.description.length < 10) problems.push(`${rel(m.dir)}: ${kind} ${name}`);
      for (const f of ['main.tf', 'variables.tf', 'outputs.tf']) if (!m.files.has(f)) problems.push(`${rel(m.dir)}: no ${f}`);
      // The house rule for every file: it opens with a comment saying what it holds.
      for (const f of m.files.keys())
        if (!readFileSync(join(m.dir, f), 'utf8').startsWith('#')) problems.push(`${rel(m.dir)}/${f}: no header comment`);
    }
    assert.deepEqual(problems, []);
  });

  test('the root takes the inputs the issue lists', () => {
    const wanted = [
      'region',
      'name_prefix',
      'vpc_cidr',
      'broker_count',
      'broker_instance_type',
      'kafka_version',
      'opensearch_instance_type',
      'processor_task_count',
      'run_generator',
    ];
    assert.deepEqual(
      wanted.filter((v) => !root().variables.has(v)),
      [],
    );
  });

  test('the root outputs the brokers, registry, OpenSearch, CA and the next commands', () => {
    const wanted = [
      'bootstrap_brokers_iam',
      'bootstrap_brokers_tls',
      'schema_registry_name',
      'opensearch_endpoint',
      'opensearch_dashboards_url',
      'private_ca_arn',
      'next_steps',
      'setup_task_command',
      'opensearch_port_forward_command',
    ];
    assert.deepEqual(
      wanted.filter((o) => !root().outputs.has(o)),
      [],
    );
  });

  test('providers are pinned to a version range', () => {
    const versions = root().files.get('versions.tf')!.terraform[0];
    const providers = versions.required_providers[0];
    for (const name of ['aws', 'random']) assert.match(providers[name].version, /^~> \d+\.\d+$/, `${name} provider version`);
    assert.match(versions.required_version, /^>= 1\.\d+/);
  });

  test('the example tfvars sets only variables the root declares', async () => {
    const file = join(TERRAFORM_ROOT, 'terraform.tfvars.example');
    const json = await parseHcl('terraform.tfvars', readFileSync(file, 'utf8'));
    const keys = Object.keys(json);
    assert.ok(keys.includes('region'), 'the example sets the region');
    assert.deepEqual(
      keys.filter((k) => !root().variables.has(k)),
      [],
    );
  });
});
