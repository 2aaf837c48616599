// `brook topics`: list, describe, create, delete and reconfigure topics on any Kafka-compatible
// cluster (Brook's broker, Apache Kafka, MSK) through the admin API; --json for scripts.
import { type Admin, ConfigResourceTypes, ConfigSources, IncrementalAlterConfigOperationTypes } from '@platformatic/kafka';
import { gatherRepeated, int, keyValues, need, refuse, repeated } from '../ops/args.ts';
import { CONNECTION_OPTIONS, type KafkaTarget, kafkaTarget, withAdmin } from '../ops/connection.ts';
import type { OpsIo } from '../ops/io.ts';
import { explainKafkaError, isKafkaError, unknownTopicError } from '../ops/kafka-errors.ts';
import { type LogRange, logRanges } from '../ops/offsets.ts';
import { commandWithSubcommands, type Subcommand } from '../ops/subcommands.ts';
import { renderFields, renderTable } from '../ops/table.ts';
import { type Command, UsageError } from './command.ts';

// ConfigSources also has TOPIC_CONFIG, a deprecated alias of 1: the first name of each number wins.
const SOURCE_NAMES = new Map<number, string>();
for (const [name, n] of Object.entries(ConfigSources)) if (!SOURCE_NAMES.has(n)) SOURCE_NAMES.set(n, name);
// Kafka refuses most operations on these; deleting them would break every consumer group or transaction.
const KAFKA_INTERNAL = new Set(['__consumer_offsets', '__transaction_state']);

interface PartitionInfo {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  logStartOffset?: number;
  endOffset?: number;
}

interface ConfigInfo {
  name: string;
  value: string | null;
  source: string;
  readOnly: boolean;
  sensitive: boolean;
}

function json(io: OpsIo, v: unknown): void {
  io.out(`${JSON.stringify(v, null, 2)}\n`);
}

async function partitionsOf(
  admin: Admin,
  topics: string[],
  where: string,
): Promise<Map<string, { id: string; partitions: PartitionInfo[] }>> {
  const md = await admin.metadata({ topics, retries: 0 });
  const out = new Map<string, { id: string; partitions: PartitionInfo[] }>();
  for (const t of topics) {
    const m = md.topics.get(t);
    if (!m) throw unknownTopicError(t, where);
    out.set(t, {
      id: m.id,
      partitions: m.partitions.map((p, partition) => ({
        partition,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        offlineReplicas: p.offlineReplicas,
      })),
    });
  }
  return out;
}

