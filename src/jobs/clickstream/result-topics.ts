// The job's results on Kafka: each row to its table's topic (the original pipeline's names),
// keyed as the spec says, JSON value, timestamp = window end - 1, and the row id in a header so
// consumers can deduplicate after a restart.
import type { Sink, StreamRecord } from '../../processor/index.ts';
import { KafkaWriter, type KafkaWriterOptions } from '../../processor/kafka/kafka-writer.ts';
import { RESULT_TABLES, RESULT_TOPICS, type ResultRow, type ResultTable } from './rows.ts';

export const ID_HEADER = 'brook.id';

export class ResultTopicsSink implements Sink<ResultRow> {
  readonly name = 'kafka-results';
  readonly #writers: Record<ResultTable, KafkaWriter<ResultRow>>;

  constructor(opts: Omit<KafkaWriterOptions<ResultRow>, 'topic' | 'toMessage' | 'name'>) {
    const writer = (table: ResultTable) =>
      new KafkaWriter<ResultRow>({
        ...opts,
        name: `kafka:${RESULT_TOPICS[table]}`,
        topic: RESULT_TOPICS[table],
        toMessage: (r) => ({ key: r.value.key, value: r.value.json, headers: { [ID_HEADER]: r.value.id }, timestamp: r.timestamp }),
      });
    this.#writers = {
      user_session_details: writer('user_session_details'),
      user_session_counts: writer('user_session_counts'),
      departments_count: writer('departments_count'),
    };
  }

  async open(): Promise<void> {
    for (const t of RESULT_TABLES) await this.#writers[t].open();
  }

  write(record: StreamRecord<ResultRow>): void {
    this.#writers[record.value.table].write(record);
  }

  async flush(): Promise<void> {
    await Promise.all(RESULT_TABLES.map((t) => this.#writers[t].flush()));
  }

  async close(): Promise<void> {
    const results = await Promise.allSettled(RESULT_TABLES.map((t) => this.#writers[t].close()));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
}
