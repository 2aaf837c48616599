// The Kafka connection of `brook generate`: the -pfp properties file, with the security flags on
// top. -ssl/-mtls/-sse/-iam switch TLS on (the file's ssl.* paths still apply); -sse and -iam
// replace the file's SASL settings, as the flags were typed for this run.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { BaseOptions } from '@platformatic/kafka';
import { BrookError } from '../common/errors.ts';
import { mskIamSasl } from '../common/msk-iam.ts';
import type { GenerateConfig } from './options.ts';
import { connectionFromProperties, type KafkaConnection, parseProperties } from './properties.ts';

/** What the Kafka clients (producer, admin) take. */
export type ClientConnection = Pick<BaseOptions, 'tls' | 'sasl' | 'tlsServerName'>;

type ReadFile = (path: string) => Buffer;

/** Kafka connection settings from -pfp and the security flags. */
export function kafkaConnection(
  config: GenerateConfig,
  env: NodeJS.ProcessEnv = process.env,
  readFile: ReadFile = readFileSync,
): KafkaConnection {
  const props = config.propertiesFile ? parseProperties(readFile(config.propertiesFile).toString('utf8')) : new Map<string, string>();
  const saslFlag = config.scramUser !== undefined || config.iam;
  if (config.ssl || config.mtls || saslFlag) {
    const protocol = (props.get('security.protocol') ?? 'PLAINTEXT').toUpperCase();
    // The file's SASL stays with -ssl/-mtls (SASL_SSL with a client certificate is legal Kafka),
    // and with -iam when it is MSK IAM too: it may name a profile or a role.
    const fileIam = /^(AWS_MSK_IAM|OAUTHBEARER)$/i.test(props.get('sasl.mechanism') ?? '');
    const keepSasl = protocol.startsWith('SASL_') && (!saslFlag || (config.iam && fileIam));
    if (['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(protocol))
      props.set('security.protocol', keepSasl ? 'SASL_SSL' : 'SSL');
  }
  const conn = connectionFromProperties(props, readFile, { ...(config.iamRegion ? { region: config.iamRegion } : {}), env });
  if (config.bootstrap) conn.bootstrap = config.bootstrap.split(',').map((s) => s.trim());
  conn.bootstrap ??= ['127.0.0.1:9092'];
  if (config.mtls && !(conn.tls?.cert && conn.tls.key)) {
    throw new BrookError(
      'GENERATOR_SECURITY',
      '-mtls needs a client certificate and key: give them in -pfp (ssl.keystore.location and ssl.key.location, PEM)',
    );
  }
  if (config.scramUser) {
    const password = env.BROOK_SASL_PASSWORD;
    if (!password)
      throw new BrookError('GENERATOR_SECURITY', '-sse needs the SCRAM password in the BROOK_SASL_PASSWORD environment variable');
    conn.sasl = { mechanism: 'SCRAM-SHA-512', username: config.scramUser, password };
  }
  // parseGenerateConfig made sure -iam has a region.
  if (config.iam && conn.sasl?.mechanism !== 'OAUTHBEARER') conn.sasl = mskIamSasl({ region: config.iamRegion! });
  return conn;
}

/**
 * The client options for a connection. Brokers named by host name get it as TLS SNI, as Java's
 * and librdkafka's clients send it (MSK's brokers are host names); an IP address must not be.
 */
export function clientConnection(conn: KafkaConnection): ClientConnection {
  const host = /^(.*):\d+$/.exec(conn.bootstrap?.[0] ?? '')?.[1]?.replace(/^\[(.*)\]$/, '$1') ?? '';
  return {
    ...(conn.tls ? { tls: conn.tls } : {}),
    ...(conn.tls && host !== '' && isIP(host) === 0 ? { tlsServerName: true } : {}),
    ...(conn.sasl ? { sasl: conn.sasl } : {}),
  };
}
