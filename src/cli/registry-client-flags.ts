// The flags with which a command reaches a schema registry that wants HTTPS with a private CA, a
// client certificate or a login: --registry-ca, --registry-cert, --registry-key, --registry-user
// (its password in BROOK_REGISTRY_PASSWORD, or user:password@ in the --registry URL).
import type { HttpClientTls } from '../security/http-client.ts';
import { type OptionSpec, readFlagFile, UsageError } from './command.ts';

type Values = Record<string, string | boolean | undefined>;

export const REGISTRY_PASSWORD_ENV = 'BROOK_REGISTRY_PASSWORD';

export const REGISTRY_CLIENT_OPTIONS: Record<string, OptionSpec> = {
  'registry-ca': { type: 'string', valueName: 'FILE', description: 'PEM CA to trust for an HTTPS registry (e.g. the Brook CA)' },
  'registry-cert': { type: 'string', valueName: 'FILE', description: 'PEM client certificate for a registry that asks for one' },
  'registry-key': { type: 'string', valueName: 'FILE', description: 'PEM private key of --registry-cert' },
  'registry-user': {
    type: 'string',
    valueName: 'NAME',
    description: `Registry user for HTTP basic auth; the password comes from ${REGISTRY_PASSWORD_ENV}`,
  },
};

/** The TLS settings the flags give, or undefined for the system roots and no client certificate. */
export function registryTlsFromFlags(values: Values): HttpClientTls | undefined {
  const ca = values['registry-ca'] as string | undefined;
  const cert = values['registry-cert'] as string | undefined;
  const key = values['registry-key'] as string | undefined;
  if ((cert === undefined) !== (key === undefined))
    throw new UsageError('a registry client certificate needs both --registry-cert and --registry-key');
  if (ca === undefined && cert === undefined) return undefined;
  return {
    ...(ca !== undefined ? { ca: readFlagFile('registry-ca', ca) } : {}),
    ...(cert !== undefined ? { cert: readFlagFile('registry-cert', cert), key: readFlagFile('registry-key', key!) } : {}),
  };
}

/** The registry URL with --registry-user and its password put in as `user:password@` (clients turn it into basic auth). */
export function registryUrlWithUser(url: string, values: Values, env: NodeJS.ProcessEnv = process.env): string {
  const user = values['registry-user'] as string | undefined;
  if (user === undefined) return url;
  const password = env[REGISTRY_PASSWORD_ENV];
  if (password === undefined)
    throw new UsageError(`--registry-user ${user} needs the password in the environment variable ${REGISTRY_PASSWORD_ENV}`);
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.href.replace(/\/+$/, '');
}
