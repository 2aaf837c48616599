// Turns a clickstream record into a ClickEvent with the registry serde: Confluent or Glue framing
// detected per record, writer schemas fetched once and then decoded synchronously. A record that
// cannot be decoded throws, which sends it to the dead-letter topic with the reason.
import type { ClickEvent } from '../../generator/schema.ts';
import type { SourceRecord } from '../../processor/index.ts';
import { type AvroDecoder, SerdeError, SerdeErrorCode } from '../../registry/serde/index.ts';

/** The job's input: the decoded event and the record it came from (for the late topic). */
export interface Click {
  event: ClickEvent;
  record: SourceRecord;
}

export function clickDecoder(decoder: AvroDecoder<ClickEvent>): (record: SourceRecord) => Click | Promise<Click> {
  return (record) => {
    const value = record.value;
    if (value === null || value.length === 0) throw new Error('the record has no value');
    try {
      return { event: decoder.decodeSync(value), record };
    } catch (err) {
      // First record of a schema: fetch it once (the only await on this path), then sync again.
      if (err instanceof SerdeError && err.code === SerdeErrorCode.SCHEMA_NOT_CACHED) {
        return decoder.decode(value).then((event) => ({ event, record }));
      }
      throw err;
    }
  };
}
