// Builds the effective configuration from its four layers, each key on its own: the default, then
// brook.config.json, then BROOK_* environment variables, then flags (flags win). Every value keeps
// where it came from, for `brook config print` and for error messages.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { checkAcross } from './cross-checks.ts';
import { closest } from './did-you-mean.ts';
import { ConfigError, type ConfigProblem } from './errors.ts';
import { childrenOf, envNameOf, isObjectPath, KEY_BY_PATH, KEYS, type KeySpec } from './keys.ts';
import type { BrookConfig } from './types.ts';
import { type ConfigValue, check, expected, parseText } from './value-types.ts';

export const CONFIG_FILE = 'brook.config.json';
/** Names the config file when --config is not given. */
export const CONFIG_ENV = 'BROOK_CONFIG';

export type Source = 'default' | 'file' | 'env' | 'flag';

export interface Resolved {
  value: ConfigValue;
  source: Source;
  /** The file path, the variable name or the flag; null for defaults. */
  origin: string | null;
}

/** A flag's contribution: text to parse like an environment variable's, or a value (boolean flags). */
export interface FlagSetting {
  path: string;
  origin: string;
  text?: string;
  value?: ConfigValue;
}

export interface LoadOptions {
  /** --config: this file must exist. */
  file?: string;
  /** Where brook.config.json is looked for. Default process.cwd(). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  flags?: FlagSetting[];
}

export interface LoadedConfig {
  config: BrookConfig;
  resolved: Map<string, Resolved>;
  /** The file read, or null when there was none. */
  file: string | null;
  /** Things worth saying that do not stop Brook (an unknown BROOK_ variable). */
  warnings: string[];
}

/** Variables Brook reads that are not configuration keys. */
// BROOK_HEAP_MB and BROOK_HEAP_CHILD belong to the launcher (bin/heap-budget.js), read before any configuration.
const OTHER_BROOK_VARS = new Set([CONFIG_ENV, 'BROOK_SASL_PASSWORD', 'BROOK_REGISTRY_PASSWORD', 'BROOK_HEAP_MB', 'BROOK_HEAP_CHILD']);
const SECRET_WORD = /pass(word)?|secret|token|credential|apikey/i;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const problems: ConfigProblem[] = [];
  const resolved = new Map<string, Resolved>();
  for (const key of KEYS) resolved.set(key.path, { value: key.default, source: 'default', origin: null });

  const file = findFile(opts.file, env, cwd, problems);
  if (file !== null) readFileLayer(file, resolved, problems);
  readEnvLayer(env, resolved, problems);
  for (const f of opts.flags ?? []) applyFlag(f, resolved, problems);
  const warnings = unknownEnvWarnings(env, resolved);

  if (problems.length === 0) {
    const config = toTree(resolved);
    problems.push(...checkAcross(config, resolved, env));
    if (problems.length === 0) return { config, resolved, file, warnings };
  }
  throw new ConfigError(problems);
}

function findFile(explicit: string | undefined, env: NodeJS.ProcessEnv, cwd: string, problems: ConfigProblem[]): string | null {
  const named = explicit ?? (env[CONFIG_ENV] || undefined);
  if (named !== undefined) {
    const path = resolve(cwd, named);
    if (existsSync(path)) return path;
    const how = explicit !== undefined ? '--config' : CONFIG_ENV;
    problems.push({ path: '', message: `the configuration file ${path} does not exist (named by ${how})` });
    return null;
  }
  const found = resolve(cwd, CONFIG_FILE);
  return existsSync(found) ? found : null;
}

function readFileLayer(file: string, resolved: Map<string, Resolved>, problems: ConfigProblem[]): void {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const why = err instanceof SyntaxError ? `is not valid JSON: ${err.message}` : `cannot be read: ${(err as Error).message}`;
    problems.push({ path: '', message: `${file} ${why}` });
    return;
  }
  if (!isPlainObject(data)) {
    problems.push({ path: '', message: `${file} must hold a JSON object ({ "dataDir": ..., "kafka": {...}, ... })` });
    return;
  }
  walk(data, '', file, resolved, problems);
}

function walk(obj: Record<string, unknown>, prefix: string, file: string, resolved: Map<string, Resolved>, problems: ConfigProblem[]) {
  for (const [name, v] of Object.entries(obj)) {
    const path = prefix === '' ? name : `${prefix}.${name}`;
    if (path === '$schema') {
      if (typeof v !== 'string') problems.push({ path, message: `expected a string (the JSON Schema's URL or path)`, origin: file });
      continue;
    }
    const key = KEY_BY_PATH.get(path);
    if (key) {
      const got = v === null && key.default === null ? { ok: true as const, value: null } : check(key.type, v);
      if (!got.ok) problems.push({ path, message: `expected ${got.expected}, got ${JSON.stringify(v)}`, origin: file });
      else resolved.set(path, { value: fileRelative(key, got.value, file), source: 'file', origin: file });
    } else if (isObjectPath(path)) {
      if (isPlainObject(v)) walk(v, path, file, resolved, problems);
      else
        problems.push({
          path,
          message: `expected an object with the keys ${childrenOf(path).join(', ')}, got ${JSON.stringify(v)}`,
          origin: file,
        });
    } else {
      problems.push({ path, message: unknownKeyMessage(prefix, name), origin: file });
    }
  }
}

