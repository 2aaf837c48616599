// `-pfp`: reads a Kafka client properties file (Java properties syntax) and maps what
// @platformatic/kafka supports: bootstrap servers, TLS files (PEM only), SASL PLAIN and SCRAM, and
// MSK IAM (AWS_MSK_IAM, or OAUTHBEARER with AWS's handler), which becomes OAUTHBEARER on the wire.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { BrookError } from '../common/errors.ts';
import { type MskIamOptions, type MskIamSasl, mskIamSasl, regionFromEnv } from '../common/msk-iam.ts';

/** Parses Java properties text: `#`/`!` comments, `=`, `:` or space separators, `\` continuations and escapes. */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    // An odd number of trailing backslashes continues the logical line.
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i]!.replace(/^[ \t\f]+/, '');
    }
    let k = 0;
    while (k < line.length && !/[=: \t\f]/.test(line[k]!)) k += line[k] === '\\' ? 2 : 1;
    const key = line.slice(0, k);
    let rest = line.slice(k).replace(/^[ \t\f]*/, '');
    if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]*/, '');
    out.set(unescapeJava(key), unescapeJava(rest));
  }
  return out;
}

function unescapeJava(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, c: string) => {
    if (c.length === 5) return String.fromCharCode(Number.parseInt(c.slice(1), 16));
    return c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c === 'f' ? '\f' : c;
  });
}

export interface KafkaConnection {
  bootstrap?: string[];
  tls?: ConnectionOptions;
  sasl?: { mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; username: string; password: string } | MskIamSasl;
}

export interface IamSettings {
  /** The MSK cluster's region; default AWS_REGION / AWS_DEFAULT_REGION of `env`. */
  region?: string;
  env?: NodeJS.ProcessEnv;
}

const fail = (message: string) => new BrookError('GENERATOR_PROPERTIES', message);

/** Maps client properties to connection settings; unsupported ones are a clear error, not ignored. */
export function connectionFromProperties(
  props: Map<string, string>,
  readFile: (path: string) => Buffer = readFileSync,
  iam: IamSettings = {},
): KafkaConnection {
  const out: KafkaConnection = {};
  const servers = props.get('bootstrap.servers');
  if (servers)
    out.bootstrap = servers
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const protocol = (props.get('security.protocol') ?? 'PLAINTEXT').toUpperCase();
  if (!['PLAINTEXT', 'SSL', 'SASL_SSL', 'SASL_PLAINTEXT'].includes(protocol)) {
    throw fail(`security.protocol '${protocol}' is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL`);
  }
  if (protocol === 'SSL' || protocol === 'SASL_SSL') out.tls = tlsFromProperties(props, readFile);
  if (protocol.startsWith('SASL_')) out.sasl = saslFromProperties(props, protocol, iam);
  return out;
}

/** PEM files or inline PEM; a Java PEM keystore (key and chain in one file) serves as both. */
function tlsFromProperties(props: Map<string, string>, readFile: (path: string) => Buffer): ConnectionOptions {
  const tls: ConnectionOptions = {};
  const file = (key: string) => {
    const path = props.get(key);
    return path ? readFile(path) : undefined;
  };
  for (const key of ['ssl.truststore.location', 'ssl.keystore.location']) {
    const path = props.get(key);
    if (path && /\.(jks|p12|pfx)$/i.test(path) && props.get(key.replace('location', 'type'))?.toUpperCase() !== 'PEM') {
      throw fail(`${key} '${path}' is a Java keystore: convert it to PEM and set ssl.truststore.type=PEM / ssl.keystore.type=PEM`);
    }
  }
  const ca = file('ssl.truststore.location') ?? props.get('ssl.truststore.certificates');
  if (ca) tls.ca = ca;
  const cert = file('ssl.keystore.location') ?? props.get('ssl.keystore.certificate.chain');
  if (cert) tls.cert = cert;
  const key = file('ssl.key.location') ?? props.get('ssl.keystore.key') ?? (cert?.includes('PRIVATE KEY-----') ? cert : undefined);
  if (key) tls.key = key;
  const passphrase = props.get('ssl.key.password');
  if (passphrase) tls.passphrase = passphrase;
  if (props.get('ssl.endpoint.identification.algorithm') === '') tls.checkServerIdentity = () => undefined;
  return tls;
}

const IAM_LOGIN_MODULE = 'software.amazon.msk.auth.iam.IAMLoginModule';
const IAM_OAUTH_HANDLER = 'software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler';
/** Options of AWS's login module that change nothing here (logging, retries of the credential lookup). */
const IAM_IGNORED_OPTIONS = new Set(['awsDebugCreds', 'awsMaxRetries', 'awsMaxBackOffTimeMs']);

function saslFromProperties(props: Map<string, string>, protocol: string, iam: IamSettings): KafkaConnection['sasl'] {
  const mechanism = (props.get('sasl.mechanism') ?? 'GSSAPI').toUpperCase();
  const jaas = props.get('sasl.jaas.config') ?? '';
  const isIam =
    mechanism === 'AWS_MSK_IAM' ||
    (mechanism === 'OAUTHBEARER' &&
      (jaas.includes(IAM_LOGIN_MODULE) || props.get('sasl.login.callback.handler.class') === IAM_OAUTH_HANDLER));
  if (isIam) return iamFromProperties(jaas, protocol, iam);
  if (mechanism === 'OAUTHBEARER') {
    throw fail(
      `sasl.mechanism OAUTHBEARER is supported for MSK IAM only: set sasl.login.callback.handler.class=${IAM_OAUTH_HANDLER} (or sasl.mechanism=AWS_MSK_IAM)`,
    );
  }
  if (mechanism === 'GSSAPI') {
    throw fail(
      'sasl.mechanism GSSAPI (Kerberos) is not supported by brook generate (use PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or AWS_MSK_IAM)',
    );
  }
  if (mechanism !== 'PLAIN' && mechanism !== 'SCRAM-SHA-256' && mechanism !== 'SCRAM-SHA-512') {
    throw fail(`unknown sasl.mechanism '${mechanism}'`);
  }
  const username = /username\s*=\s*"([^"]*)"/.exec(jaas)?.[1];
  const password = /password\s*=\s*"([^"]*)"/.exec(jaas)?.[1];
  if (username === undefined || password === undefined) {
    throw fail('sasl.jaas.config must give username="..." and password="..."');
  }
  return { mechanism, username, password };
}

/** `IAMLoginModule required [awsProfileName="p"] [awsRoleArn="arn" [awsRoleSessionName="s"]];` */
function iamFromProperties(jaas: string, protocol: string, iam: IamSettings): MskIamSasl {
  if (protocol !== 'SASL_SSL') throw fail(`MSK IAM needs TLS: set security.protocol=SASL_SSL, not ${protocol}`);
  const region = iam.region ?? regionFromEnv(iam.env);
  if (!region)
    throw fail("sasl.mechanism AWS_MSK_IAM needs the MSK cluster's region: --iam-region REGION, or AWS_REGION in the environment");
  const options: MskIamOptions = { region };
  for (const [, name, value] of jaas.matchAll(/(\w+)\s*=\s*"?([^"\s;]*)"?/g)) {
    if (name === 'awsProfileName') options.profile = value!;
    else if (name === 'awsRoleArn') options.roleArn = value!;
    else if (name === 'awsRoleSessionName') options.roleSessionName = value!;
    else if (!IAM_IGNORED_OPTIONS.has(name!)) {
      throw fail(`sasl.jaas.config option ${name} is not supported for MSK IAM (awsProfileName, awsRoleArn and awsRoleSessionName are)`);
    }
  }
  return mskIamSasl(options);
}
