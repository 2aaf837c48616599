// `-pfp`: reads a Kafka client properties file (Java properties syntax) and maps what
// @platformatic/kafka supports: bootstrap servers, TLS files, SASL PLAIN and SCRAM.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { BrookError } from '../common/errors.ts';

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
  sasl?: { mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; username: string; password: string };
}

/** Maps client properties to connection settings; unsupported ones are a clear error, not ignored. */
export function connectionFromProperties(props: Map<string, string>, readFile: (path: string) => Buffer = readFileSync): KafkaConnection {
  const out: KafkaConnection = {};
  const servers = props.get('bootstrap.servers');
  if (servers)
    out.bootstrap = servers
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const protocol = (props.get('security.protocol') ?? 'PLAINTEXT').toUpperCase();
  if (!['PLAINTEXT', 'SSL', 'SASL_SSL', 'SASL_PLAINTEXT'].includes(protocol)) {
    throw new BrookError('GENERATOR_PROPERTIES', `security.protocol '${protocol}' is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL`);
  }
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    const tls: ConnectionOptions = {};
    const file = (key: string) => {
      const path = props.get(key);
      return path ? readFile(path) : undefined;
    };
    for (const key of ['ssl.truststore.location', 'ssl.keystore.location']) {
      const path = props.get(key);
      if (path && /\.(jks|p12|pfx)$/i.test(path) && props.get(key.replace('location', 'type'))?.toUpperCase() !== 'PEM') {
        throw new BrookError(
          'GENERATOR_PROPERTIES',
          `${key} '${path}' is a Java keystore: convert it to PEM and set ssl.truststore.type=PEM / ssl.keystore.type=PEM`,
        );
      }
    }
    const ca = file('ssl.truststore.location') ?? props.get('ssl.truststore.certificates');
    if (ca) tls.ca = ca;
    const cert = file('ssl.keystore.location') ?? props.get('ssl.keystore.certificate.chain');
    if (cert) tls.cert = cert;
    const key = file('ssl.key.location') ?? props.get('ssl.keystore.key');
    if (key) tls.key = key;
    const passphrase = props.get('ssl.key.password');
    if (passphrase) tls.passphrase = passphrase;
    if (props.get('ssl.endpoint.identification.algorithm') === '') tls.checkServerIdentity = () => undefined;
    out.tls = tls;
  }
  if (protocol.startsWith('SASL_')) {
    const mechanism = (props.get('sasl.mechanism') ?? 'GSSAPI').toUpperCase();
    if (mechanism === 'AWS_MSK_IAM' || mechanism === 'OAUTHBEARER' || mechanism === 'GSSAPI') {
      throw new BrookError(
        'GENERATOR_PROPERTIES',
        `sasl.mechanism ${mechanism} is not supported by brook generate (use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)`,
      );
    }
    if (mechanism !== 'PLAIN' && mechanism !== 'SCRAM-SHA-256' && mechanism !== 'SCRAM-SHA-512') {
      throw new BrookError('GENERATOR_PROPERTIES', `unknown sasl.mechanism '${mechanism}'`);
    }
    const jaas = props.get('sasl.jaas.config') ?? '';
    const username = /username\s*=\s*"([^"]*)"/.exec(jaas)?.[1];
    const password = /password\s*=\s*"([^"]*)"/.exec(jaas)?.[1];
    if (username === undefined || password === undefined) {
      throw new BrookError('GENERATOR_PROPERTIES', 'sasl.jaas.config must give username="..." and password="..."');
    }
    out.sasl = { mechanism, username, password };
  }
  return out;
}