/** Relative paths in a file mean relative to the file, wherever Brook is started from. */
function fileRelative(key: KeySpec, v: ConfigValue, file: string): ConfigValue {
  return key.isPath && typeof v === 'string' && !isAbsolute(v) ? resolve(dirname(file), v) : v;
}

export function unknownKeyMessage(prefix: string, name: string): string {
  const here = prefix === '' ? 'at the top level' : `in ${prefix}`;
  if (SECRET_WORD.test(name)) {
    const envKey = childrenOf(prefix).find((c) => c.endsWith('Env'));
    const where = envKey ? `${prefix}.${envKey}` : 'the *Env key of that part (kafka.sasl.passwordEnv, registry.passwordEnv, ...)';
    return `unknown key "${name}" ${here}: secrets are never read from the file; put it in an environment variable and name the variable in ${where}`;
  }
  const sibling = closest(name, childrenOf(prefix));
  if (sibling !== undefined) return `unknown key "${name}" ${here}; did you mean "${prefix === '' ? sibling : `${prefix}.${sibling}`}"?`;
  const byLeaf = new Map(KEYS.map((key) => [key.path.split('.').at(-1)!, key.path]));
  const leaf = closest(name, byLeaf.keys());
  const elsewhere = leaf === undefined ? undefined : byLeaf.get(leaf);
  if (elsewhere !== undefined) return `unknown key "${name}" ${here}; did you mean "${elsewhere}"?`;
  const known = childrenOf(prefix);
  return `unknown key "${name}" ${here}; the keys there are ${known.join(', ')}`;
}

function readEnvLayer(env: NodeJS.ProcessEnv, resolved: Map<string, Resolved>, problems: ConfigProblem[]): void {
  for (const key of KEYS) {
    const name = envNameOf(key.path);
    const text = env[name];
    if (text === undefined) continue;
    const got = parseText(key.type, text, key.default === null);
    if (!got.ok)
      problems.push({
        path: key.path,
        message: `expected ${got.expected}, got ${JSON.stringify(text)}`,
        origin: `environment variable ${name}`,
      });
    else resolved.set(key.path, { value: got.value, source: 'env', origin: name });
  }
}

function applyFlag(f: FlagSetting, resolved: Map<string, Resolved>, problems: ConfigProblem[]): void {
  const key = KEY_BY_PATH.get(f.path);
  if (!key) {
    problems.push({ path: f.path, message: unknownPathMessage(f.path), origin: f.origin });
    return;
  }
  const got = f.text !== undefined ? parseText(key.type, f.text, key.default === null) : check(key.type, f.value);
  if (!got.ok) {
    const given = f.text !== undefined ? f.text : f.value;
    problems.push({ path: f.path, message: `expected ${got.expected}, got ${JSON.stringify(given)}`, origin: f.origin });
  } else resolved.set(f.path, { value: got.value, source: 'flag', origin: f.origin });
}

/** For a dotted path that is not a key: the first segment that leads nowhere, with a suggestion. */
function unknownPathMessage(path: string): string {
  if (isObjectPath(path)) return `is an object: set one of its keys (${childrenOf(path).join(', ')})`;
  const segments = path.split('.');
  let prefix = '';
  for (const seg of segments.slice(0, -1)) {
    const next = prefix === '' ? seg : `${prefix}.${seg}`;
    if (!isObjectPath(next)) return unknownKeyMessage(prefix, seg);
    prefix = next;
  }
  return unknownKeyMessage(prefix, segments.at(-1)!);
}

function unknownEnvWarnings(env: NodeJS.ProcessEnv, resolved: Map<string, Resolved>): string[] {
  const known = new Map(KEYS.map((key) => [envNameOf(key.path), key.path]));
  // Variables the configuration names as holding secrets are not stray configuration.
  const named = new Set([...resolved].filter(([p]) => p.endsWith('Env')).map(([, r]) => String(r.value)));
  const out: string[] = [];
  for (const name of Object.keys(env)) {
    if (!name.startsWith('BROOK_') || known.has(name) || OTHER_BROOK_VARS.has(name) || named.has(name)) continue;
    const near = closest(name, known.keys());
    out.push(`environment variable ${name} is not a configuration key${near ? `; did you mean ${near} (${known.get(near)})?` : ''}`);
  }
  return out;
}

function toTree(resolved: Map<string, Resolved>): BrookConfig {
  const root: Record<string, unknown> = {};
  for (const [path, r] of resolved) {
    const parts = path.split('.');
    let node = root;
    for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
    node[parts.at(-1)!] = r.value;
  }
  return root as unknown as BrookConfig;
}

/** For `brook up --help` and the README: how a key is set from each layer. */
export function describeKey(key: KeySpec): { env: string; flag: string | null; expected: string } {
  return { env: envNameOf(key.path), flag: key.flag ? `--${key.flag.name}` : null, expected: expected(key.type) };
}
