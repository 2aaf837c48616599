// The checkpoint's content: which job, which checkpoint, when, and the runtime snapshot, written
// with v8 serialization (Maps, Sets and bigints in operator state survive as they are). Stores
// add their own envelope (integrity check) around these bytes.
import { deserialize, serialize } from 'node:v8';
import { ProcessorError } from './errors.ts';
import type { RuntimeSnapshot } from './runtime.ts';

const FORMAT = 1;

export interface Checkpoint {
  id: number;
  job: string;
  createdAt: number;
  snapshot: RuntimeSnapshot;
  /** A partitioned run: the `topic:partition` whose pipeline this is. */
  partition?: string;
  /** A partitioned run: the combiner's own state besides its operators'. */
  combiner?: CombinerState;
}

/** What the combiner keeps besides its operators: input partitions' watermarks, its exchange position. */
export interface CombinerState {
  /** The last finite watermark each input partition reported. */
  watermarks: Array<[partition: string, watermark: number]>;
  /** Next offset to read in the exchange, as a string. */
  position: string | undefined;
}

export function encodeCheckpoint(cp: Checkpoint): Uint8Array {
  return serialize({ format: FORMAT, ...cp });
}

export function decodeCheckpoint(bytes: Uint8Array, where: string): Checkpoint {
  let value: unknown;
  try {
    value = deserialize(bytes);
  } catch (err) {
    throw new ProcessorError(
      'CHECKPOINT_CORRUPT',
      `checkpoint in ${where} cannot be read (${(err as Error).message}); move it aside to start over`,
      {
        cause: err,
      },
    );
  }
  const cp = value as Partial<Checkpoint> & { format?: number };
  if (typeof cp !== 'object' || cp === null || cp.format !== FORMAT || typeof cp.id !== 'number' || typeof cp.snapshot !== 'object') {
    throw new ProcessorError(
      'CHECKPOINT_CORRUPT',
      `checkpoint in ${where} has an unknown format (${String(cp?.format)}); it was written by another Brook version or is damaged`,
    );
  }
  return cp as Checkpoint;
}
