// The Kafka connection every part of `brook up` shares, from the configuration: the embedded
// broker's address, or an external cluster with TLS (CA, mTLS), SASL PLAIN/SCRAM or MSK IAM.
// Files and secrets are read here, at start, so a missing one fails before anything runs.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { BrookError } from '../common/errors.ts';
import { mskIamSasl, regionFromEnv } from '../common/msk-iam.ts';
import type { BrookConfig } from '../config/types.ts';
import type { KafkaConnection } from '../generator/properties.ts';

export function kafkaConnection(config: BrookConfig, bootstrap: string[], env: NodeJS.ProcessEnv = process.env): KafkaConnection {
  const k = config.kafka;
  const conn: KafkaConnection = { bootstrap };
  if (k.securityProtocol === 'SSL' || k.securityProtocol === 'SASL_SSL') {
    const tls: ConnectionOptions = {};
    if (k.tls.caFile) tls.ca = read('kafka.tls.caFile', k.tls.caFile);
    if (k.tls.certFile) tls.cert = read('kafka.tls.certFile', k.tls.certFile);
    if (k.tls.keyFile) tls.key = read('kafka.tls.keyFile', k.tls.keyFile);
    if (k.tls.keyPasswordEnv) tls.passphrase = env[k.tls.keyPasswordEnv];
    conn.tls = tls;
  }
  const m = k.sasl.mechanism;
  if (m === 'AWS_MSK_IAM') {
    const region = k.sasl.region ?? regionFromEnv(env);
    if (!region) throw new BrookError('CONFIG', "kafka.sasl.region: MSK IAM needs the cluster's region (or AWS_REGION)");
    conn.sasl = mskIamSasl({
      region,
      ...(k.sasl.awsProfile ? { profile: k.sasl.awsProfile } : {}),
      ...(k.sasl.awsRoleArn ? { roleArn: k.sasl.awsRoleArn } : {}),
    });
  } else if (m !== null) {
    // Checked by the configuration already: the user and the password's variable are there.
    conn.sasl = { mechanism: m, username: k.sasl.username ?? '', password: env[k.sasl.passwordEnv] ?? '' };
  }
  return conn;
}

function read(key: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new BrookError('CONFIG', `${key}: cannot read ${file} (${(err as Error).message})`, { cause: err });
  }
}

/** How the connection is described to people: never a secret. */
export function describeSecurity(config: BrookConfig): string {
  const k = config.kafka;
  if (k.securityProtocol === 'PLAINTEXT') return 'PLAINTEXT';
  const parts: string[] = [k.securityProtocol];
  if (k.tls.certFile) parts.push('mTLS');
  if (k.sasl.mechanism === 'AWS_MSK_IAM') parts.push('MSK IAM');
  else if (k.sasl.mechanism) parts.push(`${k.sasl.mechanism} as ${k.sasl.username}`);
  return parts.join(', ');
}
