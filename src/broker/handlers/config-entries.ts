// Config entries as DescribeConfigs and CreateTopics report them: every topic config with its
// effective value, source (topic override or default), type and documentation; and the broker's
// own static settings under their Kafka names.
import { ConfigSource, type ConfigType, describeTopicConfig, TOPIC_CONFIG_BY_NAME } from '../../log/topic-config.ts';
import type { TopicInfo } from '../../log/types.ts';
import type { BrokerServices } from '../services.ts';

/** DescribeConfigs ConfigType codes (KIP-569). */
const CONFIG_TYPE: Record<ConfigType, number> = { boolean: 1, string: 2, int: 3, long: 5, double: 6, list: 7 };

export interface ConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  isDefault: boolean;
  configSource: number;
  isSensitive: boolean;
  synonyms: { name: string; value: string | null; source: number }[];
  configType: number;
  documentation: string | null;
}

export function describeTopicConfigs(info: TopicInfo, keys: string[] | null, includeSynonyms: boolean): ConfigEntry[] {
  return describeTopicConfig(info.overrides)
    .filter((e) => keys === null || keys.includes(e.name))
    .map((e) => {
      const source = ConfigSource[e.source];
      const def = TOPIC_CONFIG_BY_NAME.get(e.name);
      const synonyms = [];
      if (includeSynonyms) {
        if (source !== ConfigSource.DEFAULT_CONFIG) synonyms.push({ name: e.name, value: e.value, source });
        if (def) synonyms.push({ name: e.name, value: def.default, source: ConfigSource.DEFAULT_CONFIG });
      }
      return {
        name: e.name,
        value: e.value,
        readOnly: e.readOnly,
        isDefault: e.isDefault,
        configSource: source,
        isSensitive: e.sensitive,
        synonyms,
        configType: CONFIG_TYPE[e.type],
        documentation: e.doc,
      };
    });
}

export function describeBrokerConfigs(services: BrokerServices, keys: string[] | null): ConfigEntry[] {
  const c = services.config;
  const table: [string, string, ConfigType, string][] = [
    ['node.id', String(services.nodeId), 'int', 'This broker’s id.'],
    [
      'advertised.listeners',
      services.listeners.map((l) => `${l.name}://${l.advertised.host}:${l.advertised.port}`).join(','),
      'list',
      'Where clients are told to connect.',
    ],
    [
      'listeners',
      services.listeners.map((l) => `${l.name}://${l.address.host}:${l.address.port}`).join(','),
      'list',
      'Addresses the broker listens on, one port per listener.',
    ],
    [
      'listener.security.protocol.map',
      services.listeners.map((l) => `${l.name}:${l.securityProtocol}`).join(','),
      'list',
      'Security protocol of each listener.',
    ],
    ['ssl.principal.mapping.rules', c.principalMappingRules, 'string', 'How client certificate subjects become principals.'],
    ['super.users', c.superUsers.join(';'), 'list', 'Principals the authorizer lets do everything.'],
    [
      'authorizer.class.name',
      c.authorizer ? 'brook.AclAuthorizer' : '',
      'string',
      'Set: ACLs are enforced and what no ACL allows is denied.',
    ],
    ['log.dirs', c.dataDir, 'string', 'The data directory.'],
    ['auto.create.topics.enable', String(c.autoCreateTopics), 'boolean', 'Create unknown topics on metadata requests.'],
    ['num.partitions', String(c.numPartitions), 'int', 'Partitions of auto-created topics.'],
    ['default.replication.factor', '1', 'int', 'A single node: always 1.'],
    ['offsets.topic.replication.factor', '1', 'int', 'A single node: always 1.'],
    ['socket.request.max.bytes', String(c.maxRequestBytes), 'int', 'Largest request frame accepted.'],
    ['queued.max.request.bytes', String(c.maxQueuedRequestBytes), 'long', 'Request bytes buffered across all connections.'],
    ['max.connections', String(c.maxConnections), 'int', 'Connections accepted at once.'],
    ['connections.max.idle.ms', String(c.idleTimeoutMs), 'long', 'Idle connections are closed after this long.'],
    [
      'group.initial.rebalance.delay.ms',
      String(c.groupInitialRebalanceDelayMs),
      'int',
      'Wait for more members before the first rebalance.',
    ],
    ['log.retention.check.interval.ms', String(c.retentionCheckIntervalMs), 'long', 'How often retention and compaction run.'],
  ];
  return table
    .filter(([name]) => keys === null || keys.includes(name))
    .map(([name, value, type, doc]) => ({
      name,
      value,
      readOnly: true,
      isDefault: false,
      configSource: ConfigSource.STATIC_BROKER_CONFIG,
      isSensitive: false,
      synonyms: [],
      configType: CONFIG_TYPE[type],
      documentation: doc,
    }));
}
