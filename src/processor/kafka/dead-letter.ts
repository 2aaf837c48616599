// Dead letters on Kafka: the raw key, value, headers and timestamp of a record that could not be
// processed, plus why (`brook.error`) and where it came from (`brook.source` = topic:partition:offset),
// so it can be inspected and replayed as it was.
import type { SourceRecord, StreamRecord } from '../types.ts';
import { type KafkaMessage, KafkaWriter, type KafkaWriterOptions } from './kafka-writer.ts';

export const ERROR_HEADER = 'brook.error';
export const SOURCE_HEADER = 'brook.source';

/** A record that failed and the reason (the shape the source operator emits). */
export interface DeadLetterInput {
  record: SourceRecord;
  error: string;
}

export function deadLetterMessage(record: SourceRecord, reason: string): KafkaMessage {
  const headers = new Map<string, Buffer | string>(record.headers ?? []);
  headers.set(ERROR_HEADER, reason);
  headers.set(SOURCE_HEADER, `${record.topic}:${record.partition}:${record.offset}`);
  return { key: record.key, value: record.value, headers, timestamp: record.timestamp };
}

/** A writer for dead letters, e.g. to `clickstream.dlq`. */
export function deadLetterWriter(opts: Omit<KafkaWriterOptions<DeadLetterInput>, 'toMessage'>): KafkaWriter<DeadLetterInput> {
  return new KafkaWriter<DeadLetterInput>({
    name: `dead-letters:${opts.topic}`,
    ...opts,
    toMessage: (r: StreamRecord<DeadLetterInput>) => deadLetterMessage(r.value.record, r.value.error),
  });
}
