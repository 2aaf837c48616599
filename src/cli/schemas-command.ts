// `brook schemas`: list, read, register, check, delete and configure schemas on any Confluent-compatible
// registry (Brook's, Confluent's, Karapace, Redpanda, Apicurio) over HTTP or HTTPS (--registry-ca, --registry-user); --json for scripts.
import { readFileSync } from 'node:fs';
import { BrookError } from '../common/errors.ts';
import { createTlsFetch, credentialsOutOfUrl, type HttpClientTls } from '../security/http-client.ts';
import { type Command, UsageError } from './command.ts';
import { REGISTRY_CLIENT_OPTIONS, registryTlsFromFlags, registryUrlWithUser } from './registry-client-flags.ts';

const SUBCOMMANDS = {
  list: { usage: 'brook schemas list [--deleted]', help: 'Lists the subjects (with --deleted, soft-deleted ones too).' },
  get: {
    usage: 'brook schemas get <subject> [--version N|latest] | brook schemas get --id ID',
    help: 'Prints a subject version (default latest) with its id, or the schema with a global id.',
  },
  register: {
    usage: 'brook schemas register <subject> <schema.avsc|-|JSON> [--normalize] [--type AVRO]',
    help: 'Registers a schema (from a file, stdin with -, or inline JSON) and prints its version and id.',
  },
  check: {
    usage: 'brook schemas check <subject> <schema.avsc|-|JSON> [--version N|latest|all]',
    help: 'Tells whether the schema is compatible with the subject (default: what registering it would be checked against). Exit code 1 when it is not.',
  },
  delete: {
    usage: 'brook schemas delete <subject> [--version N|latest] [--permanent]',
    help: 'Soft-deletes a version or the whole subject; --permanent then deletes it for good.',
  },
  config: {
    usage: 'brook schemas config [subject] [--set LEVEL | --unset]',
    help: 'Shows or sets the compatibility level (NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE), global or per subject.',
  },
  mode: {
    usage: 'brook schemas mode [subject] [--set MODE | --unset]',
    help: 'Shows or sets the mode (READWRITE, READONLY, IMPORT), global or per subject.',
  },
} as const;

type Sub = keyof typeof SUBCOMMANDS;
type Values = Record<string, string | boolean | undefined>;

const usage = [
  'brook schemas <subcommand> [arguments] [--registry URL] [--json]',
  '',
  'Subcommands:',
  ...Object.values(SUBCOMMANDS).flatMap((s) => [`  ${s.usage}`, `      ${s.help}`]),
  '',
  "Run 'brook schemas help <subcommand>' for one subcommand.",
].join('\n');

interface Answer {
  status: number;
  body: unknown;
}

class RegistryHttp {
  readonly base: string;
  readonly #authorization: string | undefined;
  readonly #fetch: typeof fetch;
  /** `user:password@` in the URL becomes basic auth; `tls` trusts a private CA or presents a client certificate. */
  constructor(url: string, tls?: HttpClientTls) {
    const split = credentialsOutOfUrl(url);
    this.base = split.url;
    this.#authorization = split.authorization;
    this.#fetch = tls ? createTlsFetch(tls) : fetch;
  }

