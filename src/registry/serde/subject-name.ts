// Confluent subject naming strategies: which subject a topic's key or value schema is registered
// under (io.confluent.kafka.serializers.subject.{TopicNameStrategy,RecordNameStrategy,...}).
import { SerdeError, SerdeErrorCode } from './errors.ts';

export const SubjectNameStrategy = {
  /** `<topic>-value` / `<topic>-key`: one schema lineage per topic (Confluent's default). */
  TOPIC: 'TopicNameStrategy',
  /** The record's full name: one lineage per record type, across topics. */
  RECORD: 'RecordNameStrategy',
  /** `<topic>-<record full name>`: one lineage per record type per topic. */
  TOPIC_RECORD: 'TopicRecordNameStrategy',
} as const;
export type SubjectNameStrategy = (typeof SubjectNameStrategy)[keyof typeof SubjectNameStrategy];

export function subjectName(strategy: SubjectNameStrategy, topic: string, isKey: boolean, recordFullName: string | undefined): string {
  switch (strategy) {
    case SubjectNameStrategy.TOPIC:
      return `${topic}-${isKey ? 'key' : 'value'}`;
    case SubjectNameStrategy.RECORD:
      return requireName(strategy, recordFullName);
    case SubjectNameStrategy.TOPIC_RECORD:
      return `${topic}-${requireName(strategy, recordFullName)}`;
    default:
      throw new SerdeError(SerdeErrorCode.INVALID_SCHEMA, `unknown subject name strategy '${String(strategy)}'`);
  }
}

function requireName(strategy: SubjectNameStrategy, name: string | undefined): string {
  if (name === undefined) {
    throw new SerdeError(
      SerdeErrorCode.INVALID_SCHEMA,
      `${strategy} needs a named schema (a record), not a primitive, array, map or union`,
    );
  }
  return name;
}
