// The flags that make the registry or the dashboard serve HTTPS and let in only known users:
// --tls-cert, --tls-key, --tls-ca and --ssl-client-auth as `brook broker` takes them, --users-file.
import type { WebTls } from '../security/http-server.ts';
import type { ClientAuth } from '../security/listeners.ts';
import { type OptionSpec, readFlagFile, UsageError } from './command.ts';

type Values = Record<string, string | boolean | undefined>;

export const WEB_SERVER_OPTIONS: Record<string, OptionSpec> = {
  'tls-cert': { type: 'string', valueName: 'FILE', description: 'PEM certificate (chain): serve HTTPS instead of HTTP' },
  'tls-key': { type: 'string', valueName: 'FILE', description: 'PEM private key of --tls-cert' },
  'tls-ca': { type: 'string', valueName: 'FILE', description: 'PEM CA certificates that sign client certificates' },
  'ssl-client-auth': {
    type: 'string',
    valueName: 'none|requested|required',
    description: 'Client certificates (needs --tls-ca); required is mutual TLS (default: none)',
  },
  'users-file': {
    type: 'string',
    valueName: 'FILE',
    description: 'Let in only these users (brook web-users), by basic auth or client certificate (default: open to all)',
  },
};

/** TLS and auth settings from the flags, and a warning when passwords would cross the network in clear. */
export function webServerFromFlags(values: Values): { tls?: WebTls; auth?: { usersFile: string }; warning?: string } {
  const certFile = values['tls-cert'] as string | undefined;
  const keyFile = values['tls-key'] as string | undefined;
  const caFile = values['tls-ca'] as string | undefined;
  const clientAuth = (values['ssl-client-auth'] as string | undefined) ?? 'none';
  const usersFile = values['users-file'] as string | undefined;
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('HTTPS needs both --tls-cert and --tls-key');
  if (!['none', 'requested', 'required'].includes(clientAuth)) {
    throw new UsageError(`--ssl-client-auth must be none, requested or required, got '${clientAuth}'`);
  }
  if (certFile === undefined && (caFile !== undefined || clientAuth !== 'none')) {
    throw new UsageError('--tls-ca and --ssl-client-auth need HTTPS: pass --tls-cert and --tls-key too');
  }
  if (clientAuth !== 'none' && caFile === undefined) {
    throw new UsageError(`--ssl-client-auth ${clientAuth} needs --tls-ca, the CA that signs client certificates`);
  }
  const tls: WebTls | undefined =
    certFile === undefined
      ? undefined
      : {
          cert: readFlagFile('tls-cert', certFile),
          key: readFlagFile('tls-key', keyFile!),
          clientAuth: clientAuth as ClientAuth,
          ...(caFile !== undefined ? { ca: readFlagFile('tls-ca', caFile) } : {}),
        };
  const warning =
    usersFile !== undefined && tls === undefined
      ? 'passwords travel in clear over plain HTTP: add --tls-cert and --tls-key unless only this machine connects'
      : undefined;
  return { ...(tls ? { tls } : {}), ...(usersFile !== undefined ? { auth: { usersFile } } : {}), ...(warning ? { warning } : {}) };
}