  async call(method: string, path: string, body?: unknown): Promise<Answer> {
    let res: Response;
    try {
      res = await this.#fetch(`${this.base}${path}`, {
        method,
        headers: {
          accept: 'application/vnd.schemaregistry.v1+json, application/json',
          ...(this.#authorization ? { authorization: this.#authorization } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/vnd.schemaregistry.v1+json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
      throw new BrookError(
        'REGISTRY_UNREACHABLE',
        `cannot reach the registry at ${this.base} (${cause}): start one with 'brook registry' or pass --registry URL`,
      );
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // a non-JSON answer (a proxy's error page) is reported as text
    }
    return { status: res.status, body: parsed };
  }

  /** The answer body, or a BrookError with the registry's message and code. */
  async ok<T>(method: string, path: string, body?: unknown): Promise<T> {
    const a = await this.call(method, path, body);
    if (a.status >= 200 && a.status < 300) return a.body as T;
    throw httpError(a);
  }
}

function httpError(a: Answer): BrookError {
  const b = a.body as { error_code?: number; message?: string };
  const message = typeof b === 'object' && b !== null && typeof b.message === 'string' ? b.message : String(a.body).slice(0, 300);
  return new BrookError('REGISTRY_HTTP', `${message} (HTTP ${a.status}${b?.error_code !== undefined ? `, error ${b.error_code}` : ''})`);
}

const enc = encodeURIComponent;

function need(positionals: string[], index: number, what: string, sub: Sub): string {
  const v = positionals[index];
  if (v === undefined || v === '') throw new UsageError(`missing ${what}\nUsage: ${SUBCOMMANDS[sub].usage}`);
  return v;
}

/** A schema from a file, stdin (-), or inline JSON text. */
function readSchema(arg: string): string {
  const text = arg === '-' ? readFileSync(0, 'utf8') : /^\s*[{["]/.test(arg) ? arg : readSchemaFile(arg);
  try {
    // Compact it, so the registry stores what it would store for the same schema sent by a client.
    return JSON.stringify(JSON.parse(text));
  } catch (err) {
    throw new UsageError(`the schema ${arg === '-' ? 'on stdin' : `'${arg}'`} is not JSON: ${(err as Error).message}`);
  }
}

function readSchemaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read schema file '${path}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function pretty(schema: string): string {
  try {
    return JSON.stringify(JSON.parse(schema), null, 2);
  } catch {
    return schema;
  }
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function versionArg(values: Values, fallback: string): string {
  const v = (values.version as string | undefined) ?? fallback;
  if (!/^(latest|all|-1|\d+)$/.test(v)) throw new UsageError(`--version must be a number, latest or all, got '${v}'`);
  return v;
}

const runners: Record<Sub, (http: RegistryHttp, args: string[], values: Values, json: boolean) => Promise<number>> = {
  async list(http, _args, values, json) {
    const subjects = await http.ok<string[]>('GET', `/subjects${values.deleted ? '?deleted=true' : ''}`);
    if (json) out(JSON.stringify(subjects));
    else if (subjects.length === 0) out('(no subjects)');
    else for (const s of subjects) out(s);
    return 0;
  },

  async get(http, args, values, json) {
    if (values.id !== undefined) {
      const id = String(values.id);
      if (!/^\d+$/.test(id)) throw new UsageError(`--id must be a schema id (a positive integer), got '${id}'`);
      const r = await http.ok<{ schema: string; schemaType?: string }>('GET', `/schemas/ids/${id}`);
      if (json) out(JSON.stringify({ id: Number(id), ...r }));
      else out(`id: ${id}${r.schemaType ? ` (${r.schemaType})` : ''}\n${pretty(r.schema)}`);
      return 0;
    }
    const subject = need(args, 0, 'the subject (or --id ID)', 'get');
    const version = versionArg(values, 'latest');
    const query = values.deleted ? '?deleted=true' : '';
    const r = await http.ok<{ subject: string; version: number; id: number; schema: string; schemaType?: string }>(
      'GET',
      `/subjects/${enc(subject)}/versions/${version}${query}`,
    );
    if (json) out(JSON.stringify(r));
    else
      out(
        `subject: ${r.subject}\nversion: ${r.version}\nid:      ${r.id}${r.schemaType ? `\ntype:    ${r.schemaType}` : ''}\n${pretty(r.schema)}`,
      );
    return 0;
  },

  async register(http, args, values, json) {
    const subject = need(args, 0, 'the subject', 'register');
    const schema = readSchema(need(args, 1, 'the schema (a file, - for stdin, or inline JSON)', 'register'));
    const type = ((values.type as string | undefined) ?? 'AVRO').toUpperCase();
    const body = { schema, ...(type === 'AVRO' ? {} : { schemaType: type }) };
    const { id } = await http.ok<{ id: number }>(
      'POST',
      `/subjects/${enc(subject)}/versions${values.normalize ? '?normalize=true' : ''}`,
      body,
    );
    // The register answer carries only the id; the lookup finds the version it is under.
    const found = await http.ok<{ version: number }>('POST', `/subjects/${enc(subject)}${values.normalize ? '?normalize=true' : ''}`, body);
    if (json) out(JSON.stringify({ subject, version: found.version, id }));
    else out(`registered ${subject} version ${found.version} (id ${id})`);
    return 0;
  },

  async check(http, args, values, json) {
    const subject = need(args, 0, 'the subject', 'check');
    const schema = readSchema(need(args, 1, 'the schema (a file, - for stdin, or inline JSON)', 'check'));
    const version = versionArg(values, 'all');
    const path = `/compatibility/subjects/${enc(subject)}/versions${version === 'all' ? '' : `/${version}`}?verbose=true`;
    const type = ((values.type as string | undefined) ?? 'AVRO').toUpperCase();
    const r = await http.ok<{ is_compatible: boolean; messages?: string[] }>('POST', path, {
      schema,
      ...(type === 'AVRO' ? {} : { schemaType: type }),
    });
    const against = version === 'all' ? subject : `${subject} version ${version}`;
    if (json) out(JSON.stringify(r));
    else if (r.is_compatible) out(`compatible with ${against}`);
    else out([`NOT compatible with ${against}:`, ...(r.messages ?? []).map((m) => `  - ${m}`)].join('\n'));
    return r.is_compatible ? 0 : 1;
  },

  async delete(http, args, values, json) {
    const subject = need(args, 0, 'the subject', 'delete');
    const permanent = values.permanent ? '?permanent=true' : '';
    const kind = values.permanent ? 'permanently' : 'soft; add --permanent to delete for good';
    if (values.version !== undefined) {
      const version = versionArg(values, 'latest');
      const v = await http.ok<number>('DELETE', `/subjects/${enc(subject)}/versions/${version}${permanent}`);
      if (json) out(JSON.stringify({ subject, version: v }));
      else out(`deleted ${subject} version ${v} (${kind})`);
      return 0;
    }
    const versions = await http.ok<number[]>('DELETE', `/subjects/${enc(subject)}${permanent}`);
    if (json) out(JSON.stringify({ subject, versions }));
    else out(`deleted ${subject} versions ${versions.join(', ')} (${kind})`);
    return 0;
  },

  config: (http, args, values, json) => setting(http, args, values, json, 'config', 'compatibility', 'compatibilityLevel'),
  mode: (http, args, values, json) => setting(http, args, values, json, 'mode', 'mode', 'mode'),
};

/** config and mode: show (saying when a subject inherits), --set, or --unset. */
async function setting(
  http: RegistryHttp,
  args: string[],
  values: Values,
  json: boolean,
  sub: 'config' | 'mode',
  putKey: string,
  getKey: string,
): Promise<number> {
  const subject = args[0];
  const path = subject === undefined ? `/${sub}` : `/${sub}/${enc(subject)}`;
  const scope = subject ?? 'global';
  if (values.set !== undefined && values.unset) throw new UsageError(`give --set or --unset, not both\nUsage: ${SUBCOMMANDS[sub].usage}`);
  if (values.set !== undefined) {
    const r = await http.ok<Record<string, string>>('PUT', path, { [putKey]: String(values.set).toUpperCase() });
    if (json) out(JSON.stringify(r));
    else out(`${scope}: ${r[putKey]}`);
    return 0;
  }
  if (values.unset) {
    if (subject === undefined && sub === 'mode') throw new UsageError('--unset needs a subject: the global mode can only be set');
    const r = await http.ok<Record<string, string>>('DELETE', path);
    if (json) out(JSON.stringify(r));
    else out(`${scope}: unset (was ${r[getKey]})`);
    return 0;
  }
  const own = await http.call('GET', path);
  if (own.status === 200) {
    if (json) out(JSON.stringify(own.body));
    else out(`${scope}: ${(own.body as Record<string, string>)[getKey]}`);
    return 0;
  }
  if (subject === undefined || own.status !== 404) throw httpError(own);
  const inherited = await http.ok<Record<string, string>>('GET', `${path}?defaultToGlobal=true`);
  if (json) out(JSON.stringify({ ...inherited, inherited: true }));
  else out(`${scope}: ${inherited[getKey]} (inherited from the global ${sub === 'config' ? 'level' : 'mode'})`);
  return 0;
}

export const schemasCommand: Command = {
  name: 'schemas',
  summary: 'List, get, register, check, delete and configure schemas on any Confluent-compatible registry.',
  usage,
  options: {
    registry: { type: 'string', short: 'r', default: 'http://127.0.0.1:8081', valueName: 'URL', description: 'Registry base URL' },
    json: { type: 'boolean', description: 'Print the registry answer as JSON (for scripts)' },
    version: { type: 'string', short: 'v', valueName: 'N|latest|all', description: 'Version for get, check and delete' },
    id: { type: 'string', valueName: 'ID', description: 'get: the schema with this global id' },
    deleted: { type: 'boolean', description: 'list, get: include soft-deleted subjects and versions' },
    normalize: { type: 'boolean', description: 'register: store the normalized form' },
    type: { type: 'string', valueName: 'TYPE', description: 'register, check: schema type (AVRO, JSON, PROTOBUF; default AVRO)' },
    permanent: { type: 'boolean', description: 'delete: hard-delete (after a soft delete)' },
    set: { type: 'string', valueName: 'VALUE', description: 'config, mode: the level or mode to set' },
    unset: { type: 'boolean', description: 'config, mode: remove the subject-level setting' },
    ...REGISTRY_CLIENT_OPTIONS,
  },
  async run(values, positionals) {
    const [name, ...args] = positionals;
    if (name === undefined) throw new UsageError(`which subcommand?\nUsage: ${usage}`);
    if (name === 'help') {
      const which = args[0] as Sub | undefined;
      if (which === undefined) out(usage);
      else if (!Object.hasOwn(SUBCOMMANDS, which))
        throw new UsageError(`unknown subcommand '${which}'; one of ${Object.keys(SUBCOMMANDS).join(', ')}`);
      else
        out(
          `Usage: ${SUBCOMMANDS[which].usage}\n\n${SUBCOMMANDS[which].help}\n\nCommon options: --registry URL (default http://127.0.0.1:8081), --json`,
        );
      return 0;
    }
    if (!Object.hasOwn(SUBCOMMANDS, name))
      throw new UsageError(`unknown subcommand '${name}'; one of ${Object.keys(SUBCOMMANDS).join(', ')}`);
    const url = values.registry as string;
    if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--registry must be an http(s) URL like http://127.0.0.1:8081, got '${url}'`);
    const http = new RegistryHttp(registryUrlWithUser(url, values), registryTlsFromFlags(values));
    return runners[name as Sub](http, args, values, values.json === true);
  },
};
