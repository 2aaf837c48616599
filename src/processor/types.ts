// The engine's shared vocabulary: records as they flow between operators, records as a source
// reads them from Kafka, windows, sinks, and the backends (source reader, checkpoint store) that
// sit behind small interfaces so tests and other systems can stand in for Kafka and the disk.

/** A record inside the dataflow: a value and its event time (epoch ms). */
export interface StreamRecord<T> {
  value: T;
  timestamp: number;
}

/** A record as a source reads it from a partition, before deserialization. */
export interface SourceRecord {
  topic: string;
  partition: number;
  offset: bigint;
  /** Kafka record timestamp, epoch ms. */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Map<string, Buffer>;
}

/** A time window [start, end): start inclusive, end exclusive, epoch ms. */
export interface TimeWindow {
  start: number;
  end: number;
}

/** The watermark that closes every window: end of a bounded input. */
export const MAX_WATERMARK = Number.MAX_SAFE_INTEGER;
/** The watermark before anything was seen. */
export const MIN_WATERMARK = Number.MIN_SAFE_INTEGER;

/** A partition of a topic; the key used in maps is `topic:partition`. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/**
 * Where results go. write() buffers and never blocks the dataflow; flush() resolves once every
 * record written before the call is durable in the target (the runtime calls it before a
 * checkpoint is written, which is what makes outputs at-least-once and, with ids, exactly-once).
 */
export interface Sink<T> {
  readonly name: string;
  /** Called once before the first write; may connect, create tables or topics. */
  open?(): Promise<void>;
  write(record: StreamRecord<T>): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Reads partitions of Kafka topics (or anything shaped like them). The runtime asks for the
 * assignment, seeks to the restored offsets, then polls; it commits offsets after checkpoints.
 */
export interface SourceReader {
  /** The partitions this reader serves, resolved from its topics. */
  assignment(): Promise<TopicPartition[]>;
  /**
   * Starts reading. `from` gives the next offset per `topic:partition` (from a checkpoint);
   * partitions absent from it start at the reader's configured position. Resolves to the offset
   * each assigned partition will be read from.
   */
  seek(from: Map<string, bigint>): Promise<Map<string, bigint>>;
  /** The next records, in offset order per partition; may return [] after waiting a while. */
  poll(signal?: AbortSignal): Promise<SourceRecord[]>;
  /** Log end offsets (next offset to be written) per `topic:partition`, for bounded runs and lag. */
  endOffsets(): Promise<Map<string, bigint>>;
  /** Commits next offsets per `topic:partition` to the consumer group, so lag tools see the truth. */
  commit(offsets: Map<string, bigint>): Promise<void>;
  close(): Promise<void>;
}

/**
 * A reader whose partitions change while it runs: a partitioned run reads the input partitions and
 * the exchange partition its consumer group assigned to this instance, and no others.
 */
export interface AssignableReader extends SourceReader {
  /** Every partition of the reader's topics, assigned or not. */
  assignment(): Promise<TopicPartition[]>;
  /**
   * From now on reads exactly `partitions`. Partitions read before keep their position; new ones
   * start at `from` or, when absent, at the reader's configured position. Resolves to the next
   * offset of every assigned partition.
   */
  assign(partitions: TopicPartition[], from: Map<string, bigint>): Promise<Map<string, bigint>>;
}

/** Holds checkpoints as opaque bytes; save() is atomic: a reader sees the old or the new one. */
export interface CheckpointStore {
  readonly description: string;
  /** The latest complete checkpoint, or undefined when there is none. */
  load(): Promise<Uint8Array | undefined>;
  save(id: number, bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/**
 * Checkpoints under several keys (one per input partition, one for the combiner), saved and loaded
 * independently because instances of one consumer group hand partitions to each other.
 */
export interface KeyedCheckpointStore {
  readonly description: string;
  /**
   * At start: the latest valid checkpoint of every key. Refuses (with what to do) a store that
   * holds only damaged checkpoints, or checkpoints in a layout this version cannot read.
   */
  scan(): Promise<Map<string, Uint8Array>>;
  /** The latest complete checkpoint of `key`, or undefined when there is none. */
  load(key: string): Promise<Uint8Array | undefined>;
  save(key: string, id: number, bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** The wall clock as the engine sees it; tests pass a fake one. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
