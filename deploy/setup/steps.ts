// The setup task's steps as data, from its environment: the `brook` command lines that create the
// pipeline's topics, register the schema in a Confluent registry, create the OpenSearch indexes
// and import the dashboard, and the mapping of the processor's IAM role to a write-only role.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.ts';
import { pipelineTopics } from '../../src/platform/topics.ts';
import { indexNames } from '../../src/sinks/opensearch/mappings.ts';

export type SetupStep =
  | { kind: 'brook'; title: string; argv: string[] }
  | { kind: 'opensearch-writer-role'; title: string; url: string; user: string; passwordEnv: string; roleArn: string; indices: string[] };

/** A missing or contradictory SETUP_* variable: the message says which and what to set. */
export class SetupConfigError extends Error {}

/** Brook's ClickEvent schema, the same text Terraform gives Glue. */
export const SCHEMA_FILE = fileURLToPath(new URL('../schemas/click-event.avsc', import.meta.url));

// The pipeline's topics must keep every record for their retention: the reference cluster's
// default cleanup.policy=compact,delete would drop older records of a key (a user, a department).
const TOPIC_CONFIG = ['--config', 'cleanup.policy=delete'];

/**
 * The steps, in order. Topic names, partitions and replication come from the same BROOK_TOPICS_*
 * keys `brook up` reads, so the processor and the setup agree on them.
 */
export function setupSteps(env: NodeJS.ProcessEnv, cwd = process.cwd()): SetupStep[] {
  const get = (name: string): string | undefined => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const bootstrap = get('SETUP_BOOTSTRAP');
  if (bootstrap === undefined) throw new SetupConfigError('SETUP_BOOTSTRAP is not set: give the Kafka bootstrap servers (host:port,...)');
  const { config } = loadConfig({ env, cwd });
  const properties = get('SETUP_KAFKA_PROPERTIES');
  const kafka = ['--bootstrap', bootstrap, ...(properties ? ['--properties', properties] : [])];
  const replication = config.topics.replicationFactor === null ? [] : ['--replication-factor', String(config.topics.replicationFactor)];

  const steps: SetupStep[] = [];
  const topics = pipelineTopics(config);
  for (const partitions of new Set(topics.map((t) => t.partitions))) {
    const names = topics.filter((t) => t.partitions === partitions).map((t) => t.topic);
    steps.push({
      kind: 'brook',
      title: `topics ${names.join(', ')} (${partitions} ${partitions === 1 ? 'partition' : 'partitions'})`,
      argv: [
        'topics',
        'create',
        ...names,
        '--partitions',
        String(partitions),
        ...replication,
        ...TOPIC_CONFIG,
        '--if-not-exists',
        ...kafka,
      ],
    });
  }

  const registry = get('SETUP_REGISTRY_URL');
  if (registry !== undefined) {
    // A Confluent-compatible registry gets what Terraform gives Glue: the schema, compatibility FULL.
    const subject = `${config.topics.clickstream}-value`;
    steps.push(
      {
        kind: 'brook',
        title: `compatibility FULL for ${subject}`,
        argv: ['schemas', 'config', subject, '--set', 'FULL', '--registry', registry],
      },
      { kind: 'brook', title: `schema ${subject}`, argv: ['schemas', 'register', subject, SCHEMA_FILE, '--registry', registry] },
    );
  }

  const url = get('SETUP_OPENSEARCH_URL');
  const user = get('SETUP_OPENSEARCH_USER');
  const roleArn = get('SETUP_WRITER_ROLE_ARN');
  const passwordEnv = get('SETUP_OPENSEARCH_PASSWORD_ENV') ?? 'OPENSEARCH_PASSWORD';
  const awsRegion = get('SETUP_OPENSEARCH_AWS_REGION');
  if (url === undefined) {
    if (roleArn !== undefined)
      throw new SetupConfigError('SETUP_WRITER_ROLE_ARN needs SETUP_OPENSEARCH_URL: the role is mapped in that cluster');
    return steps;
  }
  if (user !== undefined && awsRegion !== undefined)
    throw new SetupConfigError('SETUP_OPENSEARCH_USER and SETUP_OPENSEARCH_AWS_REGION are alternatives: basic auth or SigV4');
  const prefix = config.opensearch.indexPrefix;
  const dashboards = get('SETUP_DASHBOARDS_URL');
  steps.push({
    kind: 'brook',
    title: 'OpenSearch indexes and the Clickstream Dashboard',
    argv: [
      'opensearch',
      'setup',
      '--url',
      url,
      ...(dashboards ? ['--dashboards-url', dashboards] : []),
      ...(user ? ['--user', user, '--password-env', passwordEnv] : []),
      ...(awsRegion ? ['--aws-region', awsRegion] : []),
      ...(prefix ? ['--index-prefix', prefix] : []),
      '--out',
      join(get('SETUP_OUT_DIR') ?? config.dataDir, 'clickstream-dashboard.ndjson'),
    ],
  });
  if (roleArn !== undefined) {
    // Mapping roles is the security plugin's admin API: only the master user may call it.
    if (user === undefined)
      throw new SetupConfigError('SETUP_WRITER_ROLE_ARN needs SETUP_OPENSEARCH_USER, the master user that may map roles');
    const indices = Object.values(indexNames(prefix ? { indexPrefix: prefix } : {}));
    steps.push({ kind: 'opensearch-writer-role', title: `OpenSearch role for ${roleArn}`, url, user, passwordEnv, roleArn, indices });
  }
  return steps;
}
