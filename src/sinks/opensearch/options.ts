// The OpenSearch connection flags, shared by `brook opensearch setup` (--url, --user, ...) and
// `brook process` (--opensearch-url, --opensearch-user, ...): one parser, the same checks and messages.
// Passwords come from an environment variable, never from argv (which `ps` shows to everyone).
import { existsSync } from 'node:fs';
import { type OptionSpec, UsageError } from '../../cli/command.ts';
import type { OpenSearchAuth } from './auth.ts';
import type { OpenSearchConnectionOptions } from './http-client.ts';
import { validateIndexName } from './mappings.ts';
import type { OpenSearchSinkOptions } from './sink.ts';

type Values = Record<string, string | boolean | undefined>;

export const DEFAULT_PASSWORD_ENV = 'OPENSEARCH_PASSWORD';

/** The connection flags, each name prefixed (`''` for setup, `'opensearch-'` for process). */
export function connectionOptionSpecs(prefix: string, what: string): Record<string, OptionSpec> {
  return {
    [`${prefix}url`]: { type: 'string', valueName: 'URL', description: `${what}: http(s)://host:port` },
    [`${prefix}user`]: { type: 'string', valueName: 'USER', description: 'Basic auth user (OpenSearch security plugin)' },
    [`${prefix}password-env`]: {
      type: 'string',
      valueName: 'VAR',
      default: DEFAULT_PASSWORD_ENV,
      description: 'Environment variable that holds the basic auth password',
    },
    [`${prefix}aws-region`]: {
      type: 'string',
      valueName: 'REGION',
      description: 'Sign requests with AWS SigV4 (Amazon OpenSearch Service, service es); credentials from the default AWS chain',
    },
    [`${prefix}ca`]: { type: 'string', valueName: 'FILE', description: 'PEM CA certificate to trust (a private or self-signed cluster)' },
    [`${prefix}index-prefix`]: { type: 'string', valueName: 'PREFIX', description: 'Prefix of the three index names (default: none)' },
  };
}

const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The connection from the flags; undefined when the URL flag is absent. */
export function parseConnection(
  values: Values,
  prefix: string,
  env: NodeJS.ProcessEnv = process.env,
): OpenSearchConnectionOptions | undefined {
  const flag = (name: string) => `--${prefix}${name}`;
  const url = str(values[`${prefix}url`]);
  const user = str(values[`${prefix}user`]);
  const region = str(values[`${prefix}aws-region`]);
  const ca = str(values[`${prefix}ca`]);
  if (url === undefined) {
    for (const name of ['user', 'aws-region', 'ca', 'index-prefix'])
      if (str(values[`${prefix}${name}`]) !== undefined) throw new UsageError(`${flag(name)} needs ${flag('url')}`);
    return undefined;
  }
  if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError(`${flag('url')} must be an http(s) URL, got '${url}'`);
  if (user !== undefined && region !== undefined)
    throw new UsageError(`${flag('user')} and ${flag('aws-region')} are alternatives: basic auth or AWS SigV4, not both`);
  let auth: OpenSearchAuth | undefined;
  if (user !== undefined) {
    const varName = str(values[`${prefix}password-env`]) ?? DEFAULT_PASSWORD_ENV;
    const password = env[varName];
    if (password === undefined || password === '')
      throw new UsageError(
        `${flag('user')} ${user} needs a password in the environment variable ${varName} (or name another with ${flag('password-env')})`,
      );
    auth = { type: 'basic', username: user, password };
  } else if (region !== undefined) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
      throw new UsageError(`${flag('aws-region')} must be an AWS region like eu-west-1, got '${region}'`);
    auth = { type: 'aws-sigv4', region };
  }
  if (ca !== undefined && !existsSync(ca)) throw new UsageError(`${flag('ca')}: no such file '${ca}'`);
  const prefixValue = str(values[`${prefix}index-prefix`]);
  if (prefixValue !== undefined) {
    try {
      validateIndexName(`${prefixValue}departments_count`);
    } catch (err) {
      throw new UsageError(`${flag('index-prefix')} '${prefixValue}': ${(err as Error).message}`);
    }
  }
  return { url, ...(auth ? { auth } : {}), ...(ca ? { caFile: ca } : {}) };
}

/** For `brook process`: the flags it adds to its own. */
export const PROCESS_OPENSEARCH_OPTIONS: Record<string, OptionSpec> = {
  ...connectionOptionSpecs('opensearch-', 'Also index the results into OpenSearch at this URL'),
  'opensearch-flush-ms': {
    type: 'string',
    valueName: 'MS',
    default: '1000',
    description: 'Longest a result waits before its OpenSearch bulk request goes out',
  },
  'opensearch-max-actions': { type: 'string', valueName: 'N', default: '1000', description: 'Documents per OpenSearch bulk request' },
};

/** The sink options from `brook process` flags; undefined without --opensearch-url. */
export function parseProcessOpenSearch(values: Values, env: NodeJS.ProcessEnv = process.env): OpenSearchSinkOptions | undefined {
  const conn = parseConnection(values, 'opensearch-', env);
  if (conn === undefined) return undefined;
  const int = (name: string, dflt: number, max: number): number => {
    const raw = str(values[name]);
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 1 || n > max) throw new UsageError(`--${name} must be an integer from 1 to ${max}, got '${raw}'`);
    return n;
  };
  const prefix = str(values['opensearch-index-prefix']);
  return {
    ...conn,
    ...(prefix ? { indexPrefix: prefix } : {}),
    flushEveryMs: int('opensearch-flush-ms', 1000, 3_600_000),
    maxActions: int('opensearch-max-actions', 1000, 100_000),
  };
}
