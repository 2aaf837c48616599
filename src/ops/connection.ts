// Where the operator commands connect: --bootstrap and/or a Kafka client properties file
// (--properties: security.protocol, ssl.*, sasl.* incl. MSK IAM), turned into @platformatic/kafka client options.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { Admin, type BaseOptions } from '@platformatic/kafka';
import type { OptionSpec } from '../cli/command.ts';
import { UsageError } from '../cli/command.ts';
import { BrookError } from '../common/errors.ts';
import { connectionFromProperties, type KafkaConnection, parseProperties } from '../generator/properties.ts';
import { int, str, type Values } from './args.ts';

export const DEFAULT_BOOTSTRAP = '127.0.0.1:9092';

export const CONNECTION_OPTIONS: Record<string, OptionSpec> = {
  bootstrap: {
    type: 'string',
    short: 'b',
    valueName: 'HOST:PORT[,...]',
    description: `Kafka bootstrap servers (default ${DEFAULT_BOOTSTRAP}, or bootstrap.servers from --properties)`,
  },
  properties: {
    type: 'string',
    valueName: 'FILE',
    description: 'Kafka client properties: bootstrap.servers, security.protocol, ssl.* (PEM), sasl.* (PLAIN, SCRAM)',
  },
  'iam-region': {
    type: 'string',
    valueName: 'REGION',
    description: 'MSK IAM (sasl.mechanism=AWS_MSK_IAM in --properties): the cluster region (default AWS_REGION)',
  },
  timeout: { type: 'string', valueName: 'MS', description: 'Connect and request timeout (default 10000)' },
  json: { type: 'boolean', description: 'Print JSON for scripts (one document, or one object per line for records)' },
};

export interface KafkaTarget {
  bootstrap: string[];
  tls?: TlsOptions;
  sasl?: KafkaConnection['sasl'];
  timeoutMs: number;
}

export function kafkaTarget(values: Values): KafkaTarget {
  let conn: KafkaConnection = {};
  const file = str(values, 'properties');
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read --properties file '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    try {
      const region = str(values, 'iam-region');
      conn = connectionFromProperties(parseProperties(text), readFileSync, region ? { region } : {});
    } catch (e) {
      // properties.ts was written for `brook generate`; its messages name that command.
      if (e instanceof BrookError) throw new BrookError('OPS_PROPERTIES', `${file}: ${e.message.replace('brook generate', 'brook')}`);
      throw e;
    }
  }
  const flag = str(values, 'bootstrap');
  const bootstrap = (flag ?? conn.bootstrap?.join(',') ?? DEFAULT_BOOTSTRAP)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const b of bootstrap) {
    if (!/^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):\d{1,5}$/.test(b)) {
      throw new UsageError(`--bootstrap takes HOST:PORT[,HOST:PORT...], got '${b}'`);
    }
  }
  if (bootstrap.length === 0) throw new UsageError('--bootstrap is empty: give HOST:PORT');
  if (str(values, 'iam-region') !== undefined && conn.sasl?.mechanism !== 'OAUTHBEARER') {
    throw new UsageError('--iam-region applies to MSK IAM: set sasl.mechanism=AWS_MSK_IAM in the --properties file');
  }
  return {
    bootstrap,
    ...(conn.tls ? { tls: conn.tls } : {}),
    ...(conn.sasl ? { sasl: conn.sasl } : {}),
    timeoutMs: int(values, 'timeout', 100, 600_000) ?? 10_000,
  };
}

/**
 * Options for any @platformatic/kafka client. Few, quick retries: an operator waiting at a
 * terminal should hear "broker down" in about a second, yet a moved leader is still retried.
 */
export function clientOptions(target: KafkaTarget, clientId: string): BaseOptions {
  return {
    clientId,
    bootstrapBrokers: target.bootstrap,
    connectTimeout: Math.min(target.timeoutMs, 5000),
    timeout: target.timeoutMs,
    retries: 2,
    retryDelay: 250,
    ...(target.tls ? { tls: target.tls } : {}),
    // Brokers named by host name get it as TLS SNI, as Java's and librdkafka's clients send it
    // (MSK's brokers are host names); an IP address must not be sent as SNI.
    ...(target.tls && isIP(hostOf(target.bootstrap[0]!)) === 0 ? { tlsServerName: true } : {}),
    ...(target.sasl ? { sasl: target.sasl } : {}),
  };
}

function hostOf(hostPort: string): string {
  return (/^(.*):\d+$/.exec(hostPort)?.[1] ?? hostPort).replace(/^\[(.*)\]$/, '$1');
}

/** Runs fn with an Admin client that is closed afterwards, whatever happens. */
export async function withAdmin<T>(target: KafkaTarget, clientId: string, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Admin(clientOptions(target, clientId));
  try {
    return await fn(admin);
  } finally {
    await admin.close().catch(() => {});
  }
}
