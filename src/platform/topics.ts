// The pipeline's topics, created before the processor and the generator start: the input with
// several partitions (so the work can later be shared), the three result topics, dead letters and
// late records. Topics that exist are left as they are: their layout is the operator's choice.
import { Admin } from '@platformatic/kafka';
import type { BrookConfig } from '../config/types.ts';
import { RESULT_TOPICS } from '../jobs/clickstream/rows.ts';
import { CLIENT_RETRIES, hasApiError, type KafkaConnectionOptions } from '../processor/kafka/retry.ts';

export interface PipelineTopic {
  topic: string;
  partitions: number;
}

export function pipelineTopics(config: BrookConfig): PipelineTopic[] {
  const t = config.topics;
  return [
    { topic: t.clickstream, partitions: t.partitions },
    ...Object.values(RESULT_TOPICS).map((topic) => ({ topic, partitions: t.resultPartitions })),
    { topic: t.deadLetter, partitions: t.resultPartitions },
    { topic: t.late, partitions: t.resultPartitions },
  ];
}

/** Creates the missing ones; returns their names. */
export async function createTopics(
  bootstrap: string[],
  connection: KafkaConnectionOptions,
  topics: PipelineTopic[],
  replicationFactor: number | null,
): Promise<string[]> {
  const admin = new Admin({ clientId: 'brook-up', bootstrapBrokers: bootstrap, ...CLIENT_RETRIES, ...connection });
  try {
    const existing = new Set(await admin.listTopics({ includeInternals: true }));
    const missing = topics.filter((t) => !existing.has(t.topic));
    // One request per partition count: CreateTopics takes one count for all its topics here.
    for (const partitions of new Set(missing.map((t) => t.partitions))) {
      const names = missing.filter((t) => t.partitions === partitions).map((t) => t.topic);
      try {
        await admin.createTopics({ topics: names, partitions, replicas: replicationFactor ?? -1 });
      } catch (err) {
        // Another client created one of them meanwhile.
        if (!hasApiError(err, 'TOPIC_ALREADY_EXISTS')) throw err;
      }
    }
    return missing.map((t) => t.topic);
  } finally {
    await admin.close();
  }
}
