// Creating an output topic when it is missing, shared by the writer and the Kafka checkpoint store.
// A topic that exists is left as it is (its partitions and configs are the operator's choice).
import { Admin } from '@platformatic/kafka';
import { CLIENT_RETRIES, hasApiError, type KafkaConnectionOptions } from './retry.ts';

export interface TopicSpec {
  topic: string;
  /** -1 (the default) lets the broker choose (num.partitions). */
  partitions?: number;
  /** -1 (the default) lets the broker choose (default.replication.factor). */
  replicas?: number;
  configs?: Record<string, string>;
}

export interface ClientSpec {
  bootstrap: string[];
  clientId: string;
  connection?: KafkaConnectionOptions;
}

/** Creates the topic unless it exists; returns whether this call created it. */
export async function ensureTopic(client: ClientSpec, spec: TopicSpec): Promise<boolean> {
  const admin = new Admin({ clientId: client.clientId, bootstrapBrokers: client.bootstrap, ...CLIENT_RETRIES, ...client.connection });
  try {
    const existing = await admin.listTopics({ includeInternals: true });
    if (existing.includes(spec.topic)) return false;
    await admin.createTopics({
      topics: [spec.topic],
      partitions: spec.partitions ?? -1,
      replicas: spec.replicas ?? -1,
      configs: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
    });
    return true;
  } catch (err) {
    // Another writer created it between the listing and the request.
    if (hasApiError(err, 'TOPIC_ALREADY_EXISTS')) return false;
    throw err;
  } finally {
    await admin.close();
  }
}
