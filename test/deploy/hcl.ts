// Reads the Terraform configuration under deploy/terraform/aws with an HCL parser
// (@cdktf/hcl2json): per module directory, the declared variables, locals, outputs, module calls,
// resources and data sources. Expressions come back as "${...}" strings.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');
export const TERRAFORM_ROOT = join(REPO, 'deploy/terraform/aws');

type Json = any;

export interface TfModule {
  dir: string;
  /** File name -> parsed JSON. */
  files: Map<string, Json>;
  variables: Map<string, Json>;
  locals: Map<string, Json>;
  outputs: Map<string, Json>;
  modules: Map<string, Json>;
  /** `type.name` -> body. */
  resources: Map<string, Json>;
  /** `type.name` -> body. */
  data: Map<string, Json>;
}

// Loaded by a computed name: the package's typings pull in the DOM library, whose CryptoKey clashes
// with Node's in the rest of the project's type check.
const HCL_PARSER = '@cdktf/hcl2json';
let parser: Promise<{ parse(fileName: string, text: string): Promise<Json> }> | undefined;

export async function parseHcl(fileName: string, text: string): Promise<Json> {
  parser ??= import(HCL_PARSER);
  return (await parser).parse(fileName, text);
}

export async function loadModule(dir: string): Promise<TfModule> {
  const m: TfModule = {
    dir,
    files: new Map(),
    variables: new Map(),
    locals: new Map(),
    outputs: new Map(),
    modules: new Map(),
    resources: new Map(),
    data: new Map(),
  };
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .sort();
  for (const f of names) {
    const json = await parseHcl(f, readFileSync(join(dir, f), 'utf8'));
    m.files.set(f, json);
    const add = (into: Map<string, Json>, key: string, body: Json) => {
      if (into.has(key)) throw new Error(`${dir}: ${key} is declared twice`);
      into.set(key, body);
    };
    for (const [name, bodies] of Object.entries<Json[]>(json.variable ?? {})) add(m.variables, name, bodies[0]);
    for (const [name, bodies] of Object.entries<Json[]>(json.output ?? {})) add(m.outputs, name, bodies[0]);
    for (const [name, bodies] of Object.entries<Json[]>(json.module ?? {})) add(m.modules, name, bodies[0]);
    for (const block of json.locals ?? []) for (const [name, value] of Object.entries(block)) add(m.locals, name, value);
    for (const [type, byName] of Object.entries<Record<string, Json[]>>(json.resource ?? {}))
      for (const [name, bodies] of Object.entries(byName)) add(m.resources, `${type}.${name}`, bodies[0]);
    for (const [type, byName] of Object.entries<Record<string, Json[]>>(json.data ?? {}))
      for (const [name, bodies] of Object.entries(byName)) add(m.data, `${type}.${name}`, bodies[0]);
  }
  return m;
}

/** The root module and every module it calls, by directory. */
export async function loadConfiguration(root = TERRAFORM_ROOT): Promise<Map<string, TfModule>> {
  const out = new Map<string, TfModule>();
  const visit = async (dir: string) => {
    if (out.has(dir)) return;
    const m = await loadModule(dir);
    out.set(dir, m);
    for (const call of m.modules.values()) await visit(resolve(dir, call.source));
  };
  await visit(root);
  return out;
}

/** Every string inside a parsed value, with the path it was found at. */
export function strings(value: Json, path = ''): Array<{ path: string; text: string }> {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}

/** The expressions of a module: strings holding an interpolation. */
export function expressions(m: TfModule): Array<{ file: string; path: string; text: string }> {
  return [...m.files].flatMap(([file, json]) => strings(json).flatMap((s) => (s.text.includes(`\${`) ? [{ file, ...s }] : [])));
}

const NAME = '[A-Za-z_][A-Za-z0-9_-]*';

export interface References {
  vars: string[];
  locals: string[];
  /** [module, output] */
  moduleOutputs: Array<[string, string]>;
  /** `type.name` */
  resources: string[];
  /** `type.name` */
  data: string[];
}

export function references(text: string): References {
  const all = (re: RegExp) => [...text.matchAll(re)];
  return {
    vars: all(new RegExp(`\\bvar\\.(${NAME})`, 'g')).map((m) => m[1]!),
    locals: all(new RegExp(`\\blocal\\.(${NAME})`, 'g')).map((m) => m[1]!),
    moduleOutputs: all(new RegExp(`\\bmodule\\.(${NAME})\\.(${NAME})`, 'g')).map((m) => [m[1]!, m[2]!] as [string, string]),
    resources: all(new RegExp(`(?<![\\w.])((?:aws|random)_[a-z0-9_]+)\\.(${NAME})`, 'g')).map((m) => `${m[1]}.${m[2]}`),
    data: all(new RegExp(`\\bdata\\.([a-z0-9_]+)\\.(${NAME})`, 'g')).map((m) => `${m[1]}.${m[2]}`),
  };
}

/**
 * The value of a `jsonencode(...)` or other HCL expression as JSON, by parsing `x = <expression>`
 * on its own: object and list constructors become JSON, references stay "${...}" strings.
 */
export async function expressionValue(expression: string): Promise<Json> {
  const m = /^\$\{([\s\S]*)\}$/.exec(expression);
  if (!m) return expression;
  const inner = m[1]!.trim();
  const call = /^jsonencode\(([\s\S]*)\)$/.exec(inner);
  const parsed = await parseHcl('expression.tf', `x = ${call ? call[1] : inner}\n`);
  return parsed.x;
}

/** Arguments of a module block that are not meta-arguments. */
export function moduleArguments(call: Json): string[] {
  return Object.keys(call).filter((k) => !['source', 'count', 'for_each', 'depends_on', 'providers', 'version'].includes(k));
}
