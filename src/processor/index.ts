// The engine's public API: what a job is written against and what runs it. Jobs import from here
// only, never from the engine's inner files.
export type { AggregateFunction, Key, LateRecord, WindowPartial, WindowResult } from './aggregate.ts';
export { type Checkpoint, decodeCheckpoint, encodeCheckpoint } from './checkpoint-codec.ts';
export {
  type AggregateOptions,
  type AggregateScope,
  Job,
  KeyedStream,
  type RuntimeMode,
  SourceStream,
  Stream,
  WindowedStream,
  WindowResultStream,
} from './dataflow.ts';
export { ProcessorError, type ProcessorErrorCode } from './errors.ts';
export { MemoryCheckpointStore, MemoryKeyedCheckpointStore } from './memory-checkpoint-store.ts';
export { MemoryReader } from './memory-reader.ts';
export { MemorySink } from './memory-sink.ts';
export { type MemoryMessage, MemoryTopics } from './memory-topics.ts';
export type { JobMetrics, PartitionMetrics } from './metrics.ts';
export type { OperatorMetrics } from './operators/operator.ts';
export type { DeadLetter, SourceSpec } from './operators/source.ts';
export { Combiner } from './partitioned/combiner.ts';
export { decodeProgress, defaultExchangeTopic, encodeProgress, type ProgressMessage } from './partitioned/exchange.ts';
export { type Membership, StaticMembership } from './partitioned/membership.ts';
export { PartitionPipeline } from './partitioned/partition-pipeline.ts';
export {
  type AssignmentInfo,
  COMBINER_KEY,
  checkpointKey,
  PartitionedJobRunner,
  type PartitionedRunnerOptions,
  type PartitionedRunSummary,
} from './partitioned/runner.ts';
export { type CheckpointInfo, JobRunner, type RunnerOptions, type RunSummary } from './runner.ts';
export { Runtime, type RuntimeOptions, type RuntimeSnapshot } from './runtime.ts';
export {
  type AssignableReader,
  type CheckpointStore,
  type Clock,
  type KeyedCheckpointStore,
  MAX_WATERMARK,
  MIN_WATERMARK,
  partitionKey,
  type Sink,
  type SourceReader,
  type SourceRecord,
  type StreamRecord,
  systemClock,
  type TimeWindow,
  type TopicPartition,
} from './types.ts';
export { sessionWindows, slidingWindows, tumblingWindows, type WindowAssigner } from './windows.ts';
