// The `_schemas` topic through the Kafka protocol (@platformatic/kafka): creates it compacted with one
// partition, appends with acks=all, and reads from an offset with plain Fetch requests (no consumer
// group: every instance reads the whole log), so it works on Brook's broker, Apache Kafka and MSK.
import { Admin, type BaseOptions, Consumer, ProduceAcks, Producer } from '@platformatic/kafka';
import { BrookError } from '../../common/errors.ts';

export interface LogRecord {
  offset: bigint;
  key: Buffer | null;
  value: Buffer | null;
}

export interface LogBatch {
  records: LogRecord[];
  /** Where the next read starts (past compacted-away offsets too). */
  nextOffset: bigint;
  highWatermark: bigint;
}

/** What the store needs from a log: small, so a test or another backend can stand in. */
export interface CommandLog {
  append(key: Buffer, value: Buffer): Promise<void>;
  /** Records from `offset` on, as many as one fetch returns; returns at once when there are none. */
  read(offset: bigint): Promise<LogBatch>;
  close(): Promise<void>;
}

export interface KafkaLogOptions {
  bootstrap: string[];
  topic: string;
  /** For a topic the registry creates: 1 on one broker, 3 on a production Kafka or MSK cluster. */
  replicationFactor: number;
  clientId: string;
  /** Extra client options (TLS, SASL, timeouts) passed to every client. */
  client?: Partial<BaseOptions>;
  /** Largest fetch response, bytes. */
  maxFetchBytes?: number;
}

// Fail in well under a second when Kafka is down, so a request gets a 50001 rather than hanging.
const CLIENT_DEFAULTS = { retries: 2, retryDelay: 100, timeout: 5000, connectTimeout: 3000 } as const;

export async function openKafkaLog(options: KafkaLogOptions): Promise<CommandLog> {
  const base = { bootstrapBrokers: options.bootstrap, ...CLIENT_DEFAULTS, ...options.client };
  await ensureTopic(options, base);
  // producerId/epoch -1 ask for a fresh producer id. The client's default (0, 0) reads as "bump my
  // epoch" to Brook's broker, which then gives every instance producer id 0 and drops the second
  // instance's first batches as duplicates; Kafka ignores both for a non-transactional producer.
  const producer = new Producer({
    ...base,
    clientId: `${options.clientId}-producer`,
    idempotent: true,
    acks: ProduceAcks.ALL,
    producerId: -1n,
    producerEpoch: -1,
  });
  // groupId is required by the constructor; no group is ever joined (Fetch only).
  const consumer = new Consumer({ ...base, clientId: `${options.clientId}-reader`, groupId: `${options.clientId}-unused` });
  const maxBytes = options.maxFetchBytes ?? 16 * 1024 * 1024;
  let target: { topicId: string; node: number } | null = null;

  const locate = async () => {
    if (target) return target;
    const md = await consumer.metadata({ topics: [options.topic], forceUpdate: true });
    const t = md.topics.get(options.topic);
    const leader = t?.partitions[0]?.leader;
    if (!t || leader === undefined || leader < 0)
      throw new BrookError('REGISTRY_LOG', `topic ${options.topic} has no leader for partition 0`);
    target = { topicId: t.id, node: leader };
    return target;
  };

  return {
    async append(key, value) {
      await producer.send({ messages: [{ topic: options.topic, partition: 0, key, value }] });
    },
    async read(offset) {
      const { topicId, node } = await locate();
      let response: Awaited<ReturnType<typeof consumer.fetch>>;
      try {
        response = await consumer.fetch({
          node,
          maxWaitTime: 0,
          maxBytes,
          topics: [
            {
              topicId,
              partitions: [
                { partition: 0, fetchOffset: offset, currentLeaderEpoch: -1, lastFetchedEpoch: -1, partitionMaxBytes: maxBytes },
              ],
            },
          ],
        });
      } catch (err) {
        target = null; // leadership may have moved: look the partition up again next time
        throw err;
      }
      const partition = response.responses[0]?.partitions.find((p) => p.partitionIndex === 0);
      if (!partition) throw new BrookError('REGISTRY_LOG', `the fetch response for ${options.topic} has no partition 0`);
      const records: LogRecord[] = [];
      let next = offset;
      for (const batch of partition.records ?? []) {
        for (const r of batch.records) {
          const at = batch.firstOffset + BigInt(r.offsetDelta);
          if (at >= offset) records.push({ offset: at, key: r.key ?? null, value: r.value ?? null });
        }
        // Compaction can remove a batch's last records, never its offset range.
        const end = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n;
        if (end > next) next = end;
      }
      return { records, nextOffset: next, highWatermark: partition.highWatermark };
    },
    async close() {
      await Promise.allSettled([producer.close(), consumer.close()]);
    },
  };
}

/** Creates the topic (compacted, one partition) if missing; refuses one that would lose or split state. */
async function ensureTopic(options: KafkaLogOptions, base: object): Promise<void> {
  const admin = new Admin({ ...base, clientId: `${options.clientId}-admin` } as ConstructorParameters<typeof Admin>[0]);
  try {
    if (!(await admin.listTopics()).includes(options.topic)) {
      try {
        await admin.createTopics({
          topics: [options.topic],
          partitions: 1,
          replicas: options.replicationFactor,
          configs: [{ name: 'cleanup.policy', value: 'compact' }],
        });
      } catch (err) {
        // Another instance may have created it a moment ago.
        if (!(await admin.listTopics()).includes(options.topic)) throw err;
      }
    }
    const md = await admin.metadata({ topics: [options.topic] });
    const count = md.topics.get(options.topic)?.partitionsCount ?? 0;
    if (count !== 1) {
      throw new BrookError(
        'REGISTRY_TOPIC',
        `topic ${options.topic} has ${count} partitions; the registry needs exactly 1 to keep its commands in order: use another --topic or recreate it with one partition`,
      );
    }
    const policy = await cleanupPolicy(admin, options.topic);
    if (policy !== null && !policy.split(',').includes('compact')) {
      throw new BrookError(
        'REGISTRY_TOPIC',
        `topic ${options.topic} has cleanup.policy=${policy}: retention would delete registered schemas; set cleanup.policy=compact on it or use another --topic`,
      );
    }
  } finally {
    await admin.close();
  }
}

/** The topic's cleanup.policy, or null when the cluster will not say (DescribeConfigs denied). */
async function cleanupPolicy(admin: Admin, topic: string): Promise<string | null> {
  try {
    const described = await admin.describeConfigs({
      resources: [{ resourceType: 2, resourceName: topic, configurationKeys: ['cleanup.policy'] }],
    });
    return described[0]?.configs.find((c) => c.name === 'cleanup.policy')?.value ?? null;
  } catch {
    return null;
  }
}
