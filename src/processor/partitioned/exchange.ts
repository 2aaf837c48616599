// What a partition's pipeline tells the combiner, through the exchange topic: its watermark and the
// partials of the global windows it closed since its previous message. Messages are keyed by input
// partition and written with v8 serialization (accumulators may hold Maps, Sets, bigints).
import { deserialize, serialize } from 'node:v8';
import type { WindowPartial } from '../aggregate.ts';
import { ProcessorError } from '../errors.ts';

const FORMAT = 1;

export interface ProgressMessage {
  job: string;
  /** The input partition, `topic:partition`. */
  partition: string;
  /** The partition's watermark after the partials; MAX_WATERMARK at the end of a bounded run. */
  watermark: number;
  partials: WindowPartial[];
}

/** The exchange topic a consumer group uses when none is named. */
export function defaultExchangeTopic(group: string): string {
  return `${group}-partials`;
}

export function encodeProgress(m: ProgressMessage): Buffer {
  return serialize({ format: FORMAT, ...m });
}

export function decodeProgress(bytes: Uint8Array | null, where: string): ProgressMessage {
  let value: unknown;
  try {
    value = bytes === null ? undefined : deserialize(bytes);
  } catch (err) {
    throw new ProcessorError(
      'SOURCE',
      `the exchange record at ${where} cannot be read (${(err as Error).message}): is another program writing to the exchange topic?`,
      { cause: err },
    );
  }
  const m = value as Partial<ProgressMessage> & { format?: number };
  if (
    typeof m !== 'object' ||
    m === null ||
    m.format !== FORMAT ||
    typeof m.partition !== 'string' ||
    typeof m.watermark !== 'number' ||
    !Array.isArray(m.partials)
  ) {
    throw new ProcessorError(
      'SOURCE',
      `the exchange record at ${where} is not a Brook progress message (format ${String(m?.format)}): is another program writing to the exchange topic?`,
    );
  }
  return { job: String(m.job), partition: m.partition, watermark: m.watermark, partials: m.partials };
}
