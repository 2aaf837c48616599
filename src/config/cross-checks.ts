// Rules between keys, checked once every layer is in: settings that need others (SASL needs an
// external cluster), alternatives given together, secrets whose variable is not set, files that
// cannot be read, and the embedded parts' ports colliding.
import { accessSync, constants } from 'node:fs';
import { regionFromEnv } from '../common/msk-iam.ts';
import type { ConfigProblem } from './errors.ts';
import type { Resolved } from './load.ts';
import type { BrookConfig } from './types.ts';

export function checkAcross(c: BrookConfig, resolved: Map<string, Resolved>, env: NodeJS.ProcessEnv): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const origin = (path: string): string | undefined => {
    const r = resolved.get(path);
    if (!r || r.source === 'default') return undefined;
    return r.source === 'env' ? `environment variable ${r.origin}` : (r.origin ?? undefined);
  };
  const add = (path: string, message: string) => {
    const o = origin(path);
    problems.push({ path, message, ...(o ? { origin: o } : {}) });
  };
  const secret = (path: string, varName: string, what: string) => {
    if (!env[varName]) add(path, `the environment variable ${varName} is not set: export it with ${what}`);
  };
  const readable = (path: string, file: string | null) => {
    if (file === null) return;
    try {
      accessSync(file, constants.R_OK);
    } catch (err) {
      add(path, `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  };

  if (c.secure && c.kafka.bootstrap !== null) {
    add(
      'secure',
      'secures the embedded broker; with an external cluster in kafka.bootstrap use kafka.securityProtocol and its tls/sasl keys instead',
    );
  }
  if (c.secure && (c.registry.url !== null || c.registry.glue.region !== null)) {
    add('secure', 'secures the embedded registry; an external registry keeps its own security (registry.url with registry.username)');
  }
  const k = c.kafka;
  const tls = k.securityProtocol === 'SSL' || k.securityProtocol === 'SASL_SSL';
  const sasl = k.securityProtocol.startsWith('SASL_');
  if (k.bootstrap === null && k.securityProtocol !== 'PLAINTEXT') {
    add(
      'kafka.securityProtocol',
      `${k.securityProtocol} needs an external cluster in kafka.bootstrap (the embedded broker speaks PLAINTEXT)`,
    );
  }
  for (const name of ['caFile', 'certFile', 'keyFile', 'keyPasswordEnv'] as const) {
    if (k.tls[name] !== null && !tls) add(`kafka.tls.${name}`, 'TLS settings need kafka.securityProtocol SSL or SASL_SSL');
  }
  if ((k.tls.certFile === null) !== (k.tls.keyFile === null)) {
    add(k.tls.certFile === null ? 'kafka.tls.certFile' : 'kafka.tls.keyFile', 'mTLS needs both kafka.tls.certFile and kafka.tls.keyFile');
  }
  readable('kafka.tls.caFile', k.tls.caFile);
  readable('kafka.tls.certFile', k.tls.certFile);
  readable('kafka.tls.keyFile', k.tls.keyFile);
  if (k.tls.keyPasswordEnv !== null) secret('kafka.tls.keyPasswordEnv', k.tls.keyPasswordEnv, 'the passphrase of kafka.tls.keyFile');

  const m = k.sasl.mechanism;
  if (m !== null && !sasl) add('kafka.sasl.mechanism', 'needs kafka.securityProtocol SASL_SSL (or SASL_PLAINTEXT)');
  if (m === null && sasl)
    add('kafka.sasl.mechanism', `${k.securityProtocol} needs a mechanism: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or AWS_MSK_IAM`);
  if (m === 'AWS_MSK_IAM') {
    if (k.securityProtocol !== 'SASL_SSL') add('kafka.securityProtocol', 'AWS_MSK_IAM needs SASL_SSL (MSK IAM runs over TLS, port 9098)');
    if (k.sasl.region === null && !regionFromEnv(env))
      add('kafka.sasl.region', "MSK IAM needs the cluster's region: set it, or AWS_REGION");
    if (k.sasl.username !== null) add('kafka.sasl.username', 'is not used with AWS_MSK_IAM (the AWS credentials are)');
    if (k.sasl.awsProfile !== null && k.sasl.awsRoleArn !== null)
      add('kafka.sasl.awsRoleArn', 'kafka.sasl.awsProfile and awsRoleArn are alternatives');
  } else if (m !== null && sasl) {
    if (k.sasl.username === null) add('kafka.sasl.username', `${m} needs a user name`);
    secret('kafka.sasl.passwordEnv', k.sasl.passwordEnv, `the SASL password of ${k.sasl.username ?? 'the user'}`);
  }
  for (const name of ['region', 'awsProfile', 'awsRoleArn'] as const) {
    if (k.sasl[name] !== null && m !== 'AWS_MSK_IAM') add(`kafka.sasl.${name}`, 'is for kafka.sasl.mechanism AWS_MSK_IAM only');
  }

  const r = c.registry;
  if (r.url !== null && r.glue.region !== null)
    add('registry.glue.region', 'registry.url and registry.glue.region are alternatives: a Confluent registry or AWS Glue');
  if (r.username !== null) {
    if (r.url === null) add('registry.username', 'needs registry.url (the embedded registry has no authentication)');
    else secret('registry.passwordEnv', r.passwordEnv, `the password of registry user ${r.username}`);
  }

  const o = c.opensearch;
  for (const name of ['username', 'awsRegion', 'caFile', 'indexPrefix'] as const) {
    if (o[name] !== null && o.url === null) add(`opensearch.${name}`, 'needs opensearch.url');
  }
  if (o.username !== null && o.awsRegion !== null)
    add('opensearch.awsRegion', 'opensearch.username and awsRegion are alternatives: basic auth or AWS SigV4');
  if (o.url !== null && o.username !== null)
    secret('opensearch.passwordEnv', o.passwordEnv, `the password of OpenSearch user ${o.username}`);
  readable('opensearch.caFile', o.caFile);

  // Two embedded servers cannot share a port on one address (0 picks a free one each time).
  const ports: Array<[string, number, boolean]> = [
    ['broker.port', c.broker.port, k.bootstrap === null],
    ['registry.port', r.port, r.url === null && r.glue.region === null],
    ['dashboard.port', c.dashboard.port, true],
  ];
  const used = ports.filter(([, p, on]) => on && p !== 0);
  for (let i = 1; i < used.length; i++) {
    const twin = used.slice(0, i).find(([, p]) => p === used[i]![1]);
    if (twin) add(used[i]![0], `port ${used[i]![1]} is also ${twin[0]}: give each part its own port`);
  }
  return problems;
}