async function configsOf(admin: Admin, topics: string[]): Promise<Map<string, ConfigInfo[]>> {
  const answer = await admin.describeConfigs({
    resources: topics.map((resourceName) => ({ resourceType: ConfigResourceTypes.TOPIC, resourceName })),
  });
  return new Map(
    answer.map((r) => [
      r.resourceName,
      r.configs
        .map((c) => ({
          name: c.name,
          value: c.isSensitive ? null : (c.value ?? null),
          source: SOURCE_NAMES.get(c.configSource) ?? String(c.configSource),
          readOnly: c.readOnly,
          sensitive: c.isSensitive,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    ]),
  );
}

/** Set on the topic itself (what alter-config and create --config change), not inherited. */
function overrides(configs: ConfigInfo[]): ConfigInfo[] {
  return configs.filter((c) => c.source === 'DYNAMIC_TOPIC_CONFIG');
}

const num = (b: bigint | undefined) => (b === undefined ? undefined : Number(b));

async function describeTopics(admin: Admin, topics: string[], where: string) {
  const parts = await partitionsOf(admin, topics, where);
  const ranges = await logRanges(admin, new Map(topics.map((t) => [t, parts.get(t)!.partitions.map((p) => p.partition)])));
  const configs = await configsOf(admin, topics);
  return topics.map((name) => {
    const { id, partitions } = parts.get(name)!;
    const range = ranges.get(name) ?? new Map<number, LogRange>();
    for (const p of partitions) {
      const r = range.get(p.partition);
      const start = num(r?.start);
      const end = num(r?.end);
      if (start !== undefined) p.logStartOffset = start;
      if (end !== undefined) p.endOffset = end;
    }
    const all = configs.get(name) ?? [];
    return { name, id, partitions, replicationFactor: partitions[0]?.replicas.length ?? 0, configs: all };
  });
}

function configValue(c: ConfigInfo): string {
  return c.sensitive ? '(sensitive)' : (c.value ?? '(null)');
}

const subcommands: Record<string, Subcommand> = {
  list: {
    usage: 'brook topics list [--internal]',
    summary: 'Lists the topics with their partition count and replication factor (--internal: also __consumer_offsets and the like).',
    example: 'brook topics list -b 127.0.0.1:9092',
    async run(args, values, io) {
      refuse(
        values,
        ['partitions', 'replication-factor', 'config', 'set', 'delete', 'yes', 'if-exists', 'if-not-exists', 'all-configs'],
        'list',
      );
      if (args.length > 0) throw new UsageError(`topics list takes no arguments, got '${args[0]}'`);
      const target = kafkaTarget(values);
      const rows = await run(target, 'listing topics', async (admin) => {
        const everything = await admin.listTopics({ includeInternals: true });
        const visible = new Set(await admin.listTopics({ includeInternals: false }));
        const names = everything.filter((t) => values.internal || visible.has(t)).sort();
        if (names.length === 0) return [];
        const md = await admin.metadata({ topics: names });
        return names.map((name) => {
          const t = md.topics.get(name);
          return {
            name,
            partitions: t?.partitionsCount ?? 0,
            replicationFactor: t?.partitions[0]?.replicas.length ?? 0,
            internal: !visible.has(name),
          };
        });
      });
      if (values.json) json(io, rows);
      else if (rows.length === 0) io.out("(no topics: create one with 'brook topics create NAME')\n");
      else
        io.out(
          renderTable(
            ['TOPIC', 'PARTITIONS', 'REPLICATION', ...(values.internal ? ['INTERNAL'] : [])],
            rows.map((r) => [r.name, r.partitions, r.replicationFactor, ...(values.internal ? [r.internal ? 'yes' : ''] : [])]),
            io.columns,
          ),
        );
      return 0;
    },
  },

  describe: {
    usage: 'brook topics describe <topic>... [--all-configs]',
    summary:
      "Shows each partition's leader, replicas, in-sync replicas and log start/end offsets, and the configs set on the topic (--all-configs: every config with its source).",
    example: 'brook topics describe clickstream',
    async run(args, values, io) {
      refuse(
        values,
        ['partitions', 'replication-factor', 'config', 'set', 'delete', 'yes', 'if-exists', 'if-not-exists', 'internal'],
        'describe',
      );
      const topics = need(args, 1, 'the topic name', subcommands.describe!.usage);
      const target = kafkaTarget(values);
      const described = await run(target, `describing ${topics.join(', ')}`, (admin) =>
        describeTopics(admin, topics, target.bootstrap.join(',')),
      );
      if (values.json) {
        json(
          io,
          described.map((d) => ({
            ...d,
            configs: Object.fromEntries((values['all-configs'] ? d.configs : overrides(d.configs)).map((c) => [c.name, c.value])),
            ...(values['all-configs'] ? { configDetails: d.configs } : {}),
          })),
        );
        return 0;
      }
      const blocks = described.map((d) => {
        const set = overrides(d.configs);
        const head = renderFields([
          ['topic', d.name],
          ['id', d.id],
          ['partitions', d.partitions.length],
          ['replication factor', d.replicationFactor],
          ['configs set', set.length === 0 ? '(none: all defaults)' : set.map((c) => `${c.name}=${configValue(c)}`).join(', ')],
        ]);
        const anyOffline = d.partitions.some((p) => p.offlineReplicas.length > 0);
        const table = renderTable(
          ['PARTITION', 'LEADER', 'REPLICAS', 'ISR', ...(anyOffline ? ['OFFLINE'] : []), 'LOG-START', 'END', 'RECORDS'],
          d.partitions.map((p) => [
            p.partition,
            p.leader,
            p.replicas.join(','),
            p.isr.join(','),
            ...(anyOffline ? [p.offlineReplicas.join(',')] : []),
            p.logStartOffset ?? '-',
            p.endOffset ?? '-',
            p.logStartOffset !== undefined && p.endOffset !== undefined ? p.endOffset - p.logStartOffset : '-',
          ]),
          io.columns,
        );
        const all = values['all-configs']
          ? `\n${renderTable(
              ['CONFIG', 'VALUE', 'SOURCE'],
              d.configs.map((c) => [c.name, configValue(c), c.source]),
              io.columns,
            )}`
          : '';
        return `${head}\n${table}${all}`;
      });
      io.out(blocks.join('\n'));
      return 0;
    },
  },

  create: {
    usage: 'brook topics create <topic>... [--partitions N] [--replication-factor N] [--config KEY=VALUE]... [--if-not-exists]',
    summary:
      "Creates topics. Without --partitions / --replication-factor the broker's defaults apply (num.partitions, default.replication.factor).",
    example: 'brook topics create clicks --partitions 6 --config retention.ms=86400000 --config cleanup.policy=delete',
    async run(args, values, io) {
      refuse(values, ['set', 'delete', 'yes', 'if-exists', 'internal', 'all-configs'], 'create');
      const topics = need(args, 1, 'the topic name', subcommands.create!.usage);
      const partitions = int(values, 'partitions', 1, 100_000);
      const replicas = int(values, 'replication-factor', 1, 32);
      const configs = keyValues(values, 'config').map(([name, value]) => ({ name, value }));
      const target = kafkaTarget(values);
      const results = await run(target, `creating ${topics.join(', ')}`, async (admin) => {
        const out: { name: string; id?: string; partitions?: number; replicationFactor?: number; created: boolean }[] = [];
        // One request per topic, so --if-not-exists can tell an existing topic from a real failure.
        for (const topic of topics) {
          try {
            const [made] = await admin.createTopics({
              topics: [topic],
              ...(partitions !== undefined ? { partitions } : {}),
              ...(replicas !== undefined ? { replicas } : {}),
              configs,
            });
            out.push({ name: topic, id: made?.id, partitions: made?.partitions, replicationFactor: made?.replicas, created: true });
          } catch (e) {
            if (values['if-not-exists'] && isKafkaError(e, 'TOPIC_ALREADY_EXISTS')) out.push({ name: topic, created: false });
            else throw explainKafkaError(e, { bootstrap: target.bootstrap, doing: `creating topic '${topic}'` });
          }
        }
        return out;
      });
      if (values.json) json(io, results);
      else
        for (const r of results)
          io.out(
            r.created
              ? `created topic ${r.name} (${r.partitions} partition${r.partitions === 1 ? '' : 's'}, replication factor ${r.replicationFactor})\n`
              : `topic ${r.name} already exists (left as it is)\n`,
          );
      return 0;
    },
  },

  delete: {
    usage: 'brook topics delete <topic>... --yes [--if-exists]',
    summary:
      'Deletes topics and all their records. Without --yes (also with --json) it only shows what would be deleted and exits with code 2.',
    example: 'brook topics delete old-clicks --yes',
    async run(args, values, io) {
      refuse(values, ['partitions', 'replication-factor', 'config', 'set', 'delete', 'if-not-exists', 'internal', 'all-configs'], 'delete');
      const topics = need(args, 1, 'the topic name', subcommands.delete!.usage);
      for (const t of topics) {
        if (KAFKA_INTERNAL.has(t))
          throw new UsageError(`refusing to delete the internal topic '${t}': consumer groups and transactions live there`);
      }
      const target = kafkaTarget(values);
      return run(target, `deleting ${topics.join(', ')}`, async (admin) => {
        const existing = new Set(await admin.listTopics({ includeInternals: true }));
        const missing = topics.filter((t) => !existing.has(t));
        if (missing.length > 0 && !values['if-exists']) throw unknownTopicError(missing[0]!, target.bootstrap.join(','));
        const doomed = topics.filter((t) => existing.has(t));
        if (!values.yes) {
          const described = doomed.length > 0 ? await describeTopics(admin, doomed, target.bootstrap.join(',')) : [];
          const lines = described.map((d) => {
            const records = d.partitions.reduce((a, p) => a + ((p.endOffset ?? 0) - (p.logStartOffset ?? 0)), 0);
            return `  ${d.name}: ${d.partitions.length} partition${d.partitions.length === 1 ? '' : 's'}, ${records} record${records === 1 ? '' : 's'}`;
          });
          io.err(`would delete:\n${lines.join('\n') || '  (nothing)'}\n`);
          throw new UsageError('deleting topics cannot be undone: add --yes to delete them');
        }
        if (doomed.length > 0) await admin.deleteTopics({ topics: doomed });
        if (values.json) json(io, { deleted: doomed, missing });
        else {
          for (const t of doomed) io.out(`deleted topic ${t}\n`);
          for (const t of missing) io.out(`topic ${t} does not exist (nothing to delete)\n`);
        }
        return 0;
      });
    },
  },

  'alter-config': {
    usage: 'brook topics alter-config <topic> [--set KEY=VALUE]... [--delete KEY]...',
    summary: 'Sets configs on a topic, or deletes them so the broker default applies again; prints the configs set afterwards.',
    example: 'brook topics alter-config clicks --set retention.ms=3600000 --delete cleanup.policy',
    async run(args, values, io) {
      refuse(
        values,
        ['partitions', 'replication-factor', 'config', 'yes', 'if-exists', 'if-not-exists', 'internal', 'all-configs'],
        'alter-config',
      );
      const [topic, extra] = need(args, 1, 'the topic name', subcommands['alter-config']!.usage);
      if (extra !== undefined) throw new UsageError('alter-config changes one topic at a time');
      const set = keyValues(values, 'set');
      const del = repeated(values, 'delete');
      if (set.length === 0 && del.length === 0) throw new UsageError('nothing to change: give --set KEY=VALUE and/or --delete KEY');
      const target = kafkaTarget(values);
      const after = await run(target, `altering the configs of '${topic}'`, async (admin) => {
        await partitionsOf(admin, [topic!], target.bootstrap.join(','));
        await admin.incrementalAlterConfigs({
          resources: [
            {
              resourceType: ConfigResourceTypes.TOPIC,
              resourceName: topic!,
              configs: [
                ...set.map(([name, value]) => ({ name, value, configOperation: IncrementalAlterConfigOperationTypes.SET })),
                ...del.map((name) => ({ name, configOperation: IncrementalAlterConfigOperationTypes.DELETE })),
              ],
            },
          ],
        });
        return overrides((await configsOf(admin, [topic!])).get(topic!) ?? []);
      });
      if (values.json) {
        json(io, { topic, set: Object.fromEntries(set), deleted: del, configs: Object.fromEntries(after.map((c) => [c.name, c.value])) });
      } else {
        io.out(`altered ${topic}: ${[...set.map(([k, v]) => `${k}=${v}`), ...del.map((k) => `-${k}`)].join(', ')}\n`);
        io.out(
          `configs set now: ${after.length === 0 ? '(none: all defaults)' : after.map((c) => `${c.name}=${configValue(c)}`).join(', ')}\n`,
        );
      }
      return 0;
    },
  },
};

async function run<T>(target: KafkaTarget, doing: string, fn: (admin: Admin) => Promise<T>): Promise<T> {
  try {
    return await withAdmin(target, 'brook-topics', fn);
  } catch (e) {
    throw explainKafkaError(e, { bootstrap: target.bootstrap, doing });
  }
}

const REPEATABLE = { config: undefined, set: undefined, delete: undefined };

export function createTopicsCommand(io?: OpsIo): Command {
  return commandWithSubcommands(
    {
      name: 'topics',
      summary: 'List, describe, create, delete and reconfigure topics on any Kafka-compatible cluster.',
      subcommands,
      rewriteArgs: gatherRepeated(REPEATABLE),
      options: {
        ...CONNECTION_OPTIONS,
        partitions: {
          type: 'string',
          short: 'p',
          valueName: 'N',
          description: "create: partitions (default: the broker's num.partitions)",
        },
        'replication-factor': { type: 'string', valueName: 'N', description: "create: replicas per partition (default: the broker's)" },
        config: { type: 'string', valueName: 'KEY=VALUE', description: 'create: a topic config; repeat for more' },
        'if-not-exists': { type: 'boolean', description: 'create: an existing topic is not an error' },
        set: { type: 'string', valueName: 'KEY=VALUE', description: 'alter-config: set a config; repeat for more' },
        delete: { type: 'string', valueName: 'KEY', description: 'alter-config: remove a config (back to the default); repeat for more' },
        yes: { type: 'boolean', short: 'y', description: 'delete: really delete (without it: show what would go, exit 2)' },
        'if-exists': { type: 'boolean', description: 'delete: a missing topic is not an error' },
        internal: { type: 'boolean', description: 'list: include internal topics' },
        'all-configs': { type: 'boolean', description: 'describe: every config with its source, not only those set' },
      },
    },
    io,
  );
}

export const topicsCommand: Command = createTopicsCommand();
